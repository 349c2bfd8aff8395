// A step oracle that asks the embedded engine for the successors of each state (explore_next,
// cached by state): for configs too large to enumerate as a graph. Slower, but needs nothing built.
// explore_next names a successor's top-level disjunct of Next (UserNext, MmNext, ...), so who
// took the step and which action it is are derived from the states (step-action.ts), as for the
// embedded engine's graph.
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { Explorer } from '../../lib/embedded/explorer.ts';
import { valueKey, normalizeState } from '../../lib/values/canonical.ts';
import type { TlaState } from '../../lib/values/value.ts';
import { derivedStep, GROUP, type SpecStep, stepMismatch } from './step-action.ts';
import type { EnabledTasks, RecordedStep, StepOracle } from './step-oracle.ts';

const key = (s: TlaState): string => valueKey(normalizeState(s) as never);

const GROUPS = new Set(Object.values(GROUP));

/** Validates steps by explore_next. */
export class ExplorerOracle implements StepOracle {
  readonly explorer: Explorer;
  private initKeys: Set<string> | undefined;

  constructor(readonly config: string) {
    this.explorer = new Explorer(specFile(loadManifest()), configFile(config));
  }

  checkInit(s: TlaState): string | null {
    this.initKeys ??= new Set(this.explorer.initStates().map(key));
    return this.initKeys.has(key(s)) ? null : 'the initial state is not an initial state of the spec';
  }

  /** The spec's steps from `s`, with their targets. A transition from an anonymous part of Next
   *  (action null) or not from one of its groups cannot be attributed: actor "". */
  private steps(s: TlaState): { target: string; step: SpecStep }[] {
    return this.explorer.transitions(s).map((t) => ({
      target: key(t.state),
      step: t.action !== null && GROUPS.has(t.action) ? derivedStep(t.action, s, t.state) : { group: '', actor: '', action: '' },
    }));
  }

  checkStep(step: RecordedStep): string | null {
    const target = key(step.after);
    const hits = this.steps(step.before).filter((t) => t.target === target);
    if (hits.length === 0) return 'the spec has no such successor of the state before it';
    // A transition that names no group is accepted as before this oracle checked actors (it
    // does not occur with DaxDma's Next, whose every step is under one of the four groups).
    const named = hits.map((h) => (h.step.group === '' ? { ...h.step, group: GROUP[step.taskKind] } : h.step));
    return stepMismatch(named, step).why;
  }

  /** The tasks (and the mm) with a step from `s`: complete unless a step has no actor. */
  enabledTasks(s: TlaState): EnabledTasks {
    const steps = this.steps(s);
    return { tasks: new Set(steps.map((t) => t.step.actor).filter((a) => a !== '')), complete: steps.every((t) => t.step.actor !== '') };
  }

  failingInvariant(s: TlaState): string | null {
    return this.explorer.failingInvariant(s) ?? null;
  }
}
