// The closing step of a lasso (a liveness counterexample: TLC's "Back to state k", ITF's "loop"):
// the implementation, driven from the trace's last state, must step back to the state the loop
// returns to, compared under the refinement mapping as every other step of conformance/replay/replay.ts.
import { choiceField, type FsProfileName } from '../../impl/index.ts';
import type { TraceStep } from '../../lib/result/check-result.ts';
import { formatValue, normalizeState, valueKey } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import type { ModelConstants } from '../model/model.ts';
import { replayTrace, TASK_PARAM } from './replay.ts';

/** A lasso's end as a trace reader gives it (SpecTrace's fields). */
export interface LassoEnd {
  /** 1-based index of the state the last state loops back to. */
  loopsBackTo: number;
  /** The closing step's action, where the format names it (TLC's -dumpTrace and text). */
  loopAction?: { action: string; params?: Record<string, TlaValue> };
}

/** What was checked of the closing step: one line either way. */
export type LoopClosure = { closes: true; how: string } | { closes: false; why: string };

const stateKey = (s: TlaState): string => valueKey(normalizeState(s) as never);

function describe(c: { action: string; params?: Record<string, unknown> }): string {
  return `${c.action}(${Object.entries(c.params ?? {})
    .map(([k, v]) => `${k}=${formatValue(v as TlaValue)}`)
    .join(', ')})`;
}

/**
 * Checks the step that closes the lasso `steps` + `end`, after `steps` replayed without divergence:
 * a last state that is the loop's target (a stuttering end, or a trace whose own last step
 * returns there, as Apalache's lassos do) closes by itself; otherwise each step the
 * implementation can take from the last state (the action the trace names for it, else every
 * runnable step and every operation that can start, each DmaComplete path) is tried on a fresh
 * replay until one reaches the target state.
 */
export function checkLoopClosure(
  steps: readonly TraceStep[],
  end: LassoEnd,
  constants: ModelConstants,
  opts: { profile?: FsProfileName } = {},
): LoopClosure {
  const n = steps.length;
  const k = end.loopsBackTo;
  if (k === n) return { closes: true, how: `the behaviour stutters in its last state (${n})` };
  const target = steps[k - 1]!.state;
  if (stateKey(steps[n - 1]!.state) === stateKey(target)) return { closes: true, how: `the loop closes: state ${n} equals state ${k}` };
  const candidates = end.loopAction ? [end.loopAction] : closingCandidates(steps, constants, opts.profile);
  for (const c of candidates) {
    const closing: TraceStep = { index: n + 1, action: c.action, state: target, ...(c.params ? { params: c.params } : {}) };
    let ok = false;
    try {
      ok = replayTrace([...steps, closing], constants, opts).ok;
    } catch {
      // A candidate the replay cannot even express is simply not the closing step.
    }
    if (ok) return { closes: true, how: `the loop closes: ${describe(c)} from state ${n} reaches state ${k}` };
  }
  const tried = end.loopAction
    ? `the trace's closing action ${describe(end.loopAction)}`
    : `${candidates.length} step${candidates.length === 1 ? '' : 's'} it can take`;
  return { closes: false, why: `the implementation has no step from the last state (${n}) back to state ${k} (tried ${tried})` };
}

/** Every step the implementation can take in the trace's last state, as trace actions. */
function closingCandidates(
  steps: readonly TraceStep[],
  constants: ModelConstants,
  profile: FsProfileName | undefined,
): { action: string; params?: Record<string, TlaValue> }[] {
  const sys = replayTrace([...steps], constants, { ...(profile ? { profile } : {}) }).system;
  const out: { action: string; params?: Record<string, TlaValue> }[] = [];
  for (const r of sys.runnable()) {
    const param = TASK_PARAM.get(r.label);
    if (param === undefined) continue;
    const task = { '#model': r.task };
    // A put path is DmaComplete's parameter (DmaComplete(u, path)); a block is read off the states.
    if (choiceField(r.label) === 'path')
      for (const path of sys.putPaths(r.task)) out.push({ action: r.label, params: { [param]: task, path } });
    else out.push({ action: r.label, params: { [param]: task } });
  }
  // Task and file ids are model values, as the trace's own parameters are.
  const modelValues = (p: object): Record<string, TlaValue> =>
    Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'string' ? { '#model': v } : (v as TlaValue)]));
  for (const s of sys.startable()) out.push({ action: s.label, params: modelValues(s.params) });
  return out;
}
