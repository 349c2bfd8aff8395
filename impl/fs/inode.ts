// An inode and its address space (include/linux/fs.h): the DAX entries of the page cache XArray
// with their wait queues, the VMAs mapping it (i_mmap), its block map and its two locks.
import type { Blocker } from '../kernel/sched.ts';
import { RwSemaphore } from '../kernel/rwsem.ts';
import { WaitQueue } from '../kernel/wait.ts';
import type { VmArea } from '../mm/pgtable.ts';
import type { FileId } from '../types.ts';
import { ExtentMap } from './extents.ts';

/** DAX entry lock bit (fs/dax.c DAX_LOCKED). */
export const DAX_LOCKED = 1 << 0;
/** An entry without a block yet, inserted locked while a fault allocates (DAX_EMPTY). */
export const DAX_EMPTY = 1 << 3;
/** Entries hold pfn << DAX_SHIFT | flags (xa_mk_value). */
export const DAX_SHIFT = 4;

/** Is the entry locked (dax_is_locked)? 0 is "no entry". */
export function daxIsLocked(entry: number): boolean {
  return (entry & DAX_LOCKED) !== 0;
}

/** struct address_space of a DAX file. */
export class AddressSpace {
  /** The page-cache XArray: one DAX entry per page offset, 0 for none. */
  readonly xa: Int32Array;
  /** Waiters on each entry's lock (the kernel hashes (mapping, index) into wait_table). */
  readonly entryWait: WaitQueue[];
  /** Holds a step back while the entry at that index is locked (get_unlocked_entry). */
  readonly entryUnlocked: Blocker[];
  /** The VMAs mapping the file. */
  readonly iMmap: VmArea[] = [];

  constructor(
    readonly host: Inode,
    pages: number,
  ) {
    this.xa = new Int32Array(pages);
    this.entryWait = Array.from({ length: pages }, () => new WaitQueue());
    this.entryUnlocked = Array.from({ length: pages }, (_, i) => new EntryUnlocked(this, i));
  }
}

/** get_unlocked_entry's condition on one index, as a class rather than closures: every system
 *  builds one per page of every file. */
class EntryUnlocked implements Blocker {
  constructor(
    private readonly mapping: AddressSpace,
    private readonly index: number,
  ) {}
  blocked(): boolean {
    return daxIsLocked(this.mapping.xa[this.index]!);
  }
  waitQueue(): WaitQueue {
    return this.mapping.entryWait[this.index]!;
  }
  describe(): string {
    return `the DAX entry ${this.mapping.host.name}:${this.index} (locked)`;
  }
}

/** An inode of a DAX file. */
export class Inode {
  readonly mapping: AddressSpace;
  readonly extents: ExtentMap;
  /** XFS_IOLOCK / i_rwsem: held exclusive for a truncate or fallocate. */
  readonly ioLock: RwSemaphore;
  /** XFS_MMAPLOCK / i_mmap_sem: faults take it shared, truncate and fallocate exclusive. */
  readonly mmapLock: RwSemaphore;
  /** I_FREEING: eviction has begun; nobody can open, mmap or operate on the file any more. */
  freeing = false;

  constructor(
    readonly name: FileId,
    /** Position in the configured order of files. */
    readonly ino: number,
    pages: number,
  ) {
    this.mapping = new AddressSpace(this, pages);
    this.extents = new ExtentMap(pages);
    this.ioLock = new RwSemaphore(`${name}'s I/O lock`);
    this.mmapLock = new RwSemaphore(`${name}'s mmap lock`);
  }
}
