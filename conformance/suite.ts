// The conformance suite a refactor runs (`dax-model conform`, and each mutant in `dax-model
// mutate`): replay the committed TLC trace corpus, run fast-check executions validated step by step
// against the spec, and replay every variant's committed counterexample.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LABELS } from '../impl/index.ts';
import { configFile, loadManifest, specFile } from '../tools/check/manifest.ts';
import { formatCounterexample } from '../tools/report/counterexample.ts';
import { readModelConstants, type ModelConstants } from './model-constants.ts';
import { readSavedCounterexample, REGRESSIONS_DIR, reproduce } from './counterexample-replay.ts';
import { fastCheckConformance, type ShrunkFailure } from './fast-check-run.ts';
import { GraphOracle } from './oracle/graph-oracle.ts';
import { formatDivergence, replayTrace } from './replay.ts';
import { validateBatchWithTlc } from './tlc-batch.ts';
import type { Execution } from './executions.ts';
import type { TlaState } from '../tools/values/value.ts';
import { tlcUnavailableReason } from '../tools/check/check.ts';
import { loadTraceSchema, readTraceFile, type TraceSchema } from './trace-formats/index.ts';

/** What to run; every part is on by default. */
export interface ConformanceOptions {
  /** fast-check runs (0 turns fast-check off). Default 100. */
  fastCheckRuns?: number;
  /** fast-check seed; printed so that a failure can be reproduced. Default 20260425. */
  seed?: number;
  /** Longest generated schedule. Default 60. */
  maxSteps?: number;
  /** The config whose constants fast-check executions use. Default 'smoke'. */
  config?: string;
  /** Stop fast-check after this long (ms). */
  budgetMs?: number;
  /** Replay the committed trace corpus. Default true. */
  corpus?: boolean;
  /** Replay the committed variant counterexamples. Default true. */
  cexReplays?: boolean;
  profile?: 'xfs' | 'ext4';
  /** Also validate the fast-check executions with TLC, as one batch (spec/TraceDaxDma.tla).
   *  Default: when TLC is found. */
  tlcBatch?: boolean;
  onProgress?: (msg: string) => void;
}

/** One thing the suite found wrong. */
export interface SuiteDivergence {
  /** Which check: "corpus", "fast-check", "cex:<config>". */
  check: string;
  /** One line. */
  message: string;
  /** More lines: the per-variable diff, or the shrunk schedule as a counterexample. */
  details?: string[];
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
  /** Executions TLC validated as a batch, and how many it accepted; null when TLC did not run. */
  tlcBatch: { executions: number; accepted: number; seconds: number } | null;
  divergences: SuiteDivergence[];
  stepsPerSecond: number;
  seconds: number;
}

/** The committed corpus: conformance/traces/manifest.json and its ITF files. */
const TRACES_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'traces');

interface CorpusTrace {
  file: string;
  config: string;
}

function corpusTraces(): CorpusTrace[] {
  const manifestFile = path.join(TRACES_DIR, 'manifest.json');
  if (!existsSync(manifestFile)) return [];
  const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as { traces: CorpusTrace[] };
  return m.traces.map((t) => ({ file: path.join(TRACES_DIR, t.file), config: t.config }));
}

function savedCounterexamples(): string[] {
  if (!existsSync(REGRESSIONS_DIR)) return [];
  return readdirSync(REGRESSIONS_DIR).filter((f) => f.endsWith('.cex.json')).sort().map((f) => path.join(REGRESSIONS_DIR, f));
}

function shrunkDetails(f: ShrunkFailure): string[] {
  return [
    `shrunk schedule (${f.length} steps, fast-check seed ${f.seed}, path "${f.path}"): picks [${f.picks.join(', ')}]`,
    ...formatCounterexample(f.counterexample, { indent: '  ' }),
  ];
}

/** Runs the suite and reports; never throws for a divergence (only for unusable inputs). */
export async function runConformance(opts: ConformanceOptions = {}): Promise<ConformanceReport> {
  const started = performance.now();
  const progress = opts.onProgress ?? (() => {});
  const divergences: SuiteDivergence[] = [];
  const covered = new Set<string>();
  let steps = 0;
  let traces = 0;

  if (opts.corpus !== false) {
    const schemas = new Map<string, TraceSchema>();
    const constants = new Map<string, ModelConstants>();
    const list = corpusTraces();
    for (const t of list) {
      if (!schemas.has(t.config)) {
        schemas.set(t.config, loadTraceSchema({ specFile: specFile(loadManifest()), configFile: configFile(t.config), shapes: false }));
        constants.set(t.config, readModelConstants(t.config));
      }
      const trace = readTraceFile(t.file, schemas.get(t.config)!);
      const r = replayTrace(trace.steps, constants.get(t.config)!, { source: path.basename(t.file), ...(opts.profile ? { profile: opts.profile } : {}) });
      traces++;
      steps += r.steps;
      for (const s of trace.steps.slice(1, r.ok ? undefined : r.steps + 1)) if (s.action) covered.add(s.action);
      if (!r.ok) {
        const [head, ...rest] = formatDivergence(r.divergence!);
        divergences.push({ check: 'corpus', message: `${path.basename(t.file)}: ${head}`, details: rest });
      }
      if (traces % 25 === 0) progress(`corpus: ${traces} of ${list.length} traces replayed`);
    }
    progress(`corpus: ${traces} traces, ${steps} steps replayed`);
  }

  const runs = opts.fastCheckRuns ?? 100;
  const seed = opts.seed ?? 20260425;
  let fastCheckRuns = 0;
  const collectForTlc = opts.tlcBatch ?? tlcUnavailableReason() === null;
  const executions: TlaState[][] = [];
  let tlcBatch: ConformanceReport['tlcBatch'] = null;
  if (runs > 0) {
    const config = opts.config ?? 'smoke';
    const oracle = new GraphOracle(config);
    const constants = readModelConstants(config);
    progress(`fast-check: ${runs} runs on ${config} (seed ${seed}), state graph of ${oracle.graph.stateCount} states`);
    const fcOut = fastCheckConformance({
      constants,
      oracle,
      runs,
      seed,
      maxSteps: opts.maxSteps ?? 60,
      ...(opts.budgetMs ? { timeLimitMs: opts.budgetMs } : {}),
      ...(opts.profile ? { profile: opts.profile } : {}),
      onStep: (label) => covered.add(label),
      ...(collectForTlc ? { onExecution: (ex: Execution) => { if (executions.length < 200) executions.push([ex.init, ...ex.steps.map((x) => x.after)]); } } : {}),
    });
    fastCheckRuns = fcOut.runs;
    steps += fcOut.steps;
    if (fcOut.failure) {
      divergences.push({ check: 'fast-check', message: `step ${fcOut.failure.failure.step}: ${fcOut.failure.failure.message}`, details: shrunkDetails(fcOut.failure) });
    }
    progress(`fast-check: ${fcOut.runs} runs, ${fcOut.steps} steps validated`);
    if (collectForTlc && executions.length > 0) {
      // TLC as a second, independent oracle: one start for the whole batch.
      progress(`TLC: validating ${executions.length} executions as one batch`);
      const b = await validateBatchWithTlc(executions, constants);
      if (b.tlc.verdict === 'error') {
        divergences.push({ check: 'tlc-batch', message: `TLC could not validate the batch: ${b.tlc.error?.message}` });
      } else {
        const rejected = b.verdicts.filter((v) => !v.accepted);
        for (const v of rejected.slice(0, 3)) {
          divergences.push({ check: 'tlc-batch', message: `TLC rejects execution ${v.trace}: it matches the spec for ${v.reached} of ${v.states} states` });
        }
        tlcBatch = { executions: executions.length, accepted: b.verdicts.length - rejected.length, seconds: b.seconds };
      }
    }
  }

  if (opts.cexReplays !== false) {
    for (const file of savedCounterexamples()) {
      const saved = readSavedCounterexample(file);
      const r = reproduce(saved.config, saved.expected, saved.counterexample);
      steps += r.steps;
      for (const s of saved.counterexample.steps.slice(1, r.steps + 1)) if (s.action) covered.add(s.action);
      if (!r.replayed) {
        const [head, ...rest] = formatDivergence(r.divergence!);
        divergences.push({ check: `cex:${saved.config}`, message: head!, details: rest });
      } else if (!r.reproduced) {
        divergences.push({ check: `cex:${saved.config}`, message: `the implementation followed the counterexample but did not reach ${saved.expected}`, details: r.evidence });
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
    tlcBatch,
    divergences,
    stepsPerSecond: seconds > 0 ? Math.round(steps / seconds) : 0,
    seconds,
  };
}
