// Conversion between tla-checker's JSON encoding of TLA+ values and the canonical TlaValue.
// Stands for tla-rs's trace_io.rs (value_to_json / json_to_value), read and written from TypeScript.
import { makeFunction, makeSet, normalize } from '../values/canonical.ts';
import type { TlaRecord, TlaState, TlaValue } from '../values/value.ts';

/**
 * A value as tla-checker encodes it in JSON: sets are arrays, records plain objects, tuples
 * {"__tuple": [...]}, functions {"__fn": [[k, v], ...]}, model values {"__model": name}.
 */
export type EngineJson =
  | boolean
  | number
  | string
  | EngineJson[]
  | { __tuple: EngineJson[] }
  | { __fn: [EngineJson, EngineJson][] }
  | { __model: string }
  | { [field: string]: EngineJson };

/** A value tla-checker cannot receive or that did not come from it. */
class EngineJsonError extends Error {
  override readonly name = 'EngineJsonError';
}

function only(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key) && Object.keys(o).length === 1;
}

/** Converts a tla-checker JSON value to a canonical value in normal form. */
export function jsonToTla(v: EngineJson): TlaValue {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    // JSON.parse has already rounded integers beyond 2^53; such a value cannot be trusted.
    if (!Number.isSafeInteger(v)) throw new EngineJsonError(`integer ${v} is outside the exactly representable range`);
    return v;
  }
  if (Array.isArray(v)) return makeSet(v.map(jsonToTla));
  if (v === null || typeof v !== 'object') throw new EngineJsonError(`not a tla-checker value: ${JSON.stringify(v)}`);
  if (only(v, '__model')) return { '#model': String((v as { __model: string }).__model) };
  if (only(v, '__tuple')) return normalize((v as { __tuple: EngineJson[] }).__tuple.map(jsonToTla));
  if (only(v, '__fn')) {
    return makeFunction((v as { __fn: [EngineJson, EngineJson][] }).__fn.map(([k, x]) => [jsonToTla(k), jsonToTla(x)]));
  }
  const rec = v as Record<string, EngineJson>;
  return makeFunction(Object.keys(rec).map((k) => [k, jsonToTla(rec[k] as EngineJson)]));
}

/** Converts a canonical value to tla-checker's JSON encoding (what explore_next reads). */
export function tlaToJson(v: TlaValue): EngineJson {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    // tla-checker silently drops a non-integer where it expects a value.
    if (!Number.isSafeInteger(v)) throw new EngineJsonError(`${v} is not an integer tla-checker can read`);
    return v;
  }
  if (Array.isArray(v)) return { __tuple: v.map(tlaToJson) };
  const o = v as Record<string, unknown>;
  if (only(o, '#bigint')) {
    const n = Number(o['#bigint']);
    if (!Number.isSafeInteger(n)) throw new EngineJsonError(`integer ${String(o['#bigint'])} cannot be passed to tla-checker exactly`);
    return n;
  }
  if (only(o, '#model')) return { __model: o['#model'] as string };
  if (only(o, '#set')) return (o['#set'] as TlaValue[]).map(tlaToJson);
  if (only(o, '#map')) return { __fn: (o['#map'] as [TlaValue, TlaValue][]).map(([k, x]) => [tlaToJson(k), tlaToJson(x)]) };
  if (only(o, '#tup')) return { __tuple: (o['#tup'] as TlaValue[]).map(tlaToJson) };
  const rec = v as TlaRecord;
  const out: Record<string, EngineJson> = {};
  for (const k of Object.keys(rec)) out[k] = tlaToJson(rec[k] as TlaValue);
  return out;
}

/** Converts a tla-checker JSON state (one value per variable) to a canonical state. */
export function jsonToState(s: Record<string, EngineJson>): TlaState {
  const out: TlaState = {};
  for (const k of Object.keys(s).sort()) out[k] = jsonToTla(s[k] as EngineJson);
  return out;
}

/** Converts a canonical state to tla-checker's JSON state encoding. */
export function stateToJson(s: TlaState): Record<string, EngineJson> {
  const out: Record<string, EngineJson> = {};
  for (const k of Object.keys(s)) out[k] = tlaToJson(s[k] as TlaValue);
  return out;
}
