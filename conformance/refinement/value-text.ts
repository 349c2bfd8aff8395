// The key of a TLA+ value: one string per value, equal exactly for values equal in normal form,
// whatever canonical shape they arrive in (lib/values/value.ts). Replay compares mapped states by
// these keys (state-key.ts), and the mapping's encodings (mapping-encodings.ts) write them.
import type { TlaValue } from '../../lib/values/value.ts';

/**
 * The key of a TLA+ value in any canonical shape, normal form or not: equal values have equal
 * keys. Every function (sequence, tuple, record, #map) is written as its sorted key:value pairs,
 * so that <<a, b>>, (1 :> a @@ 2 :> b) and a TLC record all meet.
 */
export function valueText(v: TlaValue | { '#tup': TlaValue[] }): string {
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return sequenceText(v);
  const o = v as Record<string, unknown>;
  if (typeof o['#model'] === 'string') return `@${o['#model']}`;
  if (typeof o['#bigint'] === 'string') {
    const n = Number(o['#bigint']);
    return Number.isSafeInteger(n) ? String(n) : o['#bigint'];
  }
  // {a, a} is {a}: a set's duplicates go, as makeSet drops them.
  if (Array.isArray(o['#set'])) return `{${unique(sorted((o['#set'] as TlaValue[]).map(valueText))).join(',')}}`;
  if (Array.isArray(o['#tup'])) return sequenceText(o['#tup'] as TlaValue[]);
  if (Array.isArray(o['#map']))
    return `(${sorted((o['#map'] as [TlaValue, TlaValue][]).map(([k, x]) => `${valueText(k)}:${valueText(x)}`)).join(',')})`;
  const fields: string[] = [];
  for (const k in o) fields.push(`${quoted(k)}:${valueText(o[k] as TlaValue)}`);
  return `(${sorted(fields).join(',')})`;
}

const QUOTED = new Map<string, string>();

/** JSON.stringify of a record field name, memoised: a spec has few field names. */
function quoted(k: string): string {
  let q = QUOTED.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (QUOTED.size < 4096) QUOTED.set(k, q);
  }
  return q;
}

function sequenceText(v: readonly TlaValue[]): string {
  return `(${sorted(v.map((x, i) => `${i + 1}:${valueText(x)}`)).join(',')})`;
}

/** Drops adjacent repeats of a sorted list (in place). */
function unique(xs: string[]): string[] {
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (i === 0 || xs[i] !== xs[n - 1]) xs[n++] = xs[i]!;
  xs.length = n;
  return xs;
}

/** Sorts in place unless already sorted (the common case for normal-form input). */
export function sorted(xs: string[]): string[] {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! > xs[i]!) return xs.sort();
  return xs;
}
