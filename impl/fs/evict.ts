// Inode eviction: fs/inode.c evict -> s_op->evict_inode (xfs_fs_evict_inode, ext4_evict_inode)
// -> truncate_inode_pages_final, then the blocks are freed (xfs_inactive / ext4_truncate).
import { downWrite } from '../kernel/rwsem.ts';
import { type Step, at } from '../kernel/sched.ts';
import type { FsTask } from '../locals.ts';
import type { Machine } from '../machine.ts';
import { truncatePagecache } from '../mm/truncate.ts';
import { daxBreakLayoutFinal } from './dax-break.ts';
import type { FsProfile } from './profile.ts';
import type { Inode } from './inode.ts';

/**
 * evict() of an unlinked inode that no VMA maps any more: mark it I_FREEING, drop its page cache
 * (truncate_inode_pages_final: TruncateUnmap, DeleteEntry per offset) and free its blocks. The
 * kernel takes no inode locks here; the model holds both (nobody else can want them once the
 * inode is I_FREEING) so that the steps are the other operations' (FsLockIo, FsLockMmap).
 * EvictWithoutBreak (4.18 to 6.14): nothing waits for pinned pages first. Fixed by 0e2f80afcfa6
 * "fs/dax: ensure all pages are idle prior to filesystem unmount" (6.15:
 * dax_break_layout_final, the profile's layout break).
 */
export function* evictInode(k: Machine, fs: FsProfile, cur: FsTask, inode: Inode): Step {
  if (k.features.Design2025) return yield* xfsFsEvictInode(k, cur, inode);
  yield* downWrite(inode.ioLock, cur, 'FsLockIo');
  inode.freeing = true;
  yield* downWrite(inode.mmapLock, cur, 'FsLockMmap');
  cur.locals.scanIndex = 0;
  if (!k.bugs.EvictWithoutBreak) yield* fs.breakLayouts(k, cur, inode);
  yield* truncateAndFree(k, cur, inode);
  inode.mmapLock.upWrite(cur);
  inode.ioLock.upWrite(cur);
}

/** truncate_inode_pages_final (TruncateUnmap, DeleteEntry per offset), the blocks freed
 *  (FreeBlocks), clear_inode (FsUnlock; the caller drops what it holds there). */
function* truncateAndFree(k: Machine, cur: FsTask, inode: Inode): Step {
  yield* truncatePagecache(k, cur, inode, 0);
  yield at('FreeBlocks');
  k.balloc.release(inode.extents.unmapRange(0, k.maxOffset));
  yield at('FsUnlock');
}

/**
 * The 2025 design's eviction (6.15: xfs_fs_evict_inode, ext4_evict_inode likewise): mark the
 * inode I_FREEING and, with no inode lock (nobody else can reach it), dax_break_layout_final
 * (0e2f80afcfa6: wait for every page to go idle, then delete every entry), then
 * truncate_inode_pages_final, which should find no entry left. EvictWithoutBreak is 4.18 ..
 * 6.14's eviction, without the final break, on top.
 */
function* xfsFsEvictInode(k: Machine, cur: FsTask, inode: Inode): Step {
  yield at('FsLockIo');
  inode.freeing = true;
  cur.locals.scanIndex = 0;
  if (!k.bugs.EvictWithoutBreak) yield* daxBreakLayoutFinal(k, cur, inode);
  yield* truncateAndFree(k, cur, inode);
}
