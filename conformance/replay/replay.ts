// Spec → implementation: drives the implementation through a behaviour of the spec (a TLC
// counterexample, simulation trace or corpus trace), one action at a time, and compares the
// mapped implementation state with the trace's state after every step.
import {
  DaxModelError,
  FS_LABELS,
  isChoosingLabel,
  LABELS,
  PUT_PATHS,
  SYNC_LABELS,
  USER_LABELS,
  type DaxEvent,
  type ChoosingLabel,
  type DaxSystem,
  type FsOpName,
  type PutPath,
  type StepChoice,
  type FsProfileName,
} from '../../impl/index.ts';
import type { TraceStep } from '../../lib/result/check-result.ts';
import { diffStates, type ValueChange } from '../../lib/report/diff.ts';
import { formatValue, normalize, normalizeState, valueKey } from '../../lib/values/canonical.ts';
import type { TlaRecord, TlaState, TlaValue } from '../../lib/values/value.ts';
import { mappedState, systemForModel, type ModelConstants, type RefinementMapping } from '../model/model.ts';
import { StateKeys } from '../refinement/state-key.ts';
import { MappingError } from '../refinement/mapping.ts';
import { CodedMatch } from './coded-match.ts';
import { interruptionPoint } from '../../lib/interrupt.ts';
import { thrownText } from '../../lib/report/one-line.ts';

/** Where and how the implementation and the trace parted. */
export interface Divergence {
  /** 1-based index of the trace state that was not matched (1 = the initial state). */
  step: number;
  /** The action of that step ("Init" for the initial state). */
  action: string;
  params?: Record<string, unknown>;
  /** One line: what went wrong. */
  message: string;
  /** Per-variable differences, implementation (before) vs trace (after), when states differ. */
  diffs: ValueChange[];
}

export interface ReplayResult {
  ok: boolean;
  /** Steps taken (actions replayed). */
  steps: number;
  divergence?: Divergence;
  /** The implementation after the replay (for inspecting events, or continuing it). */
  system: DaxSystem;
  events: DaxEvent[];
}

/** A trace names an action or parameter the implementation has no counterpart for. */
export class ReplayInputError extends Error {
  override name = 'ReplayInputError';
}

/** Where a step stands in its trace, for messages: built only when one is printed. */
type Where = () => string;

function modelName(v: unknown, what: string, where: Where): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && '#model' in v) return (v as { '#model': string })['#model'];
  throw new ReplayInputError(`${where()}: parameter ${what} = ${JSON.stringify(v)} is not a model value`);
}

function integer(v: unknown, what: string, where: Where): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new ReplayInputError(`${where()}: parameter ${what} = ${JSON.stringify(v)} is not an integer`);
}

function param(params: Record<string, unknown> | undefined, name: string, where: Where): unknown {
  if (!params || !(name in params)) throw new ReplayInputError(`${where()}: missing parameter ${name}`);
  return params[name];
}

/** The spec parameter naming the task of each step label (impl/types.ts's label lists). */
export const TASK_PARAM = new Map<string, 'u' | 't' | 's'>([
  ...USER_LABELS.map((l) => [l, 'u'] as const),
  ...FS_LABELS.map((l) => [l, 't'] as const),
  ...SYNC_LABELS.map((l) => [l, 's'] as const),
]);

/** Every action a trace may name: every step label of the implementation. */
export const REPLAYABLE_ACTIONS: readonly string[] = LABELS;

/** The block FaultAllocBlock must take to reach `next`: the one the user's offset gains. */
function allocChoice(prev: TlaState, next: TlaState, user: string): StepChoice | undefined {
  // Only the variables read are brought to normal form (a trace's states may be raw).
  const uat = lookup(normalizeOpt(prev.uat), user);
  if (!Array.isArray(uat) || uat.length !== 2) return undefined;
  const [f, o] = uat as [TlaValue, TlaValue];
  return blockGained(prev, next, f, o);
}

/** The block (f, o)'s extent gains from prev to next, if it gains one. */
function blockGained(prev: TlaState, next: TlaState, f: TlaValue, o: TlaValue): StepChoice | undefined {
  const before = lookup(lookup(normalizeOpt(prev.extent), f), o);
  const after = lookup(lookup(normalizeOpt(next.extent), f), o);
  if (after === undefined || formatValue(after) === formatValue(before ?? false)) return undefined;
  return typeof after === 'object' && after !== null && '#model' in after
    ? { block: (after as { '#model': string })['#model'] }
    : undefined;
}

/** The block FsPrealloc must take to reach `next`: the one fop[t].file gains at fscan[t]. */
function preallocChoice(prev: TlaState, next: TlaState, task: string): StepChoice | undefined {
  const op = lookup(normalizeOpt(prev.fop), task);
  const o = lookup(normalizeOpt(prev.fscan), task);
  if (op === undefined || typeof o !== 'number') return undefined;
  const f = lookup(op, 'file');
  if (f === undefined) return undefined;
  // ext4's zero range (ZeroRangeInPlace) keeps a mapped offset's block: no choice to make.
  return blockGained(prev, next, f, o);
}

/** How a trace gives the choice of each step that takes one (impl CHOICE_FIELDS): a block is read
 *  off the states, DmaComplete's put path is its parameter. */
const TRACE_CHOICE: Record<ChoosingLabel, (prev: TlaState, step: TraceStep, task: string, where: Where) => StepChoice | undefined> = {
  FaultAllocBlock: (prev, step, task) => allocChoice(prev, step.state, task),
  FsPrealloc: (prev, step, task) => preallocChoice(prev, step.state, task),
  DmaComplete: (_prev, step, _task, where) => ({ path: putPath(param(step.params, 'path', where), where) }),
};

/** DmaComplete's path parameter: one of the spec's PutPaths. */
function putPath(v: unknown, where: Where): PutPath {
  if (typeof v === 'string' && (PUT_PATHS as readonly string[]).includes(v)) return v as PutPath;
  throw new ReplayInputError(`${where()}: parameter path = ${JSON.stringify(v)} is not one of ${PUT_PATHS.join(', ')}`);
}

/** Normal forms of trace values already read, by value object: a corpus trace is replayed once
 *  per profile, and a benchmark replays it over and over; trace values are never changed. */
const normalized = new WeakMap<object, TlaValue>();

function normalizeOpt(v: TlaValue | undefined): TlaValue | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object') return normalize(v);
  let n = normalized.get(v);
  if (n === undefined) normalized.set(v, (n = normalize(v)));
  return n;
}

/** Are two keys of a canonical function equal? Model values and numbers (the keys of every spec
 *  variable) compared directly, anything else by its text. */
function sameKey(x: TlaValue, k: TlaValue): boolean {
  if (typeof x === 'number' || typeof k === 'number') return x === k;
  const xm = x !== null && typeof x === 'object' && '#model' in x ? (x as { '#model': string })['#model'] : undefined;
  const km = k !== null && typeof k === 'object' && '#model' in k ? (k as { '#model': string })['#model'] : undefined;
  if (xm !== undefined || km !== undefined) return xm === km;
  return formatValue(x) === formatValue(k);
}

/** Function application on a canonical value (#map or record), by key. */
function lookup(fn: TlaValue | undefined, key: TlaValue | string): TlaValue | undefined {
  if (fn === undefined || typeof fn !== 'object' || fn === null) return undefined;
  const k = typeof key === 'string' ? { '#model': key } : key;
  if ('#map' in fn) {
    const hit = (fn as { '#map': [TlaValue, TlaValue][] })['#map'].find(([x]) => sameKey(x, k));
    return hit?.[1];
  }
  if (Array.isArray(fn) && typeof k === 'number') return fn[k - 1];
  if (typeof key === 'string') return (fn as TlaRecord)[key];
  return undefined;
}

/** Takes one trace action on the implementation. */
function takeAction(sys: DaxSystem, step: TraceStep, prev: TlaState, where: Where): void {
  const action = step.action;
  const p = step.params;
  if (action === null) throw new ReplayInputError(`${where()}: the trace does not name this step's action`);
  if (action === 'GupFastReadPte') {
    const u = modelName(param(p, 'u', where), 'u', where);
    // Whether the GUP is FOLL_LONGTERM is read off the next state (ulong'[u]).
    const longterm = lookup(normalizeOpt(step.state.ulong), u) === true;
    sys.start(u, {
      file: modelName(param(p, 'f', where), 'f', where),
      offset: integer(param(p, 'o', where), 'o', where),
      ...(longterm ? { longterm } : {}),
    });
    return;
  }
  if (action === 'Munmap' || action === 'Mmap') {
    const f = modelName(param(p, 'f', where), 'f', where);
    if (action === 'Munmap') sys.munmap(f);
    else sys.mmap(f);
    return;
  }
  if (action === 'WritebackLockEntry') {
    const s = modelName(param(p, 's', where), 's', where);
    sys.start(s, { file: modelName(param(p, 'f', where), 'f', where), offset: integer(param(p, 'o', where), 'o', where) });
    return;
  }
  if (action === 'FsLockIo') {
    const t = modelName(param(p, 't', where), 't', where);
    const op = param(p, 'op', where) as TlaRecord;
    if (op === null || typeof op !== 'object' || Array.isArray(op)) throw new ReplayInputError(`${where()}: parameter op is not a record`);
    sys.start(t, {
      op: op.op as FsOpName,
      file: modelName(op.file, 'op.file', where),
      lo: integer(op.lo, 'op.lo', where),
      hi: integer(op.hi, 'op.hi', where),
    });
    return;
  }
  const taskParam = TASK_PARAM.get(action);
  if (taskParam === undefined)
    throw new ReplayInputError(`${where()}: unknown action ${action} (the implementation has steps for ${REPLAYABLE_ACTIONS.join(', ')})`);
  const task = modelName(param(p, taskParam, where), taskParam, where);
  // The task's next step if it can run now (sys.runnable()'s entry for it), read off the live view.
  const index = sys.taskIds.indexOf(task);
  const next = index >= 0 && sys.live.taskState(index) === 'running' ? sys.live.taskNext(index) : null;
  if (next !== action) {
    // Only now is the snapshot worth its cost: to say what the task is doing instead.
    const snapTask = sys.snapshot().tasks[task];
    const label = next ?? snapTask?.next ?? null;
    throw new DaxModelError(
      'not-enabled',
      `${task}'s next step is ${label ?? '(none: idle)'}${next !== null ? '' : snapTask ? ` (${snapTask.state})` : ''}, not ${action}`,
    );
  }
  sys.step(task, isChoosingLabel(action) ? TRACE_CHOICE[action](prev, step, task, where) : undefined);
}

function describe(step: TraceStep): string {
  const params = step.params
    ? Object.entries(step.params)
        .map(([k, v]) => `${k}=${formatValue(v as TlaValue)}`)
        .join(', ')
    : '';
  return `${step.action ?? '?'}(${params})`;
}

/**
 * Replays a spec behaviour on a fresh implementation built with the model's constants: the
 * initial state must map to the trace's first state, and after each action the mapped state must
 * equal the trace's next state. Stops at the first divergence. Throws ReplayInputError when the
 * trace names an action or parameter with no counterpart (a bad trace, not a divergence).
 */
export function replayTrace(steps: TraceStep[], constants: ModelConstants, opts: ReplayOptions = {}): ReplayResult {
  const replay = replaying(steps, constants, opts);
  let next = replay.next();
  while (!next.done) next = replay.next();
  return next.value;
}

/** How a trace is replayed: the profile, the file (for messages), and a mapping for tests. */
export interface ReplayOptions {
  profile?: FsProfileName;
  source?: string;
  mapping?: RefinementMapping;
}

/** How many steps a replay takes between two of its pause points (a few hundred microseconds). */
const YIELD_STEPS = 64;

/** How long a replay runs between two looks at its AbortSignal. */
const SLICE_MS = 50;

/**
 * replayTrace without holding the thread for more than SLICE_MS at a time: a long trace (tens of
 * thousands of steps) replays for seconds, and a signal must be seen meanwhile.
 * @throws InterruptedError once `signal` is aborted.
 */
export async function replayTraceInterruptibly(
  steps: TraceStep[],
  constants: ModelConstants,
  opts: ReplayOptions & { signal?: AbortSignal },
): Promise<ReplayResult> {
  const replay = replaying(steps, constants, opts);
  let sliceStart = performance.now();
  let next = replay.next();
  while (!next.done) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await interruptionPoint(opts.signal);
      sliceStart = performance.now();
    }
    next = replay.next();
  }
  return next.value;
}

/** The replay itself, one yield per step taken. */
function* replaying(steps: TraceStep[], constants: ModelConstants, opts: ReplayOptions): Generator<void, ReplayResult, void> {
  const sys = systemForModel(constants, opts.profile);
  const map = (): TlaState => mappedState(sys, constants, opts.mapping);
  // The per-step comparison reads the live system as its vector (coded-match.ts); a custom
  // mapping (tests of the harness) goes the reference way. Diffs always come from the mapping.
  const coded = opts.mapping ? undefined : new CodedMatch(sys);
  const matches = (expected: TlaState): boolean => {
    if (coded) return coded.matches(expected);
    return valueKey(map() as never) === valueKey(normalizeState(expected) as never);
  };
  /** How the mapped state differs from the trace's: a per-variable diff, or why there is none. */
  const mismatch = (expected: TlaState, message: string): Pick<Divergence, 'message' | 'diffs'> => {
    const mapped = map();
    const diffs = diffStates(mapped, normalizeState(expected));
    if (diffs.length > 0) return { message, diffs };
    // The snapshot maps to the trace's state, the live view does not: the implementation's two
    // readings of its own state disagree (state-key.test.ts shows they agree on a correct one);
    // the text keys (state-key.ts) say on which variables.
    const keys = new StateKeys(sys);
    const live = keys.ofSystem();
    const snap = keys.ofState(mapped);
    const vars = keys.variables.filter((_, i) => live[i] !== snap[i]);
    return {
      message: `the implementation's live view (DaxSystem.live) and its snapshot disagree on ${vars.join(', ')}: one of them misreads the state`,
      diffs: [],
    };
  };
  const src = opts.source ? `${opts.source}: ` : '';
  const result = (divergence?: Divergence, taken = 0): ReplayResult => ({
    ok: divergence === undefined,
    steps: taken,
    ...(divergence ? { divergence } : {}),
    system: sys,
    events: sys.events(),
  });
  // Where the step being taken stands, for takeAction's messages: one closure for the replay,
  // reading the index the loop sets (it is called only while that step is taken).
  let current = 0;
  const where: Where = () => `${src}step ${current + 1} ${describe(steps[current]!)}`;
  if (steps.length === 0) return result();
  if (!matches(steps[0]!.state)) {
    return result({ step: 1, action: 'Init', ...mismatch(steps[0]!.state, 'the initial state differs') });
  }
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i]!;
    try {
      current = i;
      takeAction(sys, step, steps[i - 1]!.state, where);
    } catch (e) {
      if (e instanceof DaxModelError)
        return result({ ...at(i, step), message: `the implementation refuses ${describe(step)}: ${e.message}`, diffs: [] }, i - 1);
      // A malformed trace is the input's fault; anything else thrown while the implementation
      // takes the spec's step is the implementation's own assertion (a BUG_ON, a lock released
      // that it does not hold): the replay fails at this step, as the kernel would oops here.
      if (e instanceof ReplayInputError) throw e;
      return result(
        { ...at(i, step), message: `the implementation fails its own assertion taking ${describe(step)}: ${thrownText(e)}`, diffs: [] },
        i - 1,
      );
    }
    let same: boolean;
    try {
      same = matches(step.state);
    } catch (e) {
      // The implementation reached a state the refinement mapping cannot express (a task whose
      // next step has no spec pc): no spec state is that state, so the replay fails here.
      if (!(e instanceof MappingError)) throw e;
      return result(
        {
          ...at(i, step),
          message: `after ${describe(step)} the implementation is in a state with no spec counterpart: ${e.message}`,
          diffs: [],
        },
        i,
      );
    }
    if (!same)
      return result(
        { ...at(i, step), ...mismatch(step.state, `after ${describe(step)} the implementation's state differs from the trace's`) },
        i,
      );
    // A pause point every YIELD_STEPS steps, not every step: each yield allocates the iterator's
    // result, and the interruptible replay looks at the clock only every SLICE_MS anyway.
    if (i % YIELD_STEPS === 0) yield;
  }
  return result(undefined, steps.length - 1);
}

/** Where a divergence at steps[i] is (built only for one). */
function at(i: number, step: TraceStep): Pick<Divergence, 'step' | 'action' | 'params'> {
  return { step: i + 1, action: step.action ?? '?', ...(step.params ? { params: step.params } : {}) };
}

/** A divergence as text lines (implementation → trace, per variable). */
export function formatDivergence(d: Divergence): string[] {
  const lines = [`divergence at state ${d.step} (${d.action}): ${d.message}`];
  for (const c of d.diffs) lines.push(`  ${c.path}: implementation ${c.before}, trace ${c.after}`);
  return lines;
}
