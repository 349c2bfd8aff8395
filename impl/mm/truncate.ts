// truncate_pagecache / truncate_pagecache_range (mm/truncate.c) for a DAX file: zap the PTEs of
// the range, then truncate_inode_pages_range, which deletes each DAX entry in turn (fs/dax.c).
import type { Inode } from '../fs/inode.ts';
import { daxDeleteMappingEntry } from '../fs/dax.ts';
import { type Step, at, atBlocking } from '../kernel/sched.ts';
import type { FsTask } from '../locals.ts';
import type { Machine } from '../machine.ts';
import { unmapMappingRange } from './pgtable.ts';

/**
 * truncate_inode_pages_range -> truncate_exceptional_pvec_entries (6.1+:
 * truncate_folio_batch_exceptionals) -> dax_delete_mapping_entry, one DeleteEntry step per offset
 * of lo..hi: get_unlocked_entry waits while that entry is locked (writeback), then the entry is
 * erased and its page disassociated. The cursor is the task's scanIndex (spec fscan). In the 2025
 * design the layout break has deleted every entry already, so a DAX entry found here means
 * something went wrong: WARN_ON_ONCE(1) (the spec's warned, KernelWarnQuiet), then the deletion
 * "so truncate_pagecache() doesn't loop forever".
 */
function* truncateInodePagesRange(k: Machine, cur: FsTask, inode: Inode, lo: number, hi: number): Step {
  for (let i = lo; ; i++) {
    yield atBlocking('DeleteEntry', inode.mapping.entryUnlocked[i]!);
    if (k.features.Design2025 && inode.mapping.xa[i] !== 0) k.warned = true;
    daxDeleteMappingEntry(k, inode.mapping, i);
    if (i === hi) return;
    cur.locals.scanIndex = i + 1;
  }
}

/** truncate_pagecache_range: unmap_mapping_range over lo..hi (TruncateUnmap), then the
 *  per-entry deletion. */
export function* truncatePagecacheRange(k: Machine, cur: FsTask, inode: Inode, lo: number, hi: number): Step {
  yield at('TruncateUnmap');
  unmapMappingRange(inode.mapping, lo, hi);
  cur.locals.scanIndex = lo;
  yield* truncateInodePagesRange(k, cur, inode, lo, hi);
}

/** truncate_pagecache(inode, newsize): everything from page offset `from` to the end. */
export function truncatePagecache(k: Machine, cur: FsTask, inode: Inode, from: number): Step {
  return truncatePagecacheRange(k, cur, inode, from, k.maxOffset);
}
