// Running a schedule: the implementation (built from a model's constants) driven by a list of
// picks, every step recorded as mapped spec states with the tasks that can move after it and the
// harness's own checks of the step (choices reported, bad choices refused, wait lists).
import {
  DaxModelError,
  MM_TASK,
  type DaxEvent,
  type DaxSystem,
  type StepParams,
  type StepRecord,
  type FsProfileName,
  type ResolvedConfig,
} from '../../impl/index.ts';
import type { Counterexample, TraceStep } from '../../lib/result/check-result.ts';
import type { TlaState } from '../../lib/values/value.ts';
import { thrownText } from '../../lib/report/one-line.ts';
import type { CodedState, RecordedStep } from '../oracle/step-oracle.ts';
import { type LiveCoder, StateCoder } from '../refinement/state-code.ts';
import { checkSystemIsModel, systemForModel, type ModelConstants } from '../model/model.ts';
import { availableMoves, takeMove, type Move } from './moves.ts';
import { pickMove } from './scheduler.ts';
import { waitListErrorOf } from './wait-lists.ts';

/** An execution: its initial mapped state, its steps, and the implementation's events. */
export interface Execution {
  /** Built from initCode when first read. */
  readonly init: TlaState;
  /** The initial state as its vector (state-code.ts). */
  initCode?: CodedState;
  /** As RecordedStep.enabledAfter and waitingAfter, for the initial state. */
  enabledInit: ReadonlySet<string>;
  waitingInit: readonly string[];
  steps: RecordedStep[];
  events: DaxEvent[];
  /** True when the schedule ended because nothing could move. */
  stuck: boolean;
  /** The move the implementation offered but could not take: it threw (its own assertion, a
   *  BUG_ON, a lock released that it does not hold, or a refusal of its own move) at step `step`;
   *  the execution ends there. */
  crashed?: { step: number; task: string; label: string; message: string };
  system: DaxSystem;
}

/** How many steps an execution takes unless told otherwise (fast-check, conform, diff, the audit):
 *  room for every variant's shortest counterexample (the README's finding table), with slack. */
export const DEFAULT_MAX_STEPS = 60;

const lazyState = (coder: StateCoder, code: CodedState): (() => TlaState) => {
  let state: TlaState | undefined;
  return () => (state ??= coder.decodeState(code.slots));
};

/**
 * A recorded step whose states are written as vectors at once from the live system (beforeCode,
 * afterCode) and as TLA+ values only when read, decoded from the vectors (StateCoder.decodeState;
 * one decoding serves a step's after and the next step's before). A class, not an object literal
 * with getters: one is built every step, and accessors on the prototype keep that cheap.
 */
class ExecutedStep implements RecordedStep {
  declare implError?: string;
  constructor(
    readonly task: string,
    readonly taskKind: RecordedStep['taskKind'],
    readonly label: string,
    readonly params: StepParams,
    readonly enabledAfter: ReadonlySet<string>,
    readonly waitingAfter: readonly string[],
    readonly beforeCode: CodedState,
    readonly afterCode: CodedState,
    private readonly readBefore: () => TlaState,
    private readonly readAfter: () => TlaState,
  ) {}

  get before(): TlaState {
    return this.readBefore();
  }

  get after(): TlaState {
    return this.readAfter();
  }
}

/**
 * Runs the implementation (built with the model's constants) under a schedule: picks[i] chooses
 * a move (pickMove). Records every step as mapped spec states: their vectors (state-code.ts)
 * written as the step is taken, their TLA+ values when first read.
 */
export function runSchedule(
  constants: ModelConstants,
  picks: readonly number[],
  opts: { profile?: FsProfileName; record?: boolean } = {},
): Execution {
  const sys = systemForModel(constants, opts.profile);
  const c = sys.config;
  const kinds = taskKinds(c);
  checkSystemIsModel(c, constants);
  const coder = StateCoder.of(c);
  const live = coder.live(sys);
  // Every state of the execution in one buffer (at most one per pick, and the initial one), each
  // a view of its slots: one allocation of memory per execution rather than one per step.
  const buffer = new Int32Array(coder.width * (picks.length + 1));
  let used = 0;
  const code = (): CodedState => {
    const slots = buffer.subarray(used, used + coder.width);
    used += coder.width;
    live.encode(slots);
    return { slots, coder: coder.fingerprint };
  };
  const steps: RecordedStep[] = [];
  const initCode = code();
  const init = lazyState(coder, initCode);
  let before = init;
  let beforeCode = initCode;
  let stuck = false;
  let crashed: Execution['crashed'];
  let moves = availableMoves(sys);
  const initTasks = movingTasks(sys, moves);
  for (const pick of picks) {
    if (moves.length === 0) {
      stuck = true;
      break;
    }
    const m = pickMove(moves, pick);
    const refused =
      m.kind === 'step' && m.label === 'FaultAllocBlock' ? refusesBadChoices(sys, m.task, constants, live, beforeCode.slots) : undefined;
    let rec: StepRecord;
    try {
      rec = takeMove(sys, m);
    } catch (e) {
      // The spec has this step (the move was offered), the implementation cannot take it: a
      // failure of the execution at this step, not of the harness, so that fast-check shrinks it.
      crashed = { step: steps.length + 1, task: m.task, label: m.label, message: thrownText(e) };
      break;
    }
    // Throws a MappingError where mapToSpec would (the same reads of the same table).
    const afterCode = code();
    const after = lazyState(coder, afterCode);
    const implError = refused ?? waitListErrorOf(sys.live, sys.config, sys.taskIds) ?? choiceError(m, rec);
    moves = availableMoves(sys);
    const { enabled: enabledAfter, waiting: waitingAfter } = movingTasks(sys, moves);
    // The spec's DmaComplete(u, path) names its put path, which the record reports as the step's
    // choice: exported executions (ITF, counterexamples) must carry it for replay to take the path.
    const params = (rec.choice && 'path' in rec.choice ? { ...rec.params, path: rec.choice.path } : rec.params) as StepParams;
    const step = new ExecutedStep(
      m.task,
      kinds.get(m.task)!,
      rec.label,
      params,
      enabledAfter,
      waitingAfter,
      beforeCode,
      afterCode,
      before,
      after,
    );
    if (implError) step.implError = implError;
    steps.push(step);
    before = after;
    beforeCode = afterCode;
  }
  return {
    get init() {
      return init();
    },
    initCode,
    enabledInit: initTasks.enabled,
    waitingInit: initTasks.waiting,
    steps,
    events: sys.events(),
    stuck,
    ...(crashed ? { crashed } : {}),
    system: sys,
  };
}

/** Each task's kind, by id: one map per configuration (systems built from one share it). */
function taskKinds(c: ResolvedConfig): ReadonlyMap<string, RecordedStep['taskKind']> {
  let kinds = kindsByConfig.get(c);
  if (kinds === undefined)
    kindsByConfig.set(
      c,
      (kinds = new Map<string, RecordedStep['taskKind']>([
        ...c.users.map((t): [string, RecordedStep['taskKind']] => [t, 'user']),
        ...c.fsTasks.map((t): [string, RecordedStep['taskKind']] => [t, 'fs']),
        ...c.syncers.map((t): [string, RecordedStep['taskKind']] => [t, 'syncer']),
        [MM_TASK, 'mm'],
      ])),
    );
  return kinds;
}

const kindsByConfig = new WeakMap<ResolvedConfig, ReadonlyMap<string, RecordedStep['taskKind']>>();

/** Does the step record report the choice the move made (a block; a path, put_page by default)? */
function choiceError(m: Move, rec: StepRecord): string | undefined {
  const reported = rec.choice;
  if (reported === undefined) return undefined;
  if ('path' in reported) {
    const wanted = m.choice?.path ?? 'put_page';
    return m.takes === 'path' && rec.label === m.label && reported.path === wanted
      ? undefined
      : `the step record reports path ${reported.path} taken by ${rec.label}, but the move was ${m.label} with path ${wanted}`;
  }
  const wanted = m.choice?.block ?? m.defaultBlock;
  if (m.takes === 'block' && rec.label === m.label && reported.block === wanted) return undefined;
  return `the step record reports block ${reported.block} chosen by ${rec.label}, but the move was ${m.label}${m.choice?.block ? ` choosing ${m.choice.block}` : m.defaultBlock ? ` with no choice (the first free block is ${m.defaultBlock})` : ' with no choice'}`;
}

/**
 * At a FaultAllocBlock, the API's promise: a block that is not free, or one that does not exist,
 * is refused with 'bad-choice' and leaves the state as it was. Returns what went wrong, or
 * undefined. (A probe that is wrongly taken moves the task on, and the real move then throws.)
 */
function refusesBadChoices(
  sys: DaxSystem,
  task: string,
  constants: ModelConstants,
  live: LiveCoder,
  before: Int32Array,
): string | undefined {
  const free = new Set(sys.choices(task));
  const bad = [...constants.blocks.filter((b) => !free.has(b)).slice(0, 1), 'no-such-block'];
  // `before` is the state's vector as recorded; equal vectors exactly when the mapped states are
  // equal (state-code.ts). The refusals are expected: their stack traces (DaxModelError's
  // capture) would cost more than the probe, and thrownText reads only the name and message.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return probeBadChoices(sys, task, bad, live, before);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function probeBadChoices(sys: DaxSystem, task: string, bad: readonly string[], live: LiveCoder, before: Int32Array): string | undefined {
  const now = new Int32Array(live.width);
  for (const block of bad) {
    try {
      sys.step(task, { block });
      return `FaultAllocBlock took block ${block}, which is not a free block: a bad choice must be refused`;
    } catch (e) {
      if (!(e instanceof DaxModelError) || e.code !== 'bad-choice')
        return `FaultAllocBlock choosing ${block}: expected a 'bad-choice' refusal, got ${thrownText(e)}`;
    }
    live.encode(now);
    if (now.some((x, i) => x !== before[i])) return `FaultAllocBlock choosing ${block} was refused but changed the state`;
  }
  return undefined;
}

/** The tasks that have a move, and how each busy task without one waits. */
function movingTasks(sys: DaxSystem, moves: readonly Move[]): { enabled: Set<string>; waiting: string[] } {
  const enabled = new Set<string>();
  for (const m of moves) enabled.add(m.task);
  const waiting: string[] = [];
  const live = sys.live;
  sys.taskIds.forEach((id, i) => {
    const state = live.taskState(i);
    if (!enabled.has(id) && state !== 'idle') waiting.push(`${id} ${state} before ${live.taskNext(i) ?? '?'}`);
  });
  return { enabled, waiting };
}

/** An execution as a counterexample (numbered actions, mapped states), for printing. */
export function executionAsCounterexample(ex: Execution, upTo = ex.steps.length): Counterexample {
  const steps: TraceStep[] = [{ index: 1, action: 'Init', state: ex.init }];
  ex.steps
    .slice(0, upTo)
    .forEach((s, i) => steps.push({ index: i + 2, action: s.label, params: s.params as Record<string, unknown>, state: s.after }));
  return { steps };
}
