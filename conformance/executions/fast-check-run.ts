// fast-check-generated executions of the implementation, validated step by step against the spec.
// The interleaving is explicit, shrinkable data — a list of picks fed to the deterministic
// scheduler (scheduler.ts, run.ts) — because fc.scheduler does not shrink, so a race found through it
// would stay long. A failure shrinks to a minimal schedule, printed like a TLC counterexample.
import fc from 'fast-check';
import { InterruptedError } from '../../lib/interrupt.ts';
import type { Counterexample } from '../../lib/result/check-result.ts';
import { DEFAULT_MAX_STEPS, executionAsCounterexample, runSchedule, type Execution } from './run.ts';
import { validateExecution, type ExecutionFailure } from './validate.ts';
import { minimizeSchedule } from './shrink.ts';
import { expectedViolation } from './expected-violation.ts';
import type { StepOracle } from '../oracle/step-oracle.ts';
import type { ModelConstants } from '../model/model.ts';
import type { FsProfileName } from '../../impl/index.ts';

export interface FastCheckOptions {
  constants: ModelConstants;
  oracle: StepOracle;
  runs: number;
  seed: number;
  /** Longest schedule generated. */
  maxSteps?: number;
  /** Shrink a failure only over its moves (minimizeSchedule), not first with fast-check's
   *  shrinker: as short, for the variant configs, in a fraction of the time (fast-check's
   *  shrinking of the picks validates hundreds of thousands of steps). */
  movesOnly?: boolean;
  /** Do implementation events (corruption, WARN) fail a run? Default true. */
  eventsFail?: boolean;
  /** A variant's expected verdict (manifest "expected"): a run also fails when its execution
   *  shows that deadlock or temporal violation (expected-violation.ts); an invariant fails a run
   *  whenever the oracle evaluates invariants. */
  expected?: string;
  profile?: FsProfileName;
  /** Replay one execution: fast-check's path of a failure (with its seed), run once and not
   *  shrunk further by fast-check (endOnFailure); the moves are still minimised as usual, so the
   *  replay ends on the same shrunk schedule. */
  path?: string;
  /** Stop looking after this long (fast-check's interruptAfterTimeLimit). */
  timeLimitMs?: number;
  /** Called with the label of every step executed (for action coverage). */
  onStep?: (label: string) => void;
  /** Called with every execution of a generated run (not those made while shrinking). */
  onExecution?: (ex: Execution) => void;
}

/** A failing execution after shrinking. */
export interface ShrunkFailure {
  /** fast-check's seed and path: `fc.assert(..., { seed, path })` replays it. */
  seed: number;
  path: string;
  picks: number[];
  failure: ExecutionFailure;
  /** The execution up to and including the failing step, as mapped spec states. */
  counterexample: Counterexample;
  /** Steps in that counterexample (actions, not counting the initial state), after fast-check's
   *  shrinking and delta debugging over the moves. */
  length: number;
  /** Runs fast-check made before it found the first failure. */
  runsToFind: number;
  shrinks: number;
}

export interface FastCheckOutcome {
  runs: number;
  /** Implementation steps validated (in generated runs and while shrinking). */
  steps: number;
  seconds: number;
  failure?: ShrunkFailure;
}

/** The schedules fast-check generates: picks among the moves available at each point. */
export function scheduleArbitrary(maxSteps: number): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: 1023 }), { minLength: 1, maxLength: maxSteps, size: 'max' });
}

/** Runs fast-check over schedules; every run's execution must be a behaviour of the spec. */
export function fastCheckConformance(o: FastCheckOptions): FastCheckOutcome {
  const run = conformanceRun(o);
  const details = fc.check(
    fc.property(
      o.movesOnly ? fc.noShrink(scheduleArbitrary(o.maxSteps ?? DEFAULT_MAX_STEPS)) : scheduleArbitrary(o.maxSteps ?? DEFAULT_MAX_STEPS),
      (picks) => run.property(picks),
    ),
    runParameters(o),
  );
  return run.outcome(details);
}

/** How often, at least, the asynchronous variant lets signal handlers run. */
const YIELD_EVERY_MS = 50;

/**
 * fastCheckConformance without holding this thread for more than a few tens of milliseconds:
 * the same runs in the same order (fast-check's async runner with the same seed), letting the
 * event loop turn between them so that aborting `signal` (Ctrl-C) is seen; once it is, the
 * remaining runs are skipped. @throws InterruptedError when aborted.
 */
export async function fastCheckConformanceAsync(o: FastCheckOptions & { signal?: AbortSignal }): Promise<FastCheckOutcome> {
  const run = conformanceRun(o);
  let lastYield = performance.now();
  const details = await fc.check(
    fc.asyncProperty(scheduleArbitrary(o.maxSteps ?? DEFAULT_MAX_STEPS), async (picks) => {
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      return o.signal?.aborted ? true : run.property(picks);
    }),
    runParameters(o),
  );
  if (o.signal?.aborted) throw new InterruptedError('fast-check executions interrupted');
  return run.outcome(details);
}

/** fast-check's parameters: the runs asked for, or with `path` the one execution it names, run
 *  once and not shrunk further by fast-check. */
function runParameters(o: FastCheckOptions): fc.Parameters<[number[]]> {
  return {
    numRuns: o.path !== undefined ? 1 : o.runs,
    seed: o.seed,
    ...(o.path !== undefined ? { path: o.path, endOnFailure: true } : {}),
    ...(o.timeLimitMs ? { interruptAfterTimeLimit: o.timeLimitMs } : {}),
  };
}

/** The property every run checks, and the outcome (with a shrunk failure) from fast-check's report. */
function conformanceRun(o: FastCheckOptions): {
  property: (picks: number[]) => boolean;
  outcome: (details: fc.RunDetails<[number[]]>) => FastCheckOutcome;
} {
  const started = performance.now();
  let steps = 0;
  const check = (picks: number[]): { ex: Execution; failure: ExecutionFailure | null } => {
    const ex = runSchedule(o.constants, picks, { ...(o.profile ? { profile: o.profile } : {}) });
    steps += ex.steps.length;
    if (o.onStep) for (const s of ex.steps) o.onStep(s.label);
    const failure =
      validateExecution(ex, o.oracle, { eventsFail: o.eventsFail !== false }) ?? (o.expected ? expectedViolation(ex, o.expected) : null);
    return { ex, failure };
  };
  const property = (picks: number[]): boolean => {
    const r = check(picks);
    o.onExecution?.(r.ex);
    return r.failure === null;
  };
  const outcome = (details: fc.RunDetails<[number[]]>): FastCheckOutcome => {
    const seconds = (performance.now() - started) / 1000;
    if (!details.failed || !details.counterexample) return { runs: details.numRuns, steps, seconds };
    // fast-check's shrink, then delta debugging over the moves themselves, keeping the kind of
    // failure fast-check shrank to (a shorter schedule failing another check is another finding).
    // The picks after the failing step play no part in it.
    const first = check(details.counterexample[0]);
    const failing = first.failure ? details.counterexample[0].slice(0, Math.max(first.failure.step, 1)) : details.counterexample[0];
    const sameKind = (f: ExecutionFailure | null): boolean =>
      f !== null && (first.failure === null || (f.check === first.failure.check && f.property === first.failure.property));
    const picks = minimizeSchedule(
      o.constants,
      sameKind(check(failing).failure) ? failing : details.counterexample[0],
      (p) => sameKind(check(p).failure),
      o.profile ? { profile: o.profile } : {},
    );
    const { ex, failure } = check(picks);
    const upTo = failure ? Math.max(failure.step, 0) : ex.steps.length;
    return {
      runs: details.numRuns,
      steps,
      seconds,
      failure: {
        seed: details.seed,
        path: details.counterexamplePath ?? o.path ?? '',
        picks,
        failure: failure ?? { step: 0, check: 'step', message: details.errorInstance ? String(details.errorInstance) : 'property failed' },
        counterexample: executionAsCounterexample(ex, upTo),
        length: upTo,
        runsToFind: details.numRuns,
        shrinks: details.numShrinks,
      },
    };
  };
  return { property, outcome };
}
