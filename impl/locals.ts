// What each kind of task keeps between its steps: the local variables of its kernel path that
// the spec exposes as variables (uat, uref, fop, fscan, fbusy, sat).
import type { Task } from './kernel/sched.ts';
import type { Page } from './mm/page.ts';
import type { Inode } from './fs/inode.ts';
import type { FsOpName, SpecFsOp } from './types.ts';

/** A (file, offset) a task works on. */
interface Target {
  readonly inode: Inode;
  readonly offset: number;
}

/** A user thread: the page it GUPs and the page it holds (or read from the PTE). */
export interface UserLocals {
  /** The (file, offset) being pinned, from GupFastReadPte until DmaComplete (spec uat). */
  target: Target | null;
  /** The page read from the PTE, referenced, or pinned (spec uref). */
  ref: Page | null;
  /** The last GUP was FOLL_LONGTERM (spec ulong; kept while idle, as the spec keeps it). */
  longterm: boolean;
}

/** A validated file-system operation with its range filled in. */
export interface ResolvedFsOp {
  readonly op: FsOpName;
  readonly inode: Inode;
  readonly lo: number;
  readonly hi: number;
}

/** The spec's FsOp record [op, file, lo, hi] of a resolved operation. */
export function specFsOp(op: ResolvedFsOp): SpecFsOp {
  return { op: op.op, file: op.inode.name, lo: op.lo, hi: op.hi };
}

/** A file-system task: its operation and the busy scan's position and find. */
export interface FsLocals {
  /** The operation in progress (spec fop), null when idle. */
  op: ResolvedFsOp | null;
  /** The busy scan's cursor (spec fscan). Reset when a break-layouts pass starts and kept
   *  afterwards, even when the task is idle, because the spec keeps fscan. */
  scanIndex: number;
  /** The last busy page found, kept until the operation ends (spec fbusy). */
  busyPage: Page | null;
  /** xfs_break_dax_layouts' / ext4_break_layouts' did_unlock under RetryOnlyOnSleep: the task
   *  slept since its break loop (re)started (spec fslept). */
  didUnlock: boolean;
}

/** A writeback task: the entry it has locked. */
export interface SyncLocals {
  /** The entry being flushed (spec sat). */
  target: Target | null;
}

export type UserTask = Task<UserLocals>;
export type FsTask = Task<FsLocals>;
export type SyncTask = Task<SyncLocals>;

/** Any task of a system. */
export type AnyTask = UserTask | FsTask | SyncTask;
