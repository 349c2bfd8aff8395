// A file's on-disk block map, one block per page offset (fs/xfs/libxfs/xfs_bmap.c's extent list,
// fs/ext4/extents.c's tree): which block backs each offset, or a hole.

/** A hole: no block (HOLESTARTBLOCK). */
export const HOLE = -1;

/** The block map of one file. */
export class ExtentMap {
  /** blocks[offset]: the block number, or HOLE. */
  readonly blocks: Int32Array;

  constructor(pages: number) {
    this.blocks = new Int32Array(pages).fill(HOLE);
  }

  /** The block at `offset`, or HOLE. */
  lookup(offset: number): number {
    return this.blocks[offset]!;
  }

  /** Maps `offset` to `block`. */
  map(offset: number, block: number): void {
    this.blocks[offset] = block;
  }

  /** Unmaps lo..hi and returns the blocks that were mapped there (to free them). */
  unmapRange(lo: number, hi: number): number[] {
    const freed: number[] = [];
    for (let o = lo; o <= hi; o++) {
      const b = this.blocks[o]!;
      if (b !== HOLE) freed.push(b);
      this.blocks[o] = HOLE;
    }
    return freed;
  }

  /** Moves every mapping at or beyond `from + len` down by `len`, leaving holes at the end
   *  (xfs_bmap_collapse_extents / ext4_ext_shift_extents with SHIFT_LEFT). */
  shiftDown(from: number, len: number): void {
    const n = this.blocks.length;
    for (let o = from; o < n; o++) this.blocks[o] = o + len < n ? this.blocks[o + len]! : HOLE;
  }

  /** Moves every mapping at or beyond `from` up by `len`, leaving holes at from..from+len-1
   *  (xfs_bmap_insert_extents / ext4_ext_shift_extents with SHIFT_RIGHT). Returns false and
   *  changes nothing when a mapped offset would pass the end (-EFBIG). */
  shiftUp(from: number, len: number): boolean {
    const n = this.blocks.length;
    for (let o = n - len; o < n; o++) if (o >= 0 && this.blocks[o] !== HOLE) return false;
    for (let o = n - 1; o >= from; o--) this.blocks[o] = o - len >= from ? this.blocks[o - len]! : HOLE;
    return true;
  }
}
