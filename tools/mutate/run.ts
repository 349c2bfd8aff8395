// Mutation testing of impl/ against the conformance suite: generates mutants in memory, runs the
// suite once per mutant in a fresh worker thread on a temp copy of the repository, and reports
// which mutants the suite kills. The library behind `dax-model mutate`; the work tree is never
// written: mutants exist in memory and in the temp copy, which is removed at the end, on abort
// and on Ctrl-C.
import { seededRandom } from '../../lib/values/seeded-random.ts';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../lib/paths.ts';
import { Worker } from 'node:worker_threads';
import { Node, Project, ts, type SourceFile } from 'ts-morph';
import { EquivalentsError, loadEquivalents } from './equivalents.ts';
import { checkMutants, CompileChecker, OPERATORS, planMutants, type Mutant, type MutantSet, type NonCompilingMutant, type OperatorName } from './operators.ts';
import { changedLinesSince, SinceError, type ChangedLines } from './since.ts';

/** The repository this tool belongs to. */
const WORKER_SCRIPT = new URL('./worker.mjs', import.meta.url);

/** What the temp copy holds: what the suite may import, and what tsx needs to load it. */
const COPIED = ['spec', 'lib', 'impl', 'conformance', 'tools', 'bench', 'package.json', 'tsconfig.json'];

/** Options of the conformance suite, as conformance/suite.ts takes them (callbacks excepted). */
export interface SuiteOptions {
  fastCheckRuns?: number;
  seed?: number;
  budgetMs?: number;
  corpus?: boolean;
  cexReplays?: boolean;
  /** Whose code paths the implementation runs ('xfs' or 'ext4'); default both. */
  profile?: string;
  /** The configs of the fast-check executions (default the suite's FAST_CHECK_CONFIGS). */
  configs?: readonly string[];
  /** Stop at the first divergence. The runner sets it: one divergence kills a mutant. */
  failFast?: boolean;
  /** Also validate executions with TLC as a batch; the runner turns it off (see runMutation). */
  tlcBatch?: boolean;
  /** For the differential suite of --audit-equivalents: the unmutated checkout, and the random
   *  schedules per config and profile. */
  referenceRoot?: string;
  runs?: number;
}

/** The report of one conformance run, as conformance/suite.ts returns it. */
export interface SuiteReport {
  traces: number;
  steps: number;
  actionsCovered: number;
  actionsTotal: number;
  fastCheckRuns: number;
  divergences: { check: string; message: string }[];
  stepsPerSecond: number;
  seconds: number;
}

export interface MutationOptions {
  /** Repository root (default: this repository). impl/ and the suite are found under it. */
  rootDir?: string;
  /** The suite module, relative to rootDir (default conformance/suite.ts); it must export runConformance. */
  suite?: string;
  /** Mutate only functions changed since this git ref (and untracked files). */
  since?: string;
  operators?: readonly OperatorName[];
  /** Run at most this many mutants: a sample fixed by `seed`. */
  limit?: number;
  /** Seeds the `limit` sample (default 0) and, when given, the suite's fast-check runs. */
  seed?: number;
  /** Wall-clock limit per mutant, worker start-up included; past it the mutant is 'timed out'.
   *  Default: three times the unmutated run plus 5 s, at least 20 s. */
  budgetMs?: number;
  /** Passed to every run of the suite (`seed`, when given, overrides theirs). Its budgetMs
   *  defaults, for mutant runs, to half the per-mutant budget. */
  suiteOptions?: SuiteOptions;
  /** Options added for one mutant's run (default defaultSuiteOptionsFor); the suite must pass
   *  unmutated with each distinct set too. */
  suiteOptionsFor?: (mutant: MutantInfo) => SuiteOptions;
  /** Worker threads run in parallel (default 2, one per core of the target machines). */
  workers?: number;
  /** The equivalents file, relative to rootDir or absolute (default conformance/equivalent-mutants.json). */
  equivalents?: string;
  /** Which impl files: 'protocol' (default) those isProtocolFile accepts, 'all' every mutable
   *  file under impl/. Ignored when `files` is given. */
  scope?: MutationScope;
  /** Only these impl files (relative to rootDir); default the files of `scope`. */
  files?: readonly string[];
  /** Only the mutants this accepts (before type-checking and sampling). */
  only?: (mutant: MutantInfo) => boolean;
  /**
   * Audit the equivalents file instead: run only the mutants it lists, each through the
   * differential suite (conformance/differential.ts) against the unmutated checkout. A mutant
   * then 'killed' behaves differently from the original: its record is wrong.
   */
  auditEquivalents?: boolean;
  /** Where the temp copy is made (default the OS temp directory). */
  tmpDir?: string;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Called as each mutant's outcome is known. */
  onResult?: (result: MutantResult) => void;
}

/** A mutant without its full text: what reports carry. */
export type MutantInfo = Omit<Mutant, 'text'>;

export type MutantStatus = 'killed' | 'survived' | 'timed out' | 'equivalent';

export interface MutantResult {
  mutant: MutantInfo;
  status: MutantStatus;
  /** For a killed mutant, the first check that failed (divergences[0].check), or 'exception'. */
  killedBy?: string;
  /** The first divergence's or the exception's message; the reason for an equivalent one. */
  message?: string;
  seconds: number;
}

/** The figures `dax-model mutate --json` prints, exactly. */
export interface MutationTotals {
  /** Compiling mutants selected (equivalent ones included). */
  mutants: number;
  killed: number;
  survived: number;
  timedOut: number;
  /** Listed in the equivalents file: not run, not in the kill rate. */
  equivalent: number;
  /** (killed + timedOut) / (mutants - equivalent); a mutant that hangs the suite is detected
   *  (the harness would never finish), as in Stryker's mutation score. 1 when nothing ran. */
  killRate: number;
  seconds: number;
}

export interface MutationReport {
  totals: MutationTotals;
  /** Mutants run per minute of the mutant phase (generation and the unmutated run excluded). */
  mutantsPerMinute: number;
  results: MutantResult[];
  /** Skipped because the mutated file does not type-check. */
  notCompiling: NonCompilingMutant[];
  /** Ids in the equivalents file that no mutant of this run has (stale after an edit), when
   *  the run looked at every mutant (no --since, --operators or --limit). */
  staleEquivalents: string[];
  /** The suite's report on the unmutated implementation; null if interrupted before it ended. */
  baseline: SuiteReport | null;
  budgetMs: number;
  /** Aborted (signal or Ctrl-C) before every mutant ran; results hold those that finished. */
  interrupted: boolean;
}

/** A run that cannot be done: no mutable files, a suite that fails unmutated, a bad option. */
export class MutateError extends Error {
  override name = 'MutateError';
}

// ---------------------------------------------------------------------------------------------
// Choosing the files and mutants.

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
export const PROTOCOL_DIRS = ['impl/mm/', 'impl/fs/', 'impl/kernel/', 'impl/drivers/'] as const;

/** The scheduling policies under impl/kernel/: they choose the interleaving a caller asked for
 *  (the suite always gives explicit picks), they are not a kernel path the spec models. */
const NOT_PROTOCOL = new Set(['impl/kernel/scheduler.ts', 'impl/kernel/prandom.ts']);

/** 'protocol': the files isProtocolFile accepts; 'all': every mutable file under impl/. */
export type MutationScope = 'protocol' | 'all';
export const SCOPES: readonly MutationScope[] = ['protocol', 'all'];

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
  if (existsSync(tsconfig)) return new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true });
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

function checkOperators(operators: readonly string[]): void {
  for (const op of operators) {
    if (!(OPERATORS as readonly string[]).includes(op)) throw new MutateError(`unknown operator '${op}' (known: ${OPERATORS.join(', ')})`);
  }
}

function selectedFiles(rootDir: string, opts: MutationOptions): string[] {
  if (opts.scope !== undefined && !SCOPES.includes(opts.scope)) throw new MutateError(`unknown scope '${opts.scope}' (known: ${SCOPES.join(', ')})`);
  return opts.files ? [...opts.files] : listImplFiles(rootDir, opts.scope ?? 'protocol');
}

/** Planned mutants (not type-checked) of the selected impl files, with their source files. */
function plan(rootDir: string, opts: MutationOptions, changed: ChangedLines | undefined): { sf: SourceFile; mutant: Mutant }[] {
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
function choose(planned: readonly { sf: SourceFile; mutant: Mutant }[], limit: number | undefined, seed: number): MutantSet {
  if (limit === undefined || limit >= planned.length) return checkMutants(planned);
  const order = sampleMutants(planned.map((_, i) => i), planned.length, seed, true);
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

// ---------------------------------------------------------------------------------------------
// The temp copy and the workers.

interface Slot {
  dir: string;
  busy: Worker | null;
}

function makeCopy(rootDir: string, dest: string): void {
  for (const entry of COPIED) {
    const from = path.join(rootDir, entry);
    if (!existsSync(from)) continue;
    cpSync(from, path.join(dest, entry), {
      recursive: true,
      // Installed packages come through the symlink below; git-ignored TLC state is not needed.
      filter: (src) => !src.split(path.sep).includes('node_modules') && !/[\\/](states|\.tlc-meta[^\\/]*)$/.test(src),
    });
  }
  const ownModules = path.join(rootDir, 'node_modules');
  symlinkSync(existsSync(ownModules) ? ownModules : path.join(REPO_ROOT, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

type Outcome =
  | { kind: 'report'; report: SuiteReport; wallSeconds: number }
  | { kind: 'threw'; message: string }
  | { kind: 'timeout' }
  | { kind: 'aborted' };

/** How long a worker has to stop its suite and clean up after an abort before it is terminated. */
const ABORT_GRACE_MS = 300;

/** Runs the suite of the copy in `slot` in a fresh worker; never rejects. */
function runSuiteInWorker(slot: Slot, suiteRel: string, options: SuiteOptions, timeoutMs: number, signal: AbortSignal): Promise<Outcome> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ kind: 'aborted' });
    const worker = new Worker(WORKER_SCRIPT, {
      workerData: { suiteUrl: pathToFileURL(path.join(slot.dir, suiteRel)).href, options, startedAt: Date.now() },
      // The suite's own output must not mix with `--json`; keep the end of stderr for messages.
      stdout: true,
      stderr: true,
      // A mutant that allocates without bound fails its worker, not the runner.
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
    });
    slot.busy = worker;
    let stderr = '';
    worker.stdout.resume();
    worker.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    let settled = false;
    const finish = (o: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      slot.busy = null;
      // Terminate even after a reply: a suite may leave timers that keep its thread alive.
      void worker.terminate().finally(() => resolve(o));
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    // The worker stops its suite and runs its cleanups (TLC's process group, temp dirs) on an
    // 'abort' message; terminate() alone would leave the children the suite started.
    const onAbort = (): void => {
      worker.postMessage('abort');
      setTimeout(() => finish({ kind: 'aborted' }), ABORT_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: { ok: boolean; report?: SuiteReport; message?: string; wallSeconds: number }) =>
      finish(signal.aborted ? { kind: 'aborted' } : m.ok ? { kind: 'report', report: m.report!, wallSeconds: m.wallSeconds } : { kind: 'threw', message: m.message ?? 'unknown error' }),
    );
    worker.once('error', (e) => finish({ kind: 'threw', message: `${e.name}: ${e.message}` }));
    worker.once('exit', (code) =>
      finish({ kind: 'threw', message: `worker exited with code ${code} before reporting${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}` }),
    );
  });
}

/**
 * The suite runs both profiles' code paths unless told one: a mutant of impl/fs/ext4/ or
 * impl/fs/xfs/ is reached by one profile only, so it runs with that one (half the time); a
 * mutant of shared code runs with both.
 */
export function defaultSuiteOptionsFor(m: MutantInfo): SuiteOptions {
  if (m.file.startsWith('impl/fs/ext4/')) return { profile: 'ext4' };
  if (m.file.startsWith('impl/fs/xfs/')) return { profile: 'xfs' };
  return {};
}

function info(m: Mutant): MutantInfo {
  const { text: _text, ...rest } = m;
  return rest;
}

function resultOf(m: Mutant, o: Outcome, seconds: number): MutantResult {
  if (o.kind === 'timeout') return { mutant: info(m), status: 'timed out', seconds };
  if (o.kind === 'threw') return { mutant: info(m), status: 'killed', killedBy: 'exception', message: o.message, seconds };
  if (o.kind === 'report' && o.report.divergences.length > 0) {
    const d = o.report.divergences[0]!;
    return { mutant: info(m), status: 'killed', killedBy: d.check, message: d.message, seconds };
  }
  return { mutant: info(m), status: 'survived', seconds };
}

/** Totals from results; exported for reports assembled elsewhere (bench). */
export function totalsOf(results: readonly MutantResult[], seconds: number): MutationTotals {
  const count = (s: MutantStatus): number => results.filter((r) => r.status === s).length;
  const [killed, survived, timedOut, equivalent] = [count('killed'), count('survived'), count('timed out'), count('equivalent')];
  const judged = killed + survived + timedOut;
  return {
    mutants: results.length,
    killed,
    survived,
    timedOut,
    equivalent,
    killRate: judged === 0 ? 1 : Math.round(((killed + timedOut) / judged) * 10_000) / 10_000,
    seconds: Math.round(seconds * 10) / 10,
  };
}

/**
 * Runs mutation testing: generates the mutants, checks that the suite passes on the unmutated
 * implementation (else every mutant would look killed), then runs the suite once per mutant,
 * `workers` at a time, each in a fresh worker thread on a temp copy of the repository with the
 * one file replaced. Resolves with partial results and `interrupted` when aborted (signal or
 * Ctrl-C, which this function turns into an abort for its duration).
 * @throws MutateError, SinceError, EquivalentsError for runs that cannot be done.
 */
export async function runMutation(opts: MutationOptions = {}): Promise<MutationReport> {
  const started = performance.now();
  const rootDir = path.resolve(opts.rootDir ?? REPO_ROOT);
  const suiteRel = opts.suite ?? (opts.auditEquivalents ? 'conformance/differential.ts' : 'conformance/suite.ts');
  const seed = opts.seed ?? 0;
  const workers = Math.max(1, Math.floor(opts.workers ?? 2));
  const progress = opts.onProgress ?? (() => {});
  // Bad arguments fail first, before anything is copied.
  checkOperators(opts.operators ?? OPERATORS);
  const changed = opts.since === undefined ? undefined : await changedLinesSince(rootDir, opts.since);
  const equivalents = loadEquivalents(path.resolve(rootDir, opts.equivalents ?? 'conformance/equivalent-mutants.json'));
  if (!COPIED.includes(suiteRel.split(/[\\/]/)[0]!)) throw new MutateError(`the suite ${suiteRel} must lie in one of ${COPIED.join(', ')}`);
  if (!existsSync(path.join(rootDir, suiteRel))) throw new MutateError(`no conformance suite at ${path.join(rootDir, suiteRel)}`);

  // Ctrl-C and the caller's signal both abort; a listener of ours also keeps Node from dying
  // before the temp copy is removed.
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  const onOuterAbort = (): void => controller.abort();
  if (opts.signal?.aborted) controller.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  process.on('SIGINT', onSigint);
  const tmpBase = mkdtempSync(path.join(opts.tmpDir ?? os.tmpdir(), 'dax-mutate-'));
  // Last resort for an exit we do not see coming (process.exit in a caller): no copy is left.
  const removeCopy = (): void => rmSync(tmpBase, { recursive: true, force: true });
  process.on('exit', removeCopy);
  const slots: Slot[] = [];
  const results: MutantResult[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      const dir = path.join(tmpBase, `copy-${i}`);
      makeCopy(rootDir, dir);
      slots.push({ dir, busy: null });
    }
    // The suite keeps its own default seed unless one is asked for.
    // One divergence is enough to kill a mutant: the suite stops there (most are killed by the
    // corpus, within a second).
    // TLC's batch validation re-checks the very executions the state graph already validated, at
    // 10 s a run: it answers whether the two engines agree, which the check tests pin down, not
    // whether a mutant conforms. Off unless the caller asks for it.
    const common: SuiteOptions = {
      failFast: true,
      tlcBatch: false,
      ...(opts.auditEquivalents ? { referenceRoot: rootDir } : {}),
      ...opts.suiteOptions,
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    };
    const extraFor = opts.suiteOptionsFor ?? defaultSuiteOptionsFor;

    // The unmutated run goes on in its worker while this thread generates the mutants.
    progress('running the suite on the unmutated implementation and generating mutants…');
    const firstBase = runSuiteInWorker(slots[0]!, suiteRel, common, opts.budgetMs ?? 30 * 60_000, controller.signal);
    // An audit looks only at the recorded equivalents: the rest need not even be type-checked.
    const planned = plan(rootDir, opts.auditEquivalents ? { ...opts, only: (m) => equivalents.has(m.id) && (opts.only?.(m) ?? true) } : opts, changed);
    const generated = choose(planned, opts.limit, seed);
    const chosen = generated.mutants;
    const fullRun = opts.since === undefined && opts.operators === undefined && opts.limit === undefined && opts.only === undefined;
    const allIds = new Set(planned.map((p) => p.mutant.id));
    // Only ids of files this run looked at can be stale: a protocol run says nothing of impl/system.ts.
    const looked = new Set(selectedFiles(rootDir, opts));
    const staleEquivalents = fullRun ? [...equivalents.keys()].filter((id) => looked.has(id.split(':')[0]!) && !allIds.has(id)) : [];
    progress(`${chosen.length} mutants (${generated.notCompiling.length} more do not compile)`);
    /** The report of a run that ends before any mutant ran. */
    const earlyReport = (baseline: SuiteReport | null, interrupted: boolean): MutationReport => ({
      totals: totalsOf(results, (performance.now() - started) / 1000),
      mutantsPerMinute: 0,
      results,
      notCompiling: generated.notCompiling,
      staleEquivalents,
      baseline,
      budgetMs: opts.budgetMs ?? 0,
      interrupted,
    });
    // Nothing to run (a --since with no change in impl/, or only recorded equivalents): no need
    // to wait for the unmutated run; the finally below stops its worker.
    if (chosen.every((m) => (opts.auditEquivalents ? !equivalents.has(m.id) : equivalents.has(m.id)))) {
      for (const m of chosen) if (!opts.auditEquivalents) results.push({ mutant: info(m), status: 'equivalent', message: equivalents.get(m.id)!, seconds: 0 });
      return earlyReport(null, false);
    }

    // Every variant of the options the chosen mutants run with must pass unmutated too.
    const variants = new Map<string, SuiteOptions>([['{}', {}]]);
    for (const m of chosen) {
      const extra = extraFor(info(m));
      variants.set(JSON.stringify(extra), extra);
    }
    let baseline: SuiteReport | null = null;
    let baseSeconds = 0;
    for (const [key, extra] of variants) {
      const base = key === '{}' ? await firstBase : await runSuiteInWorker(slots[0]!, suiteRel, { ...common, ...extra }, opts.budgetMs ?? 30 * 60_000, controller.signal);
      if (base.kind === 'aborted') return earlyReport(baseline, true);
      if (base.kind !== 'report' || base.report.divergences.length > 0) {
        const why =
          base.kind === 'threw' ? base.message
          : base.kind === 'timeout' ? `it took longer than the per-mutant budget of ${opts.budgetMs} ms`
          : base.kind === 'report' ? `${base.report.divergences[0]!.check}: ${base.report.divergences[0]!.message}`
          : '';
        const with_ = key === '{}' ? '' : ` run with ${key}`;
        throw new MutateError(`the conformance suite${with_} fails on the unmutated implementation, so no mutant can be judged: ${why}`);
      }
      baseline ??= base.report;
      // The worker's own clock: this thread was busy generating while the first one ran.
      baseSeconds = Math.max(baseSeconds, base.wallSeconds);
    }
    const budgetMs = opts.budgetMs ?? Math.max(20_000, Math.ceil(baseSeconds * 3000 + 5000));
    // Half the budget bounds the suite's fast-check search and shrinking, so that a mutant it
    // catches late is reported killed rather than timed out.
    const suiteBudget = opts.suiteOptions?.budgetMs ?? Math.floor(budgetMs / 2);
    progress(`unmutated run: ${baseSeconds.toFixed(1)} s, no divergence; budget ${(budgetMs / 1000).toFixed(0)} s per mutant`);

    const queue: Mutant[] = [];
    for (const m of chosen) {
      const reason = equivalents.get(m.id);
      if (opts.auditEquivalents) {
        if (reason !== undefined) queue.push(m);
      } else if (reason === undefined) queue.push(m);
      else results.push({ mutant: info(m), status: 'equivalent', message: reason, seconds: 0 });
    }
    const toRun = queue.length;
    const originals = new Map<string, string>();
    const phaseStart = performance.now();
    let done = 0;
    const loop = async (slot: Slot): Promise<void> => {
      for (let m = queue.shift(); m !== undefined && !controller.signal.aborted; m = queue.shift()) {
        const target = path.join(slot.dir, m.file);
        if (!originals.has(m.file)) originals.set(m.file, readFileSync(target, 'utf8'));
        writeFileSync(target, m.text);
        const t = performance.now();
        let outcome: Outcome;
        try {
          outcome = await runSuiteInWorker(slot, suiteRel, { ...common, budgetMs: suiteBudget, ...extraFor(info(m)) }, budgetMs, controller.signal);
        } finally {
          writeFileSync(target, originals.get(m.file)!);
        }
        if (outcome.kind === 'aborted') break;
        const r = resultOf(m, outcome, (performance.now() - t) / 1000);
        results.push(r);
        done++;
        progress(`[${done}/${toRun}] ${r.status}${r.killedBy ? ` by ${r.killedBy}` : ''}: ${m.id} (${m.description})`);
        opts.onResult?.(r);
      }
    };
    await Promise.all(slots.map(loop));
    const phaseMinutes = (performance.now() - phaseStart) / 60_000;
    const order = new Map(chosen.map((m, i) => [m.id, i]));
    results.sort((a, b) => order.get(a.mutant.id)! - order.get(b.mutant.id)!);
    return {
      totals: totalsOf(results, (performance.now() - started) / 1000),
      mutantsPerMinute: phaseMinutes > 0 ? Math.round((done / phaseMinutes) * 10) / 10 : 0,
      results,
      notCompiling: generated.notCompiling,
      staleEquivalents,
      baseline,
      budgetMs,
      interrupted: controller.signal.aborted,
    };
  } finally {
    controller.abort();
    await Promise.all(slots.map((s) => s.busy?.terminate()));
    removeCopy();
    process.off('exit', removeCopy);
    process.off('SIGINT', onSigint);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}

export { EquivalentsError, SinceError };
