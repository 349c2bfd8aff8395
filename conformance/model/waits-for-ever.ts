// When the implementation waits for ever: nothing can move (no task can step, no operation can
// start, the mm can neither munmap nor mmap: the spec's Next has no enabled action) while a task
// waits for something that cannot come. That is TLC's "deadlock reached", and the state a temporal
// property's lasso ends in when it ends stuttering. The one judge of it for the executions'
// deadlock check (executions/executions.ts), a fast-check run's expected violation
// (executions/expected-violation.ts) and a replayed counterexample (replay/counterexample-replay.ts).
import type { DaxSystem, TaskSnapshot } from '../../impl/index.ts';

/** A task mid-operation: under `deadlock`, any task that is not idle waits. */
const midOperation = (t: TaskSnapshot): boolean => t.state !== 'idle';

/**
 * The temporal properties an implementation state can refute, each as the task a final, stuck
 * state leaves waiting for ever: FsOpCompletes == fpc[t] # "idle" ~> fpc[t] = "idle",
 * FaultProceeds == upc[u] = "FaultLockShared" ~> upc[u] # "FaultLockShared". A lasso through states that
 * other tasks keep changing is not recognised: no variant config has a task that loops on its own
 * while the file-system task waits (their Syncers = {}, and users have a finite GUP budget).
 */
const WAITS_FOR_EVER: Record<string, (t: TaskSnapshot) => boolean> = {
  FsOpCompletes: (t) => t.kind === 'fs' && t.state !== 'idle',
  FaultProceeds: (t) => t.kind === 'user' && t.state !== 'idle' && t.next === 'FaultLockShared',
};

/** Is `expected` (a manifest verdict) a temporal property that waitsForEver recognises? */
export function isTemporal(expected: string): boolean {
  return expected in WAITS_FOR_EVER;
}

/** Can anything move: a task step, an operation start or an mm move (munmap / mmap)? */
export function canMove(sys: DaxSystem): boolean {
  return sys.runnable().length > 0 || sys.startable().length > 0 || sys.mmMoves().length > 0;
}

/** What the system's state shows of `expected` ('deadlock' or a temporal property). */
export interface Waiting {
  /** Nothing can move. */
  stuck: boolean;
  /** The tasks that wait in the way `expected` names (whether or not anything can move). */
  waiting: TaskSnapshot[];
  /** The state refutes `expected`: stuck, and some task waits. */
  forEver: boolean;
}

/**
 * Does the system, as it is now, wait for ever in the way `expected` names: under 'deadlock' a
 * task mid-operation, under a temporal property its waiting task (WAITS_FOR_EVER; any task
 * mid-operation for a property without a row)?
 */
export function waitsForEver(sys: DaxSystem, expected: string): Waiting {
  const stuck = !canMove(sys);
  const waits = WAITS_FOR_EVER[expected] ?? midOperation;
  const waiting = Object.values(sys.snapshot().tasks).filter(waits);
  return { stuck, waiting, forEver: stuck && waiting.length > 0 };
}

/** A waiting task in words: "t1 sleeping before BreakLayoutsRelock". */
export const waitingText = (t: TaskSnapshot): string => `${t.id} ${t.state} before ${t.next}`;
