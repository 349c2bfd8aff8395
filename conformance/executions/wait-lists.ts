// The implementation's wait lists against its tasks' states: what kernel/sched/wait.c keeps by
// construction (prepare_to_wait queues a task before it sleeps, finish_wait and wake_up take it
// off). No spec variable holds a wait list, so the refinement mapping cannot see a waiter left on
// a queue; it only shows later, when that queue's wake-up moves a task the spec keeps waiting,
// after an interleaving random schedules seldom reach. This checks it at every step instead.
import { type LiveView, type ResolvedConfig, type Snapshot, snapshotView, type TaskId, taskOrder } from '../../impl/index.ts';

/**
 * Why the snapshot's wait lists and task states disagree, or null: a task is on at most one wait
 * list; a blocked task is on exactly one lock or entry wait list (a user holding a FOLL_LONGTERM
 * pin before DmaComplete: on none), a sleeping one on exactly one page's wait_var list, and any
 * other task on none.
 */
export function waitListError(s: Snapshot): string | null {
  return waitListErrorOf(snapshotView(s), s.config, taskOrder(s.config));
}

/** waitListError read from a view (the live system's, without a snapshot): files, offsets, pages
 *  and tasks in the snapshot's order (configured order; tasks as `taskIds`). */
export function waitListErrorOf(v: LiveView, c: ResolvedConfig, taskIds: readonly TaskId[]): string | null {
  return waitListsAgree(v, c, taskIds) ? null : waitListMessage(v, c, taskIds);
}

/** waitListsAgree's counts, reused from step to step (it runs every step, and allocates nothing). */
let scratch = new Uint8Array(16);

/** Where a task waits, counted: lists and the kind of the last ('lock' or 'var'), by task index. */
const LOCK = 1;
const VAR = 2;

/**
 * waitListMessage's verdict (null or not) without its strings, once a step: the same rules on
 * counts per task index. A task id on a list that is no task's is ignored, as there.
 */
function waitListsAgree(v: LiveView, c: ResolvedConfig, taskIds: readonly TaskId[]): boolean {
  const n = taskIds.length;
  // Task i's count at [i], the kind of its last list at [n + i].
  if (scratch.length < 2 * n) scratch = new Uint8Array(2 * n);
  const counts = scratch;
  counts.fill(0, 0, 2 * n);
  for (let i = 0; i < c.files.length; i++) {
    countWaiters(v.ioLockWaiters(i), LOCK, taskIds, counts);
    countWaiters(v.mmapLockWaiters(i), LOCK, taskIds, counts);
    for (let o = 0; o < c.offsets; o++) if (v.entryPresent(i, o)) countWaiters(v.entryWaiters(i, o), LOCK, taskIds, counts);
  }
  for (let b = 0; b < c.blocks.length; b++) countWaiters(v.varWaiters(b), VAR, taskIds, counts);
  for (let i = 0; i < n; i++) {
    const state = v.taskState(i);
    const count = counts[i]!;
    const kind = counts[n + i]!;
    if (count > 1) return false;
    if (state === 'blocked') {
      if (kind === LOCK && count === 1) continue;
      if (count === 0 && taskKind(c, taskIds[i]!) === 'user' && v.longterm(i) && v.taskNext(i) === 'DmaComplete') continue;
      return false;
    }
    if (state === 'sleeping') {
      if (kind === VAR && count === 1) continue;
      return false;
    }
    if (count > 0) return false;
  }
  return true;
}

/** Counts each task on a list (a module function, not a closure: this runs every step). */
function countWaiters(ids: readonly string[], k: number, taskIds: readonly TaskId[], counts: Uint8Array): void {
  for (let j = 0; j < ids.length; j++) {
    const i = taskIds.indexOf(ids[j]!);
    if (i < 0) continue;
    if (++counts[i]! === 1) counts[taskIds.length + i] = k;
  }
}

/** Why the wait lists and the task states disagree (waitListError), or null. */
function waitListMessage(v: LiveView, c: ResolvedConfig, taskIds: readonly TaskId[]): string | null {
  const on = new Map<string, string[]>();
  const add = (ids: readonly string[], where: string): void => {
    for (const id of ids) on.set(id, [...(on.get(id) ?? []), where]);
  };
  c.files.forEach((f, i) => {
    add(v.ioLockWaiters(i), `lock:${f}'s I/O lock`);
    add(v.mmapLockWaiters(i), `lock:${f}'s mmap lock`);
    for (let o = 0; o < c.offsets; o++) if (v.entryPresent(i, o)) add(v.entryWaiters(i, o), `lock:${f}:${o}'s entry`);
  });
  c.blocks.forEach((b, i) => add(v.varWaiters(i), `var:${b}'s refcount`));
  for (let i = 0; i < taskIds.length; i++) {
    const t = { id: taskIds[i]!, state: v.taskState(i), next: v.taskNext(i), longterm: v.longterm(i), kind: taskKind(c, taskIds[i]!) };
    const lists = on.get(t.id) ?? [];
    const shown = lists.map((l) => l.slice(l.indexOf(':') + 1)).join(' and ');
    if (lists.length > 1) return `${t.id} (${t.state}) is on ${lists.length} wait lists: ${shown}`;
    const kind = lists[0]?.slice(0, lists[0].indexOf(':'));
    // A FOLL_LONGTERM pin (LongtermPinAllowed) holds its DMA for good: the user waits on no
    // kernel queue (the registration is torn down only by userspace), so nothing is to wake it.
    if (t.state === 'blocked' && t.kind === 'user' && t.longterm && t.next === 'DmaComplete' && lists.length === 0) continue;
    if (t.state === 'blocked' && kind !== 'lock')
      return `${t.id} is blocked before ${t.next} but on ${lists.length ? `the wait list of ${shown}` : 'no lock or entry wait list'}: no release would wake it`;
    if (t.state === 'sleeping' && kind !== 'var')
      return `${t.id} sleeps before ${t.next} but on ${lists.length ? `the wait list of ${shown}` : "no page's wait_var list"}: no wake_up_var would wake it`;
    if (t.state !== 'blocked' && t.state !== 'sleeping' && lists.length > 0)
      return `${t.id} is ${t.state} but still on the wait list of ${shown}: its wake-up would move it`;
  }
  return null;
}

const taskKind = (c: ResolvedConfig, id: TaskId): 'user' | 'fs' | 'syncer' =>
  c.users.includes(id) ? 'user' : c.fsTasks.includes(id) ? 'fs' : 'syncer';
