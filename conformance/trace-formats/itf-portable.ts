// ITF that other tools read as it is: Quint's ITF loader (quint/src/itf.ts) and the itf-rs crate,
// following Apalache's ADR-015. Unlike the corpus format (itf.ts), no extension: a TLC model value
// is a value of Apalache's uninterpreted type MODEL ("u1_OF_MODEL"), integers are {"#bigint"},
// "#meta" values are strings, and actions travel as Quint's mbt::actionTaken / mbt::nondetPicks.
import type { TraceStep } from '../../lib/result/check-result.ts';
import type { TlaRecord, TlaValue } from '../../lib/values/value.ts';
import { ITF_DESCRIPTION_URL } from './itf.ts';
import type { SpecTrace } from './spec-trace.ts';

/** The uninterpreted type TLC's (untyped, mutually comparable) model values get. */
const MODEL_TYPE = 'MODEL';

/** A canonical value in portable ITF. */
function portableValue(v: TlaValue): unknown {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return { '#bigint': String(v) };
  if (Array.isArray(v)) return v.map(portableValue);
  if ('#bigint' in v) return v;
  if ('#model' in v) return `${(v as { '#model': string })['#model']}_OF_${MODEL_TYPE}`;
  if ('#set' in v) return { '#set': (v as { '#set': TlaValue[] })['#set'].map(portableValue) };
  if ('#map' in v)
    return { '#map': (v as { '#map': [TlaValue, TlaValue][] })['#map'].map(([k, x]) => [portableValue(k), portableValue(x)]) };
  const rec = v as TlaRecord;
  return Object.fromEntries(Object.keys(rec).map((k) => [k, portableValue(rec[k] as TlaValue)]));
}

/**
 * Writes a trace as portable ITF. `meta` lands in the top-level "#meta" (values as strings);
 * `params` lists every action parameter name of the spec (each state's mbt::nondetPicks has all
 * of them, Some where the step's action has it). One state per line.
 */
export function writePortableItf(
  trace: Pick<SpecTrace, 'steps' | 'loopsBackTo'>,
  meta: Record<string, unknown>,
  variables: string[],
  params: string[],
): string {
  const head: Record<string, string> = { format: 'ITF', 'format-description': ITF_DESCRIPTION_URL };
  for (const [k, v] of Object.entries(meta)) head[k] = typeof v === 'string' ? v : JSON.stringify(v);
  const names = [...new Set([...params, ...trace.steps.flatMap((s) => Object.keys(s.params ?? {}))])].sort();
  const picks = (s: TraceStep): Record<string, unknown> =>
    Object.fromEntries(
      names.map((p) => [
        p,
        s.params && p in s.params ? { tag: 'Some', value: portableValue(s.params[p] as TlaValue) } : { tag: 'None', value: { '#tup': [] } },
      ]),
    );
  const states = trace.steps.map((s, i) => {
    const o: Record<string, unknown> = { '#meta': { index: i } };
    for (const v of variables) o[v] = portableValue(s.state[v] as TlaValue);
    o['mbt::actionTaken'] = i === 0 ? 'init' : (s.action ?? '');
    o['mbt::nondetPicks'] = picks(s);
    return JSON.stringify(o);
  });
  const lines = [
    `{"#meta": ${JSON.stringify(head)},`,
    ` "vars": ${JSON.stringify([...variables, 'mbt::actionTaken', 'mbt::nondetPicks'])},`,
  ];
  lines.push(` "states": [\n  ${states.join(',\n  ')}\n ]${trace.loopsBackTo !== undefined ? ',' : ''}`);
  if (trace.loopsBackTo !== undefined) lines.push(` "loop": ${trace.loopsBackTo - 1}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
