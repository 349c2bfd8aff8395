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
  /** Why before → after is not a step of the spec taken by `step`, or null. */
  checkStep(step: RecordedStep): string | null;
  /** The invariant `s` violates, or null. */
  failingInvariant(s: TlaState): string | null;
  /** The tasks the spec lets take a step in `s` (null: unknown); an oracle without it skips the
   *  enabledness check. */
  enabledTasks?(s: TlaState): EnabledTasks | null;
}
