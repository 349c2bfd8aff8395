// ext4 extent operations: fs/ext4/extents.c (ext4_ext_remove_space, ext4_ext_shift_extents,
// ext4_collapse_range).
import { type Step, at } from '../../kernel/sched.ts';
import type { FsTask } from '../../locals.ts';
import type { Machine } from '../../machine.ts';
import { truncatePagecache, truncatePagecacheRange } from '../../mm/truncate.ts';
import { allocFileBlocks } from '../prealloc.ts';
import type { Inode } from '../inode.ts';
import { ext4LayoutChange } from './inode.ts';

/** ext4_ext_remove_space over lo..hi: unmap and free the blocks. */
export function ext4ExtRemoveSpace(k: Machine, inode: Inode, lo: number, hi: number): void {
  k.balloc.release(inode.extents.unmapRange(lo, hi));
}

/** ext4_ext_shift_extents(SHIFT_LEFT): move the extents beyond the range down by `len`. */
function ext4ExtShiftExtents(inode: Inode, lo: number, len: number): void {
  inode.extents.shiftDown(lo, len);
}

/**
 * ext4_collapse_range over page offsets lo .. lo+len-1 (inode_lock, inode_dio_wait, i_mmap_sem,
 * ext4_break_layouts; no direct I/O is modelled, so the wait is nothing here; i_size is not
 * modelled, so the -EINVAL of a range reaching EOF, tested before the break, is not either):
 * one truncate_pagecache from lo to EOF (XFS: xfs_free_file_space's range, then xfs_prepare_shift's
 * rest, under the same locks, merged into one pass by the spec), since
 * every offset there will map another block after the shift (TruncateUnmap, DeleteEntry); remove the range's
 * blocks and shift the rest down (FreeBlocks).
 */
export function* ext4CollapseRange(k: Machine, cur: FsTask, inode: Inode, lo: number, len: number): Step {
  // CollapseSkipsBreak: this mode forgets the layout break.
  yield* ext4LayoutChange(k, cur, inode, !k.bugs.CollapseSkipsBreak, function* () {
    yield* truncatePagecache(k, cur, inode, lo);
    yield at('FreeBlocks');
    ext4ExtRemoveSpace(k, inode, lo, lo + len - 1);
    ext4ExtShiftExtents(inode, lo, len);
  });
}

/**
 * ext4_insert_range over page offsets lo .. lo+len-1: break layouts, truncate_pagecache from lo
 * to EOF (TruncateUnmap, DeleteEntry), ext4_ext_shift_extents(SHIFT_RIGHT) (FreeBlocks, which
 * frees nothing; a shift past the last offset fails with -EFBIG and changes nothing).
 */
export function* ext4InsertRange(k: Machine, cur: FsTask, inode: Inode, lo: number, len: number): Step {
  yield* ext4LayoutChange(k, cur, inode, true, function* () {
    yield* truncatePagecache(k, cur, inode, lo);
    yield at('FreeBlocks');
    inode.extents.shiftUp(lo, len);
  });
}

/**
 * ext4_zero_range (fs/ext4/extents.c, 4.19+) over page offsets lo .. lo+len-1: inode_lock,
 * inode_dio_wait, i_mmap_sem, ext4_break_layouts (none before 430657b6be89: NoBreakLayouts),
 * ext4_update_disksize_before_punch (i_size is not modelled), truncate_pagecache_range
 * (TruncateUnmap, DeleteEntry), then ext4_alloc_file_blocks with
 * EXT4_GET_BLOCKS_CONVERT_UNWRITTEN (FsPrealloc per offset): the range's blocks are converted to
 * unwritten in place and stay with their offsets, only holes get blocks; nothing is freed, so
 * there is no FreeBlocks step. The spec's Feature ZeroRangeInPlace; without it (a config written
 * for XFS's zero range) this runs the spec's default, XFS's xfs_zero_file_space (free the range,
 * FreeBlocks, then allocate), so that such a config can still be checked under ext4.
 */
export function* ext4ZeroRange(k: Machine, cur: FsTask, inode: Inode, lo: number, len: number): Step {
  yield* ext4LayoutChange(k, cur, inode, true, function* () {
    yield* truncatePagecacheRange(k, cur, inode, lo, lo + len - 1);
    if (!k.features.ZeroRangeInPlace) {
      yield at('FreeBlocks');
      ext4ExtRemoveSpace(k, inode, lo, lo + len - 1);
    }
    cur.locals.scanIndex = lo;
    yield* allocFileBlocks(k, cur, inode, lo, lo + len - 1);
  });
}
