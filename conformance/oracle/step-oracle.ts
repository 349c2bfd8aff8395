// What a step oracle is asked and answers: an implementation step as a pair of mapped spec
// states with the task that took it, and whether the spec has that step, its invariants hold,
// and which tasks it lets move. Executions (executions.ts) ask; the oracles here answer.
import type { StepParams } from '../../impl/index.ts';
import type { TlaState } from '../../lib/values/value.ts';

/** One recorded step: the mapped state before and after, and what ran. */
export interface RecordedStep {
  task: string;
  taskKind: 'user' | 'fs' | 'syncer' | 'mm';
  label: string;
  params: StepParams;
  before: TlaState;
  after: TlaState;
  /** The implementation's tasks that can move in `after` (step or start), and how each other
   *  busy task waits there ("t1 sleeping before BreakLayoutsRelock"). */
  enabledAfter: ReadonlySet<string>;
  waitingAfter: readonly string[];
  /** What the step did wrong that no spec state shows: its record misreports the move (a block
   *  choice on the wrong step, or not the block asked for; the trace export and replay read
   *  these records), a bad block choice was not refused, or the wait lists disagree with the
   *  task states (wait-lists.ts). */
  implError?: string;
  /** `before` and `after` as integer vectors (refinement/state-code.ts), when the recorder wrote
   *  them: an oracle that can (graph-oracle.ts) checks the step on integers, and reads the TLA+
   *  states only to explain a failure. */
  beforeCode?: CodedState;
  afterCode?: CodedState;
}

/** A mapped state as its vector, and the fingerprint of the StateCoder that wrote it. */
export interface CodedState {
  readonly slots: Int32Array;
  readonly coder: string;
  /** The vector's state id in the graph `idGraph`, cached there by the graph oracle: each state
   *  of an execution is looked up two or three times (as a step's after, the next one's before,
   *  and for its enabled tasks). */
  idGraph?: object;
  graphId?: number;
}

/** What the spec lets happen in a state: the tasks that can take a step. */
export interface EnabledTasks {
  tasks: Set<string>;
  /** False when some step from the state could not be given to one task: `tasks` may then miss one. */
  complete: boolean;
}

/** What an oracle says of a state and a step. */
export interface StepOracle {
  /** Why `s` cannot be an initial state, or null. */
  checkInit(s: TlaState): string | null;
  /** null when the state given as its vector is an initial state; undefined when the oracle
   *  cannot tell from the vector (then checkInit of the state answers, and says why not). */
  checkInitCoded?(c: CodedState): null | undefined;
  /** Why before → after is not a step of the spec taken by `step`, or null. */
  checkStep(step: RecordedStep): string | null;
  /** The invariant `s` violates, or null. */
  failingInvariant(s: TlaState): string | null;
  /** False when failingInvariant answers null whatever the state (the config is known to hold):
   *  the validator then does not build the state's TLA+ values to ask. */
  readonly checksInvariants?: boolean;
  /** The tasks the spec lets take a step in `s` (null: unknown); an oracle without it skips the
   *  enabledness check. */
  enabledTasks?(s: TlaState): EnabledTasks | null;
  /** enabledTasks of a state given as its vector; undefined when the oracle cannot tell from the
   *  vector (then enabledTasks of the state answers). */
  enabledTasksCoded?(c: CodedState): EnabledTasks | undefined;
}

/** A copy of `step` with `changes`: its states read into the copy, since a recorded step's may be
 *  accessors on its prototype (run.ts ExecutedStep), which a spread does not copy. */
export function changedStep(step: RecordedStep, changes: Partial<RecordedStep>): RecordedStep {
  return { ...step, before: step.before, after: step.after, ...changes };
}
