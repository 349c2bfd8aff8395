// Checks that the spec and the implementation speak of the same things: every spec action has an
// implementation step labelled with its name, every label names a spec action, and the variant
// switches are the spec's BugNames on both sides. The library behind `dax-model link`.
//
// How labels are found (impl/ spells a step as `yield at('GupFastRecheck')`,
// `atBlocking('DeleteEntry', …)`, `xfsIlock(cur, ip, XFS_MMAPLOCK_EXCL, 'FsLockMmap')`, ...):
//   - the label vocabulary is the type alias `Label` of impl/ (a union of string literals);
//   - a step is a string literal passed as a call argument whose contextual type (the
//     parameter's type, per the type checker) is `Label` or a union of some of its members,
//     whatever the function is called; other literals of that type (tables, comparisons) are
//     checked to be spec actions but are not steps;
//   - test files (*.test.ts, *.spec.ts, testing.ts) are ignored: their labels drive steps, they
//     do not implement them.
// The switches (switches.ts): the properties of the type alias `BugSwitches` (the spec's BugNames)
// and of `FeatureSwitches` (FeatureNames), read where a property of that name is taken from a
// value of that type (`k.bugs.NoGupFastRecheck`), and Machine.idleRef (the constant
// IdleRef); each must also be commented on both sides with its kernel function or commit.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/paths.ts';
import { Node, Project, type SourceFile, type Type } from 'ts-morph';
import { specActions, specBugNames, type NamedLocation } from './spec-names.ts';
import { checkSwitchKind, SWITCH_KINDS, type Location, type SwitchGroupReport, type SwitchProblemKind } from './switches.ts';

export interface LinkOptions {
  /** Repository root (default: this repository). */
  rootDir?: string;
  /** The protocol module, relative to rootDir (default spec/DaxDma.tla). */
  spec?: string;
  /** The implementation's folder, relative to rootDir (default impl). */
  implDir?: string;
  /** The type alias naming every step label (default Label). */
  labelType?: string;
  /** The type alias of the variant switches (default BugSwitches). */
  switchesType?: string;
}

type LinkProblemKind = 'action-without-step' | 'label-not-an-action' | SwitchProblemKind;

/** One mismatch, located on the side that has the name. */
interface LinkProblem extends Location {
  kind: LinkProblemKind;
  name: string;
  message: string;
}

export interface LinkReport {
  /** The spec's actions, in Next's order. */
  actions: NamedLocation[];
  /** The spec's BugNames. */
  bugNames: NamedLocation[];
  /** Implementation steps by label (call arguments of the label type). */
  steps: Record<string, Location[]>;
  /** The implementation's switches (properties of the switches type) and where each is declared. */
  switches: NamedLocation[];
  /** Where each switch is read. */
  switchReads: Record<string, Location[]>;
  /** Every kind of switch (Bugs, Features, IdleRef) on both sides. */
  switchGroups: SwitchGroupReport[];
  /** Sorted by file, then line. Empty iff the two sides agree. */
  problems: LinkProblem[];
}

/** The implementation lacks what the link rule needs (the label or switches type). */
export class LinkError extends Error {
  override name = 'LinkError';
}

function isTestFile(rel: string): boolean {
  const base = path.posix.basename(rel);
  return /\.(test|spec)\.ts$/.test(base) || base === 'testing.ts' || rel.split('/').includes('__tests__');
}

function implFiles(rootDir: string, implDir: string): string[] {
  const dir = path.join(rootDir, implDir);
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => `${implDir}/${f.split(path.sep).join('/')}`)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !isTestFile(f))
    .sort();
}

/**
 * The repository's compiler options, less ambient @types and the DOM: label and switch types
 * come from impl/ alone, and loading neither makes the check three times faster.
 */
function createProject(rootDir: string): Project {
  const tsconfig = path.join(rootDir, 'tsconfig.json');
  const lean = { types: [], lib: ['lib.es2022.d.ts'] };
  if (existsSync(tsconfig)) return new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true, compilerOptions: lean });
  return new Project({ compilerOptions: { strict: true, allowImportingTsExtensions: true, noEmit: true, ...lean } });
}

/** String literal types of a type: the members of a union of literals, or the literal itself. */
function literalValues(t: Type): string[] | null {
  const members = t.isUnion() ? t.getUnionTypes() : [t];
  if (members.length === 0 || !members.every((m) => m.isStringLiteral())) return null;
  return members.map((m) => String(m.getLiteralValue()));
}

function findAlias(sources: readonly SourceFile[], name: string): { sf: SourceFile; node: Node; type: Type } | undefined {
  for (const sf of sources) {
    const alias = sf.getTypeAlias(name);
    if (alias) return { sf, node: alias, type: alias.getType() };
  }
  return undefined;
}

/**
 * Compares the spec's action names and BugNames with the implementation's step labels and
 * variant switches.
 * @throws LinkError when the spec file is missing or impl/ has no label type or no switches
 *   type; SpecNamesError when the
 *   spec has no Next disjunction or BugNames.
 */
export function linkSpecAndImpl(opts: LinkOptions = {}): LinkReport {
  const rootDir = path.resolve(opts.rootDir ?? REPO_ROOT);
  const specRel = opts.spec ?? 'spec/DaxDma.tla';
  const implDir = opts.implDir ?? 'impl';
  const labelType = opts.labelType ?? 'Label';
  const switchesType = opts.switchesType ?? 'BugSwitches';
  if (!existsSync(path.join(rootDir, specRel))) throw new LinkError(`no spec at ${path.join(rootDir, specRel)}`);
  const specText = readFileSync(path.join(rootDir, specRel), 'utf8');
  const actions = specActions(specText, specRel);
  const bugNames = specBugNames(specText, specRel);

  const project = createProject(rootDir);
  const files = implFiles(rootDir, implDir);
  const sources = files.map((f) => project.addSourceFileAtPath(path.join(rootDir, f)));
  const rel = (sf: SourceFile): string => path.relative(rootDir, sf.getFilePath()).split(path.sep).join('/');
  const at = (n: Node): Location => ({ file: rel(n.getSourceFile()), line: n.getStartLineNumber() });

  const labelAlias = findAlias(sources, labelType);
  if (!labelAlias)
    throw new LinkError(`no type alias ${labelType} in ${implDir}/: the step labels are the members of that union of string literals`);
  const declaredLabels = literalValues(labelAlias.type);
  if (!declaredLabels) throw new LinkError(`${rel(labelAlias.sf)}: ${labelType} is not a union of string literals`);
  if (!findAlias(sources, switchesType))
    throw new LinkError(`no type alias ${switchesType} in ${implDir}/: the variant switches are its properties`);

  // Where a name is declared: its first string literal in the alias's file (the `as const`
  // array the type is built from), else in impl/, else the alias itself.
  const firstLiteral = (sf: SourceFile, name: string): Location | undefined => {
    const lit = sf.getFirstDescendant((n) => Node.isStringLiteral(n) && n.getLiteralValue() === name);
    return lit ? at(lit) : undefined;
  };
  const declaredAt = (name: string, alias: { sf: SourceFile; node: Node }): Location =>
    firstLiteral(alias.sf, name) ?? sources.map((sf) => firstLiteral(sf, name)).find((l) => l !== undefined) ?? at(alias.node);

  const labelSet = new Set(declaredLabels);
  const checker = project.getTypeChecker();
  const steps: Record<string, Location[]> = {};
  const mentions: { name: string; loc: Location }[] = [];
  for (const sf of sources) {
    sf.forEachDescendant((n) => {
      if (Node.isStringLiteral(n) || Node.isNoSubstitutionTemplateLiteral(n)) {
        const ct = checker.getContextualType(n);
        const values = ct ? literalValues(ct) : null;
        if (!values || !values.every((v) => labelSet.has(v))) return;
        const name = n.getLiteralValue();
        mentions.push({ name, loc: at(n) });
        const p = n.getParent();
        if (Node.isCallExpression(p) && p.getArguments().includes(n)) (steps[name] ??= []).push(at(n));
      }
    });
  }

  const problems: LinkProblem[] = [];
  const actionSet = new Set(actions.map((a) => a.name));
  for (const a of actions) {
    if (!steps[a.name]) {
      problems.push({
        kind: 'action-without-step',
        name: a.name,
        file: a.file,
        line: a.line,
        message: `action ${a.name} has no implementation step labelled '${a.name}'`,
      });
    }
  }
  const reported = new Set<string>();
  const notAnAction = (name: string, loc: Location, what: string): void => {
    if (actionSet.has(name) || reported.has(`${name}@${loc.file}:${loc.line}`)) return;
    reported.add(`${name}@${loc.file}:${loc.line}`);
    problems.push({ kind: 'label-not-an-action', name, ...loc, message: `${what} '${name}' names no action of ${specRel}` });
  };
  for (const name of declaredLabels) notAnAction(name, declaredAt(name, labelAlias), `${labelType} member`);
  for (const m of mentions) notAnAction(m.name, m.loc, 'label');

  const view = { sources, at, declaredAt, implDir };
  const switchGroups = SWITCH_KINDS.map((k) => {
    const kind = 'record' in k.impl && k.group === 'Bugs' ? { ...k, impl: { record: switchesType } } : k;
    const r = checkSwitchKind(kind, specText, specRel, view);
    problems.push(...r.problems);
    return r.report;
  });
  const bugs = switchGroups.find((g) => g.group === 'Bugs')!;
  problems.sort((x, y) => x.file.localeCompare(y.file) || x.line - y.line || x.name.localeCompare(y.name));
  return { actions, bugNames, steps, switches: bugs.impl, switchReads: bugs.reads, switchGroups, problems };
}
