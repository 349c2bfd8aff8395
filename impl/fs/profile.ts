// The file-system profiles: which kernel paths a truncate, punch hole, collapse range or fault
// runs through (the inode_operations / file_operations / vm_operations_struct of XFS or ext4).
import type { Step } from '../kernel/sched.ts';
import type { FsTask, ResolvedFsOp } from '../locals.ts';
import type { Machine } from '../machine.ts';
import type { VmOperations } from '../mm/pgtable.ts';
import type { FsProfileName } from '../types.ts';
import { ext4DaxVmOps } from './ext4/file.ts';
import { ext4CollapseRange } from './ext4/extents.ts';
import { ext4PunchHole, ext4Setattr } from './ext4/inode.ts';
import type { Inode } from './inode.ts';
import { FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, xfsFileFallocate, xfsFileVmOps } from './xfs/file.ts';
import { xfsVnSetattrSize } from './xfs/iops.ts';

/** The entry points of one file system. Sizes and ranges are in pages. */
export interface FsProfile {
  readonly name: FsProfileName;
  /** The vm_ops of a DAX mmap of this file system. */
  readonly vmOps: VmOperations;
  /** truncate(2) to `newSize`. */
  truncate(k: Machine, cur: FsTask, inode: Inode, newSize: number): Step;
  /** fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) over lo .. lo+len-1. */
  punchHole(k: Machine, cur: FsTask, inode: Inode, lo: number, len: number): Step;
  /** fallocate(FALLOC_FL_COLLAPSE_RANGE) over lo .. lo+len-1. */
  collapseRange(k: Machine, cur: FsTask, inode: Inode, lo: number, len: number): Step;
}

/** XFS: xfs_vn_setattr and xfs_file_fallocate. */
export const xfsProfile: FsProfile = {
  name: 'xfs',
  vmOps: xfsFileVmOps,
  truncate: xfsVnSetattrSize,
  punchHole: (k, cur, ip, lo, len) => xfsFileFallocate(k, cur, ip, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, lo, len),
  collapseRange: (k, cur, ip, lo, len) => xfsFileFallocate(k, cur, ip, FALLOC_FL_COLLAPSE_RANGE, lo, len),
};

/** ext4: ext4_setattr, ext4_punch_hole, ext4_collapse_range. */
export const ext4Profile: FsProfile = {
  name: 'ext4',
  vmOps: ext4DaxVmOps,
  truncate: ext4Setattr,
  punchHole: ext4PunchHole,
  collapseRange: ext4CollapseRange,
};

/** The profile called `name`. */
export function fsProfile(name: FsProfileName): FsProfile {
  return name === 'ext4' ? ext4Profile : xfsProfile;
}

/**
 * The system call an FsTask makes for `op`: truncate removes lo .. last offset (file size is not
 * modelled), punch hole and collapse range lo .. hi. When the call returns the task forgets its
 * operation and the page it waited on (spec FsUnlock: fop, fbusy reset; fscan kept).
 */
export function* fsSyscall(k: Machine, fs: FsProfile, cur: FsTask, op: ResolvedFsOp): Step {
  const len = op.hi - op.lo + 1;
  switch (op.op) {
    case 'Truncate':
      yield* fs.truncate(k, cur, op.inode, op.lo);
      break;
    case 'PunchHole':
      yield* fs.punchHole(k, cur, op.inode, op.lo, len);
      break;
    case 'CollapseRange':
      yield* fs.collapseRange(k, cur, op.inode, op.lo, len);
      break;
  }
  cur.locals.op = null;
  cur.locals.busyPage = null;
}
