// The live view of a system's state: accessors by model-value name over the running machine, with
// nothing copied, which the refinement mapping (conformance/refinement/mapping.ts) reads on every
// step; and the same interface over a Snapshot, so that one mapping reads both.
import type { ResolvedConfig } from './config.ts';
import { daxIsEmptyEntry, daxToPfn } from './fs/dax.ts';
import { HOLE } from './fs/extents.ts';
import { daxIsLocked } from './fs/inode.ts';
import type { TaskState } from './kernel/sched.ts';
import { type FsTask, type ResolvedFsOp, type SyncTask, type UserTask, specFsOp } from './locals.ts';
import { PFN_BASE } from './mm/page.ts';
import type { FileSnapshot, PageSnapshot, Snapshot, SystemState, TargetSnapshot, TaskSnapshot } from './snapshot.ts';
import type { BlockId, FileId, Label, SpecFsOp, TaskId } from './types.ts';

/**
 * Live, read-only access to the state the refinement mapping reads, by model-value name and
 * without copying: for per-step conformance checks, where a snapshot's deep copy costs more
 * than the step itself. Files, blocks and tasks are addressed by their index in the configured
 * order (config.files, config.blocks, DaxSystem.taskIds). Read it between steps only.
 */
export interface LiveView {
  readonly gupsLeft: number;
  /** Has the trunc WARN fired (spec warned)? */
  readonly warned: boolean;
  /** Does a VMA map file `f` (spec vma)? */
  mapped(f: number): boolean;
  /** Is file `f` being or been evicted (spec gone)? */
  freeing(f: number): boolean;
  /** Is the user's GUP FOLL_LONGTERM (spec ulong); false for other tasks. */
  longterm(t: number): boolean;
  /** A file-system task's did_unlock (spec fslept); false for other tasks. */
  didUnlock(t: number): boolean;
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
  /** The wait lists, in queue order: no spec variable, read by the harness's check of them against
   *  the tasks' states (conformance/executions/wait-lists.ts) without a snapshot. An offset
   *  without an entry has no entry wait list (the snapshot's null entry). */
  ioLockWaiters(f: number): readonly TaskId[];
  mmapLockWaiters(f: number): readonly TaskId[];
  entryWaiters(f: number, offset: number): readonly TaskId[];
  varWaiters(b: number): readonly TaskId[];
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
    warned: s.warned,
    mapped: (f) => file(f).mapped,
    freeing: (f) => file(f).freeing,
    longterm: (t) => {
      const x = task(t);
      return x.kind === 'user' ? x.longterm : false;
    },
    didUnlock: (t) => {
      const x = task(t);
      return x.kind === 'fs' ? x.didUnlock : false;
    },
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
    ioLockWaiters: (f) => file(f).ioLock.waiters,
    mmapLockWaiters: (f) => file(f).mmapLock.waiters,
    entryWaiters: (f, o) => file(f).entries[o]?.waiters ?? [],
    varWaiters: (b) => page(b).varWaiters,
  };
}

/** Builds the LiveView of a system: reads of its parts, nothing copied. */
export function makeLiveView(s: SystemState): LiveView {
  return new MachineView(s);
}

/** The LiveView of a running machine. A class, not an object literal of closures: each system
 *  builds one, and a fast-check run builds a system every ~30 steps. */
class MachineView implements LiveView {
  private readonly k: SystemState['k'];
  private readonly vmas: SystemState['vmas'];
  private readonly tasks: SystemState['tasks'];
  private readonly names: readonly BlockId[];
  private readonly pages: SystemState['k']['pgmap']['pages'];
  private readonly inodes: SystemState['k']['inodes'];
  // The mapping compares operations by value on every step: one record per operation.
  private readonly specOps = new WeakMap<ResolvedFsOp, SpecFsOp>();

  constructor(private readonly s: SystemState) {
    this.k = s.k;
    this.vmas = s.vmas;
    this.tasks = s.tasks;
    this.names = s.config.blocks;
    this.pages = s.k.pgmap.pages;
    this.inodes = s.k.inodes;
  }

  private pfnName(pfn: number): BlockId | null {
    return pfn === 0 ? null : this.names[pfn - PFN_BASE]!;
  }

  private target(t: number): UserTask['locals']['target'] {
    const task = this.tasks[t]!;
    return task.kind === 'fs' ? null : (task as UserTask | SyncTask).locals.target;
  }

  get gupsLeft(): number {
    return this.s.gupsLeft;
  }
  get warned(): boolean {
    return this.k.warned;
  }
  mapped(f: number): boolean {
    return this.vmas[f]!.mapped;
  }
  freeing(f: number): boolean {
    return this.inodes[f]!.freeing;
  }
  longterm(t: number): boolean {
    return this.tasks[t]!.kind === 'user' && (this.tasks[t] as UserTask).locals.longterm;
  }
  didUnlock(t: number): boolean {
    return this.tasks[t]!.kind === 'fs' && (this.tasks[t] as FsTask).locals.didUnlock;
  }
  isFree(b: number): boolean {
    return this.k.balloc.isFree(b);
  }
  extent(f: number, o: number): BlockId | null {
    const b = this.inodes[f]!.extents.blocks[o]!;
    return b === HOLE ? null : this.names[b]!;
  }
  entryBlock(f: number, o: number): BlockId | null {
    const e = this.inodes[f]!.mapping.xa[o]!;
    return e === 0 || daxIsEmptyEntry(e) ? null : this.pfnName(daxToPfn(e));
  }
  entryPresent(f: number, o: number): boolean {
    return this.inodes[f]!.mapping.xa[o]! !== 0;
  }
  entryLocked(f: number, o: number): boolean {
    const e = this.inodes[f]!.mapping.xa[o]!;
    return e !== 0 && daxIsLocked(e);
  }
  pte(f: number, o: number): BlockId | null {
    return this.pfnName(this.vmas[f]!.ptes[o]!);
  }
  refcount(b: number): number {
    return this.pages[b]!.refcount;
  }
  pageFile(b: number): FileId | null {
    return this.pages[b]!.mapping?.host.name ?? null;
  }
  pageIndex(b: number): number {
    return this.pages[b]!.index;
  }
  ioLockWriter(f: number): TaskId | null {
    return this.inodes[f]!.ioLock.owner?.id ?? null;
  }
  mmapLockWriter(f: number): TaskId | null {
    return this.inodes[f]!.mmapLock.owner?.id ?? null;
  }
  mmapLockReaders(f: number): readonly { readonly id: TaskId }[] {
    return this.inodes[f]!.mmapLock.readers;
  }
  taskState(t: number): TaskState {
    return this.tasks[t]!.state;
  }
  taskNext(t: number): Label | null {
    return this.tasks[t]!.point?.label ?? null;
  }
  targetFile(t: number): FileId | null {
    return this.target(t)?.inode.name ?? null;
  }
  targetOffset(t: number): number {
    return this.target(t)?.offset ?? 0;
  }
  userRef(t: number): BlockId | null {
    return this.tasks[t]!.kind === 'user' ? ((this.tasks[t] as UserTask).locals.ref?.name ?? null) : null;
  }
  fsOp(t: number): SpecFsOp | null {
    const op = this.tasks[t]!.kind === 'fs' ? (this.tasks[t] as FsTask).locals.op : null;
    if (op === null) return null;
    let spec = this.specOps.get(op);
    if (!spec) this.specOps.set(op, (spec = specFsOp(op)));
    return spec;
  }
  scanIndex(t: number): number {
    return this.tasks[t]!.kind === 'fs' ? (this.tasks[t] as FsTask).locals.scanIndex : 0;
  }
  busyPage(t: number): BlockId | null {
    return this.tasks[t]!.kind === 'fs' ? ((this.tasks[t] as FsTask).locals.busyPage?.name ?? null) : null;
  }
  ioLockWaiters(f: number): readonly TaskId[] {
    return this.inodes[f]!.ioLock.waitList.ids();
  }
  mmapLockWaiters(f: number): readonly TaskId[] {
    return this.inodes[f]!.mmapLock.waitList.ids();
  }
  entryWaiters(f: number, o: number): readonly TaskId[] {
    return this.inodes[f]!.mapping.xa[o]! === 0 ? [] : this.inodes[f]!.mapping.entryWait[o]!.ids();
  }
  varWaiters(b: number): readonly TaskId[] {
    return this.k.varWait.waitersOf(this.pages[b]!);
  }
}
