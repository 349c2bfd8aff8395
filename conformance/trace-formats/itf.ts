// Reader and writer for ITF, the Informal Trace Format of Apalache and Quint
// (https://apalache-mc.org/docs/adr/015adr-trace.html), which is also the format of this
// project's trace corpus (conformance/traces/). Stands for Apalache's ITF writer / Quint's --out-itf.
//
// ITF: {"#meta": {...}?, "params": [...]?, "vars": ["x", ...], "states": [{"#meta": {...}?,
// "x": value, ...}, ...], "loop": k?}. Values: booleans, strings, integers (numbers, or
// {"#bigint": "123"} beyond 2^53), arrays (sequences), {"#tup": [...]}, {"#set": [...]},
// {"#map": [[k, v], ...]}, {"#unserializable": "text"}, and objects (records).
//
// Action names and parameters are read, in this order of preference, from
//  1. each state's "#meta": {"index": i, "action": "GupFastReadPte", "params": {"u": v, ...}}
//     -- the corpus format, below;
//  2. the variables Quint's --mbt adds: "mbt::actionTaken" (string) and "mbt::nondetPicks"
//     (record of {"tag": "Some", "value": v} / {"tag": "None", ...}), or the older
//     "action_taken" / "nondet_picks"; these are not spec variables and are dropped from states;
//  3. nowhere: action null.
//
// The corpus format (writeItf) is ITF with:
//  - "#meta" at the top: "format": "ITF", "format-description" (the ADR above), "description",
//    and whatever the writer is given (config, engine, spec hash, ...);
//  - "vars": the spec's variables in declaration order;
//  - every state's "#meta": {"index": i (0-based, ITF's convention; TraceStep.index is i + 1),
//    "action": the spec action that led into the state ("Init" for the first), "params": the
//    action's parameters by name (ITF values), when it has any};
//  - "loop": the 0-based index the last state loops back to, for a lasso;
//  - values in the canonical encoding of lib/values/value.ts, i.e. ITF plus one extension:
//    {"#model": "u1"} for a TLC model value (ITF has no model values; a strict ITF reader sees
//    a record with a reserved field name). One state per line, so that diffs stay readable.
import type { TraceStep } from '../../lib/result/check-result.ts';
import { makeFunction, makeSet, normalize, valueKey } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { checkTrace } from './schema.ts';
import { isUnsafeName } from '../../lib/values/safe-keys.ts';
import { parseJson, parseJsonElement, splitTopLevelArray } from './json-input.ts';
import { type ReadOptions, type SpecTrace, TraceFormatError, excerpt, quote } from './spec-trace.ts';

/** The ITF specification the files follow. */
export const ITF_DESCRIPTION_URL = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

const ACTION_VARS = ['mbt::actionTaken', 'action_taken'];
const PICKS_VARS = ['mbt::nondetPicks', 'nondet_picks'];
// Values nested deeper than this are refused rather than risking a stack overflow.
const MAX_DEPTH = 200;

// `models`: the config's model values, which Apalache-style strings "u1_OF_T" are read as.
type Where = { source: string; step?: number; variable?: string; models?: ReadonlySet<string> };

/** The model value an Apalache uninterpreted-type string stands for ("u1_OF_MODEL" -> u1). */
function uninterpretedName(s: string): string | undefined {
  // Split at the last "_OF_" rather than one backtracking regex, which is quadratic on long strings.
  const at = s.lastIndexOf('_OF_');
  if (at < 0) return undefined;
  const name = s.slice(0, at);
  return isIdentifier(name) && /^[A-Z_][A-Z0-9_]*$/.test(s.slice(at + 4)) ? name : undefined;
}

/** A TLA+ identifier: word characters with at least one letter (linear time on any input). */
function isIdentifier(s: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(s) && /[A-Za-z]/.test(s);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Converts an ITF value to a canonical value in normal form. @throws TraceFormatError */
function itfValue(v: unknown, where: Where, depth = 0): TlaValue {
  const fail = (reason: string): never => {
    throw new TraceFormatError(where, reason);
  };
  if (depth > MAX_DEPTH) fail(`value nested deeper than ${MAX_DEPTH} levels`);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const model = where.models ? uninterpretedName(v) : undefined;
    return model !== undefined && where.models!.has(model) ? { '#model': model } : v;
  }
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) fail(`${v} is not an integer ITF can carry as a number (use {"#bigint": "..."})`);
    return v === 0 ? 0 : v;
  }
  if (v === null || v === undefined) return fail('null is not a TLA+ value');
  if (Array.isArray(v)) return v.map((x) => itfValue(x, where, depth + 1));
  if (typeof v !== 'object') return fail(`not a TLA+ value: ${typeof v}`);
  const keys = Object.keys(v);
  const tags = keys.filter((k) => k.startsWith('#'));
  if (tags.length > 0) {
    if (keys.length !== 1) fail(`an object with ${quote(tags[0] as string)} must have no other field`);
    const tag = tags[0] as string;
    const x = (v as Record<string, unknown>)[tag];
    switch (tag) {
      case '#bigint':
        if (typeof x !== 'string' || !/^-?[0-9]+$/.test(x)) fail(`#bigint must be a string of digits, found ${excerpt(x)}`);
        return normalize({ '#bigint': BigInt(x as string).toString() });
      case '#tup':
        if (!Array.isArray(x)) fail('#tup must be an array');
        return (x as unknown[]).map((e) => itfValue(e, where, depth + 1));
      case '#set':
        if (!Array.isArray(x)) fail('#set must be an array');
        return makeSet((x as unknown[]).map((e) => itfValue(e, where, depth + 1)));
      case '#map': {
        if (!Array.isArray(x)) fail('#map must be an array of [key, value] pairs');
        const pairs = (x as unknown[]).map((p): [TlaValue, TlaValue] => {
          if (!Array.isArray(p) || p.length !== 2) return fail('#map must be an array of [key, value] pairs');
          return [itfValue(p[0], where, depth + 1), itfValue(p[1], where, depth + 1)];
        });
        const keySet = new Set(pairs.map(([k]) => valueKey(k)));
        if (keySet.size !== pairs.length) fail('#map has the same key twice');
        return makeFunction(pairs);
      }
      case '#model':
        if (typeof x !== 'string' || !isIdentifier(x)) fail(`#model must be an identifier, found ${excerpt(x)}`);
        return { '#model': x as string };
      case '#unserializable':
        return fail(`unserializable value ${excerpt(x)}`);
      default:
        return fail(`unknown ITF tag ${quote(tag)}`);
    }
  }
  const rec = v as Record<string, unknown>;
  return makeFunction(keys.map((k) => [k, itfValue(rec[k], where, depth + 1)]));
}

/** Reads an ITF trace (see the header for where actions come from). @throws TraceFormatError */
export function readItf(text: string, opts: ReadOptions): SpecTrace {
  const { schema } = opts;
  const source = opts.source;
  const models = schema.modelValues ? new Set(schema.modelValues) : undefined;
  // States are parsed one at a time when the text allows (the usual case): the parsed JSON of
  // the whole trace is never held at once. Anything irregular goes to parseJson, which names it.
  const split = splitTopLevelArray(text, 'states', source);
  const doc = split ? split.doc : parseJson(text, source);
  if (!isPlainObject(doc)) throw new TraceFormatError({ source }, 'an ITF trace is a JSON object');
  const vars = doc.vars;
  if (!Array.isArray(vars) || !vars.every((x) => typeof x === 'string'))
    throw new TraceFormatError({ source }, '"vars" must be an array of variable names');
  if (new Set(vars).size !== vars.length) throw new TraceFormatError({ source }, '"vars" names a variable twice');
  const unsafe = (vars as string[]).find(isUnsafeName);
  if (unsafe !== undefined)
    throw new TraceFormatError(
      { source },
      `"vars" names ${quote(unsafe)}, which is not allowed as a name (it clashes with JavaScript's Object.prototype)`,
    );
  if (!Array.isArray(doc.states)) throw new TraceFormatError({ source }, '"states" must be an array');
  if (doc['#meta'] !== undefined && !isPlainObject(doc['#meta'])) throw new TraceFormatError({ source }, '"#meta" must be an object');
  // Quint's mbt bookkeeping is not part of the spec, unless the spec itself declares such a variable.
  const actionVar = ACTION_VARS.find((v) => vars.includes(v) && !schema.variables.includes(v));
  const picksVar = PICKS_VARS.find((v) => vars.includes(v) && !schema.variables.includes(v));

  const varList = vars as string[];
  const varSet = new Set(varList);
  // Each raw state is dropped once converted, so that the parsed JSON and the canonical steps
  // are not both held in full: on a large trace that halves the peak memory.
  const rawStates = split ? split.elements.map((): unknown => undefined) : (doc.states as unknown[]);
  doc.states = undefined;
  const steps: TraceStep[] = new Array(rawStates.length);
  let previous: TlaState | undefined;
  for (let i = 0; i < rawStates.length; i++) {
    let raw = rawStates[i];
    if (split) {
      const parsed = parseJsonElement(text, split.elements[i] as [number, number], source);
      // Unreachable for text JSON.parse accepts in full; parseJson reports what is wrong.
      raw = parsed ? parsed.value : parseJson(text, source);
    }
    steps[i] = readState(raw, i);
    previous = (steps[i] as TraceStep).state;
    rawStates[i] = undefined;
  }
  function readState(raw: unknown, i: number): TraceStep {
    const index = i + 1;
    const where = { source, step: index, ...(models ? { models } : {}) };
    if (!isPlainObject(raw)) throw new TraceFormatError(where, 'a state must be a JSON object');
    const meta = raw['#meta'];
    if (meta !== undefined && !isPlainObject(meta)) throw new TraceFormatError(where, '"#meta" must be an object');
    if (meta && meta.index !== undefined && meta.index !== i)
      throw new TraceFormatError(where, `"#meta".index is ${excerpt(meta.index)}, expected ${i} (states[${i}])`);
    for (const k of Object.keys(raw)) {
      if (k !== '#meta' && !varSet.has(k)) throw new TraceFormatError({ ...where, variable: k }, 'not listed in "vars"');
    }
    const state: TlaState = {};
    for (const v of varList) {
      if (!(v in raw)) throw new TraceFormatError({ ...where, variable: v }, 'missing (listed in "vars")');
      if (v === actionVar || v === picksVar) continue;
      const value = itfValue(raw[v], { ...where, variable: v });
      // Most variables keep their value from one state to the next: share the previous state's
      // (equal, immutable) value instead of holding a copy per state.
      const prev = previous?.[v];
      state[v] = prev !== undefined && valueKey(prev) === valueKey(value) ? prev : value;
    }
    let action: string | null = null;
    let params: Record<string, TlaValue> | undefined;
    let fromMeta = false;
    if (meta && meta.action !== undefined) {
      fromMeta = true;
      if (typeof meta.action !== 'string') throw new TraceFormatError(where, '"#meta".action must be a string');
      action = meta.action;
      if (meta.params !== undefined) {
        if (!isPlainObject(meta.params)) throw new TraceFormatError(where, '"#meta".params must be an object');
        params = {};
        for (const [k, x] of Object.entries(meta.params)) params[k] = itfValue(x, { ...where, variable: `param ${k}` });
      }
    } else if (actionVar) {
      const a = raw[actionVar];
      if (typeof a !== 'string') throw new TraceFormatError({ ...where, variable: actionVar }, 'must be a string (the action taken)');
      action = a;
      if (picksVar) params = picks(raw[picksVar], { ...where, variable: picksVar });
    }
    // The first state comes from Init, whatever a producer calls it (Quint: "init" or ""), but
    // the corpus format's "#meta".action must say so.
    if (index === 1 && !(fromMeta && action !== 'Init')) action = 'Init';
    const step: TraceStep = { index, action, state };
    if (params && Object.keys(params).length) step.params = params;
    return step;
  }
  const trace: SpecTrace = { source, format: 'itf', steps };
  if (doc.loop !== undefined) {
    const loop = doc.loop;
    if (!Number.isInteger(loop) || (loop as number) < 0 || (loop as number) >= steps.length)
      throw new TraceFormatError({ source }, `"loop" must be the index of a state (0..${steps.length - 1}), found ${excerpt(loop)}`);
    trace.loopsBackTo = (loop as number) + 1;
    trace.ending = trace.loopsBackTo === steps.length ? 'stuttering' : 'loop';
  }
  return checkTrace(trace, schema);
}

/** Quint's nondet picks: a record of Option variants; None means "not picked". */
function picks(v: unknown, where: Where): Record<string, TlaValue> {
  if (!isPlainObject(v)) throw new TraceFormatError(where, 'must be a record of the nondeterministic picks');
  const out: Record<string, TlaValue> = {};
  for (const [k, x] of Object.entries(v)) {
    const w = { ...where, variable: `param ${k}` };
    if (isPlainObject(x) && Object.keys(x).sort().join(',') === 'tag,value' && (x.tag === 'Some' || x.tag === 'None')) {
      if (x.tag === 'Some') out[k] = itfValue(x.value, w);
    } else {
      out[k] = itfValue(x, w);
    }
  }
  return out;
}

/** What writeItf puts in the top-level "#meta" besides the format fields. */
export type ItfMeta = Record<string, unknown>;

/**
 * Writes a trace in the corpus format (see the header): ITF, action and parameters in each
 * state's "#meta", one state per line. `variables` orders "vars" (default: the first state's).
 */
export function writeItf(trace: Pick<SpecTrace, 'steps' | 'loopsBackTo'>, meta: ItfMeta = {}, variables?: string[]): string {
  const first = trace.steps[0];
  const vars = variables ?? (first ? Object.keys(first.state) : []);
  const head = {
    '#meta': { format: 'ITF', 'format-description': ITF_DESCRIPTION_URL, ...meta },
    vars,
  };
  const states = trace.steps.map((s, i) => {
    const m: Record<string, unknown> = { index: i };
    if (s.action !== null) m.action = s.action;
    if (s.params && Object.keys(s.params).length) m.params = s.params;
    const o: Record<string, unknown> = { '#meta': m };
    for (const v of vars) o[v] = s.state[v] as TlaValue;
    return JSON.stringify(o);
  });
  const lines = [`{"#meta": ${JSON.stringify(head['#meta'], null, 1).replace(/\n\s*/g, ' ')},`, ` "vars": ${JSON.stringify(vars)},`];
  lines.push(` "states": [\n  ${states.join(',\n  ')}\n ]${trace.loopsBackTo !== undefined ? ',' : ''}`);
  if (trace.loopsBackTo !== undefined) lines.push(` "loop": ${trace.loopsBackTo - 1}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
