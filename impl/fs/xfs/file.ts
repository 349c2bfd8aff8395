// XFS file operations: fs/xfs/xfs_file.c (xfs_filemap_fault, xfs_break_layouts,
// xfs_break_dax_layouts, xfs_wait_dax_page, xfs_file_fallocate).
import { type Step, at } from '../../kernel/sched.ts';
import { waitVarEvent } from '../../kernel/wait.ts';
import type { FsTask } from '../../locals.ts';
import type { Machine } from '../../machine.ts';
import type { Task } from '../../kernel/sched.ts';
import type { VmArea, VmOperations } from '../../mm/pgtable.ts';
import { daxIomapPteFault, daxLayoutBusyPage } from '../dax.ts';
import { daxBreakLayoutInode } from '../dax-break.ts';
import type { Inode } from '../inode.ts';
import { xfsCollapseFileSpace, xfsFreeFileSpace, xfsInsertFileSpace, xfsZeroFileSpace } from './bmap-util.ts';
import { XFS_IOLOCK_EXCL, XFS_MMAPLOCK_EXCL, XFS_MMAPLOCK_SHARED, xfsIlock, xfsIunlock } from './inode.ts';

export const FALLOC_FL_KEEP_SIZE = 0x01;
export const FALLOC_FL_PUNCH_HOLE = 0x02;
export const FALLOC_FL_COLLAPSE_RANGE = 0x08;
export const FALLOC_FL_ZERO_RANGE = 0x10;
export const FALLOC_FL_INSERT_RANGE = 0x20;

/** Why layouts are broken (enum layout_break_reason; BREAK_WRITE = 0 is not modelled). */
export const BREAK_UNMAP = 1;

/**
 * __xfs_filemap_fault for a DAX write fault: the MMAPLOCK shared keeps truncate and fallocate
 * (which take it exclusive) from changing extents under the fault. Steps FaultLockShared,
 * dax_iomap_fault's, FaultUnlockShared.
 */
function* xfsFilemapFault(k: Machine, cur: Task, vma: VmArea, offset: number): Step {
  const ip = vma.file;
  yield* xfsIlock(cur, ip, XFS_MMAPLOCK_SHARED, 'FaultLockShared');
  yield* daxIomapPteFault(k, cur, vma, offset);
  yield at('FaultUnlockShared');
  xfsIunlock(cur, ip, XFS_MMAPLOCK_SHARED);
}

/** xfs_file_vm_ops. */
export const xfsFileVmOps: VmOperations = { fault: xfsFilemapFault };

/**
 * xfs_wait_dax_page, the `cmd` of the wait: drop the MMAPLOCK so that DMA completion and faults
 * can make progress, sleep (we stay at the relock point until wake_up_var), retake it. In 4.18
 * (d6dc57e251a4) it is also where `*did_unlock = true` is set: RetryOnlyOnSleep.
 */
function* xfsWaitDaxPage(k: Machine, cur: FsTask, ip: Inode): Step {
  if (k.bugs.RetryOnlyOnSleep) cur.locals.didUnlock = true;
  xfsIunlock(cur, ip, XFS_MMAPLOCK_EXCL);
  yield* xfsIlock(cur, ip, XFS_MMAPLOCK_EXCL, 'BreakLayoutsRelock');
}

/**
 * xfs_break_dax_layouts: find a busy page; if there is one, wait until it is idle and ask for a
 * retry (*retry = true): we dropped the MMAPLOCK while waiting, so anything may have been faulted
 * in and pinned since the scan. RetryOnlyOnSleep (4.18, d6dc57e251a4; XFS fix: not found): the
 * retry flag is did_unlock, set only by xfs_wait_dax_page, so a busy page already idle at the
 * first test ends the loop as if layouts were broken.
 */
function* xfsBreakDaxLayouts(k: Machine, cur: FsTask, ip: Inode): Step<boolean> {
  const page = yield* daxLayoutBusyPage(k, cur, ip.mapping);
  if (!page) return false;
  cur.locals.busyPage = page;
  yield* waitVarEvent(
    k.varWait,
    cur,
    page,
    () => page.refcount === k.idleRef,
    'BreakLayoutsWait',
    () => xfsWaitDaxPage(k, cur, ip),
  );
  // The page is idle. Whatever runs next (the retry, or with NoRestartAfterWait the deletion)
  // begins a new pass, whose scan starts at index 0.
  cur.locals.scanIndex = 0;
  const slept = cur.locals.didUnlock;
  cur.locals.didUnlock = false;
  return k.bugs.RetryOnlyOnSleep ? slept : true;
}

/**
 * xfs_wait_dax_page as 6.15 has it, the callback of wait_page_idle: drop the MMAPLOCK,
 * schedule() (the task sleeps at the relock point until wake_up_var), retake it. No retry flag
 * any more: dax_break_layout rescans after every wait.
 */
function* xfsWaitDaxPage2025(cur: FsTask, ip: Inode): Step {
  xfsIunlock(cur, ip, XFS_MMAPLOCK_EXCL);
  yield* xfsIlock(cur, ip, XFS_MMAPLOCK_EXCL, 'BreakLayoutsRelock');
}

/**
 * xfs_break_dax_layouts (fs/xfs/xfs_inode.c, 6.15): with the MMAPLOCK held exclusive,
 * dax_break_layout_inode(inode, xfs_wait_dax_page): unmap, scan and wait until nothing is busy,
 * then delete every entry of the file (the 2025 design).
 */
function xfsBreakDaxLayouts2025(k: Machine, cur: FsTask, ip: Inode): Step {
  return daxBreakLayoutInode(k, cur, ip, () => xfsWaitDaxPage2025(cur, ip));
}

/**
 * xfs_break_layouts, with the IOLOCK and MMAPLOCK held exclusive: loop until a pass waits for
 * nothing. pNFS layout leases (xfs_break_leased_layouts) are not modelled: no client holds one.
 * In the 2025 design (Feature Design2025) BREAK_UNMAP is one xfs_break_dax_layouts call, which
 * loops by itself; the retry flag is left to the leases.
 */
export function* xfsBreakLayouts(k: Machine, cur: FsTask, ip: Inode, reason: number): Step {
  // Before 2018 only leases were broken: nothing waited for pinned DAX pages.
  if (k.bugs.NoBreakLayouts) return;
  if (k.features.Design2025) {
    if (reason === BREAK_UNMAP) yield* xfsBreakDaxLayouts2025(k, cur, ip);
    return;
  }
  let retry: boolean;
  do {
    retry = false;
    if (reason === BREAK_UNMAP) {
      retry = yield* xfsBreakDaxLayouts(k, cur, ip);
      // The bug: did_unlock ignored, as if the pass that waited had found nothing.
      if (k.bugs.NoRestartAfterWait) retry = false;
    }
  } while (retry);
}

/**
 * xfs_file_fallocate for FALLOC_FL_PUNCH_HOLE, FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_ZERO_RANGE and
 * FALLOC_FL_INSERT_RANGE over page offsets lo .. lo+len-1: every mode breaks layouts first.
 * Steps FsLockIo, FsLockMmap, the layout break, TruncateUnmap, DeleteEntry per offset,
 * FreeBlocks, FsPrealloc per offset (zero range), FsUnlock.
 */
export function* xfsFileFallocate(k: Machine, cur: FsTask, ip: Inode, mode: number, lo: number, len: number): Step {
  // xfs_ilock(ip, XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL): one class at a time, in lock order.
  yield* xfsIlock(cur, ip, XFS_IOLOCK_EXCL, 'FsLockIo');
  yield* xfsIlock(cur, ip, XFS_MMAPLOCK_EXCL, 'FsLockMmap');
  cur.locals.scanIndex = 0;
  // CollapseSkipsBreak: the collapse path forgets the layout break.
  if (!(k.bugs.CollapseSkipsBreak && mode & FALLOC_FL_COLLAPSE_RANGE)) yield* xfsBreakLayouts(k, cur, ip, BREAK_UNMAP);
  if (mode & FALLOC_FL_PUNCH_HOLE) yield* xfsFreeFileSpace(k, cur, ip, lo, len);
  else if (mode & FALLOC_FL_COLLAPSE_RANGE) yield* xfsCollapseFileSpace(k, cur, ip, lo, len);
  else if (mode & FALLOC_FL_ZERO_RANGE) yield* xfsZeroFileSpace(k, cur, ip, lo, len);
  else if (mode & FALLOC_FL_INSERT_RANGE) yield* xfsInsertFileSpace(k, cur, ip, lo, len);
  else throw new Error(`xfs_file_fallocate: mode ${mode} is not modelled`);
  yield at('FsUnlock');
  xfsIunlock(cur, ip, XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL);
}
