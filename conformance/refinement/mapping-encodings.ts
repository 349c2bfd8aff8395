// The shapes of the spec's variables' elements (a block or None, a flag, a pc, <<f, o>>, ...):
// each reads one element from the implementation's LiveView (impl/live-view.ts) and writes it both
// as a canonical TLA+ value (lib/values/value.ts) and as its key (value-text.ts), so that the
// refinement mapping (mapping.ts) is written once and replay's fast keys follow from it; and as
// small integers (state-code.ts), from the view and from the value alike, for the step oracle's
// integer state vectors.
import type { LiveView, ResolvedConfig, SpecFsOp, TaskId } from '../../impl/index.ts';
import { makeSet } from '../../lib/values/canonical.ts';
import type { TlaValue } from '../../lib/values/value.ts';
import { sorted } from './value-text.ts';

/** What an element is read from: the view, and the names its indices stand for. */
export interface MappingContext {
  readonly view: LiveView;
  readonly config: ResolvedConfig;
  /** Task ids by the view's task index (DaxSystem.taskIds). */
  readonly taskIds: readonly TaskId[];
}

/** Reads one element: `a` and `b` index the variable's domain (file and offset, a block, a task). */
export type Read<T> = (v: LiveView, a: number, b: number, at: MappingContext) => T;

/** One element of a spec variable, read from the view and written as a value and as a key. */
export interface Encoding {
  /** The element as a canonical value in normal form. */
  value(at: MappingContext, a: number, b: number): TlaValue;
  /** valueText of value(at, a, b), written without building the value. */
  key(at: MappingContext, a: number, b: number): string;
  /** How many integer slots code and codeValue write. */
  readonly width: number;
  /** The element as `width` small integers at out[pos..]: codes of names and strings from `t`,
   *  -1 for one `t` has no code for (no state of the graph has it, so the lookup fails). */
  code(at: MappingContext, a: number, b: number, out: Int32Array, pos: number, t: CodeTables): void;
  /** The same integers from the element's canonical value (a graph's state); false when the
   *  value has no code (not a value of this shape, or a name `t` lacks). */
  codeValue(v: TlaValue, out: Int32Array, pos: number, t: CodeTables): boolean;
  /** The canonical value the `width` slots at v[pos..] code: codeValue's inverse. */
  valueOf(v: ArrayLike<number>, pos: number, t: CodeTables): TlaValue;
}

/** The integer codes of a config's model values and of the spec's strings (state-code.ts). */
export interface CodeTables {
  /** A model value's code: None 0, the config's model values 1, 2, ... */
  readonly names: ReadonlyMap<string, number>;
  /** A spec string's code (a pc, an operation's name). */
  readonly texts: ReadonlyMap<string, number>;
  /** By code: the model value's name (0: None), the string. */
  readonly nameOf: readonly string[];
  readonly textOf: readonly string[];
}

const nameCode = (t: CodeTables, x: string | null): number => (x === null ? 0 : (t.names.get(x) ?? -1));
const modelName = (v: TlaValue): string | undefined =>
  v !== null && typeof v === 'object' && '#model' in v ? (v as { '#model': string })['#model'] : undefined;
/** A model value's code from its value, -1 when it is none or unknown. */
const valueNameCode = (t: CodeTables, v: TlaValue): number => {
  const n = modelName(v);
  return n === undefined ? -1 : (t.names.get(n) ?? -1);
};

/** The spec's None: the model value for "no block", "no task", "no file". */
export const NONE = 'None';
const NONE_VALUE: TlaValue = { '#model': NONE };
const NONE_KEY = `@${NONE}`;

const model = (name: string): TlaValue => ({ '#model': name });

/** A model value, or None for null (a block, a lock's writer, a page reference). */
export function modelOrNone(read: Read<string | null>): Encoding {
  return {
    value: (at, a, b) => {
      const x = read(at.view, a, b, at);
      return x === null ? NONE_VALUE : model(x);
    },
    key: (at, a, b) => {
      const x = read(at.view, a, b, at);
      return x === null ? NONE_KEY : `@${x}`;
    },
    width: 1,
    code: (at, a, b, out, pos, t) => {
      out[pos] = nameCode(t, read(at.view, a, b, at));
    },
    codeValue: (v, out, pos, t) => (out[pos] = valueNameCode(t, v)) >= 0,
    valueOf: (v, pos, t) => model(t.nameOf[v[pos]!]!),
  };
}

/** TRUE or FALSE. */
export function flag(read: Read<boolean>): Encoding {
  return {
    value: (at, a, b) => read(at.view, a, b, at),
    key: (at, a, b) => (read(at.view, a, b, at) ? 'T' : 'F'),
    width: 1,
    code: (at, a, b, out, pos) => {
      out[pos] = read(at.view, a, b, at) ? 1 : 0;
    },
    codeValue: (v, out, pos) => {
      out[pos] = v === true ? 1 : 0;
      return typeof v === 'boolean';
    },
    valueOf: (v, pos) => v[pos] === 1,
  };
}

/** A natural number. */
export function count(read: Read<number>): Encoding {
  return {
    value: (at, a, b) => read(at.view, a, b, at),
    key: (at, a, b) => String(read(at.view, a, b, at)),
    width: 1,
    // Counts are small naturals (refcounts, cursors, the GUP budget); a negative one has no code.
    code: (at, a, b, out, pos) => {
      const n = read(at.view, a, b, at);
      out[pos] = Number.isInteger(n) && n >= 0 && n < 2 ** 31 ? n : -1;
    },
    codeValue: (v, out, pos) => (out[pos] = typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31 ? v : -1) >= 0,
    valueOf: (v, pos) => v[pos]!,
  };
}

/** A string (a task's pc). */
export function text(read: Read<string>): Encoding {
  return {
    value: (at, a, b) => read(at.view, a, b, at),
    key: (at, a, b) => JSON.stringify(read(at.view, a, b, at)),
    width: 1,
    code: (at, a, b, out, pos, t) => {
      out[pos] = t.texts.get(read(at.view, a, b, at)) ?? -1;
    },
    codeValue: (v, out, pos, t) => (out[pos] = typeof v === 'string' ? (t.texts.get(v) ?? -1) : -1) >= 0,
    valueOf: (v, pos, t) => t.textOf[v[pos]!]!,
  };
}

/** A place <<f, o>> (a file and an offset or page index), or <<>> when the file is null. */
export function place(file: Read<string | null>, offset: Read<number>): Encoding {
  return {
    value: (at, a, b) => {
      const f = file(at.view, a, b, at);
      return f === null ? [] : [model(f), offset(at.view, a, b, at)];
    },
    key: (at, a, b) => {
      const f = file(at.view, a, b, at);
      return f === null ? '()' : `(1:@${f},2:${offset(at.view, a, b, at)})`;
    },
    // <<>> is (0, 0); <<f, o>> is (f's code, o).
    width: 2,
    code: (at, a, b, out, pos, t) => {
      const f = file(at.view, a, b, at);
      out[pos] = nameCode(t, f);
      out[pos + 1] = f === null ? 0 : offset(at.view, a, b, at);
    },
    codeValue: (v, out, pos, t) => {
      if (!Array.isArray(v)) return false;
      if (v.length === 0) {
        out[pos] = out[pos + 1] = 0;
        return true;
      }
      out[pos] = valueNameCode(t, v[0] as TlaValue);
      out[pos + 1] = typeof v[1] === 'number' ? v[1] : -1;
      return v.length === 2 && out[pos]! > 0 && out[pos + 1]! >= 0;
    },
    valueOf: (v, pos, t) => (v[pos] === 0 ? [] : [model(t.nameOf[v[pos]!]!), v[pos + 1]!]),
  };
}

/** A set of tasks (a lock's readers). */
export function taskSet(read: Read<readonly { readonly id: TaskId }[]>): Encoding {
  return {
    value: (at, a, b) =>
      makeSet(
        read(at.view, a, b, at).map((t) => model(t.id)),
        true,
      ),
    key: (at, a, b) => {
      const ids: string[] = [];
      for (const t of read(at.view, a, b, at)) ids.push(`@${t.id}`);
      return `{${sorted(ids).join(',')}}`;
    },
    // A bit per member's code (codes 1..30: the config's model values).
    width: 1,
    code: (at, a, b, out, pos, t) => {
      let bits = 0;
      for (const x of read(at.view, a, b, at)) {
        const c = nameCode(t, x.id);
        if (c < 1 || c > 30) {
          bits = -1;
          break;
        }
        bits |= 1 << c;
      }
      out[pos] = bits;
    },
    codeValue: (v, out, pos, t) => {
      const members = v !== null && typeof v === 'object' && '#set' in v ? (v as { '#set': TlaValue[] })['#set'] : undefined;
      if (members === undefined) return false;
      let bits = 0;
      for (const x of members) {
        const c = valueNameCode(t, x);
        if (c < 1 || c > 30) return false;
        bits |= 1 << c;
      }
      out[pos] = bits;
      return true;
    },
    valueOf: (v, pos, t) =>
      makeSet(
        t.nameOf.flatMap((n, c) => (c > 0 && v[pos]! & (1 << c) ? [model(n)] : [])),
        true,
      ),
  };
}

/** A file-system operation [op, file, lo, hi], or the spec's NoOp for null. */
export function fsOperation(read: Read<SpecFsOp | null>): Encoding {
  // Record fields in normal-form (sorted) order.
  const NO_OP: TlaValue = { file: NONE_VALUE, hi: 0, lo: 0, op: 'none' };
  const NO_OP_KEY = `("file":${NONE_KEY},"hi":0,"lo":0,"op":"none")`;
  return {
    value: (at, a, b) => {
      const op = read(at.view, a, b, at);
      return op === null ? NO_OP : { file: model(op.file), hi: op.hi, lo: op.lo, op: op.op };
    },
    key: (at, a, b) => {
      const op = read(at.view, a, b, at);
      return op === null ? NO_OP_KEY : `("file":@${op.file},"hi":${op.hi},"lo":${op.lo},"op":${JSON.stringify(op.op)})`;
    },
    // (op's code, file's code, lo, hi); NoOp is ("none", None, 0, 0).
    width: 4,
    code: (at, a, b, out, pos, t) => {
      const op = read(at.view, a, b, at);
      out[pos] = t.texts.get(op === null ? 'none' : op.op) ?? -1;
      out[pos + 1] = op === null ? 0 : nameCode(t, op.file);
      out[pos + 2] = op === null ? 0 : op.lo;
      out[pos + 3] = op === null ? 0 : op.hi;
    },
    codeValue: (v, out, pos, t) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || '#model' in v || '#set' in v || '#map' in v) return false;
      const r = v as Record<string, TlaValue>;
      out[pos] = typeof r.op === 'string' ? (t.texts.get(r.op) ?? -1) : -1;
      out[pos + 1] = r.file === undefined ? -1 : valueNameCode(t, r.file);
      out[pos + 2] = typeof r.lo === 'number' ? r.lo : -1;
      out[pos + 3] = typeof r.hi === 'number' ? r.hi : -1;
      return Object.keys(r).length === 4 && out[pos]! >= 0 && out[pos + 1]! >= 0 && out[pos + 2]! >= 0 && out[pos + 3]! >= 0;
    },
    valueOf: (v, pos, t) => {
      const op = t.textOf[v[pos]!]!;
      return op === 'none' && v[pos + 1] === 0 ? NO_OP : { file: model(t.nameOf[v[pos + 1]!]!), hi: v[pos + 3]!, lo: v[pos + 2]!, op };
    },
  };
}
