// The block allocator (fs/xfs/libxfs/xfs_alloc.c, fs/ext4/mballoc.c reduced to a free set):
// blocks in the configured order; a freed block can go to any file, which is what makes a
// DMA after truncate land in someone else's data.
import type { BlockId } from '../types.ts';

/** The free-space map. */
export class BlockAllocator {
  private readonly free: boolean[];

  constructor(readonly names: readonly BlockId[]) {
    this.free = names.map(() => true);
  }

  /** Is block `b` free? */
  isFree(b: number): boolean {
    return this.free[b] === true;
  }

  /** Allocates `choice` if given (it must be free), else the first free block in order.
   *  Never fails: the configuration guarantees a free block for every hole (no ENOSPC). */
  alloc(choice?: number): number {
    if (choice !== undefined) {
      if (!this.isFree(choice)) throw new Error(`block ${this.names[choice]} is not free`);
      this.free[choice] = false;
      return choice;
    }
    const b = this.free.indexOf(true);
    if (b < 0) throw new Error('no free block: the configuration should have made ENOSPC impossible');
    this.free[b] = false;
    return b;
  }

  /** Returns blocks to the free set. */
  release(blocks: readonly number[]): void {
    for (const b of blocks) {
      if (this.free[b]) throw new Error(`double free of block ${this.names[b]}`);
      this.free[b] = true;
    }
  }

  /** The free blocks' numbers, in the configured order. */
  freeBlocks(): number[] {
    const out: number[] = [];
    for (let b = 0; b < this.free.length; b++) if (this.free[b]) out.push(b);
    return out;
  }

  /** Block number of a name, or -1. */
  lookup(name: BlockId): number {
    return this.names.indexOf(name);
  }
}
