// Tasks as the scheduler sees them (include/linux/sched.h's task_struct and its state) and the
// preemption points a task's kernel path yields at; every step between two points is atomic.
import type { BlockId, ChoiceField, CHOICE_FIELDS, ChoosingLabel, Label, PutPath, StepChoice, TaskId } from '../types.ts';
import type { WaitQueue } from './wait.ts';

/**
 * Where a task is, for the scheduler:
 * - idle: no operation in progress;
 * - running: TASK_RUNNING, its next step can run now;
 * - blocked: waiting on a lock or an entry lock (on that object's wait queue) because its next
 *   step is not enabled; woken when the holder releases;
 * - sleeping: asleep in wait_var_event (TASK_UNINTERRUPTIBLE), woken only by wake_up_var.
 */
export type TaskState = 'idle' | 'running' | 'blocked' | 'sleeping';

/** Why a step cannot run now, and where the task sleeps until it might. */
export interface Blocker {
  /** True while the step is not enabled. */
  blocked(): boolean;
  /** The wait queue whose wake-up may enable the step. */
  waitQueue(): WaitQueue;
  /** One line for error messages and snapshots, e.g. "f1's mmap lock (held exclusive by t1)". */
  describe(): string;
}

/** The choices a step accepts: FaultAllocBlock and FsPrealloc the block to allocate, DmaComplete
 *  the put path (types.ts CHOICE_FIELDS). */
export interface ChoiceRule<F extends ChoiceField = ChoiceField> {
  /** Which StepChoice field the step takes. */
  readonly field: F;
  /** The valid choices now (blocks in the allocator's order, or the put paths). */
  options(): readonly string[];
  /** Why `choice` is invalid, or null if it is valid. */
  check(choice: StepChoice): string | null;
}

/** A preemption point: the label of the step that follows it and what may hold it back. */
export interface Point {
  readonly label: Label;
  readonly blocker: Blocker | null;
  readonly choice: ChoiceRule | null;
}

/** A kernel path: yields a Point before each atomic step and receives the step's choice. */
export type Step<R = void> = Generator<Point, R, StepChoice | undefined>;

/** The kinds of task the spec has. */
export type TaskKind = 'user' | 'fs' | 'syncer';

/** A task: its scheduler state, the kernel path it runs, and its kind-specific locals. */
export class Task<L = unknown> {
  state: TaskState = 'idle';
  /** The point the task stands at: the label of its next step. */
  point: Point | null = null;
  /** The rest of the kernel path, resumed one step at a time. */
  body: Step | null = null;
  /** The wait queue the task is on while blocked or sleeping. */
  waitingOn: WaitQueue | null = null;
  /** Woken from wait_var_event and not yet past its next step. */
  woken = false;
  /** What the step that just ran chose (a block allocated, a put path), for the step record. */
  chose: { readonly block: BlockId } | { readonly path: PutPath } | null = null;

  constructor(
    readonly id: TaskId,
    readonly kind: TaskKind,
    readonly locals: L,
  ) {}
}

const pointCache = new Map<Label, Point>();

/** The point before a step that can always run (no lock, no choice); shared, allocation-free. */
export function at(label: Label): Point {
  let p = pointCache.get(label);
  if (!p) {
    p = { label, blocker: null, choice: null };
    pointCache.set(label, p);
  }
  return p;
}

/** The point before a step that waits while `blocker` holds it back. */
export function atBlocking(label: Label, blocker: Blocker): Point {
  return { label, blocker, choice: null };
}

/** The point before a step that takes a choice: the rule's field is the one CHOICE_FIELDS gives
 *  the label. */
export function atChoosing<L extends ChoosingLabel>(label: L, choice: ChoiceRule<(typeof CHOICE_FIELDS)[L]>): Point {
  return { label, blocker: null, choice };
}

/**
 * After a step: every running task whose next step is not enabled goes to sleep on the wait
 * queue of what holds it back, as it would after failing its trylock in the slow path. It is
 * woken by the release and re-examined here, so `running` always means "can step now".
 */
export function settle(tasks: readonly Task[]): void {
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!;
    if (t.state !== 'running') continue;
    const b = t.point?.blocker;
    if (b && b.blocked()) {
      const q = b.waitQueue();
      q.add(t);
      t.waitingOn = q;
      t.state = 'blocked';
    }
  }
}
