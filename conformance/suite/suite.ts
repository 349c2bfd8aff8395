// The conformance suite a refactor runs (`dax-model conform`, and each mutant in `dax-model
// mutate`): replay the committed TLC trace corpus, run fast-check executions validated step by step
// against the spec, and replay every variant's committed counterexample; each phase is its own
// function (trace-replays.ts, fast-check-rounds.ts), adding to one SuiteTally.
import { LABELS, type FsProfileName } from '../../impl/index.ts';
import { tlcUnavailableReason, type EngineChoice } from '../../lib/check/check.ts';
import { releaseConfigName, ReleaseScope, resolveRelease } from '../model/release-model.ts';
import { REGRESSIONS_DIR } from '../replay/counterexample-replay.ts';
import { FAST_CHECK_CONFIGS } from '../executions/fast-check-configs.ts';
import { DEFAULT_MAX_STEPS } from '../executions/executions.ts';
import { TRACES_DIR } from './suite-inputs.ts';
import { SuiteTally, type FastCheckSeed, type SuiteDivergence } from './suite-tally.ts';
import { replayCorpus, replayCounterexamples } from './trace-replays.ts';
import { FastCheckRounds, mainRounds, smallConfigRounds, smallConfigsToRun, type MainRounds } from './fast-check-rounds.ts';
import type { SuiteModule } from './contract.ts';

export { ConformanceInputError } from './suite-inputs.ts';
export type { FastCheckFailure } from './suite-tally.ts';

/** The conformance run's seed when none is given (`conform --seed`). */
export const DEFAULT_SEED = 20260425;

/** What to run; every part is on by default. */
export interface ConformanceOptions {
  /** fast-check runs (0 turns fast-check off). Default 100. */
  fastCheckRuns?: number;
  /** The run's seed, default 20260425: each config and profile runs fast-check with a seed derived
   *  from it (deriveSeed), reported in `fastCheckSeeds`, so that they explore different schedules. */
  seed?: number;
  /** Replay one fast-check execution instead: fast-check's `path` of a failure, with `seed` its
   *  own seed (the derived one a failure reports, used as it is) on `config` (one profile or
   *  both). Corpus, counterexample, variant and TLC batch checks are off. */
  replayPath?: string;
  /** Longest generated schedule. Default DEFAULT_MAX_STEPS (executions/run.ts). */
  maxSteps?: number;
  /** The configs whose constants fast-check executions use, `fastCheckRuns` runs each. Default
   *  FAST_CHECK_CONFIGS. */
  configs?: readonly string[];
  /** One config for fast-check instead of `configs`. */
  config?: string;
  /** Stop fast-check this long (ms) after the suite started, whichever config and profile it is at. */
  budgetMs?: number;
  /** Replay the committed trace corpus. Default true. */
  corpus?: boolean;
  /** Replay the committed variant counterexamples. Default true. */
  cexReplays?: boolean;
  /** Whose code paths the implementation runs, on every config whose Bugs that profile has (ext4
   *  lacks RetryOnlyOnSleep). Default: each config once, a kernel-history config under its
   *  version's profile and every other under XFS (release-model.ts suiteProfiles). */
  profile?: FsProfileName;
  /** fast-check runs per profile on each small config (smallConfigs: the feature configs, every
   *  variant and every kernel version of the history table), validated against that config's own
   *  state graph: the switches' and features' code paths are implementation too, and a committed
   *  counterexample is one path through each. Default 25; 0 turns them off. */
  variantRuns?: number;
  /** Stop at the first check that finds a divergence (mutation testing needs one, not all). */
  failFast?: boolean;
  /** Also validate the fast-check executions with TLC, as one batch (spec/TraceDaxDma.tla).
   *  Default: when TLC is found. */
  tlcBatch?: boolean;
  /** Which engine builds the state graphs and whether TLC validates the batch: 'embedded' keeps
   *  TLC out entirely, 'tlc' insists on it; default 'auto' (TLC when it is found). */
  engine?: EngineChoice;
  onProgress?: (msg: string) => void;
  /** Aborting it (Ctrl-C) stops the suite within a fraction of a second: TLC and engine workers
   *  are killed, and runConformance rejects with InterruptedError. */
  signal?: AbortSignal;
  /** Where the trace corpus (manifest.json and its files) is; default conformance/traces/. */
  corpusDir?: string;
  /** Where the committed counterexamples (*.cex.json) are; default conformance/regressions/. */
  regressionsDir?: string;
  /** Run as this kernel version of impl/releases.ts: the implementation is built from its table
   *  (bugs, profile, idle refcount, features) and every check uses only configs whose Bugs,
   *  IdleRef and Features are the version's; fast-check runs on its history config by default.
   *  What does not apply (the corpus of merged-protocol traces, other variants) is listed in
   *  the report's `notApplicable`. */
  kernel?: string;
}

export interface ConformanceReport {
  traces: number;
  steps: number;
  actionsCovered: number;
  actionsTotal: number;
  /** Actions of the spec no replay or execution took. */
  actionsMissing: string[];
  fastCheckRuns: number;
  fastCheckSeed: number;
  /** The seed each config and profile ran fast-check with (derived from fastCheckSeed). */
  fastCheckSeeds: FastCheckSeed[];
  /** Executions TLC validated as a batch, and how many it accepted; null when TLC did not run. */
  tlcBatch: MainRounds['tlcBatch'];
  divergences: SuiteDivergence[];
  /** Steps over the time spent replaying and validating them: state graphs built and the TLC
   *  batch are not counted in. */
  stepsPerSecond: number;
  /** The time spent replaying and validating steps. */
  validationSeconds: number;
  seconds: number;
  /** The kernel version the suite ran as, or null. */
  kernel: string | null;
  /** The checks left out because their configs are not the kernel version's, one line each. */
  notApplicable: string[];
  /** The state graph of each config fast-check ran on. */
  stateGraphs: MainRounds['stateGraphs'];
}

/** Runs the suite and reports; never throws for a divergence (only for unusable inputs, and
 *  InterruptedError when `signal` aborts it). */
export async function runConformance(opts: ConformanceOptions = {}): Promise<ConformanceReport> {
  const started = performance.now();
  const kernel = resolveRelease(opts.kernel, opts.profile);
  const tally = new SuiteTally(
    new ReleaseScope(kernel),
    kernel ? kernel.profile : opts.profile,
    opts.failFast === true,
    opts.onProgress ?? (() => {}),
  );
  const replaying = opts.replayPath !== undefined;
  const seed = opts.seed ?? DEFAULT_SEED;
  const runs = opts.fastCheckRuns ?? 100;
  const rounds = new FastCheckRounds(tally, {
    seed,
    runs,
    maxSteps: opts.maxSteps ?? DEFAULT_MAX_STEPS,
    ...(replaying ? { replayPath: opts.replayPath } : {}),
    ...(opts.budgetMs ? { deadline: started + opts.budgetMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.engine === undefined || opts.engine === 'auto' ? {} : { engine: opts.engine }),
    ...(kernel ? { kernel: kernel.version } : {}),
  });
  const configs =
    opts.config !== undefined ? [opts.config] : (opts.configs ?? (kernel ? [releaseConfigName(kernel.version)] : FAST_CHECK_CONFIGS));
  const tlcBatch =
    !replaying && (opts.tlcBatch ?? (opts.engine === 'embedded' ? false : opts.engine === 'tlc' || tlcUnavailableReason() === null));
  const variantRuns = replaying ? 0 : (opts.variantRuns ?? 25);

  // Every graph the rounds below will load starts now, two at a time, in their order: the corpus
  // replay and each round's fast-check run on this thread while the next graphs build. Not when
  // the suite may stop early (failFast, a budget) or replays one path: graphs it would not use.
  if (!replaying && !opts.failFast && opts.budgetMs === undefined) {
    const mainConfigs = runs > 0 ? configs : [];
    const small = variantRuns > 0 ? smallConfigsToRun(mainConfigs).filter((c) => tally.scope.constants(c) !== null) : [];
    rounds.prefetch([...mainConfigs, ...small]);
  }
  if (opts.corpus !== false && !replaying) await replayCorpus(tally, opts.corpusDir ?? TRACES_DIR, opts.signal);
  let main: MainRounds = { tlcBatch: null, stateGraphs: [] };
  if (runs > 0 && !tally.stop())
    main = await mainRounds(tally, rounds, configs, { tlcBatch, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (variantRuns > 0 && !tally.stop()) await smallConfigRounds(tally, rounds, variantRuns, runs > 0 ? configs : []);
  if (opts.cexReplays !== false && !replaying && !tally.stop())
    await replayCounterexamples(tally, opts.regressionsDir ?? REGRESSIONS_DIR, opts.signal);

  const missing = LABELS.filter((l) => !tally.covered.has(l));
  return {
    traces: tally.traces,
    steps: tally.steps,
    actionsCovered: LABELS.length - missing.length,
    actionsTotal: LABELS.length,
    actionsMissing: missing,
    fastCheckRuns: tally.fastCheckRuns,
    fastCheckSeed: seed,
    fastCheckSeeds: tally.fastCheckSeeds,
    tlcBatch: main.tlcBatch,
    divergences: tally.divergences,
    stepsPerSecond: tally.validationSeconds > 0 ? Math.round(tally.steps / tally.validationSeconds) : 0,
    validationSeconds: tally.validationSeconds,
    seconds: (performance.now() - started) / 1000,
    kernel: kernel?.version ?? null,
    notApplicable: tally.notApplicable(),
    stateGraphs: main.stateGraphs,
  };
}

// dax-model mutate's default suite (conformance/index.ts): the contract it is called through.
runConformance satisfies SuiteModule['runConformance'];
