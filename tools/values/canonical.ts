// Normal form, ordering and equality for canonical TLA+ values (see value.ts), so that values
// from TLC, the embedded engine and the refinement mapping compare by plain structural equality.
import type { TlaRecord, TlaState, TlaValue } from './value.ts';

/** Stable text key of a value in normal form: equal values have equal keys. */
export function valueKey(v: TlaValue): string {
  return JSON.stringify(v);
}

/** Total order on normal-form values (by key), used to sort set elements and map domains. */
export function compareValues(a: TlaValue, b: TlaValue): number {
  const ka = valueKey(a);
  const kb = valueKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function isTagged(v: object, tag: string): boolean {
  return Object.prototype.hasOwnProperty.call(v, tag) && Object.keys(v).length === 1;
}

/** Builds a function value from (key, value) pairs and brings it to normal form: a domain 1..n
 *  becomes a sequence, a non-empty domain of strings a record, anything else a sorted #map. */
export function makeFunction(pairs: [TlaValue, TlaValue][]): TlaValue {
  const norm = pairs.map(([k, v]) => [normalize(k), normalize(v)] as [TlaValue, TlaValue]);
  if (norm.length === 0) return [];
  const ints = norm.every(([k]) => typeof k === 'number');
  if (ints) {
    const sorted = [...norm].sort((x, y) => (x[0] as number) - (y[0] as number));
    if (sorted.every(([k], i) => k === i + 1)) return sorted.map(([, v]) => v);
  }
  if (norm.every(([k]) => typeof k === 'string' && !k.startsWith('#'))) {
    const rec: TlaRecord = {};
    for (const [k, v] of [...norm].sort(compareValues2)) rec[k as string] = v;
    return rec;
  }
  return { '#map': dedupeSorted(norm.sort(compareValues2)) };
}

function compareValues2(a: [TlaValue, TlaValue], b: [TlaValue, TlaValue]): number {
  return compareValues(a[0], b[0]);
}

function dedupeSorted(pairs: [TlaValue, TlaValue][]): [TlaValue, TlaValue][] {
  const out: [TlaValue, TlaValue][] = [];
  for (const p of pairs) {
    const last = out[out.length - 1];
    if (last && valueKey(last[0]) === valueKey(p[0])) continue;
    out.push(p);
  }
  return out;
}

/** Builds a set value in normal form (elements normalised, sorted, duplicates removed). */
export function makeSet(elems: TlaValue[]): TlaValue {
  const byKey = new Map<string, TlaValue>();
  for (const e of elems) {
    const n = normalize(e);
    byKey.set(valueKey(n), n);
  }
  return { '#set': [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v) };
}

/** Brings any canonical-shaped value to normal form. Accepts ITF's {"#tup": [...]} as a sequence. */
export function normalize(v: TlaValue | { '#tup': TlaValue[] }): TlaValue {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map((e) => normalize(e));
  if (isTagged(v, '#bigint')) {
    const n = Number((v as { '#bigint': string })['#bigint']);
    return Number.isSafeInteger(n) ? n : v as TlaValue;
  }
  if (isTagged(v, '#model')) return v as TlaValue;
  if (isTagged(v, '#tup')) return ((v as { '#tup': TlaValue[] })['#tup']).map((e) => normalize(e));
  if (isTagged(v, '#set')) return makeSet((v as { '#set': TlaValue[] })['#set']);
  if (isTagged(v, '#map')) return makeFunction((v as { '#map': [TlaValue, TlaValue][] })['#map']);
  const rec = v as TlaRecord;
  return makeFunction(Object.keys(rec).map((k) => [k, rec[k] as TlaValue]));
}

/** Normal form of every variable of a state. */
export function normalizeState(s: TlaState): TlaState {
  const out: TlaState = {};
  for (const k of Object.keys(s).sort()) out[k] = normalize(s[k] as TlaValue);
  return out;
}

/** Structural equality of two values in normal form. */
export function valuesEqual(a: TlaValue, b: TlaValue): boolean {
  return valueKey(a) === valueKey(b);
}

/** Prints a normal-form value as TLA+ text, in TLC's style. */
export function formatValue(v: TlaValue): string {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `<<${v.map(formatValue).join(', ')}>>`;
  if (isTagged(v, '#bigint')) return (v as { '#bigint': string })['#bigint'];
  if (isTagged(v, '#model')) return (v as { '#model': string })['#model'];
  if (isTagged(v, '#set')) return `{${(v as { '#set': TlaValue[] })['#set'].map(formatValue).join(', ')}}`;
  if (isTagged(v, '#map')) {
    const pairs = (v as { '#map': [TlaValue, TlaValue][] })['#map'];
    return `(${pairs.map(([k, x]) => `${formatValue(k)} :> ${formatValue(x)}`).join(' @@ ')})`;
  }
  const rec = v as TlaRecord;
  // A field that is not an identifier is printed quoted, which TLC's reader accepts.
  const field = (k: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k));
  return `[${Object.keys(rec).map((k) => `${field(k)} |-> ${formatValue(rec[k] as TlaValue)}`).join(', ')}]`;
}
