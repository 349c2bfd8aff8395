// What a TLC counterexample of the refinement (spec/RefineDaxDma.tla) breaks in the promise, in
// words: for AbsSafety, the first concrete step that maps to no abstract step and the guard it
// breaks; for AbsFairness, the loop of the lasso and the fairness condition of DaxAbstract it
// violates (an operation clear of pins again and again that never takes effect, or a pin that
// never ends). The same mapping and guards as the graph check (promise-refinement.ts).
import { readFileSync } from 'node:fs';
import { configFile, SPEC_DIR } from '../../lib/check/manifest.ts';
import type { Counterexample } from '../../lib/result/check-result.ts';
import { formatValue, valueKey } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { abstractState, MAPPING_PCS_EXPRESSION, mappingPcsFrom, NO_OP } from './promise-mapping.ts';
import { promiseEngines } from './promise-refinement.ts';
import { explainBrokenStep } from './promise-report.ts';

/** Lines explaining a refinement counterexample of `config` (a spec/models name or a .cfg path). */
export function explainRefinementCounterexample(config: string, cex: Counterexample, property: string, specDir = SPEC_DIR): string[] {
  const cfgText = readFileSync(config.endsWith('.cfg') ? config : configFile(config), 'utf8');
  const { mapper, promise, done } = promiseEngines(cfgText, specDir);
  try {
    const pcs = mappingPcsFrom(mapper.evaluate(cex.steps[0]!.state, MAPPING_PCS_EXPRESSION));
    const abs = cex.steps.map((s) => abstractState(s.state, pcs));
    const key = (s: TlaState): string => valueKey(s as TlaValue);
    if (property === 'AbsSafety') {
      if (!promise.initStates().some((s) => key(s) === key(abs[0]!))) return ['the initial state maps to no initial state of the promise'];
      for (let i = 0; i + 1 < abs.length; i++) {
        if (key(abs[i]!) === key(abs[i + 1]!)) continue;
        if (promise.successors(abs[i]!).some((s) => key(s) === key(abs[i + 1]!))) continue;
        return [
          `step ${i + 1} (${cex.steps[i + 1]!.action ?? '?'}) maps to no step of the promise: ${explainBrokenStep(promise, abs[i]!, abs[i + 1]!)}`,
        ];
      }
      return ['every step maps to a step of the promise or a stutter: the violation is not of AbsSafety'];
    }
    return explainLasso(cex, abs, promise.successors.bind(promise));
  } finally {
    done();
  }
}

/** The fairness condition of DaxAbstract the lasso's loop violates. */
function explainLasso(cex: Counterexample, abs: TlaState[], successors: (s: TlaState) => TlaState[]): string[] {
  const from = cex.ending === 'stuttering' || cex.loopsBackTo === undefined ? abs.length : cex.loopsBackTo;
  const loop = abs.slice(from - 1);
  const where = cex.ending === 'stuttering' ? `from state ${from} on, stuttering` : `on the loop of states ${from} .. ${abs.length}`;
  const fnEntries = (v: TlaValue | undefined): [TlaValue, TlaValue][] =>
    (v as { '#map': [TlaValue, TlaValue][] } | undefined)?.['#map'] ?? [];
  const same = (f: (s: TlaState) => string): boolean => loop.every((s) => f(s) === f(loop[0]!));
  const out: string[] = [];
  for (const [t, op] of fnEntries(loop[0]!.pending)) {
    if (valueKey(op) === valueKey(NO_OP) || !same((s) => valueKey(fnEntries(s.pending).find(([k]) => valueKey(k) === valueKey(t))![1])))
      continue;
    const applies = (s: TlaState): boolean =>
      successors(s).some((n) => valueKey(fnEntries(n.pending).find(([k]) => valueKey(k) === valueKey(t))![1]) === valueKey(NO_OP));
    const enabled = loop.filter(applies).length;
    if (enabled > 0)
      out.push(
        `${where}, ${formatValue(t)}'s ${formatValue(op)} is pending and Apply(${formatValue(t)}) is enabled in ${enabled} of ${loop.length} states, never taken: SF_vars(Apply(${formatValue(t)})) forbids it`,
      );
  }
  for (const [u, pin] of fnEntries(loop[0]!.pin)) {
    if (!Array.isArray(pin) || pin.length === 0) continue;
    if (same((s) => valueKey(fnEntries(s.pin).find(([k]) => valueKey(k) === valueKey(u))![1])))
      out.push(`${where}, ${formatValue(u)}'s pin ${formatValue(pin)} never ends: WF_vars(EndDma(${formatValue(u)})) forbids it`);
  }
  return out.length > 0 ? out : [`${where}: no fairness condition of the promise is found violated on the mapped loop`];
}
