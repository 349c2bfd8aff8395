// Which mutants a run looks at: the impl/ files (protocol code or all), their planned mutants
// (optionally only in functions changed since a git ref), and a sample of `limit` fixed by a seed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Node, Project, ts, type SourceFile } from 'ts-morph';
import { REPO_ROOT } from '../../lib/paths.ts';
import { seededRandom } from '../../lib/values/seeded-random.ts';
import { checkMutants, CompileChecker, planMutants, type Mutant, type MutantSet, type NonCompilingMutant } from './mutants.ts';
import { OPERATORS } from './operators.ts';
import { MutateError, SCOPES, type MutationOptions, type MutationScope } from './options.ts';
import { changedLinesSince, type ChangedLines } from './since.ts';

/**
 * Whether the runner mutates a file (repository-relative path): not tests or test support
 * (`*.test.ts`, `*.spec.ts`, `testing.ts`, `test-*.ts`, `__tests__/`), barrels (`index.ts`) or
 * declaration files. Files with no function body are skipped later, once parsed.
 */
export function isMutableFile(rel: string): boolean {
  const base = path.posix.basename(rel);
  if (!rel.endsWith('.ts') || rel.endsWith('.d.ts') || base === 'index.ts') return false;
  return !/\.(test|spec)\.ts$/.test(base) && base !== 'testing.ts' && !base.startsWith('test-') && !rel.split('/').includes('__tests__');
}

/** The folders of impl/ that hold the protocol: the kernel paths the spec models. */
const PROTOCOL_DIRS = ['impl/mm/', 'impl/fs/', 'impl/kernel/', 'impl/drivers/'] as const;

/** The scheduling policies under impl/kernel/: they choose the interleaving a caller asked for
 *  (the suite always gives explicit picks), they are not a kernel path the spec models. */
const NOT_PROTOCOL = new Set(['impl/kernel/scheduler.ts', 'impl/kernel/prandom.ts']);

/**
 * Whether a mutable impl file (repository-relative) is protocol code, the target of the kill
 * rate: under impl/mm, impl/fs (XFS and ext4 included), impl/kernel or impl/drivers, except the
 * scheduling policies (kernel/scheduler.ts, kernel/prandom.ts). Not the top-level plumbing of
 * impl/ (configuration validation, errors, events, snapshot, types, system, reproductions,
 * index, testing helpers), whose mistakes the API tests catch rather than conformance.
 */
export function isProtocolFile(rel: string): boolean {
  return isMutableFile(rel) && PROTOCOL_DIRS.some((d) => rel.startsWith(d)) && !NOT_PROTOCOL.has(rel);
}

/** A file with no function body has no protocol step to mutate (types, constant tables). */
function hasCode(sf: SourceFile): boolean {
  return sf.getFirstDescendant((n) => Node.isBodied(n) || (Node.isBodyable(n) && n.getBody() !== undefined)) !== undefined;
}

/** The mutable .ts files under impl/ of `rootDir` in `scope` (default 'all'), repository-relative, sorted. */
export function listImplFiles(rootDir: string, scope: MutationScope = 'all'): string[] {
  const implDir = path.join(rootDir, 'impl');
  if (!existsSync(implDir)) return [];
  return (readdirSync(implDir, { recursive: true }) as string[])
    .map((f) => `impl/${f.split(path.sep).join('/')}`)
    .filter((f) => (scope === 'all' ? isMutableFile(f) : isProtocolFile(f)) && statSync(path.join(rootDir, f)).isFile())
    .sort();
}

function createProject(rootDir: string): Project {
  const tsconfig = path.join(rootDir, 'tsconfig.json');
  // A mutant that deletes a call may leave a local or a parameter unread: that is still a program
  // whose behaviour the suite must judge, so the unused-code checks (the project's style, not
  // its types) do not decide whether a mutant compiles.
  if (existsSync(tsconfig))
    return new Project({
      tsConfigFilePath: tsconfig,
      skipAddingFilesFromTsConfig: true,
      compilerOptions: { noUnusedLocals: false, noUnusedParameters: false },
    });
  return new Project({
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      // No ambient @types and no DOM: a repository without a tsconfig gets a fast check.
      types: [],
      lib: ['lib.es2022.d.ts'],
    },
  });
}

/**
 * `limit` items spread over the whole list (every file and operator), fixed by `seed`, in their
 * original order, or with `shuffled` in the drawn order.
 */
export function sampleMutants<T>(items: readonly T[], limit: number | undefined, seed: number, shuffled = false): T[] {
  if (limit === undefined || (limit >= items.length && !shuffled)) return [...items];
  const rnd = seededRandom(seed);
  const idx = items.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const taken = idx.slice(0, Math.max(0, limit));
  if (!shuffled) taken.sort((x, y) => x - y);
  return taken.map((i) => items[i]!);
}

/** @throws MutateError on an operator that does not exist. */
export function checkOperators(operators: readonly string[]): void {
  for (const op of operators) {
    if (!(OPERATORS as readonly string[]).includes(op)) throw new MutateError(`unknown operator '${op}' (known: ${OPERATORS.join(', ')})`);
  }
}

/** The impl files a run looks at: `files`, or those of `scope` (default 'protocol'). */
export function selectedFiles(rootDir: string, opts: MutationOptions): string[] {
  if (opts.scope !== undefined && !SCOPES.includes(opts.scope))
    throw new MutateError(`unknown scope '${opts.scope}' (known: ${SCOPES.join(', ')})`);
  return opts.files ? [...opts.files] : listImplFiles(rootDir, opts.scope ?? 'protocol');
}

/** Planned mutants (not type-checked) of the selected impl files, with their source files. */
export function plan(rootDir: string, opts: MutationOptions, changed: ChangedLines | undefined): { sf: SourceFile; mutant: Mutant }[] {
  let files = selectedFiles(rootDir, opts);
  if (changed) files = files.filter((f) => changed.has(f));
  const project = createProject(rootDir);
  const sources = files.map((f) => project.addSourceFileAtPath(path.join(rootDir, f))).filter(hasCode);
  return sources.flatMap((sf) =>
    planMutants(sf, {
      rootDir,
      operators: opts.operators ?? OPERATORS,
      include: changed
        ? (site) => (changed.get(site.file) ?? []).some(([a, b]) => a <= site.functionLines[1] && b >= site.functionLines[0])
        : undefined,
    })
      .filter((mutant) => !opts.only || opts.only(mutant))
      .map((mutant) => ({ sf, mutant })),
  );
}

/**
 * The compiling mutants to run: all of them, or with `limit` a sample fixed by `seed`, drawn
 * in a shuffled order and type-checked only until `limit` compile (checking costs about 50 ms
 * a mutant). The sample keeps the planned order.
 */
export function choose(planned: readonly { sf: SourceFile; mutant: Mutant }[], limit: number | undefined, seed: number): MutantSet {
  if (limit === undefined || limit >= planned.length) return checkMutants(planned);
  const order = sampleMutants(
    planned.map((_, i) => i),
    planned.length,
    seed,
    true,
  );
  const checker = new CompileChecker();
  const picked: number[] = [];
  const notCompiling: NonCompilingMutant[] = [];
  try {
    for (const i of order) {
      if (picked.length >= limit) break;
      const { sf, mutant } = planned[i]!;
      const error = checker.firstNewError(sf, mutant.text);
      if (error === undefined) picked.push(i);
      else {
        const { text: _text, ...rest } = mutant;
        notCompiling.push({ ...rest, error });
      }
    }
  } finally {
    checker.restore();
  }
  return { mutants: picked.sort((a, b) => a - b).map((i) => planned[i]!.mutant), notCompiling };
}

/**
 * Generates the compiling mutants of impl/ without running anything: what `mutate` would run
 * before `limit` samples them. Honours rootDir, scope, files, since and operators.
 * @throws MutateError on an unknown operator, SinceError on a bad ref.
 */
export async function generateImplMutants(opts: MutationOptions = {}): Promise<MutantSet> {
  const rootDir = path.resolve(opts.rootDir ?? REPO_ROOT);
  checkOperators(opts.operators ?? OPERATORS);
  const changed = opts.since === undefined ? undefined : await changedLinesSince(rootDir, opts.since);
  return checkMutants(plan(rootDir, opts, changed));
}
