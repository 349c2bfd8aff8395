// truncate_pagecache / truncate_pagecache_range (mm/truncate.c) for a DAX file: zap the PTEs of
// the range, then truncate_inode_pages_range, which deletes each DAX entry (fs/dax.c).
import type { Inode } from '../fs/inode.ts';
import { daxIsLocked } from '../fs/inode.ts';
import { daxDeleteMappingEntry } from '../fs/dax.ts';
import { type Blocker, type Step, atBlocking } from '../kernel/sched.ts';
import type { Machine } from '../machine.ts';
import { unmapMappingRange } from './pgtable.ts';

/** Holds DeleteEntries back while any entry of lo..hi is locked; it sleeps on the first one. */
function rangeUnlocked(inode: Inode, lo: number, hi: number): Blocker {
  const mapping = inode.mapping;
  const firstLocked = (): number => {
    for (let i = lo; i <= hi; i++) if (daxIsLocked(mapping.xa[i]!)) return i;
    return -1;
  };
  return {
    blocked: () => firstLocked() >= 0,
    waitQueue: () => mapping.entryWait[Math.max(firstLocked(), lo)]!,
    describe: () => `the DAX entry ${inode.name}:${firstLocked()} (locked)`,
  };
}

/**
 * truncate_pagecache_range as one DeleteEntries step: taken when no entry of lo..hi is locked
 * (dax_delete_mapping_entry waits for each in turn; the spec takes them together, under the
 * mmap lock nobody can lock a new one meanwhile except writeback, which only delays us).
 */
export function* truncatePagecacheRange(k: Machine, inode: Inode, lo: number, hi: number): Step {
  yield atBlocking('DeleteEntries', rangeUnlocked(inode, lo, hi));
  unmapMappingRange(inode.mapping, lo, hi);
  for (let i = lo; i <= hi; i++) daxDeleteMappingEntry(k, inode.mapping, i);
}

/** truncate_pagecache(inode, newsize): everything from page offset `from` to the end. */
export function truncatePagecache(k: Machine, inode: Inode, from: number): Step {
  return truncatePagecacheRange(k, inode, from, k.maxOffset);
}
