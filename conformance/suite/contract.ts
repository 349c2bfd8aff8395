// The suite contract of `dax-model mutate`: a suite module exports runConformance, taking
// SuiteOptions and resolving to a SuiteReport; tools/mutate/worker.mjs calls it once per mutant.
// conformance/index.ts (suite.ts) and the --audit-equivalents audit (differential.ts) satisfy it.
import type { FsProfileName } from '../../impl/index.ts';

/** What the mutation runner passes a suite, as plain data (each suite reads the options it has). */
export interface SuiteOptions {
  fastCheckRuns?: number;
  seed?: number;
  budgetMs?: number;
  corpus?: boolean;
  cexReplays?: boolean;
  /** Whose code paths the implementation runs; default both. */
  profile?: FsProfileName;
  /** Run the suite as this kernel version of impl/releases.ts. */
  kernel?: string;
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

/** One thing the suite found wrong, as the runner reads it: the first one kills the mutant. */
interface SuiteReportDivergence {
  /** Which check ("corpus", "fast-check", "cex:<config>", "differential:<config>", ...). */
  check: string;
  message: string;
  /** For a fast-check failure: the execution check that failed (executions/validate.ts
   *  ExecutionFailure.check), which names the kind of kill. */
  fastCheck?: { shrunk: { failure: { check: string } } };
}

/** A suite's report. A figure a suite has nothing to say about (the differential audit replays
 *  no traces and covers no actions) is left out. */
export interface SuiteReport {
  steps: number;
  divergences: readonly SuiteReportDivergence[];
  stepsPerSecond: number;
  seconds: number;
  /** Trace replays. */
  traces?: number;
  /** Spec actions some replay or execution took, of actionsTotal. */
  actionsCovered?: number;
  actionsTotal?: number;
  fastCheckRuns?: number;
}

/** A suite module, as the runner loads it (MutationOptions.suite). */
export interface SuiteModule {
  /** `signal`: the worker aborts it when the runner is interrupted. */
  runConformance: (options: SuiteOptions & { signal?: AbortSignal }) => Promise<SuiteReport>;
}
