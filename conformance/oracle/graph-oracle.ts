// A step oracle over the model's whole reachable state graph (state-graph.ts): a step conforms iff
// its mapped (before, after) pair is an edge of the task's own sub-relation of Next, taken by the
// same task (the mm for Munmap / Mmap) with the action the step's label names (step-action.ts). Invariants
// are evaluated by the embedded engine, cached per state, unless the config is known to hold.
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { Explorer } from '../../lib/embedded/explorer.ts';
import { stateFingerprint, StateGraph } from './state-graph.ts';
import { stepMismatch } from './step-action.ts';
import type { EnabledTasks, RecordedStep, StepOracle } from './step-oracle.ts';
import type { TlaState } from '../../lib/values/value.ts';

/** Oracle answers counted, for reports and benchmarks. */
export interface OracleStats {
  steps: number;
  invariantChecks: number;
  /** Steps accepted on their group alone: the matching edge has no actor (none so far). */
  unattributed: number;
}

/** Validates steps against the state graph of a config. */
export class GraphOracle implements StepOracle {
  readonly stats: OracleStats = { steps: 0, invariantChecks: 0, unattributed: 0 };
  private explorer: Explorer | undefined;
  private readonly invariantCache = new Map<string, string | null>();

  /**
   * @param checkInvariants evaluate the config's invariants on every state; unnecessary when the
   * config holds (every reachable state satisfies them), needed for variant configs.
   */
  constructor(
    readonly config: string,
    readonly graph: StateGraph,
    private readonly checkInvariants = false,
  ) {}

  checkInit(s: TlaState): string | null {
    return this.graph.isInitial(s) ? null : 'the initial state is not an initial state of the spec';
  }

  checkStep(step: RecordedStep): string | null {
    this.stats.steps++;
    if (!this.graph.hasState(step.before)) return 'the state before it is not reachable in the spec';
    const candidates = this.graph.steps(step.before, step.after);
    if (candidates === null) {
      return this.graph.hasState(step.after)
        ? 'the spec has no step between these two (reachable) states'
        : 'it leads to a state the spec cannot reach';
    }
    const { why, unattributed } = stepMismatch(candidates, step);
    if (unattributed) this.stats.unattributed++;
    return why;
  }

  enabledTasks(s: TlaState): EnabledTasks | null {
    return this.graph.enabledTasks(s);
  }

  failingInvariant(s: TlaState): string | null {
    if (!this.checkInvariants) return null;
    const key = stateFingerprint(s);
    const hit = this.invariantCache.get(key);
    if (hit !== undefined) return hit;
    this.stats.invariantChecks++;
    this.explorer ??= new Explorer(specFile(loadManifest()), configFile(this.config));
    const failing = this.explorer.failingInvariant(s) ?? null;
    this.invariantCache.set(key, failing);
    return failing;
  }
}
