// The read-only views of a system's state that the refinement mapping (conformance/mapping.ts)
// and the tests read: a deep-frozen copy (Snapshot), and live accessors without a copy
// (LiveView), with every identity given by its spec model-value name.
import type { ResolvedConfig } from './config.ts';
import type { TaskKind, TaskState } from './kernel/sched.ts';
import type { BlockId, FileId, Label, SpecFsOp, TaskId } from './types.ts';

/** A rw_semaphore: its writer, its readers, and who sleeps on it. */
export interface LockSnapshot {
  readonly writer: TaskId | null;
  readonly readers: readonly TaskId[];
  readonly waiters: readonly TaskId[];
}

/** A DAX entry: the block it holds (null for an empty entry inserted by a fault on a hole), its
 *  lock bit, and who waits for it to unlock. */
export interface EntrySnapshot {
  readonly pfn: BlockId | null;
  readonly locked: boolean;
  readonly waiters: readonly TaskId[];
}

/** A file: its block map, its page-cache entries (null = no entry), its two locks. */
export interface FileSnapshot {
  readonly extents: readonly (BlockId | null)[];
  readonly entries: readonly (EntrySnapshot | null)[];
  readonly ioLock: LockSnapshot;
  readonly mmapLock: LockSnapshot;
}

/** A ZONE_DEVICE page. */
export interface PageSnapshot {
  readonly pfn: number;
  readonly refcount: number;
  readonly pincount: number;
  /** page->mapping/index, or null. */
  readonly mapping: { readonly file: FileId; readonly index: number } | null;
  /** What the last DMA wrote, or null. */
  readonly data: string | null;
  /** Tasks asleep in wait_var_event(&page->_refcount). */
  readonly varWaiters: readonly TaskId[];
}

interface TaskCommon {
  readonly id: TaskId;
  readonly kind: TaskKind;
  /** idle, running (can step now), blocked (lock / entry lock), sleeping (wait_var_event). */
  readonly state: TaskState;
  /** The label of the next step, or null when idle. */
  readonly next: Label | null;
  /** What a blocked task waits for, one line; null otherwise. */
  readonly blockedOn: string | null;
  /** Woken from wait_var_event and not yet past its next step (the relock). */
  readonly woken: boolean;
}

/** A (file, offset). */
export interface TargetSnapshot {
  readonly file: FileId;
  readonly offset: number;
}

export interface UserTaskSnapshot extends TaskCommon {
  readonly kind: 'user';
  /** The (file, offset) being pinned (spec uat). */
  readonly target: TargetSnapshot | null;
  /** The page read from the PTE, referenced or pinned (spec uref). */
  readonly ref: BlockId | null;
}

export interface FsTaskSnapshot extends TaskCommon {
  readonly kind: 'fs';
  /** The operation (spec fop), null when idle. */
  readonly op: SpecFsOp | null;
  /** The busy scan's cursor (spec fscan). */
  readonly scanIndex: number;
  /** The busy page found last in this operation (spec fbusy). */
  readonly busyPage: BlockId | null;
}

export interface SyncTaskSnapshot extends TaskCommon {
  readonly kind: 'syncer';
  /** The entry locked for writeback (spec sat). */
  readonly target: TargetSnapshot | null;
}

export type TaskSnapshot = UserTaskSnapshot | FsTaskSnapshot | SyncTaskSnapshot;

/** Everything the refinement mapping needs, by model-value name. */
export interface Snapshot {
  readonly config: ResolvedConfig;
  /** Steps taken so far. */
  readonly steps: number;
  /** GUP operations users may still start (spec gupsLeft). */
  readonly gupsLeft: number;
  /** The allocator's free blocks, in configured order. */
  readonly free: readonly BlockId[];
  readonly files: Readonly<Record<FileId, FileSnapshot>>;
  /** The one mm's PTEs: ptes[file][offset] is the block mapped, or null. */
  readonly ptes: Readonly<Record<FileId, readonly (BlockId | null)[]>>;
  readonly pages: Readonly<Record<BlockId, PageSnapshot>>;
  readonly tasks: Readonly<Record<TaskId, TaskSnapshot>>;
  /** How many events have been recorded (see events()). */
  readonly eventCount: number;
}

/** Freezes `v` and everything reachable from it. */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

/**
 * Live, read-only access to the state the refinement mapping reads, by model-value name and
 * without copying: for per-step conformance checks, where a snapshot's deep copy costs more
 * than the step itself. Files, blocks and tasks are addressed by their index in the configured
 * order (config.files, config.blocks, DaxSystem.taskIds). Read it between steps only.
 */
export interface LiveView {
  readonly gupsLeft: number;
  /** Is block `b` on the allocator's free list? */
  isFree(b: number): boolean;
  /** The block mapped at `offset` of file `f`, or null for a hole. */
  extent(f: number, offset: number): BlockId | null;
  /** The block in the DAX entry, or null for no entry or an empty (DAX_EMPTY) entry. */
  entryBlock(f: number, offset: number): BlockId | null;
  /** Is there an entry at all (an empty one included)? */
  entryPresent(f: number, offset: number): boolean;
  /** The entry's DAX_LOCKED bit (false when there is no entry). */
  entryLocked(f: number, offset: number): boolean;
  /** The block the PTE maps, or null for pte_none. */
  pte(f: number, offset: number): BlockId | null;
  refcount(b: number): number;
  /** page->mapping's file, or null; pageIndex is page->index. */
  pageFile(b: number): FileId | null;
  pageIndex(b: number): number;
  ioLockWriter(f: number): TaskId | null;
  mmapLockWriter(f: number): TaskId | null;
  /** The readers of the mmap lock, in acquisition order (a live array: do not keep it). */
  mmapLockReaders(f: number): readonly { readonly id: TaskId }[];
  taskState(t: number): TaskState;
  /** The label of the task's next step, or null when idle. */
  taskNext(t: number): Label | null;
  /** A user's or syncer's (file, offset), or null. */
  targetFile(t: number): FileId | null;
  targetOffset(t: number): number;
  /** A user's page reference (uref), or null. */
  userRef(t: number): BlockId | null;
  /** A file-system task's operation, or null. */
  fsOp(t: number): SpecFsOp | null;
  scanIndex(t: number): number;
  busyPage(t: number): BlockId | null;
}

/** The tasks in the order a LiveView addresses them (DaxSystem.taskIds): users, file-system
 *  tasks, syncers, each in configured order. */
export function taskOrder(config: ResolvedConfig): readonly TaskId[] {
  return [...config.users, ...config.fsTasks, ...config.syncers];
}

/**
 * A snapshot read through the LiveView interface, addressed as the system's own live view is
 * (tasks in taskOrder). One reading of the state serves both: the refinement mapping is written
 * once, against LiveView, and applies to a live system and to a snapshot alike.
 */
export function snapshotView(s: Snapshot): LiveView {
  const c = s.config;
  const file = (f: number): FileSnapshot => s.files[c.files[f]!]!;
  const page = (b: number): PageSnapshot => s.pages[c.blocks[b]!]!;
  const ids = taskOrder(c);
  const task = (t: number): TaskSnapshot => s.tasks[ids[t]!]!;
  const free = new Set(s.free);
  const target = (t: number): TargetSnapshot | null => {
    const x = task(t);
    return x.kind === 'fs' ? null : x.target;
  };
  return {
    gupsLeft: s.gupsLeft,
    isFree: (b) => free.has(c.blocks[b]!),
    extent: (f, o) => file(f).extents[o] ?? null,
    entryBlock: (f, o) => file(f).entries[o]?.pfn ?? null,
    entryPresent: (f, o) => (file(f).entries[o] ?? null) !== null,
    entryLocked: (f, o) => file(f).entries[o]?.locked ?? false,
    pte: (f, o) => s.ptes[c.files[f]!]?.[o] ?? null,
    refcount: (b) => page(b).refcount,
    pageFile: (b) => page(b).mapping?.file ?? null,
    pageIndex: (b) => page(b).mapping?.index ?? 0,
    ioLockWriter: (f) => file(f).ioLock.writer,
    mmapLockWriter: (f) => file(f).mmapLock.writer,
    mmapLockReaders: (f) => file(f).mmapLock.readers.map((id) => ({ id })),
    taskState: (t) => task(t).state,
    taskNext: (t) => task(t).next,
    targetFile: (t) => target(t)?.file ?? null,
    targetOffset: (t) => target(t)?.offset ?? 0,
    userRef: (t) => {
      const x = task(t);
      return x.kind === 'user' ? x.ref : null;
    },
    fsOp: (t) => {
      const x = task(t);
      return x.kind === 'fs' ? x.op : null;
    },
    scanIndex: (t) => {
      const x = task(t);
      return x.kind === 'fs' ? x.scanIndex : 0;
    },
    busyPage: (t) => {
      const x = task(t);
      return x.kind === 'fs' ? x.busyPage : null;
    },
  };
}
