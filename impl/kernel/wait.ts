// Wait queues and the var wait table: kernel/sched/wait.c (wait_queue_head, wake_up) and
// kernel/sched/wait_bit.c (wait_var_event / wake_up_var on a hashed table keyed by address).
import type { Label } from '../types.ts';
import { type Step, type Task, at } from './sched.ts';

const NO_IDS: readonly string[] = Object.freeze([]);

/** A wait_queue_head: the tasks asleep until someone wakes the queue. */
export class WaitQueue {
  private waiters: Task[] = [];
  /** ids()'s answer until the queue changes: the harness reads every queue after every step. */
  private idList: readonly string[] | null = NO_IDS;

  /** Enqueues a task (add_wait_queue). */
  add(t: Task): void {
    this.waiters.push(t);
    this.idList = null;
  }

  /** Dequeues a task if queued (remove_wait_queue). */
  remove(t: Task): void {
    const i = this.waiters.indexOf(t);
    if (i >= 0) {
      this.waiters.splice(i, 1);
      this.idList = null;
    }
  }

  /** Wakes every waiter (wake_up_all): each becomes runnable and re-tests its condition; waking
   *  all rather than one keeps a waiter that does not take the lock from stranding the rest. */
  wakeUpAll(): void {
    if (this.waiters.length === 0) return;
    const woken = this.waiters;
    this.waiters = [];
    this.idList = NO_IDS;
    for (const t of woken) wakeUpProcess(t);
  }

  /** The queued tasks' ids, in queue order (frozen: the same array until the queue changes). */
  ids(): readonly string[] {
    return (this.idList ??= Object.freeze(this.waiters.map((t) => t.id)));
  }

  get length(): number {
    return this.waiters.length;
  }
}

/** try_to_wake_up: a blocked or sleeping task becomes TASK_RUNNING. */
function wakeUpProcess(t: Task): void {
  if (t.state === 'sleeping') t.woken = true;
  if (t.state === 'blocked' || t.state === 'sleeping') {
    t.state = 'running';
    t.waitingOn = null;
  }
}

/**
 * The table behind wait_var_event / wake_up_var: queues keyed by the variable's identity (the
 * kernel hashes &var into 256 shared queues and filters by key; exact keys only save spurious
 * wake-ups, which the waiter's re-test would absorb anyway).
 */
export class VarWaitTable {
  private queues = new Map<object, WaitQueue>();

  /** The queue for `v` (__var_waitqueue). */
  queueOf(v: object): WaitQueue {
    let q = this.queues.get(v);
    if (!q) {
      q = new WaitQueue();
      this.queues.set(v, q);
    }
    return q;
  }

  /** The tasks waiting on `v`. */
  waitersOf(v: object): readonly string[] {
    return this.queues.get(v)?.ids() ?? NO_IDS;
  }
}

/**
 * prepare_to_wait_event for wait_var_event: queue the task on `v` and mark it
 * TASK_UNINTERRUPTIBLE before testing the condition, so that a wake_up_var between the test and
 * schedule() is not lost: it finds the task queued and makes it runnable again.
 */
export function prepareToWaitVar(table: VarWaitTable, v: object, t: Task): WaitQueue {
  const q = table.queueOf(v);
  q.add(t);
  t.waitingOn = q;
  t.state = 'sleeping';
  return q;
}

/** finish_wait: the condition held, so the task stays running and leaves the queue. */
function finishWait(q: WaitQueue, t: Task): void {
  q.remove(t);
  t.waitingOn = null;
  t.state = 'running';
}

/** wake_up_var: wake every task waiting on `v`. */
export function wakeUpVar(table: VarWaitTable, v: object): void {
  table.queueOf(v).wakeUpAll();
}

/**
 * ___wait_var_event(var, condition, TASK_UNINTERRUPTIBLE, 0, 0, cmd) as steps labelled `label`.
 * Each round queues the task and tests the condition in one step, so no wake-up can slip between
 * the test and the sleep. If the condition fails, `cmd` runs: it drops what the waker needs,
 * leaves the task asleep at its next point (that point is where schedule() returns) and retakes
 * what it dropped; then the condition is tested again.
 */
export function* waitVarEvent(table: VarWaitTable, cur: Task, v: object, condition: () => boolean, label: Label, cmd: () => Step): Step {
  for (;;) {
    yield at(label);
    const q = prepareToWaitVar(table, v, cur);
    if (condition()) {
      finishWait(q, cur);
      return;
    }
    yield* cmd();
  }
}
