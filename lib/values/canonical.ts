// Normal form, ordering and equality for canonical TLA+ values (see value.ts), so that values
// from TLC, the embedded engine and the refinement mapping compare by plain structural equality.
import type { TlaRecord, TlaState, TlaValue } from './value.ts';

/** Stable text key of a value in normal form: equal values have equal keys. */
export function valueKey(v: TlaValue): string {
  return JSON.stringify(v);
}

function isTagged(v: object, tag: string): boolean {
  return Object.prototype.hasOwnProperty.call(v, tag) && Object.keys(v).length === 1;
}

// States known to be in normal form (normalizeState's results), so that normalising one again
// costs a lookup, not a walk. Values are not marked: a WeakSet add per node costs more than the
// walk it saves; builders that know their parts are normal pass `trusted` instead.
const NORMAL = new WeakSet<object>();

function markNormal<T extends TlaValue>(v: T): T {
  return v;
}

/** Sort key of a normal-form value: numbers by value, everything else by its JSON text. */
function sortKey(v: TlaValue): string {
  if (typeof v === 'number') return `n${(v + 2 ** 52).toString(36).padStart(12, '0')}`;
  // Model values are the commonest keys (files, blocks, tasks): spare them JSON.stringify.
  if (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as { '#model'?: unknown })['#model'] === 'string' &&
    Object.keys(v).length === 1
  ) {
    return `m${(v as { '#model': string })['#model']}`;
  }
  return `j${valueKey(v)}`;
}

function byKey<T>(entries: [string, T][]): [string, T][] {
  return entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Builds a function value from (key, value) pairs and brings it to normal form: a domain 1..n
 *  becomes a sequence, a non-empty domain of strings a record, anything else a sorted #map.
 *  `trusted`: keys and values are in normal form already (built by these functions). */
export function makeFunction(pairs: [TlaValue, TlaValue][], trusted = false): TlaValue {
  const norm = trusted ? pairs : pairs.map(([k, v]) => [normalize(k), normalize(v)] as [TlaValue, TlaValue]);
  if (norm.length === 0) return markNormal([]);
  if (norm.every(([k]) => typeof k === 'number')) {
    const sorted = [...norm].sort((x, y) => (x[0] as number) - (y[0] as number));
    if (sorted.every(([k], i) => k === i + 1)) return markNormal(sorted.map(([, v]) => v));
  }
  if (norm.every(([k]) => typeof k === 'string' && !k.startsWith('#'))) {
    const rec: TlaRecord = {};
    for (const [, [k, v]] of byKey(norm.map((p) => [p[0] as string, p] as [string, [TlaValue, TlaValue]]))) rec[k as string] = v;
    return markNormal(rec);
  }
  const sorted = byKey(norm.map((p) => [sortKey(p[0]), p] as [string, [TlaValue, TlaValue]]));
  const out: [TlaValue, TlaValue][] = [];
  let last: string | undefined;
  for (const [k, p] of sorted) {
    if (k === last) continue;
    last = k;
    out.push(p);
  }
  return markNormal({ '#map': out });
}

/** Builds a set value in normal form (elements normalised, sorted, duplicates removed).
 *  `trusted`: the elements are in normal form already (built by these functions). */
export function makeSet(elems: TlaValue[], trusted = false): TlaValue {
  const sorted = byKey(
    elems.map((e) => {
      const n = trusted ? e : normalize(e);
      return [sortKey(n), n] as [string, TlaValue];
    }),
  );
  const out: TlaValue[] = [];
  let last: string | undefined;
  for (const [k, v] of sorted) {
    if (k === last) continue;
    last = k;
    out.push(v);
  }
  return markNormal({ '#set': out });
}

/** Brings any canonical-shaped value to normal form. Accepts ITF's {"#tup": [...]} as a sequence. */
export function normalize(v: TlaValue | { '#tup': TlaValue[] }): TlaValue {
  if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v;
  if (Array.isArray(v)) return markNormal(v.map((e) => normalize(e)));
  if (isTagged(v, '#bigint')) {
    const n = Number((v as { '#bigint': string })['#bigint']);
    return Number.isSafeInteger(n) ? n : markNormal(v as TlaValue);
  }
  if (isTagged(v, '#model')) return markNormal(v as TlaValue);
  if (isTagged(v, '#tup')) return markNormal((v as { '#tup': TlaValue[] })['#tup'].map((e) => normalize(e)));
  if (isTagged(v, '#set')) return makeSet((v as { '#set': TlaValue[] })['#set']);
  if (isTagged(v, '#map')) return makeFunction((v as { '#map': [TlaValue, TlaValue][] })['#map']);
  const rec = v as TlaRecord;
  return makeFunction(Object.keys(rec).map((k) => [k, rec[k] as TlaValue]));
}

/** Normal form of every variable of a state. */
export function normalizeState(s: TlaState): TlaState {
  if (NORMAL.has(s)) return s;
  const out: TlaState = {};
  for (const k of Object.keys(s).sort()) out[k] = normalize(s[k] as TlaValue);
  NORMAL.add(out);
  return out;
}

/** A state of values already in normal form (normalize's results), marked as normal so that
 *  normalizeState returns it as it is: readers that share one parsed value between the many
 *  states that hold it (a graph's DOT dump) skip the walk. */
export function stateOfNormalValues(values: Map<string, TlaValue>): TlaState {
  const out: TlaState = {};
  for (const k of [...values.keys()].sort()) out[k] = values.get(k)!;
  NORMAL.add(out);
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
  return `[${Object.keys(rec)
    .map((k) => `${field(k)} |-> ${formatValue(rec[k] as TlaValue)}`)
    .join(', ')}]`;
}
