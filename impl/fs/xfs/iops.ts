// XFS truncate: fs/open.c's do_truncate -> notify_change -> fs/xfs/xfs_iops.c's xfs_vn_setattr
// (MMAPLOCK + xfs_break_layouts) -> xfs_vn_setattr_size -> xfs_setattr_size.
import { type Step, at } from '../../kernel/sched.ts';
import type { FsTask } from '../../locals.ts';
import type { Machine } from '../../machine.ts';
import { truncatePagecache } from '../../mm/truncate.ts';
import type { Inode } from '../inode.ts';
import { xfsItruncateExtents } from './bmap-util.ts';
import { BREAK_UNMAP, xfsBreakLayouts } from './file.ts';
import { XFS_IOLOCK_EXCL, XFS_MMAPLOCK_EXCL, xfsIlock, xfsIunlock } from './inode.ts';

/** xfs_setattr_size: truncate_setsize drops the page cache beyond the new size (TruncateUnmap,
 *  DeleteEntry per offset), then xfs_itruncate_extents frees the blocks (FreeBlocks). */
function* xfsSetattrSize(k: Machine, cur: FsTask, ip: Inode, newSize: number): Step {
  yield* truncatePagecache(k, cur, ip, newSize);
  yield at('FreeBlocks');
  xfsItruncateExtents(k, ip, newSize);
}

/**
 * truncate(2) of an XFS file to `newSize` pages: do_truncate's inode_lock is the IOLOCK
 * (FsLockIo); xfs_vn_setattr takes the MMAPLOCK (FsLockMmap) and breaks layouts before
 * xfs_vn_setattr_size; both locks go at the end (FsUnlock).
 */
export function* xfsVnSetattrSize(k: Machine, cur: FsTask, ip: Inode, newSize: number): Step {
  yield* xfsIlock(cur, ip, XFS_IOLOCK_EXCL, 'FsLockIo');
  yield* xfsIlock(cur, ip, XFS_MMAPLOCK_EXCL, 'FsLockMmap');
  cur.locals.scanIndex = 0;
  yield* xfsBreakLayouts(k, cur, ip, BREAK_UNMAP);
  yield* xfsSetattrSize(k, cur, ip, newSize);
  yield at('FsUnlock');
  xfsIunlock(cur, ip, XFS_MMAPLOCK_EXCL);
  xfsIunlock(cur, ip, XFS_IOLOCK_EXCL);
}
