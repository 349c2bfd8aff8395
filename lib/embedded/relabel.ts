// Names the actions of an embedded-engine counterexample as TLC does. tla-checker labels each
// successor by the top-level disjunct of Next that produced it (UserNext / FsNext / SyncNext for
// DaxDma), where TLC names the leaf action and its arguments (BreakLayoutsScan(t1)). The spec's
// labelled wrapper (labeled.ts) records the leaf action in a ghost variable, so the successor of
// each state of the counterexample that equals the next state says which action, with which
// arguments, took the step.
import type { Counterexample, TraceStep } from '../result/check-result.ts';
import { normalizeState, valueKey } from '../values/canonical.ts';
import type { TlaState, TlaValue } from '../values/value.ts';
import { Explorer } from './explorer.ts';
import { buildLabeledModel, GHOST, unlabelStep } from './labeled.ts';

/** A step whose action could not be named; it keeps the engine's label. */
export interface UnlabeledStep {
  /** 1-based index of the step's state in the counterexample. */
  index: number;
  /** The label the step keeps (the engine's), e.g. "FsNext"; null where the engine had none. */
  action: string | null;
  reason: string;
}

export interface RelabelResult {
  /** The counterexample with every step that could be named renamed, the others unchanged. */
  counterexample: Counterexample;
  /** The steps that keep the engine's label, in order; empty when every step was named. */
  unlabeled: UnlabeledStep[];
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
const key = (st: TlaState): string => valueKey(normalizeState(st) as never);

/**
 * Names each step's action and parameters (by the action's definition's parameter names, as TLC
 * does) through the labelled wrapper of `specFile` under `configFile`'s constants. Never throws:
 * a step that cannot be named (it is no successor of the state before it, or the spec cannot be
 * wrapped) keeps its label and is listed in `unlabeled`; states are never changed.
 */
export function relabelCounterexample(cex: Counterexample, specFile: string, configFile: string): RelabelResult {
  const unlabeled: UnlabeledStep[] = [];
  const keep = (step: TraceStep, reason: string): TraceStep => {
    unlabeled.push({ index: step.index, action: step.action, reason });
    return step;
  };
  let m: ReturnType<typeof buildLabeledModel> | undefined;
  try {
    let explorer: Explorer;
    let ghost: TlaValue;
    try {
      m = buildLabeledModel(specFile, configFile);
      explorer = new Explorer(m.specFile, m.writeCfg('relabel', []));
      const first = explorer.initStates()[0]?.[GHOST];
      if (first === undefined) throw new Error('the labelled spec has no initial state');
      ghost = first;
    } catch (e) {
      const reason = `the labelled spec could not be built: ${message(e)}`;
      const steps = cex.steps.map((s, i) => (i === 0 ? s : keep(s, reason)));
      return { counterexample: { ...cex, steps }, unlabeled };
    }
    const actions = m.actions;
    const steps = cex.steps.map((step, i) => {
      if (i === 0) return step;
      try {
        const prev = { ...cex.steps[i - 1]!.state, [GHOST]: ghost };
        const want = key(step.state);
        const hit = explorer.transitions(prev).find((t) => {
          const { [GHOST]: _g, ...rest } = t.state;
          return key(rest) === want;
        });
        if (!hit) return keep(step, `state ${i + 1} is not a successor of state ${i} in the labelled spec`);
        const named = unlabelStep(hit.state, step.index, actions);
        return { ...named, state: step.state };
      } catch (e) {
        return keep(step, `state ${i + 1}: ${message(e)}`);
      }
    });
    return { counterexample: { ...cex, steps }, unlabeled };
  } finally {
    m?.dispose();
  }
}

/** One line saying which steps keep the engine's labels and why (the first reason), or undefined
 *  when every step was named. */
export function unlabeledNote(unlabeled: UnlabeledStep[]): string | undefined {
  if (unlabeled.length === 0) return undefined;
  const first = unlabeled[0]!;
  const which =
    unlabeled.length === 1 ? `step ${first.index} keeps` : `${unlabeled.length} steps (${unlabeled.map((u) => u.index).join(', ')}) keep`;
  const more = unlabeled.some((u) => u.reason !== first.reason) ? ' (and other reasons)' : '';
  return `${which} the embedded engine's coarse action label: ${first.reason}${more}`;
}
