// A deep-frozen copy of a system's state (Snapshot), with every identity given by its spec
// model-value name, for the tests and the harness's reports; and how it is taken. The live
// accessors that read the same state without a copy are in live-view.ts.
import type { ResolvedConfig } from './config.ts';
import { daxIsEmptyEntry, daxToPfn } from './fs/dax.ts';
import { HOLE } from './fs/extents.ts';
import { daxIsLocked } from './fs/inode.ts';
import type { RwSemaphore } from './kernel/rwsem.ts';
import type { TaskKind, TaskState } from './kernel/sched.ts';
import { type AnyTask, type FsTask, type SyncTask, type UserTask, specFsOp } from './locals.ts';
import type { Machine } from './machine.ts';
import { PFN_BASE } from './mm/page.ts';
import type { VmArea } from './mm/pgtable.ts';
import type { BlockId, FileId, Label, SpecFsOp, TaskId } from './types.ts';

/** A rw_semaphore: its writer, its readers, and who sleeps on it. */
interface LockSnapshot {
  readonly writer: TaskId | null;
  readonly readers: readonly TaskId[];
  readonly waiters: readonly TaskId[];
}

/** A DAX entry: the block it holds (null for an empty entry inserted by a fault on a hole), its
 *  lock bit, and who waits for it to unlock. */
interface EntrySnapshot {
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
  /** A VMA of the mm maps the file (mapping_mapped; spec vma). */
  readonly mapped: boolean;
  /** Eviction has begun (I_FREEING; spec gone). */
  readonly freeing: boolean;
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

interface UserTaskSnapshot extends TaskCommon {
  readonly kind: 'user';
  /** The (file, offset) being pinned (spec uat). */
  readonly target: TargetSnapshot | null;
  /** The page read from the PTE, referenced or pinned (spec uref). */
  readonly ref: BlockId | null;
  /** The last GUP was FOLL_LONGTERM (spec ulong). */
  readonly longterm: boolean;
}

interface FsTaskSnapshot extends TaskCommon {
  readonly kind: 'fs';
  /** The operation (spec fop), null when idle. */
  readonly op: SpecFsOp | null;
  /** The busy scan's cursor (spec fscan). */
  readonly scanIndex: number;
  /** The busy page found last in this operation (spec fbusy). */
  readonly busyPage: BlockId | null;
  /** The retry flag did_unlock under RetryOnlyOnSleep (spec fslept). */
  readonly didUnlock: boolean;
}

interface SyncTaskSnapshot extends TaskCommon {
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
  /** dax_disassociate_entry's reference-based trunc WARN has fired (spec warned). */
  readonly warned: boolean;
}

/** Freezes `v` and everything reachable from it. */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

/** What the views read of a system: its parts, and its counters as they are now. */
export interface SystemState {
  readonly config: ResolvedConfig;
  readonly k: Machine;
  /** The one mm's VMAs, by inode number. */
  readonly vmas: readonly VmArea[];
  /** In configured order (users, file-system tasks, syncers). */
  readonly tasks: readonly AnyTask[];
  readonly gupsLeft: number;
  readonly steps: number;
}

function lockSnapshot(l: RwSemaphore): LockSnapshot {
  return { writer: l.owner?.id ?? null, readers: l.readers.map((t) => t.id), waiters: l.waitList.ids() };
}

function taskSnapshot(t: AnyTask): TaskSnapshot {
  const common = {
    id: t.id,
    state: t.state,
    next: (t.point?.label ?? null) as Label | null,
    blockedOn: t.state === 'blocked' ? (t.point?.blocker?.describe() ?? null) : null,
    woken: t.woken,
  };
  if (t.kind === 'user') {
    const l = (t as UserTask).locals;
    return {
      ...common,
      kind: 'user',
      target: l.target && { file: l.target.inode.name, offset: l.target.offset },
      ref: l.ref?.name ?? null,
      longterm: l.longterm,
    };
  }
  if (t.kind === 'fs') {
    const l = (t as FsTask).locals;
    return {
      ...common,
      kind: 'fs',
      op: l.op && specFsOp(l.op),
      scanIndex: l.scanIndex,
      busyPage: l.busyPage?.name ?? null,
      didUnlock: l.didUnlock,
    };
  }
  const l = (t as SyncTask).locals;
  return { ...common, kind: 'syncer', target: l.target && { file: l.target.inode.name, offset: l.target.offset } };
}

/** Takes a deep-frozen Snapshot of a system. */
export function takeSnapshot(s: SystemState): Snapshot {
  const k = s.k;
  const names = s.config.blocks;
  const blockName = (b: number): BlockId | null => (b === HOLE ? null : names[b]!);
  const pfnName = (pfn: number): BlockId | null => (pfn === 0 ? null : names[pfn - PFN_BASE]!);
  const files: Record<string, FileSnapshot> = {};
  const ptes: Record<string, (BlockId | null)[]> = {};
  for (const ip of k.inodes) {
    const entries: FileSnapshot['entries'][number][] = [];
    const extents: (BlockId | null)[] = [];
    const filePtes: (BlockId | null)[] = [];
    const vmaPtes = s.vmas[ip.ino]!.ptes;
    for (let i = 0; i < s.config.offsets; i++) {
      const e = ip.mapping.xa[i]!;
      entries.push(
        e === 0
          ? null
          : { pfn: daxIsEmptyEntry(e) ? null : pfnName(daxToPfn(e)), locked: daxIsLocked(e), waiters: ip.mapping.entryWait[i]!.ids() },
      );
      extents.push(blockName(ip.extents.blocks[i]!));
      filePtes.push(pfnName(vmaPtes[i]!));
    }
    files[ip.name] = {
      extents,
      entries,
      ioLock: lockSnapshot(ip.ioLock),
      mmapLock: lockSnapshot(ip.mmapLock),
      mapped: s.vmas[ip.ino]!.mapped,
      freeing: ip.freeing,
    };
    ptes[ip.name] = filePtes;
  }
  const pages: Record<string, PageSnapshot> = {};
  for (const p of k.pgmap.pages) {
    pages[p.name] = {
      pfn: p.pfn,
      refcount: p.refcount,
      pincount: p.pincount,
      mapping: p.mapping ? { file: p.mapping.host.name, index: p.index } : null,
      data: p.data,
      varWaiters: k.varWait.waitersOf(p),
    };
  }
  const tasks: Record<string, TaskSnapshot> = {};
  for (const t of s.tasks) tasks[t.id] = taskSnapshot(t);
  return deepFreeze({
    config: s.config,
    steps: s.steps,
    gupsLeft: s.gupsLeft,
    free: k.balloc.freeBlocks().map((b) => names[b]!),
    files,
    ptes,
    pages,
    tasks,
    eventCount: k.log.events.length,
    warned: k.warned,
  });
}
