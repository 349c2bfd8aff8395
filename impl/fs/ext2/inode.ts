// ext2's operations that free blocks of a DAX file, from fs/ext2/inode.c: ext2_setattr ->
// ext2_setsize (truncate) and ext2_evict_inode. ext2 has no fallocate (ext2_file_operations has no
// .fallocate, so vfs_fallocate returns -EOPNOTSUPP) and no layout break: no ext2_break_layouts,
// no dax_layout_busy_page call anywhere in fs/ext2, and no dax_break_layout_final in
// ext2_evict_inode (read in 4.18, 4.19.1, 5.10.7, 6.14, 6.19 and 7.1.3). So ext2 frees a block
// while DMA may still target it, in every release: the spec's NoBreakLayouts, always on here.
import { downWrite } from '../../kernel/rwsem.ts';
import { type Step, at } from '../../kernel/sched.ts';
import type { FsTask } from '../../locals.ts';
import type { Machine } from '../../machine.ts';
import { truncatePagecache } from '../../mm/truncate.ts';
import type { Inode } from '../inode.ts';

/**
 * The layout break ext2 does not have: nothing, for truncate and (evictInode calls the profile's
 * break unless EvictWithoutBreak) for eviction. It reads no switch: ext2's paths never test
 * NoBreakLayouts, they are what the spec does with it on (impl/fs/profile.ts: ext2Profile.always).
 */
export function* ext2NoLayoutBreak(): Step {
  // A generator with no step: the callers `yield*` it where XFS and ext4 break layouts.
}

/** __ext2_truncate_blocks: free the blocks from `newSize` on (FreeBlocks body). */
function ext2TruncateBlocks(k: Machine, inode: Inode, newSize: number): void {
  k.balloc.release(inode.extents.unmapRange(newSize, k.maxOffset));
}

/**
 * truncate(2) of an ext2 DAX file to `newSize` pages: do_truncate's inode_lock (i_rwsem,
 * FsLockIo), then ext2_setattr -> ext2_setsize: dax_truncate_page zeroes the partial page
 * (iomap_zero_range before 5.x; not modelled, sizes are whole pages), down_write of dax_sem
 * (filemap_invalidate_lock from 5.15, FsLockMmap), truncate_setsize -> truncate_pagecache
 * (TruncateUnmap, DeleteEntry per offset), __ext2_truncate_blocks (FreeBlocks), unlock (FsUnlock).
 * No layout break between the lock and the unmap: a page still pinned for DMA loses its entry
 * (the trunc WARN in dax_disassociate_entry, 4.18 to 6.14) and its block goes back to the
 * allocator.
 */
export function* ext2Setattr(k: Machine, cur: FsTask, inode: Inode, newSize: number): Step {
  yield* downWrite(inode.ioLock, cur, 'FsLockIo');
  yield* downWrite(inode.mmapLock, cur, 'FsLockMmap');
  cur.locals.scanIndex = 0;
  yield* ext2NoLayoutBreak();
  yield* truncatePagecache(k, cur, inode, newSize);
  yield at('FreeBlocks');
  ext2TruncateBlocks(k, inode, newSize);
  yield at('FsUnlock');
  inode.mmapLock.upWrite(cur);
  inode.ioLock.upWrite(cur);
}
