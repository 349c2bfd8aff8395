// XFS inode locking: fs/xfs/xfs_inode.c (xfs_ilock / xfs_iunlock). The IOLOCK is the VFS i_rwsem,
// the MMAPLOCK keeps page faults out while extents change.
import { downRead, downWrite } from '../../kernel/rwsem.ts';
import type { Step, Task } from '../../kernel/sched.ts';
import type { Label } from '../../types.ts';
import type { Inode } from '../inode.ts';

export const XFS_IOLOCK_EXCL = 1 << 0;
const XFS_IOLOCK_SHARED = 1 << 1;
export const XFS_MMAPLOCK_EXCL = 1 << 4;
export const XFS_MMAPLOCK_SHARED = 1 << 5;

/**
 * xfs_ilock for one lock class, as a step labelled `label`. A call with several classes takes
 * them one at a time in lock order (IOLOCK, then MMAPLOCK), blocking on each, so callers take
 * them one by one.
 */
export function* xfsIlock(cur: Task, ip: Inode, lockFlags: number, label: Label): Step {
  switch (lockFlags) {
    case XFS_IOLOCK_EXCL:
      return yield* downWrite(ip.ioLock, cur, label);
    case XFS_IOLOCK_SHARED:
      return yield* downRead(ip.ioLock, cur, label);
    case XFS_MMAPLOCK_EXCL:
      return yield* downWrite(ip.mmapLock, cur, label);
    case XFS_MMAPLOCK_SHARED:
      return yield* downRead(ip.mmapLock, cur, label);
    default:
      throw new Error(`xfs_ilock: take one lock class per call, not ${lockFlags}`);
  }
}

/** xfs_iunlock: releases every class in `lockFlags` (no step of its own: part of the caller's). */
export function xfsIunlock(cur: Task, ip: Inode, lockFlags: number): void {
  if (lockFlags & XFS_IOLOCK_EXCL) ip.ioLock.upWrite(cur);
  if (lockFlags & XFS_IOLOCK_SHARED) ip.ioLock.upRead(cur);
  if (lockFlags & XFS_MMAPLOCK_EXCL) ip.mmapLock.upWrite(cur);
  if (lockFlags & XFS_MMAPLOCK_SHARED) ip.mmapLock.upRead(cur);
}
