// The suite's implementation -> spec phases: fast-check rounds on the main configs (with TLC's
// batch check of their executions), then fewer runs on each small config against its own state
// graph. A round's failure becomes a divergence in the SuiteTally, with the seed and path to replay.
import path from 'node:path';
import type { EngineChoice } from '../../lib/check/check.ts';
import { InterruptedError } from '../../lib/interrupt.ts';
import { formatCounterexample } from '../../lib/report/counterexample.ts';
import type { TlaState } from '../../lib/values/value.ts';
import type { ModelConstants } from '../model/model.ts';
import { GraphOracle } from '../oracle/graph-oracle.ts';
import { type GraphLoadOptions, StateGraph } from '../oracle/state-graph.ts';
import { validateBatchWithTlc } from '../oracle/tlc-batch.ts';
import { expectsViolation, smallConfigs } from '../executions/fast-check-configs.ts';
import {
  fastCheckConformanceAsync,
  type FastCheckOptions,
  type FastCheckOutcome,
  type ShrunkFailure,
} from '../executions/fast-check-run.ts';
import type { Execution } from '../executions/executions.ts';
import { deriveSeed, type Profile } from './suite-inputs.ts';
import type { SuiteTally } from './suite-tally.ts';

/** How every round of one suite run is set up. */
export interface RoundSettings {
  /** The run's seed: each config and profile runs with one derived from it (deriveSeed). */
  seed: number;
  runs: number;
  maxSteps: number;
  /** Replay this fast-check path, `seed` used as it is. */
  replayPath?: string;
  /** performance.now() after which no round keeps looking (the budget bounds all rounds together). */
  deadline?: number;
  signal?: AbortSignal;
  /** Which engine builds the state graphs; undefined lets StateGraph choose (TLC when found). */
  engine?: Exclude<EngineChoice, 'auto'>;
  /** The kernel version the implementation is built as: a failure's replay commands name it. */
  kernel?: string;
}

/** Runs fast-check rounds, each adding its runs, steps, seed and failure to the tally. */
export class FastCheckRounds {
  constructor(
    private readonly tally: SuiteTally,
    readonly settings: RoundSettings,
  ) {}

  /** How this suite's graphs are loaded (oracleFor and prefetch must agree, or a prefetched
   *  graph is not taken over). */
  private loadOptions(): GraphLoadOptions {
    const { engine, signal } = this.settings;
    return { ...(engine ? { engine } : {}), onProgress: this.tally.progress, ...(signal ? { signal } : {}) };
  }

  /** The oracle for a config: its state graph, built or read from the cache. */
  async oracleFor(config: string): Promise<GraphOracle> {
    return new GraphOracle(config, await StateGraph.load(config, this.loadOptions()));
  }

  /** Starts loading the graphs the rounds will ask for, in the order they will (StateGraph.prefetch):
   *  the next ones build while fast-check runs on the first. */
  prefetch(configs: readonly string[]): void {
    StateGraph.prefetch(configs, this.loadOptions());
  }

  /** One fast-check round on a config and profile; a failure becomes a divergence of `check`. */
  async round(
    config: string,
    profile: Profile,
    oracle: GraphOracle,
    constants: ModelConstants,
    check: string,
    extra: Pick<Partial<FastCheckOptions>, 'runs' | 'onExecution'> = {},
  ): Promise<FastCheckOutcome> {
    const { seed, runs, maxSteps, replayPath, deadline, signal, kernel } = this.settings;
    const tally = this.tally;
    const fcSeed = replayPath !== undefined ? seed : deriveSeed(seed, config, profile);
    tally.fastCheckSeeds.push({ config, profile, seed: fcSeed, variant: expectsViolation(config) });
    const fcOut = await fastCheckConformanceAsync({
      ...(signal ? { signal } : {}),
      constants,
      oracle,
      runs,
      seed: fcSeed,
      maxSteps,
      // A variant's or old kernel's corruption and WARN are what its graph allows, not divergences.
      eventsFail: !expectsViolation(config),
      ...(replayPath !== undefined ? { path: replayPath } : {}),
      ...(deadline !== undefined ? { timeLimitMs: Math.max(1, Math.round(deadline - performance.now())) } : {}),
      profile,
      onStep: (label) => tally.covered.add(label),
      ...extra,
    });
    tally.validationSeconds += fcOut.seconds;
    tally.fastCheckRuns += fcOut.runs;
    tally.steps += fcOut.steps;
    const f = fcOut.failure;
    if (f) {
      tally.divergences.push({
        check,
        message: `${config}${tally.tag(profile)} step ${f.failure.step}: ${f.failure.message}`,
        details: shrunkDetails(f),
        fastCheck: { config, profile, seed: f.seed, path: f.path, maxSteps, shrunk: f, ...(kernel ? { kernel } : {}) },
      });
    }
    return fcOut;
  }
}

function shrunkDetails(f: ShrunkFailure): string[] {
  return [
    `shrunk schedule (${f.length} steps, fast-check seed ${f.seed}, path "${f.path}"): picks [${f.picks.join(', ')}]`,
    ...formatCounterexample(f.counterexample, { indent: '  ' }),
  ];
}

type TlcBatchSummary = { executions: number; accepted: number; seconds: number };

/** What the main rounds report besides the tally. */
export interface MainRounds {
  tlcBatch: TlcBatchSummary | null;
  stateGraphs: { config: string; states: number; edges: number }[];
}

/** Executions of one config kept for TLC's batch. */
const TLC_BATCH_SIZE = 200;

/** The main rounds: `rounds.settings.runs` runs on each config and profile; with `tlcBatch`, TLC then
 *  validates up to TLC_BATCH_SIZE of each config's executions as one batch. */
export async function mainRounds(
  tally: SuiteTally,
  rounds: FastCheckRounds,
  configs: readonly string[],
  opts: { tlcBatch: boolean; signal?: AbortSignal },
): Promise<MainRounds> {
  const out: MainRounds = { tlcBatch: null, stateGraphs: [] };
  for (const config of configs) {
    if (tally.stop()) break;
    // A config named together with a kernel version must be that version's.
    const constants = tally.scope.required(config);
    const oracle = await rounds.oracleFor(config);
    out.stateGraphs.push({ config, states: oracle.graph.stateCount, edges: oracle.graph.edgeCount });
    const batch: TlaState[][] = [];
    const collect = opts.tlcBatch
      ? {
          onExecution: (ex: Execution) => {
            if (batch.length < TLC_BATCH_SIZE) batch.push([ex.init, ...ex.steps.map((x) => x.after)]);
          },
        }
      : {};
    for (const profile of tally.profilesOf(constants)) {
      if (tally.stop()) break;
      const { replayPath, runs } = rounds.settings;
      const what = replayPath !== undefined ? `replaying path ${replayPath}` : `${runs} runs`;
      tally.progress(`fast-check: ${what} on ${config}${tally.tag(profile)}, state graph of ${oracle.graph.stateCount} states`);
      const fcOut = await rounds.round(config, profile, oracle, constants, 'fast-check', collect);
      tally.progress(`fast-check: ${fcOut.runs} runs on ${config}${tally.tag(profile)}, ${fcOut.steps} steps validated`);
    }
    if (opts.tlcBatch && batch.length > 0 && !tally.stop()) {
      const b = await tlcBatchCheck(tally, config, batch, constants, opts.signal);
      if (b)
        out.tlcBatch = {
          executions: (out.tlcBatch?.executions ?? 0) + b.executions,
          accepted: (out.tlcBatch?.accepted ?? 0) + b.accepted,
          seconds: (out.tlcBatch?.seconds ?? 0) + b.seconds,
        };
    }
  }
  return out;
}

/** TLC as a second, independent oracle: one start per config for the whole batch. Null when TLC
 *  could not validate it (a divergence). @throws InterruptedError when `signal` aborted it. */
async function tlcBatchCheck(
  tally: SuiteTally,
  config: string,
  batch: TlaState[][],
  constants: ModelConstants,
  signal: AbortSignal | undefined,
): Promise<TlcBatchSummary | null> {
  tally.progress(`TLC: validating ${batch.length} executions on ${config} as one batch`);
  const b = await validateBatchWithTlc(batch, constants, { tlc: signal ? { signal } : {} });
  if (signal?.aborted) throw new InterruptedError('TLC batch validation interrupted');
  if (b.tlc.verdict === 'error') {
    tally.divergences.push({ check: 'tlc-batch', message: `TLC could not validate the ${config} batch: ${b.tlc.error?.message}` });
    return null;
  }
  const rejected = b.verdicts.filter((v) => !v.accepted);
  for (const v of rejected.slice(0, 3)) {
    tally.divergences.push({
      check: 'tlc-batch',
      message: `TLC rejects ${config} execution ${v.trace}: it matches the spec for ${v.reached} of ${v.states} states`,
    });
  }
  return { executions: batch.length, accepted: b.verdicts.length - rejected.length, seconds: b.seconds };
}

/** `runs` runs on each small config (smallConfigs) the main rounds did not run, under its own
 *  state graph: the switches' and features' code paths are implementation too. */
export async function smallConfigRounds(
  tally: SuiteTally,
  rounds: FastCheckRounds,
  runs: number,
  ranAbove: readonly string[],
): Promise<void> {
  for (const config of smallConfigsToRun(ranAbove)) {
    const constants = tally.scope.constants(config);
    if (constants === null) {
      tally.scope.skip('small configs', config, 'not run');
      continue;
    }
    const oracle = await rounds.oracleFor(config);
    for (const profile of tally.profilesOf(constants)) {
      if (tally.stop()) break;
      await rounds.round(config, profile, oracle, constants, `variant:${config}`, { runs });
    }
  }
  tally.progress(`fast-check: ${runs} runs on each variant, kernel-version and feature config done`);
}

/** The small configs smallConfigRounds runs after main rounds on `ranAbove`, in its order: a config
 *  the main rounds ran (a kernel version's own) is not run again with fewer runs. */
export function smallConfigsToRun(ranAbove: readonly string[]): string[] {
  const ran = new Set(ranAbove.map((c) => path.basename(c, '.cfg')));
  return smallConfigs().filter((c) => !ran.has(c));
}
