// A step oracle over the model's whole reachable state graph (state-graph.ts): a step conforms iff
// its mapped (before, after) pair is an edge of the task's own sub-relation of Next, taken by the
// same task (the mm for Munmap / Mmap) with the action the step's label names (step-action.ts). Invariants
// are evaluated by the embedded engine, cached per state, unless the config is known to hold.
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { Explorer } from '../../lib/embedded/explorer.ts';
import { stateFingerprint, StateGraph } from './state-graph.ts';
import { actionName, GROUP, paramsDisagree, stepMismatch } from './step-action.ts';
import type { CodedState, EnabledTasks, RecordedStep, StepOracle } from './step-oracle.ts';
import type { TlaState } from '../../lib/values/value.ts';

/** Oracle answers counted, for reports and benchmarks. */
export interface OracleStats {
  steps: number;
  invariantChecks: number;
  /** Steps accepted on their group alone: the matching edge has no actor (none so far). */
  unattributed: number;
  /** Steps accepted on their vectors alone (the rest took the path through TLA+ values). */
  fast: number;
}

/** Validates steps against the state graph of a config. */
export class GraphOracle implements StepOracle {
  readonly stats: OracleStats = { steps: 0, invariantChecks: 0, unattributed: 0, fast: 0 };
  private explorer: Explorer | undefined;
  private readonly invariantCache = new Map<string, string | null>();
  /** Do a step's params agree with an edge's action (paramsDisagree null), by action id and params. */
  private readonly agree = new Map<string, boolean>();
  /** The same, by params record and action id. */
  private readonly agreeByRecord = new WeakMap<object, Map<number, boolean>>();
  /** An action label's name without its arguments, by label id. */
  private readonly names: string[] = [];

  /**
   * @param checkInvariants evaluate the config's invariants on every state; unnecessary when the
   * config holds (every reachable state satisfies them), needed for variant configs.
   */
  constructor(
    readonly config: string,
    readonly graph: StateGraph,
    private readonly checkInvariants = false,
  ) {}

  get checksInvariants(): boolean {
    return this.checkInvariants;
  }

  checkInit(s: TlaState): string | null {
    return this.graph.isInitial(s) ? null : 'the initial state is not an initial state of the spec';
  }

  checkInitCoded(c: CodedState): null | undefined {
    const id = this.idOf(c);
    return id >= 0 && this.graph.isInitialId(id) ? null : undefined;
  }

  checkStep(step: RecordedStep): string | null {
    this.stats.steps++;
    if (this.acceptsOnVectors(step)) {
      this.stats.fast++;
      return null;
    }
    // The slow path, through TLA+ values: it accepts what the fast one does not see (an
    // unattributed edge) and says why a step is not the spec's.
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

  enabledTasksCoded(c: CodedState): EnabledTasks | undefined {
    const id = this.idOf(c);
    return id < 0 ? undefined : this.graph.enabledOf(id);
  }

  private idOf(c: CodedState): number {
    if (c.idGraph === this.graph) return c.graphId!;
    const id = c.coder === this.graph.coder.fingerprint ? this.graph.idOfSlots(c.slots) : -1;
    c.idGraph = this.graph;
    c.graphId = id;
    return id;
  }

  /**
   * Is the step, by its vectors, an edge of the graph in the task's group, by the task, with the
   * action its label names and parameters that agree: the slow path's acceptance (stepMismatch's
   * null for a matching candidate) on integers. False sends the step down the slow path.
   */
  private acceptsOnVectors(step: RecordedStep): boolean {
    if (!step.beforeCode || !step.afterCode) return false;
    const a = this.idOf(step.beforeCode);
    const b = this.idOf(step.afterCode);
    const g = this.graph;
    const group = g.labelId(GROUP[step.taskKind]);
    const actor = g.labelId(step.task);
    if (a < 0 || b < 0 || group < 0 || actor < 0) return false;
    const { edgeStart, edgeTo, edgeGroup, edgeActor, edgeAction } = g;
    const start = edgeStart[a]!;
    const end = edgeStart[a + 1]!;
    for (let e = start; e < end; e++) {
      if (edgeTo[e] !== b || edgeGroup[e] !== group || edgeActor[e] !== actor) continue;
      const action = edgeAction[e]!;
      if ((this.names[action] ??= actionName(g.label(action))) !== step.label) continue;
      if (this.paramsAgree(action, step)) return true;
    }
    return false;
  }

  /** paramsDisagree's null for the action, cached: by the params record where the implementation
   *  hands the same one every step (impl/config-memo.ts), else by its JSON. */
  private paramsAgree(action: number, step: RecordedStep): boolean {
    // Only a frozen record is the same one next time (the harness adds a put path to a copy).
    const params = step.params !== undefined && Object.isFrozen(step.params) ? (step.params as object) : undefined;
    let byAction = params === undefined ? undefined : this.agreeByRecord.get(params);
    let ok = byAction?.get(action);
    if (ok !== undefined) return ok;
    const key = `${action} ${JSON.stringify(step.params ?? null)}`;
    ok = this.agree.get(key);
    if (ok === undefined) this.agree.set(key, (ok = paramsDisagree(this.graph.label(action), step) === null));
    if (params !== undefined) {
      if (byAction === undefined) this.agreeByRecord.set(params, (byAction = new Map()));
      byAction.set(action, ok);
    }
    return ok;
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
