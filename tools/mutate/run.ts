// Mutation testing of impl/ against the conformance suite: generates mutants in memory, runs the
// suite once per mutant in a fresh worker thread on a temp copy of the repository, and reports
// which mutants the suite kills; a mutant the suite passes then meets the unit tests of impl/ that
// import its module (unit-tests.ts). The library behind `dax-model mutate`; the work tree is never
// written: mutants exist in memory and in the temp copy, which is removed at the end, on abort
// and on Ctrl-C.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findRelease, FS_PROFILE_NAMES, unknownRelease } from '../../impl/index.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { judgeRecord, loadEquivalents } from './equivalents.ts';
import type { Mutant } from './mutants.ts';
import { OPERATORS } from './operators.ts';
import { MutateError, type MutationOptions } from './options.ts';
import { info, suiteVerdict, totalsOf, unitVerdict, type MutantInfo, type MutantResult, type MutationReport } from './report.ts';
import { planInWorker } from './plan-thread.ts';
import { checkOperators, selectedFiles } from './select.ts';
import { changedLinesSince } from './since.ts';
import { COPIED, makeCopy, runSuiteInWorker, type Outcome, type Slot, type SuiteOptions, type WorkerReport } from './suite-worker.ts';
import { ImportGraph, runUnitTests } from './unit-tests.ts';

export { MutateError, SCOPES, type MutationOptions, type MutationScope } from './options.ts';
export { type MutantInfo, type MutantResult, type MutationReport } from './report.ts';
export { generateImplMutants, isMutableFile, isProtocolFile, listImplFiles, sampleMutants } from './select.ts';

/**
 * The suite runs every profile's code paths unless told one: a mutant of impl/fs/ext4/,
 * impl/fs/xfs/ or impl/fs/ext2/ is reached by one profile only, so it runs with that one; a
 * mutant of shared code runs with all.
 */
function defaultSuiteOptionsFor(m: MutantInfo): SuiteOptions {
  const own = FS_PROFILE_NAMES.find((p) => m.file.startsWith(`impl/fs/${p}/`));
  return own ? { profile: own } : {};
}

/**
 * Under a kernel version (suite option `kernel`) the suite runs that version's file-system
 * profile only: the other file system's folder is code the version never runs, so its mutants are
 * left out (they would all survive), and no mutant needs a profile of its own.
 * @throws MutateError for an unknown version.
 */
export function reachedByKernel(version: string): (m: MutantInfo) => boolean {
  const v = findRelease(version);
  if (!v) throw new MutateError(unknownRelease(version));
  const others = FS_PROFILE_NAMES.filter((p) => p !== v.profile).map((p) => `impl/fs/${p}/`);
  return (m) => !others.some((o) => m.file.startsWith(o));
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
  const suiteRel = opts.suite ?? (opts.auditEquivalents ? 'conformance/suite/differential.ts' : 'conformance/index.ts');
  const seed = opts.seed ?? 0;
  const workers = Math.max(1, Math.floor(opts.workers ?? 2));
  const progress = opts.onProgress ?? (() => {});
  // Bad arguments fail first, before anything is copied.
  checkOperators(opts.operators ?? OPERATORS);
  const kernel = opts.suiteOptions?.kernel;
  if (kernel !== undefined) {
    const reached = reachedByKernel(kernel);
    const only = opts.only;
    opts = { ...opts, only: (m) => reached(m) && (only?.(m) ?? true), suiteOptionsFor: opts.suiteOptionsFor ?? (() => ({})) };
  }
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
  const staleRecords: string[] = [];
  const unitTestsLeftOut: string[] = [];
  /** The report of a run interrupted before its mutants were known. */
  const stoppedEarly = (): MutationReport => ({
    totals: totalsOf(results, (performance.now() - started) / 1000),
    mutantsPerMinute: 0,
    results,
    notCompiling: [],
    staleEquivalents: [],
    staleRecords: [],
    unitTestsLeftOut: [],
    baseline: null,
    budgetMs: opts.budgetMs ?? 0,
    interrupted: true,
  });
  try {
    for (let i = 0; i < workers; i++) slots.push({ dir: path.join(tmpBase, `copy-${i}`), busy: null });
    // The copies are made while the main thread stays free to see a signal, which cuts them short.
    await Promise.all(slots.map((s) => makeCopy(rootDir, s.dir, controller.signal)));
    if (controller.signal.aborted) return stoppedEarly();
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
    // Planning runs in a thread of its own, so that a signal is seen (and ends it) at once.
    const looked = selectedFiles(rootDir, opts);
    const only = opts.auditEquivalents ? (m: MutantInfo) => equivalents.has(m.id) && (opts.only?.(m) ?? true) : opts.only;
    const planning = await planInWorker(
      {
        rootDir,
        files: changed ? looked.filter((f) => changed.has(f)) : looked,
        operators: opts.operators,
        changed,
        only,
        limit: opts.limit,
        seed,
      },
      controller.signal,
    );
    if (planning === 'aborted') return stoppedEarly();
    const generated = planning.generated;
    const chosen = generated.mutants;
    const fullRun = opts.since === undefined && opts.operators === undefined && opts.limit === undefined && opts.only === undefined;
    const allIds = new Set(planning.planned.map((p) => p.id));
    // Only ids of files this run looked at can be stale: a protocol run says nothing of impl/system.ts.
    const lookedAt = new Set(looked);
    const staleEquivalents = fullRun ? [...equivalents.keys()].filter((id) => lookedAt.has(id.split(':')[0]!) && !allIds.has(id)) : [];
    progress(`${chosen.length} mutants (${generated.notCompiling.length} more do not compile)`);
    // A record holds only for the function text it was judged against: a stale one is listed
    // and not used, and its mutant runs like any other (an audit runs every record).
    const validReason = new Map<string, string>();
    for (const m of chosen) {
      const record = equivalents.get(m.id);
      if (!record) continue;
      const v = judgeRecord(record, m);
      if (v.kind === 'valid') validReason.set(m.id, v.reason);
      else staleRecords.push(v.note);
    }
    /** The report of a run that ends before any mutant ran. */
    const earlyReport = (baseline: WorkerReport | null, interrupted: boolean): MutationReport => ({
      totals: totalsOf(results, (performance.now() - started) / 1000, staleRecords.length),
      mutantsPerMinute: 0,
      results,
      notCompiling: generated.notCompiling,
      staleEquivalents,
      staleRecords,
      unitTestsLeftOut,
      baseline,
      budgetMs: opts.budgetMs ?? 0,
      interrupted,
    });
    // Nothing to run (a --since with no change in impl/, or only recorded equivalents): no need
    // to wait for the unmutated run; the finally below stops its worker.
    if (chosen.every((m) => (opts.auditEquivalents ? !equivalents.has(m.id) : validReason.has(m.id)))) {
      for (const m of chosen)
        if (!opts.auditEquivalents) results.push({ mutant: info(m), status: 'equivalent', message: validReason.get(m.id)!, seconds: 0 });
      return earlyReport(null, false);
    }

    const queue: Mutant[] = [];
    for (const m of chosen) {
      const reason = validReason.get(m.id);
      if (opts.auditEquivalents) {
        if (equivalents.has(m.id)) queue.push(m);
      } else if (reason === undefined) queue.push(m);
      else results.push({ mutant: info(m), status: 'equivalent', message: reason, seconds: 0 });
    }
    // The unit tests each mutant meets: found once, from the imports; those failing unmutated are
    // left out (named in the report), else every mutant would look killed. An audit compares
    // behaviours with the differential suite only.
    const graph = opts.auditEquivalents || opts.unitTests === false ? null : new ImportGraph(rootDir);
    const testsOf = new Map<string, string[]>();
    for (const m of queue) if (graph && !testsOf.has(m.file)) testsOf.set(m.file, graph.testsReaching(m.file));
    // On the last copy, beside the suite's unmutated runs on the first (one copy: after them).
    const unitSlot = slots.at(-1)!;
    const unitTests = [...new Set([...testsOf.values()].flat())].sort();
    const startUnitBaseline = (): Promise<number | 'aborted'> =>
      unitTestBaseline(unitSlot, unitTests, unitTestsLeftOut, controller.signal, progress);
    const unitBaselineRun = slots.length > 1 ? startUnitBaseline() : null;
    // A rejection is awaited below; until then it must not count as unhandled.
    unitBaselineRun?.catch(() => {});
    // Every variant of the options the chosen mutants run with must pass unmutated too.
    const variants = new Map<string, SuiteOptions>([['{}', {}]]);
    for (const m of chosen) {
      const extra = extraFor(info(m));
      variants.set(JSON.stringify(extra), extra);
    }
    let baseline: WorkerReport | null = null;
    let baseSeconds = 0;
    for (const [key, extra] of variants) {
      const base =
        key === '{}'
          ? await firstBase
          : await runSuiteInWorker(slots[0]!, suiteRel, { ...common, ...extra }, opts.budgetMs ?? 30 * 60_000, controller.signal);
      if (base.kind === 'aborted') return earlyReport(baseline, true);
      if (base.kind !== 'report' || base.report.divergences.length > 0) {
        const why =
          base.kind === 'threw'
            ? base.message
            : base.kind === 'timeout'
              ? `it took longer than the per-mutant budget of ${opts.budgetMs} ms`
              : base.kind === 'report'
                ? `${base.report.divergences[0]!.check}: ${base.report.divergences[0]!.message}`
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

    const unitBaseline = await (unitBaselineRun ?? startUnitBaseline());
    if (unitBaseline === 'aborted') return earlyReport(baseline, true);
    for (const [file, tests] of testsOf)
      testsOf.set(
        file,
        tests.filter((t) => !unitTestsLeftOut.some((l) => l.startsWith(`${t}:`))),
      );
    const unitBudget = opts.budgetMs ?? Math.max(30_000, Math.ceil(unitBaseline * 3000 + 15_000));
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
        let r: MutantResult | null;
        try {
          // The suite first: fail-fast, it kills most mutants in its first trace replays, a second
          // or two; only a mutant it passes pays vitest's start-up for its unit tests.
          const outcome: Outcome = await runSuiteInWorker(
            slot,
            suiteRel,
            { ...common, budgetMs: suiteBudget, ...extraFor(info(m)) },
            budgetMs,
            controller.signal,
          );
          if (outcome.kind === 'aborted') break;
          r = suiteVerdict(m, outcome, (performance.now() - t) / 1000);
          const tests = testsOf.get(m.file) ?? [];
          if (r === null && tests.length > 0) {
            const unit = await runUnitTests(slot.dir, tests, unitBudget, controller.signal);
            if (unit.kind === 'aborted') break;
            r = unitVerdict(m, unit, (performance.now() - t) / 1000);
          }
          r ??= { mutant: info(m), status: 'survived', seconds: (performance.now() - t) / 1000 };
        } finally {
          writeFileSync(target, originals.get(m.file)!);
        }
        results.push(r);
        done++;
        progress(`[${done}/${toRun}] ${r.status}${r.killKind ? ` by ${r.killKind} (${r.killedBy})` : ''}: ${m.id} (${m.description})`);
        opts.onResult?.(r);
      }
    };
    await Promise.all(slots.map(loop));
    const phaseMinutes = (performance.now() - phaseStart) / 60_000;
    const order = new Map(chosen.map((m, i) => [m.id, i]));
    results.sort((a, b) => order.get(a.mutant.id)! - order.get(b.mutant.id)!);
    return {
      totals: totalsOf(results, (performance.now() - started) / 1000, staleRecords.length),
      mutantsPerMinute: phaseMinutes > 0 ? Math.round((done / phaseMinutes) * 10) / 10 : 0,
      results,
      notCompiling: generated.notCompiling,
      staleEquivalents,
      staleRecords,
      unitTestsLeftOut,
      baseline,
      budgetMs,
      interrupted: controller.signal.aborted,
    };
  } finally {
    controller.abort();
    await Promise.all(slots.map((s) => s.busy?.terminate()));
    // Asynchronous: rmSync takes seconds for the copies on a busy disk, rm a tenth of that (libuv's
    // thread pool), and the main thread stays free meanwhile.
    await rm(tmpBase, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    process.off('exit', removeCopy);
    process.off('SIGINT', onSigint);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/**
 * Runs the unit tests the mutants will meet on the unmutated copy; a file that fails there is left
 * out (one line in `leftOut`, `file: test: message`) and the rest run again, at most 5 rounds.
 * Resolves with the seconds of the last (passing) round, for the per-mutant budget.
 */
async function unitTestBaseline(
  slot: Slot,
  tests: string[],
  leftOut: string[],
  signal: AbortSignal,
  progress: (m: string) => void,
): Promise<number | 'aborted'> {
  let left = tests;
  for (let round = 0; left.length > 0; round++) {
    progress(`unit tests on the unmutated implementation: ${left.length} files`);
    const o = await runUnitTests(slot.dir, left, 10 * 60_000, signal);
    if (o.kind === 'aborted') return 'aborted';
    if (o.kind === 'passed') return o.seconds;
    if (o.kind !== 'failed' || round >= 4)
      throw new MutateError(
        `the unit tests fail on the unmutated implementation (${o.kind === 'failed' ? `${o.test}: ${o.message}` : o.kind === 'crashed' ? o.message : 'over 10 minutes'}), so no mutant can be judged by them`,
      );
    const file = o.test.split(' > ')[0]!;
    leftOut.push(`${file}: fails unmutated (${o.test}: ${o.message}), left out`);
    left = left.filter((t) => t !== file);
  }
  return 0;
}
