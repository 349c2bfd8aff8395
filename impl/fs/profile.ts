// The file-system profiles: which kernel paths a truncate, punch hole, collapse range or fault
// runs through (the inode_operations / file_operations / vm_operations_struct of XFS, ext4 or
// ext2).
import { DaxModelError } from '../errors.ts';
import type { Step } from '../kernel/sched.ts';
import type { FsTask, ResolvedFsOp } from '../locals.ts';
import type { Machine } from '../machine.ts';
import type { VmOperations } from '../mm/pgtable.ts';
import { type BugName, type FeatureName, FS_OP_NAMES, type FsOpName, type FsProfileName } from '../types.ts';
import { ext2DaxVmOps } from './ext2/file.ts';
import { ext2NoLayoutBreak, ext2Setattr } from './ext2/inode.ts';
import { ext4DaxVmOps } from './ext4/file.ts';
import { ext4CollapseRange, ext4InsertRange, ext4ZeroRange } from './ext4/extents.ts';
import { ext4BreakLayouts, ext4PunchHole, ext4Setattr } from './ext4/inode.ts';
import { evictInode } from './evict.ts';
import type { Inode } from './inode.ts';
import {
  BREAK_UNMAP,
  FALLOC_FL_COLLAPSE_RANGE,
  FALLOC_FL_INSERT_RANGE,
  FALLOC_FL_KEEP_SIZE,
  FALLOC_FL_PUNCH_HOLE,
  FALLOC_FL_ZERO_RANGE,
  xfsBreakLayouts,
  xfsFileFallocate,
  xfsFileVmOps,
} from './xfs/file.ts';
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
  /** fallocate(FALLOC_FL_ZERO_RANGE) over lo .. lo+len-1. */
  zeroRange(k: Machine, cur: FsTask, inode: Inode, lo: number, len: number): Step;
  /** fallocate(FALLOC_FL_INSERT_RANGE) over lo .. lo+len-1. */
  insertRange(k: Machine, cur: FsTask, inode: Inode, lo: number, len: number): Step;
  /** The layout break with both inode locks held (xfs_break_layouts / ext4_break_layouts; for
   *  eviction, 6.15's dax_break_layout_final). */
  breakLayouts(k: Machine, cur: FsTask, inode: Inode): Step;
  /** The spec's switches (Bugs, Features) that stand for another file system's code: this
   *  profile's paths never read them, so a config with one is checked against the spec under the
   *  other profile only. */
  readonly lacks: readonly (BugName | FeatureName)[];
  /** The operations (the spec's FsOps) this file system has: a config with another is refused. */
  readonly ops: readonly FsOpName[];
  /** The switches this file system's code always has on, in every release (ext2: NoBreakLayouts):
   *  its paths do what the spec does with them on, so a config without one is refused. */
  readonly always: readonly BugName[];
}

/** XFS: xfs_vn_setattr and xfs_file_fallocate. */
export const xfsProfile: FsProfile = {
  name: 'xfs',
  vmOps: xfsFileVmOps,
  truncate: xfsVnSetattrSize,
  punchHole: (k, cur, ip, lo, len) => xfsFileFallocate(k, cur, ip, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, lo, len),
  collapseRange: (k, cur, ip, lo, len) => xfsFileFallocate(k, cur, ip, FALLOC_FL_COLLAPSE_RANGE, lo, len),
  zeroRange: (k, cur, ip, lo, len) => xfsFileFallocate(k, cur, ip, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, lo, len),
  insertRange: (k, cur, ip, lo, len) => xfsFileFallocate(k, cur, ip, FALLOC_FL_INSERT_RANGE, lo, len),
  breakLayouts: (k, cur, ip) => xfsBreakLayouts(k, cur, ip, BREAK_UNMAP),
  // ext4_zero_range's convert-to-unwritten (ZeroRangeInPlace): xfs_zero_file_space always frees
  // the range and allocates it again.
  lacks: ['ZeroRangeInPlace'],
  ops: FS_OP_NAMES,
  always: [],
};

/** ext4: ext4_setattr, ext4_punch_hole, ext4_collapse_range, ext4_zero_range, ext4_insert_range. */
export const ext4Profile: FsProfile = {
  name: 'ext4',
  vmOps: ext4DaxVmOps,
  truncate: ext4Setattr,
  punchHole: ext4PunchHole,
  collapseRange: ext4CollapseRange,
  zeroRange: ext4ZeroRange,
  insertRange: ext4InsertRange,
  breakLayouts: ext4BreakLayouts,
  // 4.18 XFS's did_unlock retry (d6dc57e251a4). ext4_break_layouts had the same flag from
  // 430657b6be89 until b1f382178d15 (both believed to be 4.19 merge window; the history table's
  // 4.19-ext4 row has no RetryOnlyOnSleep): no ext4 release is modelled with it.
  lacks: ['RetryOnlyOnSleep'],
  ops: FS_OP_NAMES,
  always: [],
};

/** What an fallocate(2) mode does on ext2: vfs_fallocate returns -EOPNOTSUPP (ext2_file_operations
 *  has no .fallocate). A config with the mode is refused (profileRefuses), so no task gets here. */
function* ext2NoFallocate(): Step {
  yield* [];
  throw new DaxModelError('config', 'ext2 has no fallocate (no .fallocate in ext2_file_operations: -EOPNOTSUPP)');
}

/**
 * ext2 (DAX from 4.x; deprecated by d5a2693f93e4 "ext2: Deprecate DAX", 6.16, still there in
 * 7.1.3): ext2_setattr -> ext2_setsize and ext2_evict_inode, and nothing else frees a DAX file's
 * blocks. It never breaks layouts: NoBreakLayouts (and, for eviction, EvictWithoutBreak: ext2
 * never got 0e2f80afcfa6's dax_break_layout_final) describe its code in every release.
 */
export const ext2Profile: FsProfile = {
  name: 'ext2',
  vmOps: ext2DaxVmOps,
  truncate: ext2Setattr,
  punchHole: ext2NoFallocate,
  collapseRange: ext2NoFallocate,
  zeroRange: ext2NoFallocate,
  insertRange: ext2NoFallocate,
  breakLayouts: ext2NoLayoutBreak,
  // The layout-break loop's switches (XFS's did_unlock) and ext4's zero range: ext2 has neither.
  lacks: ['RetryOnlyOnSleep', 'ZeroRangeInPlace'],
  ops: ['Truncate', 'Evict'],
  // With NoBreakLayouts on the spec's Breaks(op) is false for eviction too, so EvictWithoutBreak
  // (which ext2's rows also have) changes nothing here and is not required.
  always: ['NoBreakLayouts'],
};

/** Does `profile` have code the switch `name` (a Bug or a Feature) changes (is it not in its
 *  `lacks`)? */
export function profileHasSwitch(profile: FsProfileName, name: BugName | FeatureName): boolean {
  return !fsProfile(profile).lacks.includes(name);
}

/** Why `profile` cannot run a config with these operations and bugs on (an operation its file
 *  system does not have, a switch its code always has off), in words; null when it can. */
export function profileRefuses(profile: FsProfileName, fsOps: readonly string[], bugsOn: readonly string[]): string | null {
  const fs = fsProfile(profile);
  const missing = fsOps.filter((op) => !(fs.ops as readonly string[]).includes(op));
  if (missing.length > 0) return `${profile} has no ${missing.join(', ')} (its operations: ${fs.ops.join(', ')})`;
  const off = fs.always.filter((b) => !bugsOn.includes(b));
  if (off.length > 0) return `${profile}'s code always has ${off.join(', ')} on`;
  return null;
}

/** The profile called `name`. */
export function fsProfile(name: FsProfileName): FsProfile {
  return name === 'ext4' ? ext4Profile : name === 'ext2' ? ext2Profile : xfsProfile;
}

/**
 * The system call an FsTask makes for `op`: truncate removes lo .. last offset (file size is not
 * modelled), punch hole and collapse range lo .. hi. When the call returns the task forgets its
 * operation, the page it waited on and its cursor (spec FsUnlock: fop, fbusy, fscan reset).
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
    case 'ZeroRange':
      yield* fs.zeroRange(k, cur, op.inode, op.lo, len);
      break;
    case 'InsertRange':
      yield* fs.insertRange(k, cur, op.inode, op.lo, len);
      break;
    case 'Evict':
      yield* evictInode(k, fs, cur, op.inode);
      break;
  }
  cur.locals.op = null;
  cur.locals.busyPage = null;
  cur.locals.scanIndex = 0;
}
