// The shapes of the spec's variables' elements (a block or None, a flag, a pc, <<f, o>>, ...):
// each reads one element from the implementation's LiveView (impl/snapshot.ts) and writes it both
// as a canonical TLA+ value (lib/values/value.ts) and as its key (value-text.ts), so that the
// refinement mapping (mapping.ts) is written once and replay's fast keys follow from it.
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
}

/** The spec's None: the model value for "no block", "no task", "no file". */
const NONE = 'None';
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
  };
}

/** TRUE or FALSE. */
export function flag(read: Read<boolean>): Encoding {
  return {
    value: (at, a, b) => read(at.view, a, b, at),
    key: (at, a, b) => (read(at.view, a, b, at) ? 'T' : 'F'),
  };
}

/** A natural number. */
export function count(read: Read<number>): Encoding {
  return {
    value: (at, a, b) => read(at.view, a, b, at),
    key: (at, a, b) => String(read(at.view, a, b, at)),
  };
}

/** A string (a task's pc). */
export function text(read: Read<string>): Encoding {
  return {
    value: (at, a, b) => read(at.view, a, b, at),
    key: (at, a, b) => JSON.stringify(read(at.view, a, b, at)),
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
  };
}
