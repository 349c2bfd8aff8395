// The run loop behind DaxSystem.runToCompletion: a scheduling policy (kernel/scheduler.ts) picks
// each move, the system takes it, until the policy stops or nothing can move.
import type { Scheduler, SchedulerView } from './kernel/scheduler.ts';
import type { FileId, Operation, StepChoice, StepRecord, TaskId } from './types.ts';

/** How a run ended. */
type RunOutcome =
  /** Every task is idle. */
  | 'quiescent'
  /** Some operation is unfinished and no task can step: a deadlock or a lost wake-up. */
  | 'stuck'
  /** The scheduler stopped while tasks could still step. */
  | 'stopped'
  /** maxSteps was reached. */
  | 'limit';

/** Options of runToCompletion. */
export interface RunOptions {
  /** Stop after this many moves (default 1,000,000). */
  maxSteps?: number;
  /** Keep every step record in the result (default true). */
  record?: boolean;
  /** Called after each move. */
  onStep?: (r: StepRecord) => void;
}

/** What runToCompletion did. */
export interface RunResult {
  readonly outcome: RunOutcome;
  /** Moves made (steps, starts included). */
  readonly steps: number;
  readonly trace: readonly StepRecord[];
}

/** What the loop drives: a system as its scheduler sees it, plus its two moves. */
export interface RunnableSystem extends SchedulerView {
  start(task: TaskId, op: Operation): StepRecord;
  step(task: TaskId, choice?: StepChoice): StepRecord;
  munmap(file: FileId): StepRecord;
  mmap(file: FileId): StepRecord;
  quiescent(): boolean;
}

/**
 * Runs moves chosen by `scheduler` on `sys` until it returns nothing or nothing can move.
 * @throws DaxModelError if the scheduler proposes a move the system rejects.
 */
export function runToCompletion(sys: RunnableSystem, scheduler: Scheduler, opts: RunOptions = {}): RunResult {
  const maxSteps = opts.maxSteps ?? 1_000_000;
  const record = opts.record ?? true;
  const trace: StepRecord[] = [];
  let n = 0;
  for (;;) {
    if (n >= maxSteps) return { outcome: 'limit', steps: n, trace };
    const move = scheduler.next(sys);
    if (!move) break;
    const r =
      'mm' in move
        ? move.mm === 'Munmap'
          ? sys.munmap(move.file)
          : sys.mmap(move.file)
        : 'start' in move
          ? sys.start(move.task, move.start)
          : sys.step(move.task, move.choice);
    n++;
    if (record) trace.push(r);
    opts.onStep?.(r);
  }
  const outcome: RunOutcome = sys.runnable().length > 0 ? 'stopped' : sys.quiescent() ? 'quiescent' : 'stuck';
  return { outcome, steps: n, trace };
}
