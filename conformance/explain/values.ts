// Read access to canonical state values (lib/values/value.ts) for the explanations: apply a
// function to model-value or integer keys, list a domain or a set, and print values the short way
// people read them in a counterexample (b1, f1:0, "none" for no block). Not tied to TLC.
import { formatValue, valueKey } from '../../lib/values/canonical.ts';
import type { TlaRecord, TlaValue } from '../../lib/values/value.ts';

/** A key given as a model-value name ("u1") or an integer (an offset), or a value. */
export type Key = string | number | TlaValue;

function keyValue(k: Key): TlaValue {
  return typeof k === 'string' ? { '#model': k } : k;
}

function isTagged(v: TlaValue | undefined, tag: string): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && tag in v;
}

/** f[k1][k2]...: undefined where a key is not in the domain (never throws). */
export function at(v: TlaValue | undefined, ...keys: Key[]): TlaValue | undefined {
  let cur = v;
  for (const k of keys) {
    if (cur === undefined) return undefined;
    const kv = keyValue(k);
    if (Array.isArray(cur)) cur = typeof kv === 'number' ? cur[kv - 1] : undefined;
    else if (isTagged(cur, '#map')) {
      const want = valueKey(kv);
      cur = (cur as { '#map': [TlaValue, TlaValue][] })['#map'].find(([x]) => valueKey(x) === want)?.[1];
    } else if (typeof cur === 'object' && cur !== null && !isTagged(cur, '#set') && !isTagged(cur, '#model') && typeof k === 'string') {
      // A record: its fields are strings, whatever model value the name would otherwise stand for.
      cur = (cur as TlaRecord)[k];
    } else cur = undefined;
  }
  return cur;
}

/** The domain of a function as values (empty for anything that is not a function). */
export function domain(v: TlaValue | undefined): TlaValue[] {
  if (Array.isArray(v)) return v.map((_, i) => i + 1);
  if (isTagged(v, '#map')) return (v as { '#map': [TlaValue, TlaValue][] })['#map'].map(([k]) => k);
  if (typeof v === 'object' && v !== null && !isTagged(v, '#set') && !isTagged(v, '#model') && !isTagged(v, '#bigint'))
    return Object.keys(v);
  return [];
}

/** The elements of a set (empty for anything that is not a set). */
export function members(v: TlaValue | undefined): TlaValue[] {
  return isTagged(v, '#set') ? (v as { '#set': TlaValue[] })['#set'] : [];
}

/** Is `x` an element of the set `s`? */
export function isMember(s: TlaValue | undefined, x: Key): boolean {
  const want = valueKey(keyValue(x));
  return members(s).some((e) => valueKey(e) === want);
}

/** The name of a model value, or undefined. */
export function modelName(v: TlaValue | undefined): string | undefined {
  return isTagged(v, '#model') ? (v as { '#model': string })['#model'] : undefined;
}

/** Is this the spec's "nothing" (the model value None, or the empty tuple NoTarget)? */
export function isNothing(v: TlaValue | undefined): boolean {
  return v === undefined || modelName(v) === 'None' || (Array.isArray(v) && v.length === 0);
}

/** A value the short way: b1, f1:0 for a (file, offset) pair, {u1, u2}, "none" for None or <<>>. */
export function show(v: TlaValue | undefined): string {
  if (v === undefined) return '?';
  if (isNothing(v)) return 'none';
  if (Array.isArray(v) && v.length === 2 && modelName(v[0]) !== undefined && typeof v[1] === 'number') return `${modelName(v[0])}:${v[1]}`;
  if (isTagged(v, '#set')) return members(v).length === 0 ? 'nobody' : members(v).map(show).join(', ');
  return formatValue(v);
}

/** Values equal as canonical values. */
export function same(a: TlaValue | undefined, b: TlaValue | undefined): boolean {
  return a !== undefined && b !== undefined && valueKey(a) === valueKey(b);
}
