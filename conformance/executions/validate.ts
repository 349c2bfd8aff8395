// The step-by-step validator: is an execution a behaviour of the spec (init, each step, the tasks
// that can move), does it keep the invariants, and does it end without deadlock or events
// (corruption, WARN)? The first failure, against a StepOracle.
import { waitingText, waitsForEver } from '../model/waits-for-ever.ts';
import type { ValueChange } from '../../lib/report/diff.ts';
import type { TlaState } from '../../lib/values/value.ts';
import type { CodedState, StepOracle } from '../oracle/step-oracle.ts';
import type { Execution } from './run.ts';

/** The first way an execution fails to be a behaviour of the spec, or an invariant fails. */
export interface ExecutionFailure {
  /** 0 for the initial state, else the 1-based step. */
  step: number;
  check: 'init' | 'step' | 'invariant' | 'enabled' | 'event' | 'deadlock' | 'liveness';
  message: string;
  /** The spec property the execution refutes (an invariant's name, 'deadlock', or a temporal
   *  property), when the failure is one: a behaviour of the spec that breaks its property, not a
   *  divergence between implementation and spec. */
  property?: string;
  /** For a step the spec does not allow: the implementation's state vs the closest spec successor. */
  diffs?: ValueChange[];
}

/** Validates an execution against an oracle; events (corruption, WARN) count as failures when `eventsFail`. */
export function validateExecution(ex: Execution, oracle: StepOracle, opts: { eventsFail?: boolean } = {}): ExecutionFailure | null {
  // On the vector when the oracle can tell (null: initial), else on the TLA+ state, which says why not.
  const initWhy = (ex.initCode ? oracle.checkInitCoded?.(ex.initCode) : undefined) === null ? null : oracle.checkInit(ex.init);
  if (initWhy) return { step: 0, check: 'init', message: initWhy };
  const inv0 = oracle.checksInvariants === false ? null : oracle.failingInvariant(ex.init);
  if (inv0) return { step: 0, check: 'invariant', property: inv0, message: `the initial state violates ${inv0}` };
  const en0 = enabledMismatch(oracle, () => ex.init, ex.initCode, ex.enabledInit, ex.waitingInit);
  if (en0) return { step: 0, check: 'enabled', message: `in the initial state ${en0}` };
  for (let i = 0; i < ex.steps.length; i++) {
    const s = ex.steps[i]!;
    const why = oracle.checkStep(s) ?? s.implError;
    if (why) return { step: i + 1, check: 'step', message: `${s.label}(${s.task}): ${why}` };
    // The state's TLA+ values are built only for an oracle that evaluates invariants.
    const inv = oracle.checksInvariants === false ? null : oracle.failingInvariant(s.after);
    if (inv) return { step: i + 1, check: 'invariant', property: inv, message: `after ${s.label}(${s.task}) the state violates ${inv}` };
    const en = enabledMismatch(oracle, () => s.after, s.afterCode, s.enabledAfter, s.waitingAfter);
    if (en) return { step: i + 1, check: 'enabled', message: `after ${s.label}(${s.task}) ${en}` };
  }
  if (ex.crashed) {
    const c = ex.crashed;
    return {
      step: c.step,
      check: 'step',
      message: `${c.label}(${c.task}): the implementation offered this move but fails taking it: ${c.message}`,
    };
  }
  if (ex.stuck) {
    // Nothing can run or start, yet a task is mid-operation: it waits for something that cannot
    // come (the spec's deadlock). File-system tasks can always start, so idle-only is impossible.
    const { waiting } = waitsForEver(ex.system, 'deadlock');
    // Unless the spec is stuck there too: a variant whose bug ends in a state without successors
    // (a FOLL_LONGTERM pin that never ends) is a behaviour of that variant, not a divergence.
    const last = ex.steps.at(-1)?.after ?? ex.init;
    const spec = oracle.enabledTasks?.(last);
    const specStuck = spec !== null && spec !== undefined && spec.complete && spec.tasks.size === 0;
    if (waiting.length > 0 && !specStuck) {
      return {
        step: ex.steps.length,
        check: 'deadlock',
        message: `nothing can run: ${waiting.map(waitingText).join(', ')}`,
      };
    }
  }
  if (opts.eventsFail !== false && ex.events.length > 0) {
    const e = ex.events[0]!;
    const what =
      e.kind === 'corruption'
        ? `corruption: ${e.user}'s DMA wrote ${e.block} (${e.reason})`
        : `WARN ${e.warn} in ${e.function} (${e.block})`;
    return { step: e.step + 1, check: 'event', message: what };
  }
  return null;
}

/**
 * Do the implementation and the spec agree on which tasks can move in a state? Step validation
 * only shows that what the implementation does, the spec allows; this is the converse, per task:
 * a task the spec lets step but the implementation keeps waiting is a lost wake-up or a wait on
 * the wrong condition, which no single step shows. Returns what differs, or null.
 */
function enabledMismatch(
  oracle: StepOracle,
  state: () => TlaState,
  code: CodedState | undefined,
  impl: ReadonlySet<string>,
  waiting: readonly string[],
): string | null {
  const spec = (code && oracle.enabledTasksCoded?.(code)) ?? oracle.enabledTasks?.(state());
  if (!spec) return null;
  // The common case first, without building arrays: the same tasks on both sides.
  let same = !spec.complete || spec.tasks.size === impl.size;
  if (same) for (const t of spec.tasks) if (!impl.has(t)) same = false;
  if (same) return null;
  const stuck = [...spec.tasks].filter((t) => !impl.has(t));
  if (stuck.length > 0) {
    const how = stuck.map((t) => waiting.find((w) => w.startsWith(`${t} `)) ?? `${t} has no move`);
    return `the spec lets ${stuck.join(', ')} take a step, but the implementation cannot: ${how.join(', ')}`;
  }
  const extra = spec.complete ? [...impl].filter((t) => !spec.tasks.has(t)) : [];
  if (extra.length > 0)
    return `the implementation can move ${extra.join(', ')}, but the spec enables no step of ${extra.length > 1 ? 'theirs' : 'its'}`;
  return null;
}
