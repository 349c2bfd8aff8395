// Scheduling policies (the role of kernel/sched/core.c's pick_next_task): which task steps next,
// by explicit schedule, by a seeded random choice, or round-robin. Deterministic given the input.
import type { BlockId, FileId, MmLabel, Operation, Runnable, Startable, StepChoice, TaskId } from '../types.ts';
import { Prandom } from './prandom.ts';

/** What a policy may look at. */
export interface SchedulerView {
  /** The task ids in configured order (users, file-system tasks, syncers). */
  readonly taskIds: readonly TaskId[];
  /** Tasks that can step now. */
  runnable(): readonly Runnable[];
  /** Tasks with no operation in progress. */
  idle(): readonly TaskId[];
  /** Operations that could start now (of `task`, or of every idle task). */
  startable(task?: TaskId): readonly Startable[];
  /** Valid block choices for the task's next step (FaultAllocBlock on a hole), else []. */
  choices(task: TaskId): readonly BlockId[];
}

/** The mm's own move (munmap / mmap of a file), taken by no task. */
interface MmMove {
  readonly mm: MmLabel;
  readonly file: FileId;
}

/** One scheduling decision: step a task (with an optional choice) or start an operation. */
export type Move = { readonly task: TaskId; readonly choice?: StepChoice } | { readonly task: TaskId; readonly start: Operation };

/** A move of an explicit schedule: a task's, or the mm's. */
type AnyMove = Move | MmMove;

/** A scheduling policy. */
export interface Scheduler {
  /** The next move, or undefined to stop. */
  next(view: SchedulerView): AnyMove | undefined;
}

/** An entry of an explicit schedule: a task to step, a step with a choice, a start, or an mm
 *  move ({ mm: 'Munmap', file }). */
export type ScheduleEntry = TaskId | AnyMove;

/** Plays `entries` in order, then stops. A move the system rejects throws (DaxModelError). */
export function explicitSchedule(entries: readonly ScheduleEntry[]): Scheduler {
  let i = 0;
  return {
    next: () => {
      const e = entries[i++];
      if (e === undefined) return undefined;
      return typeof e === 'string' ? { task: e } : e;
    },
  };
}

/** Steps runnable tasks in turn, in configured order, resuming after the last one picked: every
 *  task that stays runnable gets its turn (weak fairness). Starts nothing. */
export function roundRobin(): Scheduler {
  let last = -1;
  return {
    next: (view) => {
      const ids = view.taskIds;
      const run = new Set(view.runnable().map((r) => r.task));
      for (let d = 1; d <= ids.length; d++) {
        const i = (last + d) % ids.length;
        if (run.has(ids[i]!)) {
          last = i;
          return { task: ids[i]! };
        }
      }
      return undefined;
    },
  };
}

/** Options of the random policy. */
export interface RandomSchedulerOptions {
  /** How many operations it may start on idle tasks (default 0: only step started ones). */
  starts?: number;
  /** Pick FaultAllocBlock's block at random among the free ones (default true). */
  randomBlocks?: boolean;
}

/**
 * Picks uniformly among the tasks that can move (runnable ones, and idle ones while starts
 * remain), then uniformly among that task's startable operations or block choices. Seeded: the
 * same seed on the same system gives the same run.
 */
export function randomScheduler(seed: number, opts: RandomSchedulerOptions = {}): Scheduler {
  const rng = new Prandom(seed);
  let startsLeft = opts.starts ?? 0;
  const randomBlocks = opts.randomBlocks ?? true;
  return {
    next: (view) => {
      const run = view.runnable();
      const idle = startsLeft > 0 ? [...view.idle()] : [];
      while (run.length + idle.length > 0) {
        const i = rng.below(run.length + idle.length);
        if (i < run.length) {
          const task = run[i]!.task;
          const opts = randomBlocks ? view.choices(task) : [];
          return opts.length > 0 ? { task, choice: { block: opts[rng.below(opts.length)]! } } : { task };
        }
        const task = idle[i - run.length]!;
        const ops = view.startable(task);
        if (ops.length > 0) {
          startsLeft--;
          return { task, start: ops[rng.below(ops.length)]!.op };
        }
        idle.splice(i - run.length, 1);
      }
      return undefined;
    },
  };
}
