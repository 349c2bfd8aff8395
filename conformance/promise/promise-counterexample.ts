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
import type { Explorer } from '../../lib/embedded/explorer.ts';
import { conditionText } from './fairness.ts';
import { promiseFairness } from './promise-liveness-part.ts';
import { abstractState, MAPPING_PCS_EXPRESSION, mappingPcsFrom } from './promise-mapping.ts';
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
    return explainLasso(cex, abs, promise, specDir);
  } finally {
    done();
  }
}

/** The fairness conditions of DaxAbstract the lasso's loop violates (read from its Fairness, with
 *  the same steps and ENABLED as the graph check's liveness part, promise-liveness.ts). */
function explainLasso(cex: Counterexample, abs: TlaState[], promise: Explorer, specDir: string): string[] {
  const stutters = cex.ending === 'stuttering' || cex.loopsBackTo === undefined;
  const from = stutters ? abs.length : cex.loopsBackTo!;
  const loop = abs.slice(from - 1);
  const where = stutters ? `from state ${from} on, stuttering` : `on the loop of states ${from} .. ${abs.length}`;
  const { abstract, steps } = promiseFairness(promise, abs[0]!, specDir);
  const key = (s: TlaState): string => valueKey(s as TlaValue);
  // The loop's steps: each state to the next, and (a loop, not a stutter) the last back to the first.
  const pairs = loop.slice(0, -1).map((s, i) => [s, loop[i + 1]!] as const);
  if (!stutters) pairs.push([loop.at(-1)!, loop[0]!]);
  const out: string[] = [];
  for (const c of abstract) {
    const its = (t: { action: string; actor: string }): boolean => t.action === c.action && t.actor === c.actor;
    const enabled = loop.filter((s) => steps(s).some((t) => its(t) && t.key !== key(s))).length;
    const taken = pairs.some(([a, b]) => key(a) !== key(b) && steps(a).some((t) => its(t) && t.key === key(b)));
    if (taken || enabled === 0 || (c.kind === 'WF' && enabled < loop.length)) continue;
    const forbids = `${conditionText(c)} forbids it`;
    const value = (v: string): string =>
      formatValue(fnEntries(loop[0]!, v).find(([k]) => (k as { '#model'?: string })['#model'] === c.actor)![1]);
    if (c.action === 'EndDma') out.push(`${where}, ${c.actor}'s pin ${value('pin')} never ends: ${forbids}`);
    else
      out.push(
        `${where}, ${c.action === 'Apply' ? `${c.actor}'s ${value('pending')} is pending and ` : ''}${c.action}(${c.actor}) is enabled in ${enabled} of ${loop.length} states, never taken: ${forbids}`,
      );
  }
  return out.length > 0 ? out : [`${where}: no fairness condition of the promise is found violated on the mapped loop`];
}

function fnEntries(s: TlaState, v: string): [TlaValue, TlaValue][] {
  return (s[v] as { '#map'?: [TlaValue, TlaValue][] } | undefined)?.['#map'] ?? [];
}
