// Implementation → spec: executions of the implementation driven by an explicit, shrinkable
// schedule (a list of numbers, each picking one of the moves available at that point), recorded
// as mapped spec states, and validated step by step against an oracle for the spec.
import {
  DaxModelError,
  MM_TASK,
  type DaxEvent,
  type DaxSystem,
  type Operation,
  type StepChoice,
  type StepParams,
  type StepRecord,
  type FsProfileName,
} from '../../impl/index.ts';
import { normalizeState, valueKey } from '../../lib/values/canonical.ts';
import type { Counterexample, TraceStep } from '../../lib/result/check-result.ts';
import type { ValueChange } from '../../lib/report/diff.ts';
import type { TlaState } from '../../lib/values/value.ts';
import type { RecordedStep, StepOracle } from '../oracle/step-oracle.ts';
import { mapToSpec } from '../refinement/mapping.ts';
import { mappedState, systemForModel, type ModelConstants } from '../model/model.ts';
import { waitListError } from './wait-lists.ts';
import { waitingText, waitsForEver } from '../model/waits-for-ever.ts';
import { thrownText } from '../../lib/report/one-line.ts';

/** One thing the system can do now: step a started task, or start an operation on an idle one. */
export interface Move {
  /** 'mm': the mm's munmap / mmap of `file` (task MM_TASK). */
  kind: 'step' | 'start' | 'mm';
  task: string;
  label: string;
  op?: Operation;
  file?: string;
  choice?: StepChoice;
  /** The choice the step takes, as the implementation offers it (sys.putPaths, sys.choices). */
  takes?: 'block' | 'path';
  /** A FaultAllocBlock step taken without a choice: the block the allocator must then take (the
   *  first free one in configured order), so that the default path is checked too. */
  defaultBlock?: string;
}

/** An execution: its initial mapped state, its steps, and the implementation's events. */
export interface Execution {
  init: TlaState;
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

/** Every move available now, in a fixed order (runnable steps, one per block choice, then starts). */
export function availableMoves(sys: DaxSystem): Move[] {
  const moves: Move[] = [];
  for (const r of sys.runnable()) {
    // The implementation says which steps take a choice (impl/types.ts CHOICE_FIELDS): the others
    // have no put paths and no blocks to choose. Asking it, rather than naming the labels here,
    // keeps the table in one place and this harness able to drive an impl/ from before it.
    const paths = sys.putPaths(r.task);
    const choices = paths.length > 0 ? [] : sys.choices(r.task);
    if (paths.length > 0) {
      // The default (no choice) is put_page, the first path: one move per path covers it.
      for (const path of paths)
        moves.push({ kind: 'step', task: r.task, label: r.label, takes: 'path', ...(path === 'put_page' ? {} : { choice: { path } }) });
    } else if (choices.length === 0) moves.push({ kind: 'step', task: r.task, label: r.label });
    else {
      for (const block of choices) moves.push({ kind: 'step', task: r.task, label: r.label, takes: 'block', choice: { block } });
      moves.push({ kind: 'step', task: r.task, label: r.label, takes: 'block', defaultBlock: choices[0]! });
    }
  }
  for (const s of sys.startable()) moves.push({ kind: 'start', task: s.task, label: s.label, op: s.op });
  for (const m of sys.mmMoves()) moves.push({ kind: 'mm', task: MM_TASK, label: m.label, file: m.file });
  return moves;
}

/** Takes a move on the system. */
export function takeMove(sys: DaxSystem, m: Move): StepRecord {
  if (m.kind === 'mm') return m.label === 'Munmap' ? sys.munmap(m.file!) : sys.mmap(m.file!);
  return m.kind === 'start' ? sys.start(m.task, m.op!) : sys.step(m.task, m.choice);
}

/**
 * The move a pick chooses: first a task, pick mod (number of task slots, taskSlots), then one of
 * that task's moves, (pick div number of slots) mod (its number of moves).
 * Choosing among tasks first gives each task its chance whatever its number of moves: picked
 * among all moves at once, a pinned user's DmaComplete (one move per put path) or a fault's block
 * choices would crowd out the other tasks, and a race needing the pin held over a dozen steps of
 * the file-system task would almost never be generated.
 */
export function pickMove(moves: readonly Move[], pick: number): Move {
  const slots = taskSlots(moves);
  const own = moves.filter((m) => m.task === slots[pick % slots.length]);
  return own[Math.floor(pick / slots.length) % own.length]!;
}

/** How many times more often a task is chosen than one whose only move ends its DMA. */
export const CPU_WEIGHT = 8;

/**
 * The tasks that can move, in the order of their names, each CPU_WEIGHT times, except a task
 * whose only move is DmaComplete, once: a DMA lasts far longer than a kernel path's step, and
 * the races of this protocol are a pin held while other tasks run a dozen steps or more (with
 * equal weights, 4.18's retry flag and the missing restart were not found in 1,000 runs).
 */
function taskSlots(moves: readonly Move[]): string[] {
  const tasks = [...new Set(moves.map((m) => m.task))].sort();
  return tasks.flatMap((t) => Array<string>(moves.every((m) => m.task !== t || m.label === 'DmaComplete') ? 1 : CPU_WEIGHT).fill(t));
}

/** The pick that chooses moves[index] (pickMove's inverse, the smallest such pick). */
export function pickOf(moves: readonly Move[], index: number): number {
  const slots = taskSlots(moves);
  const task = moves[index]!.task;
  const own = moves.filter((m) => m.task === task);
  return slots.indexOf(task) + slots.length * own.indexOf(moves[index]!);
}

/** How many steps an execution takes unless told otherwise (fast-check, conform, diff, the audit):
 *  room for every variant's shortest counterexample (the README's finding table), with slack. */
export const DEFAULT_MAX_STEPS = 60;

/**
 * Runs the implementation (built with the model's constants) under a schedule: picks[i] chooses
 * a move (pickMove). Records every step as mapped spec states.
 */
export function runSchedule(
  constants: ModelConstants,
  picks: readonly number[],
  opts: { profile?: FsProfileName; record?: boolean } = {},
): Execution {
  const sys = systemForModel(constants, opts.profile);
  const kinds = new Map<string, RecordedStep['taskKind']>();
  for (const t of Object.values(sys.snapshot().tasks)) kinds.set(t.id, t.kind);
  kinds.set(MM_TASK, 'mm');
  const init = mappedState(sys, constants);
  const steps: RecordedStep[] = [];
  let before = init;
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
    const refused = m.kind === 'step' && m.label === 'FaultAllocBlock' ? refusesBadChoices(sys, m.task, constants) : undefined;
    let rec: StepRecord;
    try {
      rec = takeMove(sys, m);
    } catch (e) {
      // The spec has this step (the move was offered), the implementation cannot take it: a
      // failure of the execution at this step, not of the harness, so that fast-check shrinks it.
      crashed = { step: steps.length + 1, task: m.task, label: m.label, message: thrownText(e) };
      break;
    }
    const snap = sys.snapshot();
    const after = normalizeState(mapToSpec(snap));
    const implError = refused ?? waitListError(snap) ?? choiceError(m, rec);
    moves = availableMoves(sys);
    const { enabled: enabledAfter, waiting: waitingAfter } = movingTasks(sys, moves);
    // The spec's DmaComplete(u, path) names its put path, which the record reports as the step's
    // choice: exported executions (ITF, counterexamples) must carry it for replay to take the path.
    const params = (rec.choice && 'path' in rec.choice ? { ...rec.params, path: rec.choice.path } : rec.params) as StepParams;
    steps.push({
      task: m.task,
      taskKind: kinds.get(m.task)!,
      label: rec.label,
      params,
      before,
      after,
      enabledAfter,
      waitingAfter,
      ...(implError ? { implError } : {}),
    });
    before = after;
  }
  return {
    init,
    enabledInit: initTasks.enabled,
    waitingInit: initTasks.waiting,
    steps,
    events: sys.events(),
    stuck,
    ...(crashed ? { crashed } : {}),
    system: sys,
  };
}

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
function refusesBadChoices(sys: DaxSystem, task: string, constants: ModelConstants): string | undefined {
  const free = new Set(sys.choices(task));
  const bad = [...constants.blocks.filter((b) => !free.has(b)).slice(0, 1), 'no-such-block'];
  const before = valueKey(mappedState(sys, constants) as never);
  for (const block of bad) {
    try {
      sys.step(task, { block });
      return `FaultAllocBlock took block ${block}, which is not a free block: a bad choice must be refused`;
    } catch (e) {
      if (!(e instanceof DaxModelError) || e.code !== 'bad-choice')
        return `FaultAllocBlock choosing ${block}: expected a 'bad-choice' refusal, got ${thrownText(e)}`;
    }
    if (valueKey(mappedState(sys, constants) as never) !== before)
      return `FaultAllocBlock choosing ${block} was refused but changed the state`;
  }
  return undefined;
}

/** The tasks that have a move, and how each busy task without one waits. */
function movingTasks(sys: DaxSystem, moves: readonly Move[]): { enabled: Set<string>; waiting: string[] } {
  const enabled = new Set(moves.map((m) => m.task));
  const waiting: string[] = [];
  const live = sys.live;
  sys.taskIds.forEach((id, i) => {
    const state = live.taskState(i);
    if (!enabled.has(id) && state !== 'idle') waiting.push(`${id} ${state} before ${live.taskNext(i) ?? '?'}`);
  });
  return { enabled, waiting };
}

/** The first way an execution fails to be a behaviour of the spec, or an invariant fails. */
export interface ExecutionFailure {
  /** 0 for the initial state, else the 1-based step. */
  step: number;
  check: 'init' | 'step' | 'invariant' | 'enabled' | 'event' | 'deadlock' | 'liveness';
  message: string;
  /** The spec property the execution refutes (an invariant's name, 'deadlock', or a temporal
   *  property), when the failure is one: a behaviour of the spec that breaks its property, not a
   *  divergence between implementation and spec. */
  property?: string;
  /** For a step the spec does not allow: the implementation's state vs the closest spec successor. */
  diffs?: ValueChange[];
}

/** Validates an execution against an oracle; events (corruption, WARN) count as failures when `eventsFail`. */
export function validateExecution(ex: Execution, oracle: StepOracle, opts: { eventsFail?: boolean } = {}): ExecutionFailure | null {
  const initWhy = oracle.checkInit(ex.init);
  if (initWhy) return { step: 0, check: 'init', message: initWhy };
  const inv0 = oracle.failingInvariant(ex.init);
  if (inv0) return { step: 0, check: 'invariant', property: inv0, message: `the initial state violates ${inv0}` };
  const en0 = enabledMismatch(oracle, ex.init, ex.enabledInit, ex.waitingInit);
  if (en0) return { step: 0, check: 'enabled', message: `in the initial state ${en0}` };
  for (let i = 0; i < ex.steps.length; i++) {
    const s = ex.steps[i]!;
    const why = oracle.checkStep(s) ?? s.implError;
    if (why) return { step: i + 1, check: 'step', message: `${s.label}(${s.task}): ${why}` };
    const inv = oracle.failingInvariant(s.after);
    if (inv) return { step: i + 1, check: 'invariant', property: inv, message: `after ${s.label}(${s.task}) the state violates ${inv}` };
    const en = enabledMismatch(oracle, s.after, s.enabledAfter, s.waitingAfter);
    if (en) return { step: i + 1, check: 'enabled', message: `after ${s.label}(${s.task}) ${en}` };
  }
  if (ex.crashed) {
    const c = ex.crashed;
    return {
      step: c.step,
      check: 'step',
      message: `${c.label}(${c.task}): the implementation offered this move but fails taking it: ${c.message}`,
    };
  }
  if (ex.stuck) {
    // Nothing can run or start, yet a task is mid-operation: it waits for something that cannot
    // come (the spec's deadlock). File-system tasks can always start, so idle-only is impossible.
    const { waiting } = waitsForEver(ex.system, 'deadlock');
    // Unless the spec is stuck there too: a variant whose bug ends in a state without successors
    // (a FOLL_LONGTERM pin that never ends) is a behaviour of that variant, not a divergence.
    const last = ex.steps.at(-1)?.after ?? ex.init;
    const spec = oracle.enabledTasks?.(last);
    const specStuck = spec !== null && spec !== undefined && spec.complete && spec.tasks.size === 0;
    if (waiting.length > 0 && !specStuck) {
      return {
        step: ex.steps.length,
        check: 'deadlock',
        message: `nothing can run: ${waiting.map(waitingText).join(', ')}`,
      };
    }
  }
  if (opts.eventsFail !== false && ex.events.length > 0) {
    const e = ex.events[0]!;
    const what =
      e.kind === 'corruption'
        ? `corruption: ${e.user}'s DMA wrote ${e.block} (${e.reason})`
        : `WARN ${e.warn} in ${e.function} (${e.block})`;
    return { step: e.step + 1, check: 'event', message: what };
  }
  return null;
}

/**
 * Do the implementation and the spec agree on which tasks can move in a state? Step validation
 * only shows that what the implementation does, the spec allows; this is the converse, per task:
 * a task the spec lets step but the implementation keeps waiting is a lost wake-up or a wait on
 * the wrong condition, which no single step shows. Returns what differs, or null.
 */
function enabledMismatch(oracle: StepOracle, s: TlaState, impl: ReadonlySet<string>, waiting: readonly string[]): string | null {
  const spec = oracle.enabledTasks?.(s);
  if (!spec) return null;
  const stuck = [...spec.tasks].filter((t) => !impl.has(t));
  if (stuck.length > 0) {
    const how = stuck.map((t) => waiting.find((w) => w.startsWith(`${t} `)) ?? `${t} has no move`);
    return `the spec lets ${stuck.join(', ')} take a step, but the implementation cannot: ${how.join(', ')}`;
  }
  const extra = spec.complete ? [...impl].filter((t) => !spec.tasks.has(t)) : [];
  if (extra.length > 0)
    return `the implementation can move ${extra.join(', ')}, but the spec enables no step of ${extra.length > 1 ? 'theirs' : 'its'}`;
  return null;
}

/** The moves an execution took, by identity (task, label, operation, choice). */
export function movesOf(ex: Execution, picks: readonly number[], constants: ModelConstants, profile?: FsProfileName): Move[] {
  const sys = systemForModel(constants, profile);
  const out: Move[] = [];
  for (const pick of picks.slice(0, ex.steps.length)) {
    const m = pickMove(availableMoves(sys), pick);
    takeMove(sys, m);
    out.push(m);
  }
  return out;
}

function sameMove(a: Move, b: Move): boolean {
  return (
    a.kind === b.kind &&
    a.task === b.task &&
    a.label === b.label &&
    (a.file ?? null) === (b.file ?? null) &&
    JSON.stringify(a.op ?? null) === JSON.stringify(b.op ?? null) &&
    (a.choice?.block ?? null) === (b.choice?.block ?? null) &&
    (a.choice?.path ?? null) === (b.choice?.path ?? null)
  );
}

/** Picks that replay a list of moves, skipping moves that are not available when their turn comes. */
export function picksFor(moves: readonly Move[], constants: ModelConstants, profile?: FsProfileName): number[] {
  const sys = systemForModel(constants, profile);
  const picks: number[] = [];
  for (const want of moves) {
    const avail = availableMoves(sys);
    const i = avail.findIndex((m) => sameMove(m, want));
    if (i < 0) continue;
    picks.push(pickOf(avail, i));
    takeMove(sys, avail[i]!);
  }
  return picks;
}

/** Tries a list of moves; true when it replays to a shorter schedule that still fails (and is kept). */
type Attempt = (moves: Move[]) => boolean;

/** Delta debugging: drops chunks of moves, halving the chunk size, until no drop still fails. */
function dropChunks(moves: () => Move[], attempt: Attempt, budgetLeft: () => boolean): boolean {
  let any = false;
  for (let chunk = Math.max(1, Math.floor(moves().length / 2)); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    let improved = true;
    while (improved && budgetLeft()) {
      improved = false;
      const ms = moves();
      for (let i = 0; i + chunk <= ms.length && budgetLeft(); i++) {
        if (attempt([...ms.slice(0, i), ...ms.slice(i + chunk)])) {
          improved = any = true;
          break;
        }
      }
    }
  }
  return any;
}

/**
 * Moves one move to another position. Dropping alone cannot shorten a race whose step happens
 * too early: e.g. a pin taken before the scan, then released, then a second GUP after the scan
 * (four extra steps) is one pin taken after the scan. Moved there, the moves that only served
 * the detour are no longer available when their turn comes, so picksFor skips them and the
 * replay is shorter. Stops at the first success so that dropping runs again.
 */
function relocateOne(ms: Move[], attempt: Attempt, budgetLeft: () => boolean): boolean {
  for (let i = 0; i < ms.length; i++) {
    for (let j = 0; j < ms.length && budgetLeft(); j++) {
      if (j === i) continue;
      const rest = [...ms.slice(0, i), ...ms.slice(i + 1)];
      if (attempt([...rest.slice(0, j), ms[i]!, ...rest.slice(j)])) return true;
    }
  }
  return false;
}

/**
 * Shrinks a failing schedule over its moves: delta debugging (drop chunks, then single moves),
 * then relocating single moves, repeated until neither helps or maxTries candidates were run.
 * fast-check shrinks the picks, but a smaller pick early on reshuffles every later choice;
 * editing moves by identity keeps the rest of the race intact. Every accepted candidate is
 * strictly shorter, so this terminates, and it is deterministic for a deterministic `fails`.
 */
export function minimizeSchedule(
  constants: ModelConstants,
  picks: readonly number[],
  fails: (picks: number[]) => boolean,
  opts: { maxTries?: number; profile?: FsProfileName } = {},
): number[] {
  let best = [...picks];
  let moves = movesOf(runSchedule(constants, best, opts), best, constants, opts.profile);
  let tries = 0;
  const maxTries = opts.maxTries ?? 2000;
  const budgetLeft = (): boolean => tries < maxTries;
  const attempt: Attempt = (candidate) => {
    tries++;
    const p = picksFor(candidate, constants, opts.profile);
    if (p.length >= best.length || !fails(p)) return false;
    best = p;
    moves = movesOf(runSchedule(constants, best, opts), best, constants, opts.profile);
    return true;
  };
  dropChunks(() => moves, attempt, budgetLeft);
  while (budgetLeft() && relocateOne(moves, attempt, budgetLeft)) dropChunks(() => moves, attempt, budgetLeft);
  return best;
}

/** An execution as a counterexample (numbered actions, mapped states), for printing. */
export function executionAsCounterexample(ex: Execution, upTo = ex.steps.length): Counterexample {
  const steps: TraceStep[] = [{ index: 1, action: 'Init', state: ex.init }];
  ex.steps
    .slice(0, upTo)
    .forEach((s, i) => steps.push({ index: i + 2, action: s.label, params: s.params as Record<string, unknown>, state: s.after }));
  return { steps };
}
