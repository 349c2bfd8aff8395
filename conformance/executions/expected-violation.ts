// A variant config's expected verdict as the implementation shows it: an invariant failing (the
// oracle evaluates them), a deadlock (no task can move while one is mid-operation, TLC's
// "deadlock reached"), or a temporal property refuted by a state nothing leaves (TLC's lasso that
// ends in stuttering), judged by model/waits-for-ever.ts — so that a fast-check failure is
// counted only when it is TLC's violation.
import { isTemporal, waitingText, waitsForEver } from '../model/waits-for-ever.ts';
import type { Execution } from './run.ts';
import type { ExecutionFailure } from './validate.ts';

/**
 * The execution's violation of `expected` (a manifest verdict: 'deadlock' or a temporal property;
 * invariants are the oracle's, reported by validateExecution) that no invariant or step check
 * shows: the execution reaches a state where no task can move and some task waits for ever. Its
 * step is the number of steps taken to reach that state, which is what TLC's counterexample
 * counts. Null when the execution does not show it.
 */
export function expectedViolation(ex: Execution, expected: string): ExecutionFailure | null {
  if (expected !== 'deadlock' && !isTemporal(expected)) return null;
  // The system is in the execution's last state (a crashed step is validateExecution's failure).
  const { forEver, waiting } = waitsForEver(ex.system, expected);
  if (!forEver) return null;
  const how = waiting.map(waitingText).join(', ');
  return expected === 'deadlock'
    ? { step: ex.steps.length, check: 'deadlock', property: expected, message: `deadlock, as in the spec: nothing can run: ${how}` }
    : { step: ex.steps.length, check: 'liveness', property: expected, message: `${expected} refuted: nothing can run, ${how} for ever` };
}

/** Is `f` the violation `expected` names (an invariant, 'deadlock' or a temporal property)? */
export function isExpectedFailure(f: ExecutionFailure, expected: string): boolean {
  return f.property === expected;
}
