// The switches the spec and the implementation share, checked as tools/link checks actions: the
// variant switches (BugNames <-> BugSwitches), the optional behaviours (FeatureNames <->
// FeatureSwitches) and the idle refcount (CONSTANT IdleRef <-> Machine.idleRef). Each must
// be named on both sides, read on both sides, and commented on both sides with the kernel
// function or the commit it stands for.
import { Node, type SourceFile, type Type } from 'ts-morph';
import { specConstantSwitch, specSwitchSet, type NamedLocation, type SpecSwitch } from './spec-names.ts';

/** A file and 1-based line, repository-relative. */
export interface Location {
  file: string;
  line: number;
}

/** A kernel function (snake_case, as dax_layout_busy_page) or a commit id (12 to 40 hex digits). */
export const KERNEL_REFERENCE = /\b(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[0-9a-f]{12,40})\b/;

/** One kind of switch: how the spec and impl/ declare and read it. */
export interface SwitchKind {
  /** The spec constant it configures: Bugs, Features, IdleRef. */
  group: string;
  /** A set of names read with `reader("X")`, or a constant read by its name. */
  spec: { set: string; reader: string } | { constant: string };
  /** The properties of a record type alias, or one property of an interface. */
  impl: { record: string } | { owner: string; property: string };
  /** Must both sides have it (else the group is checked only when one side has it)? */
  required?: boolean;
}

/** The switch kinds of DaxDma.tla and impl/. */
export const SWITCH_KINDS: readonly SwitchKind[] = [
  { group: 'Bugs', spec: { set: 'BugNames', reader: 'Bug' }, impl: { record: 'BugSwitches' }, required: true },
  { group: 'Features', spec: { set: 'FeatureNames', reader: 'Feature' }, impl: { record: 'FeatureSwitches' } },
  // The kernel paths read the idle refcount from the machine they run on (k.idleRef).
  { group: 'IdleRef', spec: { constant: 'IdleRef' }, impl: { owner: 'Machine', property: 'idleRef' } },
];

/** One kind's names on both sides. impl names are given by their spec name (idleRef as IdleRef). */
export interface SwitchGroupReport {
  group: string;
  spec: SpecSwitch[];
  impl: NamedLocation[];
  /** Where impl/ reads each switch. */
  reads: Record<string, Location[]>;
  /** The switches some read of which is commented with a kernel function or commit. */
  documented: string[];
}

export type SwitchProblemKind =
  'switch-missing-in-impl' | 'switch-not-in-spec' | 'switch-never-read' | 'switch-never-read-in-spec' | 'switch-undocumented';

export interface SwitchProblem extends Location {
  kind: SwitchProblemKind;
  name: string;
  message: string;
}

/** What the impl side of the check needs from the link's project. */
export interface ImplView {
  sources: readonly SourceFile[];
  at: (n: Node) => Location;
  /** Where a name is declared: its first string literal near `node`'s file, else `node`. */
  declaredAt: (name: string, alias: { sf: SourceFile; node: Node }) => Location;
  implDir: string;
}

/** The comments a read is documented by: those before each enclosing node up to and including
 *  the enclosing function or method (its doc comment; for an arrow function, the declaration
 *  holding it), and at the end of its line. */
function contextComments(n: Node): string {
  const out: string[] = [];
  const line = n.getStartLineNumber();
  let inArrow = false;
  for (let cur: Node | undefined = n; cur && !Node.isSourceFile(cur); cur = cur.getParent()) {
    for (const r of cur.getLeadingCommentRanges()) out.push(r.getText());
    for (const r of cur.getTrailingCommentRanges())
      if (cur.getSourceFile().getLineAndColumnAtPos(r.getPos()).line === line) out.push(r.getText());
    if (Node.isArrowFunction(cur) || Node.isFunctionExpression(cur)) inArrow = true;
    const fn =
      Node.isFunctionDeclaration(cur) ||
      Node.isMethodDeclaration(cur) ||
      Node.isConstructorDeclaration(cur) ||
      Node.isGetAccessorDeclaration(cur) ||
      Node.isSetAccessorDeclaration(cur);
    if (fn || (inArrow && (Node.isVariableStatement(cur) || Node.isPropertyAssignment(cur) || Node.isPropertyDeclaration(cur)))) break;
  }
  return out.join('\n');
}

/** impl/'s side of one kind: its names, where declared, and where read; null when absent. */
function implSide(kind: SwitchKind, view: ImplView): { names: NamedLocation[]; reads: Record<string, Node[]> } | null {
  const reads: Record<string, Node[]> = {};
  if ('record' in kind.impl) {
    const name = kind.impl.record;
    const sf = view.sources.find((s) => s.getTypeAlias(name));
    if (!sf) return null;
    const alias = sf.getTypeAlias(name)!;
    const props = alias
      .getType()
      .getProperties()
      .map((p) => p.getName());
    const set = new Set(props);
    const isRecord = (t: Type): boolean => {
      const p = t.getProperties().map((x) => x.getName());
      return p.length === set.size && p.every((x) => set.has(x));
    };
    for (const src of view.sources) {
      src.forEachDescendant((n) => {
        if (Node.isPropertyAccessExpression(n) && set.has(n.getName()) && isRecord(n.getExpression().getType()))
          (reads[n.getName()] ??= []).push(n);
        else if (Node.isElementAccessExpression(n)) {
          const arg = n.getArgumentExpression();
          if (Node.isStringLiteral(arg) && set.has(arg.getLiteralValue()) && isRecord(n.getExpression().getType()))
            (reads[arg.getLiteralValue()] ??= []).push(n);
        }
      });
    }
    return { names: props.map((p) => ({ name: p, ...view.declaredAt(p, { sf, node: alias }) })), reads };
  }
  const { owner, property } = kind.impl;
  const spec = 'constant' in kind.spec ? kind.spec.constant : property;
  const iface = view.sources.map((s) => s.getInterface(owner)).find((i) => i !== undefined);
  const decl = iface?.getProperty(property);
  if (!decl) return null;
  for (const src of view.sources) {
    src.forEachDescendant((n) => {
      if (
        Node.isPropertyAccessExpression(n) &&
        n.getName() === property &&
        (n.getNameNode().getSymbol()?.getDeclarations() ?? []).includes(decl)
      )
        (reads[spec] ??= []).push(n);
    });
  }
  return { names: [{ name: spec, ...view.at(decl) }], reads };
}

/**
 * Checks one kind of switch on both sides; `specText` is the protocol module. A kind neither
 * side has is skipped unless `required`.
 */
export function checkSwitchKind(
  kind: SwitchKind,
  specText: string,
  specFile: string,
  view: ImplView,
): { report: SwitchGroupReport; problems: SwitchProblem[] } {
  const spec: SpecSwitch[] =
    'set' in kind.spec
      ? specSwitchSet(specText, specFile, kind.spec.set, kind.spec.reader, kind.group)
      : [specConstantSwitch(specText, specFile, kind.spec.constant)].filter((s): s is SpecSwitch => s !== null);
  const impl = implSide(kind, view);
  const problems: SwitchProblem[] = [];
  const report: SwitchGroupReport = { group: kind.group, spec, impl: impl?.names ?? [], reads: {}, documented: [] };
  if (spec.length === 0 && !impl && !kind.required) return { report, problems };
  const implNames = new Set(report.impl.map((s) => s.name));
  const specNames = new Set(spec.map((s) => s.name));
  const what = 'set' in kind.spec ? `${kind.spec.set} member` : 'constant';
  const implWhere = 'record' in kind.impl ? `a property of ${kind.impl.record}` : `${kind.impl.owner}.${kind.impl.property}`;
  for (const s of spec) {
    if (!implNames.has(s.name))
      problems.push({
        kind: 'switch-missing-in-impl',
        name: s.name,
        file: s.file,
        line: s.line,
        message: `${what} "${s.name}" is not ${implWhere} in ${view.implDir}/`,
      });
    if (s.reads === 0)
      problems.push({
        kind: 'switch-never-read-in-spec',
        name: s.name,
        file: s.file,
        line: s.line,
        message: `switch ${s.name} is never read in ${specFile}: it changes no action`,
      });
    if (!KERNEL_REFERENCE.test(s.comment))
      problems.push({
        kind: 'switch-undocumented',
        name: s.name,
        file: s.file,
        line: s.line,
        message: `switch ${s.name} has no comment naming the kernel function or commit it stands for`,
      });
  }
  for (const s of report.impl) {
    const at = (impl?.reads[s.name] ?? []).map((n) => view.at(n));
    if (at.length > 0) report.reads[s.name] = at;
    const documented = (impl?.reads[s.name] ?? []).some((n) => KERNEL_REFERENCE.test(contextComments(n)));
    if (documented) report.documented.push(s.name);
    if (!specNames.has(s.name))
      problems.push({
        kind: 'switch-not-in-spec',
        name: s.name,
        file: s.file,
        line: s.line,
        message: `switch ${s.name} is not in the spec's ${'set' in kind.spec ? kind.spec.set : 'CONSTANTS'}`,
      });
    else if (at.length === 0)
      problems.push({
        kind: 'switch-never-read',
        name: s.name,
        file: s.file,
        line: s.line,
        message: `switch ${s.name} is never read in ${view.implDir}/: it has no effect`,
      });
    else if (!documented)
      problems.push({
        kind: 'switch-undocumented',
        name: s.name,
        ...at[0]!,
        message: `no read of switch ${s.name} in ${view.implDir}/ is commented with the kernel function or commit it stands for`,
      });
  }
  return { report, problems };
}
