// The conformance suite a refactor runs (`dax-model conform`, and each mutant in `dax-model
// mutate`): replay the committed TLC trace corpus, run fast-check executions validated step by step
// against the spec, and replay every variant's committed counterexample.
import path from 'node:path';
import { LABELS, type FsProfileName } from '../../impl/index.ts';
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { formatCounterexample } from '../../lib/report/counterexample.ts';
import type { ModelConstants } from '../model/model.ts';
import { releaseConfigName, ReleaseScope, resolveRelease, suiteProfiles } from '../model/release-model.ts';
import { readSavedCounterexample, REGRESSIONS_DIR, reproduce } from '../replay/counterexample-replay.ts';
import { expectsViolation, FAST_CHECK_CONFIGS, smallConfigs } from '../executions/fast-check-configs.ts';
import {
  fastCheckConformanceAsync,
  type FastCheckOptions,
  type FastCheckOutcome,
  type ShrunkFailure,
} from '../executions/fast-check-run.ts';
import { InterruptedError, interruptionPoint } from '../../lib/interrupt.ts';
import { GraphOracle } from '../oracle/graph-oracle.ts';
import { StateGraph } from '../oracle/state-graph.ts';
import { formatDivergence, replayTrace } from '../replay/replay.ts';
import { validateBatchWithTlc } from '../oracle/tlc-batch.ts';
import { DEFAULT_MAX_STEPS, type Execution } from '../executions/executions.ts';
import type { TlaState } from '../../lib/values/value.ts';
import { tlcUnavailableReason, type EngineChoice } from '../../lib/check/check.ts';
import { loadTraceSchema, readTraceFile, type TraceSchema } from '../trace-formats/index.ts';
import { corpusTraces, deriveSeed, namingFile, savedCounterexamples, TRACES_DIR, type Profile } from './suite-inputs.ts';

export { ConformanceInputError, deriveSeed, type Profile } from './suite-inputs.ts';
export { FAST_CHECK_CONFIGS } from '../executions/fast-check-configs.ts';

/** What to run; every part is on by default. */
/** The conformance run's seed when none is given (`conform --seed`). */
export const DEFAULT_SEED = 20260425;

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
  /** Longest generated schedule. Default DEFAULT_MAX_STEPS (executions.ts). */
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

/** A fast-check failure, with what reproduces it. */
export interface FastCheckFailure {
  config: string;
  profile: Profile;
  /** fast-check's own seed and path: `conform --config C --profile P --seed S --path PATH`. */
  seed: number;
  path: string;
  maxSteps: number;
  shrunk: ShrunkFailure;
  /** The kernel version the run was built as, if any: the replay commands name it. */
  kernel?: string;
}

/** One thing the suite found wrong. */
export interface SuiteDivergence {
  /** Which check: "corpus", "fast-check", "cex:<config>". */
  check: string;
  /** One line. */
  message: string;
  /** More lines: the per-variable diff, or the shrunk schedule as a counterexample. */
  details?: string[];
  /** For a fast-check failure: the shrunk schedule and how to replay it. */
  fastCheck?: FastCheckFailure;
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
  fastCheckSeeds: { config: string; profile: Profile; seed: number; variant: boolean }[];
  /** Executions TLC validated as a batch, and how many it accepted; null when TLC did not run. */
  tlcBatch: { executions: number; accepted: number; seconds: number } | null;
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
  stateGraphs: { config: string; states: number; edges: number }[];
}

function shrunkDetails(f: ShrunkFailure): string[] {
  return [
    `shrunk schedule (${f.length} steps, fast-check seed ${f.seed}, path "${f.path}"): picks [${f.picks.join(', ')}]`,
    ...formatCounterexample(f.counterexample, { indent: '  ' }),
  ];
}

/** The time `work` takes is added to `clock.seconds`. */
function timed<T>(clock: { seconds: number }, work: () => T): T {
  const t = performance.now();
  try {
    return work();
  } finally {
    clock.seconds += (performance.now() - t) / 1000;
  }
}

/** Runs the suite and reports; never throws for a divergence (only for unusable inputs, and
 *  InterruptedError when `signal` aborts it). */
export async function runConformance(opts: ConformanceOptions = {}): Promise<ConformanceReport> {
  const started = performance.now();
  const progress = opts.onProgress ?? (() => {});
  const divergences: SuiteDivergence[] = [];
  const covered = new Set<string>();
  let steps = 0;
  let traces = 0;
  const validation = { seconds: 0 };
  const fastCheckSeeds: ConformanceReport['fastCheckSeeds'] = [];
  const kernel = resolveRelease(opts.kernel, opts.profile);
  const chosen: Profile | undefined = kernel ? kernel.profile : opts.profile;
  const scope = new ReleaseScope(kernel);
  // Each config runs once, under the profile suiteProfiles picks; what it leaves out is reported.
  const leftOut = new Set<string>();
  const profilesOf = (c: ModelConstants): readonly Profile[] => {
    const r = suiteProfiles(c, chosen);
    for (const l of r.left) leftOut.add(l);
    return r.profiles;
  };
  // Names the profile in a message only when the run did not choose one.
  const tag = (profile: Profile): string => (chosen ? '' : ` [${profile}]`);

  const replaying = opts.replayPath !== undefined;
  if (opts.corpus !== false && !replaying) {
    const schemas = new Map<string, TraceSchema>();
    const constants = new Map<string, ModelConstants | null>();
    const list = corpusTraces(opts.corpusDir ?? TRACES_DIR);
    for (const t of list) {
      if (opts.failFast && divergences.length > 0) break;
      await interruptionPoint(opts.signal);
      if (!constants.has(t.config))
        constants.set(
          t.config,
          namingFile(t.file, () => scope.constants(t.config)),
        );
      if (constants.get(t.config) === null) {
        scope.skip('trace corpus', t.config, 'traces not replayed');
        continue;
      }
      if (!schemas.has(t.config)) {
        namingFile(t.file, () =>
          schemas.set(t.config, loadTraceSchema({ specFile: specFile(loadManifest()), configFile: configFile(t.config), shapes: false })),
        );
      }
      const trace = readTraceFile(t.file, schemas.get(t.config)!);
      for (const profile of profilesOf(constants.get(t.config)!)) {
        const r = timed(validation, () =>
          namingFile(t.file, () => replayTrace(trace.steps, constants.get(t.config)!, { source: path.basename(t.file), profile })),
        );
        traces++;
        steps += r.steps;
        for (const s of trace.steps.slice(1, r.ok ? undefined : r.steps + 1)) if (s.action) covered.add(s.action);
        if (!r.ok) {
          const [head, ...rest] = formatDivergence(r.divergence!);
          divergences.push({ check: 'corpus', message: `${path.basename(t.file)}${tag(profile)}: ${head}`, details: rest });
        }
      }
      if (traces % 25 === 0) progress(`corpus: ${traces} trace replays of ${list.length} traces done`);
    }
    progress(`corpus: ${traces} traces, ${steps} steps replayed`);
  }

  const runs = opts.fastCheckRuns ?? 100;
  const seed = opts.seed ?? DEFAULT_SEED;
  let fastCheckRuns = 0;
  const collectForTlc =
    !replaying && (opts.tlcBatch ?? (opts.engine === 'embedded' ? false : opts.engine === 'tlc' || tlcUnavailableReason() === null));
  const graphEngine = opts.engine === undefined || opts.engine === 'auto' ? {} : { engine: opts.engine };
  const signal = opts.signal ? { signal: opts.signal } : {};
  const oracleFor = async (config: string): Promise<GraphOracle> =>
    new GraphOracle(config, await StateGraph.load(config, { ...graphEngine, onProgress: progress, ...signal }));
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  /** One fast-check round on a config and profile; a failure becomes a divergence. */
  const round = async (
    config: string,
    profile: Profile,
    oracle: GraphOracle,
    constants: ModelConstants,
    check: string,
    extra: Partial<FastCheckOptions>,
  ): Promise<FastCheckOutcome> => {
    const fcSeed = replaying ? seed : deriveSeed(seed, config, profile);
    fastCheckSeeds.push({ config, profile, seed: fcSeed, variant: expectsViolation(config) });
    const fcOut = await fastCheckConformanceAsync({
      ...signal,
      constants,
      oracle,
      runs,
      seed: fcSeed,
      maxSteps,
      // A variant's or old kernel's corruption and WARN are what its graph allows, not divergences.
      eventsFail: !expectsViolation(config),
      ...(replaying ? { path: opts.replayPath! } : {}),
      // The budget bounds all rounds together: what earlier rounds left.
      ...(opts.budgetMs ? { timeLimitMs: Math.max(1, Math.round(started + opts.budgetMs - performance.now())) } : {}),
      profile,
      onStep: (label) => covered.add(label),
      ...extra,
    });
    validation.seconds += fcOut.seconds;
    fastCheckRuns += fcOut.runs;
    steps += fcOut.steps;
    const f = fcOut.failure;
    if (f) {
      divergences.push({
        check,
        message: `${config}${tag(profile)} step ${f.failure.step}: ${f.failure.message}`,
        details: shrunkDetails(f),
        fastCheck: { config, profile, seed: f.seed, path: f.path, maxSteps, shrunk: f, ...(kernel ? { kernel: kernel.version } : {}) },
      });
    }
    return fcOut;
  };
  let tlcBatch: ConformanceReport['tlcBatch'] = null;
  const stateGraphs: ConformanceReport['stateGraphs'] = [];
  const stop = (): boolean => opts.failFast === true && divergences.length > 0;
  const mainConfigs =
    opts.config !== undefined ? [opts.config] : (opts.configs ?? (kernel ? [releaseConfigName(kernel.version)] : FAST_CHECK_CONFIGS));
  if (runs > 0 && !stop()) {
    for (const config of mainConfigs) {
      if (stop()) break;
      // A config named together with a kernel version must be that version's.
      const constants = scope.required(config);
      const oracle = await oracleFor(config);
      stateGraphs.push({ config, states: oracle.graph.stateCount, edges: oracle.graph.edgeCount });
      const batch: TlaState[][] = [];
      for (const profile of profilesOf(constants)) {
        if (stop()) break;
        progress(
          `fast-check: ${replaying ? `replaying path ${opts.replayPath}` : `${runs} runs`} on ${config}${tag(profile)}, state graph of ${oracle.graph.stateCount} states`,
        );
        const fcOut = await round(
          config,
          profile,
          oracle,
          constants,
          'fast-check',
          collectForTlc
            ? {
                onExecution: (ex: Execution) => {
                  if (batch.length < 200) batch.push([ex.init, ...ex.steps.map((x) => x.after)]);
                },
              }
            : {},
        );
        progress(`fast-check: ${fcOut.runs} runs on ${config}${tag(profile)}, ${fcOut.steps} steps validated`);
      }
      if (collectForTlc && batch.length > 0 && !stop()) {
        // TLC as a second, independent oracle: one start per config for the whole batch.
        progress(`TLC: validating ${batch.length} executions on ${config} as one batch`);
        const b = await validateBatchWithTlc(batch, constants, { tlc: signal });
        if (opts.signal?.aborted) throw new InterruptedError('TLC batch validation interrupted');
        if (b.tlc.verdict === 'error') {
          divergences.push({ check: 'tlc-batch', message: `TLC could not validate the ${config} batch: ${b.tlc.error?.message}` });
        } else {
          const rejected = b.verdicts.filter((v) => !v.accepted);
          for (const v of rejected.slice(0, 3)) {
            divergences.push({
              check: 'tlc-batch',
              message: `TLC rejects ${config} execution ${v.trace}: it matches the spec for ${v.reached} of ${v.states} states`,
            });
          }
          const sum: NonNullable<ConformanceReport['tlcBatch']> = (tlcBatch as ConformanceReport['tlcBatch']) ?? {
            executions: 0,
            accepted: 0,
            seconds: 0,
          };
          tlcBatch = {
            executions: sum.executions + batch.length,
            accepted: sum.accepted + b.verdicts.length - rejected.length,
            seconds: sum.seconds + b.seconds,
          };
        }
      }
    }
  }

  const variantRuns = replaying ? 0 : (opts.variantRuns ?? 25);
  if (variantRuns > 0 && !stop()) {
    // A config the main rounds ran (a kernel version's own) is not run again with fewer runs.
    const ranAbove = new Set(runs > 0 ? mainConfigs.map((c) => path.basename(c, '.cfg')) : []);
    for (const config of smallConfigs().filter((c) => !ranAbove.has(c))) {
      const constants = scope.constants(config);
      if (constants === null) {
        scope.skip('small configs', config, 'not run');
        continue;
      }
      const oracle = await oracleFor(config);
      for (const profile of profilesOf(constants)) {
        if (stop()) break;
        await round(config, profile, oracle, constants, `variant:${config}`, { runs: variantRuns });
      }
    }
    progress(`fast-check: ${variantRuns} runs on each variant, kernel-version and feature config done`);
  }

  if (opts.cexReplays !== false && !replaying && !stop()) {
    for (const file of savedCounterexamples(opts.regressionsDir ?? REGRESSIONS_DIR)) {
      if (stop()) break;
      await interruptionPoint(opts.signal);
      const saved = readSavedCounterexample(file);
      const constants = namingFile(file, () => scope.constants(saved.config));
      if (constants === null) {
        scope.skip('committed counterexamples', saved.config, 'not replayed');
        continue;
      }
      for (const profile of profilesOf(constants)) {
        const r = timed(validation, () =>
          namingFile(file, () => reproduce(saved.config, saved.expected, saved.counterexample, constants, { profile })),
        );
        steps += r.steps;
        for (const s of saved.counterexample.steps.slice(1, r.steps + 1)) if (s.action) covered.add(s.action);
        if (!r.replayed) {
          const [head, ...rest] = formatDivergence(r.divergence!);
          divergences.push({
            check: `cex:${saved.config}`,
            message: `${tag(profile).trimStart()}${tag(profile) ? ': ' : ''}${head!}`,
            details: rest,
          });
        } else if (!r.reproduced) {
          divergences.push({
            check: `cex:${saved.config}`,
            message: `${tag(profile).trimStart()}${tag(profile) ? ': ' : ''}the implementation followed the counterexample but did not reach ${saved.expected}`,
            details: r.evidence,
          });
        }
      }
    }
    progress('counterexample replays done');
  }

  const seconds = (performance.now() - started) / 1000;
  const missing = LABELS.filter((l) => !covered.has(l));
  return {
    traces,
    steps,
    actionsCovered: LABELS.length - missing.length,
    actionsTotal: LABELS.length,
    actionsMissing: missing,
    fastCheckRuns,
    fastCheckSeed: seed,
    fastCheckSeeds,
    tlcBatch,
    divergences,
    stepsPerSecond: validation.seconds > 0 ? Math.round(steps / validation.seconds) : 0,
    validationSeconds: validation.seconds,
    seconds,
    kernel: kernel?.version ?? null,
    notApplicable: [...scope.notApplicable(), ...leftOut],
    stateGraphs,
  };
}
