// The fairness conditions of a spec, read from its `Fairness` definition, and the steps of a state
// graph they speak of. Both sides of the liveness part of the refinement are read this way: DaxDma's
// Fairness (SF_vars(UserNext(u)), SF_vars(FsNext(t)), WF_vars(SyncNext(s))) decides which concrete
// lassos are behaviours of Spec at all, DaxAbstract's (WF_vars(EndDma(u)), SF_vars(Apply(t))) is
// what their images must satisfy (promise-liveness.ts). Reading them from the modules, not spelling
// them here, means a new conjunct (or a WF turned SF) changes the check with the spec; a conjunct
// of another shape is an error rather than a condition silently left out.
import { definitions } from '../../lib/tla/spec-actions.ts';
import { valueKey } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';

/** One conjunct `\A p \in Set : XF_vars(Action(p))` of a Fairness definition. */
export interface FairnessCondition {
  kind: 'WF' | 'SF';
  /** The action's name: a top-level disjunct of Next (concrete) or an action of the promise. */
  action: string;
  /** The constant the parameter ranges over (Users, FsTasks, Syncers). */
  set: string;
}

/** One instance of a condition: its action for one element of its set (a model value's name). */
export interface FairnessInstance extends FairnessCondition {
  actor: string;
}

/** `SF_vars(Apply(t1))`: an instance as TLA+ writes it. */
export const conditionText = (c: FairnessInstance): string => `${c.kind}_vars(${c.action}(${c.actor}))`;

const CONJUNCT = /^\\A\s+(\w+)\s+\\in\s+(\w+)\s*:\s*(WF|SF)_vars\(\s*(\w+)\(\s*(\w+)\s*\)\s*\)$/;

/** The conjuncts of `Fairness` in a (flattened) module text. */
export function fairnessConditions(source: string, file: string): FairnessCondition[] {
  const def = definitions(source).get('Fairness');
  if (!def) throw new Error(`${file}: no Fairness definition`);
  const conjuncts = def.body
    .split(/^\s*\/\\/m)
    .map((c) => c.replace(/\s+/g, ' ').trim())
    .filter((c) => c !== '');
  return conjuncts.map((c) => {
    const m = CONJUNCT.exec(c);
    if (!m || m[1] !== m[5])
      throw new Error(`${file}:${def.line}: Fairness conjunct \`${c}' is not of the form \\A p \\in Set : WF_vars(A(p)) or SF_vars(A(p))`);
    return { kind: m[3] as 'WF' | 'SF', action: m[4]!, set: m[2]! };
  });
}

/** The model values' names in a set value (a constant's value as the engine evaluates it). */
export function modelValueNames(v: TlaValue, what: string): string[] {
  const elems =
    v !== null && typeof v === 'object' && '#set' in v
      ? (v as { '#set': TlaValue[] })['#set']
      : Array.isArray(v) && v.length === 0
        ? []
        : null;
  if (!elems) throw new Error(`${what} is not a set: ${JSON.stringify(v)}`);
  return elems.map((e) => {
    if (e === null || typeof e !== 'object' || !('#model' in e)) throw new Error(`${what} holds ${JSON.stringify(e)}, not a model value`);
    return (e as { '#model': string })['#model'];
  });
}

/** Every condition for every element of its set; `elements` evaluates a constant. */
export function instances(conditions: readonly FairnessCondition[], elements: (set: string) => string[]): FairnessInstance[] {
  return conditions.flatMap((c) => elements(c.set).map((actor) => ({ ...c, actor })));
}

/** The entries of a function value keyed by model values, as name → value key. */
function modelKeyed(fn: TlaValue | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (fn !== null && typeof fn === 'object' && '#map' in fn)
    for (const [k, v] of (fn as { '#map': [TlaValue, TlaValue][] })['#map'])
      if (k !== null && typeof k === 'object' && '#model' in k) out.set((k as { '#model': string })['#model'], valueKey(v));
  return out;
}

/**
 * Who takes an abstract step a → b: the one element of `among` whose entry changed in the
 * promise's per-user and per-task variables (pin[u] for EndDma(u), pending[t] for Apply(t)), or ""
 * when none or several did. The promise's actions are parameterised by the one task they change,
 * as DaxDma's are (conformance/oracle/step-action.ts stepActor reads the concrete side so).
 */
export function abstractActor(a: TlaState, b: TlaState, among: ReadonlySet<string>): string {
  const changed = new Set<string>();
  for (const v of Object.keys(a)) {
    const before = modelKeyed(a[v]);
    for (const [k, val] of modelKeyed(b[v])) if (among.has(k) && before.get(k) !== val) changed.add(k);
  }
  return changed.size === 1 ? [...changed][0]! : '';
}
