// Value shapes: the kind of each spec variable's value (set of model values, function from model
// values to records, ...), inferred from example states, used to check a trace's values and to
// restore what lossy encodings drop. Stands for the types TypeOK states and Apalache infers.
import { makeFunction, makeSet, normalize } from '../../lib/values/canonical.ts';
import type { TlaRecord, TlaValue } from '../../lib/values/value.ts';
import { excerpt } from '../../lib/report/one-line.ts';

/**
 * The shape of a canonical value. `unknown` is what an empty set or sequence tells about its
 * elements: nothing, so anything is accepted there. A `map` is any function that is not a
 * record or a non-empty sequence in normal form; the empty function `<<>>` fits every map.
 */
export type Shape =
  | { kind: 'unknown' }
  | { kind: 'bool' }
  | { kind: 'int' }
  | { kind: 'string' }
  | { kind: 'model' }
  | { kind: 'set'; elem: Shape }
  | { kind: 'seq'; elem: Shape }
  | { kind: 'record'; fields: Record<string, Shape> }
  | { kind: 'map'; key: Shape; value: Shape }
  | { kind: 'union'; options: Shape[] };

const UNKNOWN: Shape = { kind: 'unknown' };

type Tagged = { '#bigint': string } | { '#model': string } | { '#set': TlaValue[] } | { '#map': [TlaValue, TlaValue][] };

/** The tag of a canonical tagged value ("#set", ...), or undefined for a record. */
export function tagOf(v: object): string | undefined {
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] as string).startsWith('#') ? (keys[0] as string) : undefined;
}

/** The shape of one canonical value. */
function shapeOf(v: TlaValue): Shape {
  if (typeof v === 'boolean') return { kind: 'bool' };
  if (typeof v === 'number') return { kind: 'int' };
  if (typeof v === 'string') return { kind: 'string' };
  if (Array.isArray(v)) return { kind: 'seq', elem: v.map(shapeOf).reduce(joinShapes, UNKNOWN) };
  const tag = tagOf(v);
  const t = v as Tagged;
  if (tag === '#bigint') return { kind: 'int' };
  if (tag === '#model') return { kind: 'model' };
  if (tag === '#set') return { kind: 'set', elem: (t as { '#set': TlaValue[] })['#set'].map(shapeOf).reduce(joinShapes, UNKNOWN) };
  if (tag === '#map') {
    const pairs = (t as { '#map': [TlaValue, TlaValue][] })['#map'];
    return {
      kind: 'map',
      key: pairs.map(([k]) => shapeOf(k)).reduce(joinShapes, UNKNOWN),
      value: pairs.map(([, x]) => shapeOf(x)).reduce(joinShapes, UNKNOWN),
    };
  }
  const rec = v as TlaRecord;
  const fields: Record<string, Shape> = {};
  for (const k of Object.keys(rec).sort()) fields[k] = shapeOf(rec[k] as TlaValue);
  return { kind: 'record', fields };
}

/** The least shape both fit: structural where the kinds agree, else a union. */
function joinShapes(a: Shape, b: Shape): Shape {
  if (a.kind === 'unknown') return b;
  if (b.kind === 'unknown') return a;
  if (a.kind === 'union' || b.kind === 'union') {
    let options = a.kind === 'union' ? [...a.options] : [a];
    for (const o of b.kind === 'union' ? b.options : [b]) options = addOption(options, o);
    return options.length === 1 ? (options[0] as Shape) : { kind: 'union', options };
  }
  // The empty function <<>> is a sequence in normal form, and fits any function shape.
  if (a.kind === 'seq' && a.elem.kind === 'unknown' && b.kind === 'map') return b;
  if (b.kind === 'seq' && b.elem.kind === 'unknown' && a.kind === 'map') return a;
  if (a.kind !== b.kind) return { kind: 'union', options: [a, b] };
  switch (a.kind) {
    case 'set':
    case 'seq':
      return { kind: a.kind, elem: joinShapes(a.elem, (b as typeof a).elem) };
    case 'map':
      return { kind: 'map', key: joinShapes(a.key, (b as typeof a).key), value: joinShapes(a.value, (b as typeof a).value) };
    case 'record': {
      const bf = (b as typeof a).fields;
      const ka = Object.keys(a.fields).sort().join(',');
      if (ka !== Object.keys(bf).sort().join(',')) return { kind: 'union', options: [a, b] };
      const fields: Record<string, Shape> = {};
      for (const k of Object.keys(a.fields)) fields[k] = joinShapes(a.fields[k] as Shape, bf[k] as Shape);
      return { kind: 'record', fields };
    }
    default:
      return a;
  }
}

function addOption(options: Shape[], o: Shape): Shape[] {
  const i = options.findIndex((x) => x.kind === o.kind && (x.kind !== 'record' || sameFields(x, o)));
  if (i < 0) return [...options, o];
  const out = [...options];
  out[i] = joinShapes(options[i] as Shape, o);
  return out;
}

function sameFields(a: Shape, b: Shape): boolean {
  return a.kind === 'record' && b.kind === 'record' && Object.keys(a.fields).sort().join(',') === Object.keys(b.fields).sort().join(',');
}

/** Per-variable shapes that fit every given state. */
export function inferShapes(states: Record<string, TlaValue>[]): Record<string, Shape> {
  const out: Record<string, Shape> = {};
  for (const s of states) for (const k of Object.keys(s)) out[k] = joinShapes(out[k] ?? UNKNOWN, shapeOf(s[k] as TlaValue));
  return out;
}

/** A shape as a few words, for error messages. */
function describeShape(s: Shape): string {
  switch (s.kind) {
    case 'unknown':
      return 'any value';
    case 'bool':
      return 'a boolean';
    case 'int':
      return 'an integer';
    case 'string':
      return 'a string';
    case 'model':
      return 'a model value';
    case 'set':
      return 'a set';
    case 'seq':
      return 'a sequence';
    case 'record':
      return `a record [${Object.keys(s.fields).join(', ')}]`;
    case 'map':
      return 'a function';
    case 'union':
      return s.options.map(describeShape).join(' or ');
  }
}

/** What kind of value `v` is, in the words describeShape uses. */
function describeValue(v: TlaValue): string {
  return describeShape(shapeOf(v)).replace(/^a record .*/, 'a record');
}

/** Why a normal-form value does not fit a shape (with the path inside the value, e.g.
 *  "at [t1].op"), or undefined when it fits. */
export function shapeMismatch(v: TlaValue, s: Shape, path = ''): string | undefined {
  const here = (what: string): string => `${path ? `at ${path}: ` : ''}${what}`;
  const wrong = (): string => here(`expected ${describeShape(s)}, found ${describeValue(v)}`);
  switch (s.kind) {
    case 'unknown':
      return undefined;
    case 'union': {
      const fits = s.options.some((o) => shapeMismatch(v, o) === undefined);
      return fits ? undefined : wrong();
    }
    case 'bool':
      return typeof v === 'boolean' ? undefined : wrong();
    case 'string':
      return typeof v === 'string' ? undefined : wrong();
    case 'int':
      return typeof v === 'number' || (isObj(v) && tagOf(v) === '#bigint') ? undefined : wrong();
    case 'model':
      return isObj(v) && tagOf(v) === '#model' ? undefined : wrong();
    case 'set': {
      if (!isObj(v) || tagOf(v) !== '#set') return wrong();
      for (const e of (v as { '#set': TlaValue[] })['#set']) {
        const m = shapeMismatch(e, s.elem, `${path}{…}`);
        if (m) return m;
      }
      return undefined;
    }
    case 'seq': {
      if (!Array.isArray(v)) return wrong();
      for (let i = 0; i < v.length; i++) {
        const m = shapeMismatch(v[i] as TlaValue, s.elem, `${path}[${i + 1}]`);
        if (m) return m;
      }
      return undefined;
    }
    case 'record': {
      if (!isObj(v) || Array.isArray(v) || tagOf(v) !== undefined) return wrong();
      const rec = v as TlaRecord;
      const missing = Object.keys(s.fields).filter((k) => !(k in rec));
      const extra = Object.keys(rec).filter((k) => !(k in s.fields));
      if (missing.length || extra.length) {
        return here(
          `record fields ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected ${extra.join(', ')}` : ''}`,
        );
      }
      for (const k of Object.keys(s.fields)) {
        const m = shapeMismatch(rec[k] as TlaValue, s.fields[k] as Shape, `${path}.${k}`);
        if (m) return m;
      }
      return undefined;
    }
    case 'map': {
      let pairs: [TlaValue, TlaValue][];
      if (Array.isArray(v)) pairs = v.map((x, i) => [i + 1, x]);
      else if (isObj(v) && tagOf(v) === '#map') pairs = (v as { '#map': [TlaValue, TlaValue][] })['#map'];
      else if (isObj(v) && tagOf(v) === undefined) pairs = Object.entries(v as TlaRecord);
      else return wrong();
      for (const [k, x] of pairs) {
        const km = shapeMismatch(k, s.key, `${path}[key]`);
        if (km) return km;
        const m = shapeMismatch(x, s.value, `${path}[${keyText(k)}]`);
        if (m) return m;
      }
      return undefined;
    }
  }
}

function keyText(k: TlaValue): string {
  if (isObj(k) && tagOf(k) === '#model') return (k as { '#model': string })['#model'];
  return excerpt(k, 60);
}

function isObj(v: TlaValue): v is object & TlaValue {
  return typeof v === 'object' && v !== null;
}

/**
 * Restores a value from an encoding that loses types (TLC's -dumpTrace json: sets and sequences
 * are both arrays, model values are strings, function keys are strings) by following the shape:
 * an array where a set is expected becomes a set, a string where a model value is expected (or,
 * where the shape says nothing, a string that names a model value) becomes that model value.
 * The result is in normal form; values that fit no option of a union are left as they are, for
 * shapeMismatch to report.
 */
export function retype(v: TlaValue, s: Shape, modelNames: ReadonlySet<string>): TlaValue {
  const guess = (x: TlaValue): TlaValue => retype(x, UNKNOWN, modelNames);
  switch (s.kind) {
    case 'unknown':
      if (typeof v === 'string') return modelNames.has(v) ? { '#model': v } : v;
      if (Array.isArray(v)) return v.map(guess);
      if (isObj(v) && tagOf(v) === '#set') return makeSet((v as { '#set': TlaValue[] })['#set'].map(guess));
      if (isObj(v) && tagOf(v) === '#map')
        return makeFunction((v as { '#map': [TlaValue, TlaValue][] })['#map'].map(([k, x]) => [guess(k), guess(x)]));
      if (isObj(v) && tagOf(v) === undefined) return makeFunction(Object.entries(v as TlaRecord).map(([k, x]) => [guess(k), guess(x)]));
      return v;
    case 'model':
      return typeof v === 'string' ? { '#model': v } : v;
    case 'int':
      // A function key that JSON could only write as a string.
      return typeof v === 'string' && /^-?[0-9]+$/.test(v) ? normalize({ '#bigint': v }) : v;
    case 'set':
      if (Array.isArray(v)) return makeSet(v.map((e) => retype(e, s.elem, modelNames)));
      if (isObj(v) && tagOf(v) === '#set') return makeSet((v as { '#set': TlaValue[] })['#set'].map((e) => retype(e, s.elem, modelNames)));
      return v;
    case 'seq':
      return Array.isArray(v) ? v.map((e) => retype(e, s.elem, modelNames)) : v;
    case 'record':
      if (isObj(v) && !Array.isArray(v) && tagOf(v) === undefined) {
        const rec = v as TlaRecord;
        return makeFunction(
          Object.keys(rec).map((k) => [
            k,
            s.fields[k] ? retype(rec[k] as TlaValue, s.fields[k] as Shape, modelNames) : guess(rec[k] as TlaValue),
          ]),
        );
      }
      return v;
    case 'map': {
      let pairs: [TlaValue, TlaValue][] | undefined;
      if (Array.isArray(v)) pairs = v.map((x, i) => [i + 1, x]);
      else if (isObj(v) && tagOf(v) === '#map') pairs = (v as { '#map': [TlaValue, TlaValue][] })['#map'];
      else if (isObj(v) && tagOf(v) === undefined) pairs = Object.entries(v as TlaRecord);
      if (!pairs) return v;
      return makeFunction(pairs.map(([k, x]) => [retype(k, s.key, modelNames), retype(x, s.value, modelNames)]));
    }
    case 'union':
      for (const o of s.options) {
        const r = retype(v, o, modelNames);
        if (shapeMismatch(r, o) === undefined) return r;
      }
      return normalize(v);
    default:
      return v;
  }
}
