// What a counterexample says about its own past: the state a property fails in, and since which
// step (and whose action) a fact about the state has held. The "why it failed" sentences of
// why.ts cite these steps ("b1 is free since step 16 (FreeBlocks by t1)").
import type { Counterexample, TraceStep } from '../../lib/result/check-result.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { at, domain, modelName } from './values.ts';

/** The action parameters that name the task taking a step (users, fs tasks, syncers). */
export const TASK_PARAMS = ['u', 't', 's'] as const;

/** The task a step is taken by: its u, t or s parameter, or undefined (Init, unknown). */
export function taskOf(step: TraceStep): string | undefined {
  for (const p of TASK_PARAMS) {
    const name = modelName(step.params?.[p] as TlaValue | undefined);
    if (name) return name;
  }
  return undefined;
}

/** A step cited in an explanation. */
export interface StepRef {
  /** 1-based index of the state the step leads into (TraceStep.index). */
  index: number;
  action: string;
  task?: string;
}

/** One counterexample, read for explanations. */
export class History {
  readonly steps: TraceStep[];
  /** The refcount of an idle page: every block's refcount in the initial state. */
  readonly idleRef: number;

  constructor(readonly cex: Counterexample) {
    this.steps = cex.steps;
    const rc = this.first.refcount;
    const firstBlock = domain(rc)[0];
    const v = firstBlock === undefined ? undefined : at(rc, firstBlock);
    this.idleRef = typeof v === 'number' ? v : 1;
  }

  get first(): TlaState {
    return this.steps[0]!.state;
  }

  get last(): TlaState {
    return this.steps[this.steps.length - 1]!.state;
  }

  get lastIndex(): number {
    return this.steps[this.steps.length - 1]!.index;
  }

  /** The step a fact became true and stayed true until the last state; undefined when it does
   *  not hold at the end, or has held since the initial state. */
  since(holds: (s: TlaState) => boolean): StepRef | undefined {
    let i = this.steps.length - 1;
    if (i < 0 || !holds(this.steps[i]!.state)) return undefined;
    while (i > 0 && holds(this.steps[i - 1]!.state)) i--;
    return i === 0 ? undefined : this.ref(i);
  }

  /** The last step that made a fact true (it may have become false again after). */
  lastBecame(holds: (s: TlaState) => boolean): StepRef | undefined {
    for (let i = this.steps.length - 1; i > 0; i--) {
      if (holds(this.steps[i]!.state) && !holds(this.steps[i - 1]!.state)) return this.ref(i);
    }
    return undefined;
  }

  private ref(i: number): StepRef {
    const s = this.steps[i]!;
    const task = taskOf(s);
    return { index: s.index, action: s.action ?? 'an unknown action', ...(task ? { task } : {}) };
  }
}

/** "step 16 (FreeBlocks by t1)", or "the start" when there is no step. */
export function cite(ref: StepRef | undefined): string {
  if (!ref) return 'the start';
  return `step ${ref.index} (${ref.action}${ref.task ? ` by ${ref.task}` : ''})`;
}
