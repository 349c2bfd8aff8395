// Removing, moving and allocating blocks: fs/xfs/xfs_bmap_util.c (xfs_free_file_space,
// xfs_collapse_file_space, xfs_insert_file_space, xfs_alloc_file_space) and fs/xfs/xfs_inode.c
// (xfs_itruncate_extents).
import { type Step, at } from '../../kernel/sched.ts';
import type { FsTask } from '../../locals.ts';
import type { Machine } from '../../machine.ts';
import { truncatePagecacheRange } from '../../mm/truncate.ts';
import type { Inode } from '../inode.ts';
import { allocFileBlocks } from '../prealloc.ts';

/** xfs_bunmapi over lo..hi: unmap the extents and return the blocks to the allocator. */
function xfsBunmapi(k: Machine, ip: Inode, lo: number, hi: number): void {
  k.balloc.release(ip.extents.unmapRange(lo, hi));
}

/** xfs_itruncate_extents: free every block from page offset `from` to the end (FreeBlocks body). */
export function xfsItruncateExtents(k: Machine, ip: Inode, from: number): void {
  xfsBunmapi(k, ip, from, k.maxOffset);
}

/** xfs_free_file_space (punch hole): xfs_flush_unmap_range (TruncateUnmap, DeleteEntry), then
 *  unmap the range's extents (FreeBlocks). */
export function* xfsFreeFileSpace(k: Machine, cur: FsTask, ip: Inode, lo: number, len: number): Step {
  yield* truncatePagecacheRange(k, cur, ip, lo, lo + len - 1);
  yield at('FreeBlocks');
  xfsBunmapi(k, ip, lo, lo + len - 1);
}

/**
 * xfs_collapse_file_space: free the range, then shift the extents beyond it down
 * (xfs_bmap_collapse_extents). The page cache from the range to EOF must go first, since every
 * offset there is about to map a different block: xfs_free_file_space invalidates the range and
 * xfs_prepare_shift the rest; under the same locks, one deletion pass does both.
 */
export function* xfsCollapseFileSpace(k: Machine, cur: FsTask, ip: Inode, lo: number, len: number): Step {
  yield* truncatePagecacheRange(k, cur, ip, lo, k.maxOffset);
  yield at('FreeBlocks');
  xfsBunmapi(k, ip, lo, lo + len - 1);
  ip.extents.shiftDown(lo, len);
}

/**
 * xfs_insert_file_space: xfs_prepare_shift drops the page cache from the start to EOF, then
 * xfs_bmap_insert_extents shifts the extents from lo up by len, leaving a hole (FreeBlocks
 * frees nothing). A shift past the last modelled offset fails (-EFBIG) and changes nothing.
 */
export function* xfsInsertFileSpace(k: Machine, cur: FsTask, ip: Inode, lo: number, len: number): Step {
  yield* truncatePagecacheRange(k, cur, ip, lo, k.maxOffset);
  yield at('FreeBlocks');
  ip.extents.shiftUp(lo, len);
}

/** xfs_zero_file_space (zero range): xfs_free_file_space, then xfs_alloc_file_space over the
 *  range (unwritten extents, not told apart here). */
export function* xfsZeroFileSpace(k: Machine, cur: FsTask, ip: Inode, lo: number, len: number): Step {
  yield* xfsFreeFileSpace(k, cur, ip, lo, len);
  cur.locals.scanIndex = lo;
  yield* allocFileBlocks(k, cur, ip, lo, lo + len - 1);
}
