// ext4's layout break and the operations in fs/ext4/inode.c that use it: ext4_break_layouts,
// ext4_wait_dax_page, ext4_setattr (truncate), ext4_punch_hole, ext4_truncate.
import { downWrite } from '../../kernel/rwsem.ts';
import { type Step, at } from '../../kernel/sched.ts';
import { waitVarEvent } from '../../kernel/wait.ts';
import type { FsTask } from '../../locals.ts';
import type { Machine } from '../../machine.ts';
import { truncatePagecache, truncatePagecacheRange } from '../../mm/truncate.ts';
import { daxLayoutBusyPage } from '../dax.ts';
import { daxBreakLayoutInode } from '../dax-break.ts';
import type { Inode } from '../inode.ts';
import { ext4ExtRemoveSpace } from './extents.ts';

/** ext4_wait_dax_page, the `cmd` of the wait: drop i_mmap_sem, schedule() (we stay at the relock
 *  point until wake_up_var), retake it. From b1f382178d15 it sets no flag: nothing but `error`
 *  decides whether ext4_break_layouts loops. */
function* ext4WaitDaxPage(cur: FsTask, inode: Inode): Step {
  inode.mmapLock.upWrite(cur);
  yield* downWrite(inode.mmapLock, cur, 'BreakLayoutsRelock');
}

/**
 * ext4_break_layouts (430657b6be89, as fixed by b1f382178d15 "ext4: close race between direct IO
 * and ext4_break_layouts()" before 4.19 shipped), with i_mmap_sem held exclusive:
 *
 *   do {
 *     page = dax_layout_busy_page(mapping);  if (!page) return 0;
 *     error = ___wait_var_event(&page->_refcount, refcount == idle, ..., ext4_wait_dax_page(ei));
 *   } while (error == 0);
 *
 * Every busy page found means another scan, whether or not the wait slept: unlike XFS's
 * xfs_break_dax_layouts, there is no retry flag. So RetryOnlyOnSleep, 4.18 XFS's
 * did_unlock (d6dc57e251a4), is not an ext4 switch: this path never reads it (see
 * FsProfile.lacks). The wait is not interruptible here (no signals), so error is always 0.
 */
export function* ext4BreakLayouts(k: Machine, cur: FsTask, inode: Inode): Step {
  // 4.18's ext4 (before 430657b6be89) broke no layouts: nothing waited for pinned DAX pages.
  if (k.bugs.NoBreakLayouts) return;
  // 6.15 (the 2025 design): return dax_break_layout_inode(inode, ext4_wait_dax_page).
  if (k.features.Design2025) return yield* daxBreakLayoutInode(k, cur, inode, () => ext4WaitDaxPage(cur, inode));
  let error: number;
  do {
    const page = yield* daxLayoutBusyPage(k, cur, inode.mapping);
    if (!page) return;
    cur.locals.busyPage = page;
    yield* waitVarEvent(
      k.varWait,
      cur,
      page,
      () => page.refcount === k.idleRef,
      'BreakLayoutsWait',
      () => ext4WaitDaxPage(cur, inode),
    );
    error = 0;
    // The page is idle; the next pass (or, with NoRestartAfterWait, the deletion) starts at 0.
    cur.locals.scanIndex = 0;
    // NoRestartAfterWait (hypothetical): `while (0)`, as if the pass that waited found nothing.
    if (k.bugs.NoRestartAfterWait) return;
  } while (error === 0);
}

/**
 * What every ext4 operation that changes the block map does around its own steps (ext4_setattr,
 * ext4_fallocate's modes): i_rwsem (FsLockIo), i_mmap_sem (FsLockMmap), ext4_break_layouts
 * when `breaks`, the operation's `body`, then both unlocked (FsUnlock).
 */
export function* ext4LayoutChange(k: Machine, cur: FsTask, inode: Inode, breaks: boolean, body: () => Step): Step {
  yield* downWrite(inode.ioLock, cur, 'FsLockIo');
  yield* downWrite(inode.mmapLock, cur, 'FsLockMmap');
  cur.locals.scanIndex = 0;
  if (breaks) yield* ext4BreakLayouts(k, cur, inode);
  yield* body();
  yield at('FsUnlock');
  inode.mmapLock.upWrite(cur);
  inode.ioLock.upWrite(cur);
}

/** ext4_truncate: free the blocks beyond the new size (FreeBlocks body). */
function ext4Truncate(k: Machine, inode: Inode, newSize: number): void {
  k.balloc.release(inode.extents.unmapRange(newSize, k.maxOffset));
}

/**
 * truncate(2) of an ext4 file to `newSize` pages: do_truncate's inode_lock (i_rwsem, FsLockIo),
 * then ext4_setattr: i_mmap_sem (FsLockMmap), ext4_break_layouts, truncate_pagecache
 * (TruncateUnmap, DeleteEntry), ext4_truncate (FreeBlocks), unlock both (FsUnlock).
 */
export function* ext4Setattr(k: Machine, cur: FsTask, inode: Inode, newSize: number): Step {
  yield* ext4LayoutChange(k, cur, inode, true, function* () {
    yield* truncatePagecache(k, cur, inode, newSize);
    yield at('FreeBlocks');
    ext4Truncate(k, inode, newSize);
  });
}

/**
 * ext4_punch_hole over page offsets lo .. lo+len-1: inode_lock (FsLockIo), inode_dio_wait,
 * i_mmap_sem (FsLockMmap), ext4_break_layouts, truncate_pagecache_range (TruncateUnmap,
 * DeleteEntry), ext4_ext_remove_space under i_data_sem (FreeBlocks). XFS's xfs_file_fallocate
 * waits for direct I/O after the break instead; no direct I/O to the file is modelled (a DMA pin
 * is a GUP of the mapping, which inode_dio_wait does not wait for), so the orders are the same
 * steps here.
 */
export function* ext4PunchHole(k: Machine, cur: FsTask, inode: Inode, lo: number, len: number): Step {
  yield* ext4LayoutChange(k, cur, inode, true, function* () {
    yield* truncatePagecacheRange(k, cur, inode, lo, lo + len - 1);
    yield at('FreeBlocks');
    ext4ExtRemoveSpace(k, inode, lo, lo + len - 1);
  });
}
