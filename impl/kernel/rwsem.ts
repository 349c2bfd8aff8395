// A read-write semaphore with real waiters: kernel/locking/rwsem.c (down_read, down_write,
// up_read, up_write). Backs XFS's IOLOCK/MMAPLOCK and ext4's i_rwsem/i_mmap_sem.
import type { Label } from '../types.ts';
import { type Blocker, type Step, type Task, atBlocking } from './sched.ts';
import { WaitQueue } from './wait.ts';

/**
 * A rw_semaphore. A reader gets in whenever no writer holds it: the spec's FaultLockShared is
 * enabled exactly then, and the kernel's queued hand-off to waiting writers only removes
 * interleavings from that set (fairness, which the spec states as strong fairness).
 */
export class RwSemaphore {
  /** The writer holding it, or null. */
  owner: Task | null = null;
  /** The readers holding it. */
  readonly readers: Task[] = [];
  /** Tasks asleep in the slow path. */
  readonly waitList = new WaitQueue();
  /** Holds back down_read while a writer holds the lock. */
  readonly readBlocker: Blocker;
  /** Holds back down_write while anyone holds the lock. */
  readonly writeBlocker: Blocker;

  constructor(readonly name: string) {
    this.readBlocker = new SemBlocker(this, false);
    this.writeBlocker = new SemBlocker(this, true);
  }

  describe(): string {
    if (this.owner) return `${this.name} (held exclusive by ${this.owner.id})`;
    if (this.readers.length > 0) return `${this.name} (held shared by ${this.readers.map((t) => t.id).join(', ')})`;
    return `${this.name} (free)`;
  }

  /** Takes the lock shared; the caller's point guaranteed no writer holds it. */
  lockRead(t: Task): void {
    if (this.owner !== null) throw new Error(`${t.id}: down_read on ${this.name} held by ${this.owner.id}`);
    this.readers.push(t);
  }

  /** Takes the lock exclusive; the caller's point guaranteed nobody holds it. */
  lockWrite(t: Task): void {
    if (this.owner !== null || this.readers.length > 0) throw new Error(`${t.id}: down_write on busy ${this.name}`);
    this.owner = t;
  }

  /** up_read: the last reader out wakes the waiters (writers wait for readers to drain). */
  upRead(t: Task): void {
    const i = this.readers.indexOf(t);
    if (i < 0) throw new Error(`${t.id}: up_read on ${this.name} it does not hold`);
    this.readers.splice(i, 1);
    if (this.readers.length === 0) this.waitList.wakeUpAll();
  }

  /** up_write: wakes every waiter, readers and writers, to retry. */
  upWrite(t: Task): void {
    if (this.owner !== t) throw new Error(`${t.id}: up_write on ${this.name} held by ${this.owner?.id ?? 'nobody'}`);
    this.owner = null;
    this.waitList.wakeUpAll();
  }
}

// The blockers as a class, not object literals of closures: every system builds a pair per lock,
// and a fast-check run builds a system every ~30 steps.
class SemBlocker implements Blocker {
  constructor(
    private readonly sem: RwSemaphore,
    /** down_write's: held back by readers too. */
    private readonly exclusive: boolean,
  ) {}
  blocked(): boolean {
    return this.sem.owner !== null || (this.exclusive && this.sem.readers.length > 0);
  }
  waitQueue(): WaitQueue {
    return this.sem.waitList;
  }
  describe(): string {
    return this.sem.describe();
  }
}

/** down_read as a step labelled `label`: blocks while a writer holds `sem`. */
export function* downRead(sem: RwSemaphore, cur: Task, label: Label): Step {
  yield atBlocking(label, sem.readBlocker);
  sem.lockRead(cur);
}

/** down_write as a step labelled `label`: blocks while anyone holds `sem`. */
export function* downWrite(sem: RwSemaphore, cur: Task, label: Label): Step {
  yield atBlocking(label, sem.writeBlocker);
  sem.lockWrite(cur);
}
