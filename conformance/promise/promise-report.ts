// Why a concrete step maps to no step of the promise, in one line: the abstract action it resembles
// (by the abstract variables it changes) and the guard of spec/DaxAbstract.tla it breaks, the
// guard evaluated by the embedded engine on the abstract state so that the words follow the
// module. And the refinement check's result as text.
import type { Explorer } from '../../lib/embedded/explorer.ts';
import { formatValue, valueKey } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import type { FairLasso, LassoStep } from './promise-liveness-part.ts';
import type { PromiseCheckResult } from './promise-refinement.ts';

const NO_PIN = valueKey([]);

/** The keys whose values differ between two function values (both #map, or both empty). */
function changedKeys(a: TlaValue | undefined, b: TlaValue | undefined): [TlaValue, TlaValue, TlaValue][] {
  const entries = (v: TlaValue | undefined): [TlaValue, TlaValue][] =>
    v !== null && typeof v === 'object' && '#map' in v ? (v as { '#map': [TlaValue, TlaValue][] })['#map'] : [];
  const after = new Map(entries(b).map(([k, v]) => [valueKey(k), v]));
  return entries(a)
    .filter(([k, v]) => valueKey(after.get(valueKey(k)) ?? []) !== valueKey(v))
    .map(([k, v]) => [k, v, after.get(valueKey(k))!]);
}

/** The abstract action a step from `a` to `b` resembles and the guard it breaks. */
export function explainBrokenStep(promise: Explorer, a: TlaState, b: TlaState): string {
  const t = (v: TlaValue): string => formatValue(v);
  const eval_ = (expr: string): string => t(promise.evaluate(a, expr));
  const changed = ['owner', 'free', 'pin', 'pending'].filter((v) => valueKey(a[v]!) !== valueKey(b[v]!));
  const pending = changedKeys(a.pending, b.pending);
  const pins = changedKeys(a.pin, b.pin);
  const what = `changes ${changed.join(', ')}`;
  if (pending.length === 1 && pins.length === 0) {
    const [task, before, after] = pending[0]!;
    if ((before as { op?: string }).op === 'none') {
      if (changed.length > 1) return `Request(${t(task)}, ...) changes pending only; this step ${what}`;
      return `Request(${t(task)}, ${t(after)}) needs ${t(after)} \\in Ops: ${eval_(`${t(after)} \\in Ops`)}`;
    }
    const op = t(before);
    const inTheWay = promise.evaluate(a, `InTheWay(${op})`);
    if (valueKey(inTheWay) !== valueKey({ '#set': [] }))
      return `Apply(${t(task)}) needs InTheWay(${op}) = {}: ${t(inTheWay)} pin blocks it frees or moves (pin = ${t(a.pin!)})`;
    return `Apply(${t(task)}) leaves owner[${t((before as { file: TlaValue }).file)}] = After(op) = ${eval_(`After(${op})`)} and frees what it no longer owns; this step ${what}: owner ${t(a.owner!)} -> ${t(b.owner!)}, free ${t(a.free!)} -> ${t(b.free!)}`;
  }
  if (pins.length === 1 && pending.length === 0) {
    const [user, before, after] = pins[0]!;
    if (valueKey(before) === NO_PIN && Array.isArray(after) && changed.length === 1) {
      const [f, o, blk] = after as [TlaValue, TlaValue, TlaValue];
      return `Gup(${t(user)}, ${t(f)}, ${t(o)}) pins the block (${t(f)}, ${t(o)}) owns, owner[${t(f)}][${t(o)}] = ${eval_(`owner[${t(f)}][${t(o)}]`)}; this step pins ${t(blk)}`;
    }
    if (Array.isArray(after) && after.length === 0 && changed.length === 1) return `EndDma(${t(user)}) is always possible: unexpected`;
    return `no action of the promise moves pin[${t(user)}] from ${t(before)} to ${t(after)}${changed.length > 1 ? ` and ${what}` : ''}`;
  }
  if (pending.length === 0 && pins.length === 0 && changed.includes('owner')) {
    return `only Fault(f, o, b) (a hole gets a free block) and Apply change owner without a pending operation; this step ${what}: owner ${t(a.owner!)} -> ${t(b.owner!)}, free ${t(a.free!)} -> ${t(b.free!)}`;
  }
  return `no action of the promise ${what} in one step`;
}

const VERDICT: Record<PromiseCheckResult['verdict'], string> = {
  holds: 'holds',
  AbsSafety: 'AbsSafety violated',
  AbsFairness: 'AbsFairness violated',
  deadlock: 'deadlock',
};

/** The result as lines of text: the verdict, the sizes, and what broke. */
export function formatPromiseResult(config: string, r: PromiseCheckResult): string[] {
  const part = r.liveness ? 'safety and liveness parts' : 'safety part';
  const head = `${config}: refinement of the promise (${part}, state graphs): ${VERDICT[r.verdict]}; ${r.states.toLocaleString('en-US')} states, ${r.edges.toLocaleString('en-US')} edges, ${r.abstractStates.toLocaleString('en-US')} abstract states, ${r.seconds.toFixed(1)} s`;
  if (r.badInit)
    return [head, `  the initial state maps to ${formatValue(r.badInit.abs as TlaValue)}, not an initial state of the promise`];
  if (r.deadlock) return [head, `  a state at depth ${r.deadlock.depth} has no successor (the cfg checks deadlock)`];
  if (r.lasso) return [head, ...formatLasso(r.lasso)];
  if (!r.broken) return [head];
  const b = r.broken;
  return [
    head,
    `  step ${b.depth} of a shortest behaviour, ${b.action}, maps to no step of the promise:`,
    `    ${b.guard}`,
    `  abstract state before: ${formatValue(b.absFrom as TlaValue)}`,
    `  abstract state after:  ${formatValue(b.absTo as TlaValue)}`,
  ];
}

/** A fair lasso breaking the promise's fairness: the condition, the prefix and the cycle (each
 *  concrete step with the abstract step it maps to), and why DaxDma's fairness holds on it. */
function formatLasso(l: FairLasso): string[] {
  const line = (s: LassoStep, i: number): string => `    ${String(i).padStart(3)}. ${s.action.padEnd(28)} ~> ${s.absStep}`;
  const entry = l.prefix.at(-1)!;
  return [
    `  a fair behaviour of DaxDma whose image breaks ${l.broken}:`,
    `    ${l.why}`,
    `  prefix, ${l.prefix.length - 1} steps from the initial state (concrete step ~> abstract step):`,
    ...l.prefix.map(line),
    l.cycle.length === 0
      ? `  then it stutters in state ${l.prefix.length} for ever`
      : `  cycle, ${l.cycle.length} steps from state ${l.prefix.length} back to it:`,
    ...l.cycle.map((s, i) => line(s, l.prefix.length + i)),
    `  abstract state on the cycle's entry: ${formatValue(entry.abs as TlaValue)}`,
    `  DaxDma's fairness holds on it: ${l.fairness.join('; ')}`,
  ];
}
