// Per-variable differences between two states of a behaviour, descending into functions, records
// and sequences so that a change reads `pte[f1][0]: b1 → None` rather than two whole functions.
import { formatValue, valueKey } from '../values/canonical.ts';
import type { TlaRecord, TlaState, TlaValue } from '../values/value.ts';

/** One changed location: the path from the variable down, and its old and new value. */
export interface ValueChange {
  path: string;
  before: string;
  after: string;
}

function entriesOf(v: TlaValue): Map<string, [string, TlaValue]> | null {
  if (Array.isArray(v)) return new Map(v.map((x, i) => [String(i + 1), [String(i + 1), x]]));
  if (typeof v !== 'object' || v === null) return null;
  if ('#map' in v) {
    const pairs = (v as { '#map': [TlaValue, TlaValue][] })['#map'];
    return new Map(pairs.map(([k, x]) => [valueKey(k), [formatValue(k), x]]));
  }
  if ('#set' in v || '#model' in v || '#bigint' in v) return null;
  const rec = v as TlaRecord;
  return new Map(Object.keys(rec).map((k) => [JSON.stringify(k), [k, rec[k] as TlaValue]]));
}

function isRecord(v: TlaValue): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => !k.startsWith('#'));
}

function diffValue(pathText: string, a: TlaValue | undefined, b: TlaValue | undefined, out: ValueChange[]): void {
  if (a !== undefined && b !== undefined && valueKey(a) === valueKey(b)) return;
  if (a !== undefined && b !== undefined) {
    const ea = entriesOf(a);
    const eb = entriesOf(b);
    // Descend only where both sides are functions over overlapping domains.
    if (ea && eb && ea.size > 0 && eb.size > 0 && [...ea.keys()].some((k) => eb.has(k))) {
      const rec = isRecord(a) && isRecord(b);
      const keys = new Set([...ea.keys(), ...eb.keys()]);
      for (const k of keys) {
        const label = (ea.get(k) ?? eb.get(k))![0];
        diffValue(rec ? `${pathText}.${label}` : `${pathText}[${label}]`, ea.get(k)?.[1], eb.get(k)?.[1], out);
      }
      return;
    }
    const sa = typeof a === 'object' && a !== null && '#set' in a ? (a as { '#set': TlaValue[] })['#set'] : null;
    const sb = typeof b === 'object' && b !== null && '#set' in b ? (b as { '#set': TlaValue[] })['#set'] : null;
    if (sa && sb) {
      const ka = new Set(sa.map(valueKey));
      const kb = new Set(sb.map(valueKey));
      const added = sb.filter((x) => !ka.has(valueKey(x))).map(formatValue);
      const removed = sa.filter((x) => !kb.has(valueKey(x))).map(formatValue);
      const parts = [...added.map((x) => `+${x}`), ...removed.map((x) => `-${x}`)];
      out.push({ path: pathText, before: formatValue(a), after: `${formatValue(b)}  (${parts.join(' ')})` });
      return;
    }
  }
  out.push({ path: pathText, before: a === undefined ? '(absent)' : formatValue(a), after: b === undefined ? '(absent)' : formatValue(b) });
}

/** The changes from one state to the next, variable by variable in name order. */
export function diffStates(before: TlaState, after: TlaState): ValueChange[] {
  const out: ValueChange[] = [];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const n of names) diffValue(n, before[n], after[n], out);
  return out;
}
