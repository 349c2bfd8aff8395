// A variant config's expected verdict as the implementation shows it: an invariant failing (the
// oracle evaluates them), a deadlock (no task can move while one is mid-operation, TLC's
// "deadlock reached"), or a temporal property refuted by a state nothing leaves (TLC's lasso that
// ends in stuttering) — so that a fast-check failure is counted only when it is TLC's violation.
import type { TaskSnapshot } from '../../impl/index.ts';
import type { Execution, ExecutionFailure } from './executions.ts';

/**
 * The temporal properties an implementation execution can refute, each as the task a final,
 * stuck state leaves waiting for ever: FsOpCompletes == fpc[t] # "idle" ~> fpc[t] = "idle",
 * FaultProceeds == upc[u] = "FaultLockShared" ~> upc[u] # "FaultLockShared". A lasso through states that
 * other tasks keep changing is not recognised: no variant config has a task that loops on its own
 * while the file-system task waits (their Syncers = {}, and users have a finite GUP budget).
 */
const WAITS_FOR_EVER: Record<string, (t: TaskSnapshot) => boolean> = {
  FsOpCompletes: (t) => t.kind === 'fs' && t.state !== 'idle',
  FaultProceeds: (t) => t.kind === 'user' && t.state !== 'idle' && t.next === 'FaultLockShared',
};

/** The temporal properties expectedViolation recognises. */
export const TEMPORAL_PROPERTIES: readonly string[] = Object.keys(WAITS_FOR_EVER);

/** Is `expected` (a manifest verdict) a temporal property that expectedViolation recognises? */
export function isTemporal(expected: string): boolean {
  return expected in WAITS_FOR_EVER;
}

/**
 * The execution's violation of `expected` (a manifest verdict: 'deadlock' or a temporal property;
 * invariants are the oracle's, reported by validateExecution) that no invariant or step check
 * shows: the execution reaches a state where no task can move and some task waits for ever. Its
 * step is the number of steps taken to reach that state, which is what TLC's counterexample
 * counts. Null when the execution does not show it.
 */
export function expectedViolation(ex: Execution, expected: string): ExecutionFailure | null {
  if (expected !== 'deadlock' && !isTemporal(expected)) return null;
  const last = ex.steps.at(-1);
  const canMove = last ? last.enabledAfter.size > 0 : ex.enabledInit.size > 0;
  if (canMove) return null;
  const tasks = Object.values(ex.system.snapshot().tasks);
  const waiting = expected === 'deadlock' ? tasks.filter((t) => t.state !== 'idle') : tasks.filter(WAITS_FOR_EVER[expected]!);
  if (waiting.length === 0) return null;
  const how = waiting.map((t) => `${t.id} ${t.state} before ${t.next}`).join(', ');
  return expected === 'deadlock'
    ? { step: ex.steps.length, check: 'deadlock', property: expected, message: `deadlock, as in the spec: nothing can run: ${how}` }
    : { step: ex.steps.length, check: 'liveness', property: expected, message: `${expected} refuted: nothing can run, ${how} for ever` };
}

/** Is `f` the violation `expected` names (an invariant, 'deadlock' or a temporal property)? */
export function isExpectedFailure(f: ExecutionFailure, expected: string): boolean {
  return f.property === expected;
}
