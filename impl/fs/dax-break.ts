// The 2025 design's layout break, fs/dax.c as of 6.15 (Alistair Popple's series: 38607c62b34b
// "fs/dax: properly refcount fs dax pages", cee91fa13a8e, 0e2f80afcfa6, 6be3e21d25ca and the fix
// dd59137bfe70): dax_break_layout / dax_break_layout_inode / dax_break_layout_final, the busy scan
// dax_layout_busy_page_range with the 2025 dax_busy_page, wait_page_idle, and
// dax_delete_mapping_range, which deletes the entries itself once nothing is busy. Selected by
// Feature Design2025 (the releases 6.15.0 and 6.15.y); the 2018 paths are in dax.ts.
import { type Step, at, atBlocking } from '../kernel/sched.ts';
import { waitVarEvent } from '../kernel/wait.ts';
import type { FsTask } from '../locals.ts';
import type { Machine } from '../machine.ts';
import { type Page, daxPageIsIdle } from '../mm/page.ts';
import { mappingMapped, unmapMappingRange } from '../mm/pgtable.ts';
import { daxDeleteMappingEntry, daxIsEmptyEntry, daxToPfn } from './dax.ts';
import { type AddressSpace, type Inode, daxIsLocked } from './inode.ts';

/**
 * dax_busy_page (6.15): an entry with a block whose page someone holds beyond its PTE mappings:
 * `folio_ref_count(folio) - folio_mapcount(folio)`. Zero and empty entries are never busy. (After
 * the unmap no PTE maps the file's pages, so the mapcount is 0 there; the test is written as the
 * kernel has it.)
 */
function daxBusyPage2025(k: Machine, entry: number): Page | null {
  if (daxIsEmptyEntry(entry)) return null;
  const page = k.pgmap.pfnToPage(daxToPfn(entry));
  return page.refcount - page.mapcount > 0 ? page : null;
}

/**
 * wait_entry_unlocked_exclusive (6be3e21d25ca) at `index`, for the busy scan or the deletion:
 * the step labelled `label` waits while the entry is locked and then reads it. Returns whether
 * the caller goes on with the entry at `index`. With dd59137bfe70 (xas_reset, 6.16-rc1 and
 * 6.15.y) it always does: the step simply blocks on the entry lock. 6.15.0's xas_pause
 * (`skips`: WaitSkipsEntry, or DeleteWaitSkipsEntry for the deletion) moves the xa_state to the
 * next index before the wait, so a locked entry is waited for at a paused point
 * (BreakLayoutsScanPaused / BreakLayoutsDeletePaused) and then passed: false.
 */
function* waitEntryUnlockedExclusive(
  mapping: AddressSpace,
  index: number,
  label: 'BreakLayoutsScan' | 'BreakLayoutsDelete',
  paused: 'BreakLayoutsScanPaused' | 'BreakLayoutsDeletePaused',
  skips: boolean,
): Step<boolean> {
  const unlocked = mapping.entryUnlocked[index]!;
  if (!skips) {
    yield atBlocking(label, unlocked);
    return true;
  }
  yield at(label);
  if (!daxIsLocked(mapping.xa[index]!)) return true;
  // prepare_to_wait_exclusive, xas_pause, schedule(): woken by dax_unlock_entry's wake.
  yield atBlocking(paused, unlocked);
  return false;
}

/** WaitSkipsEntry, the busy scan's half: 6be3e21d25ca's wait_entry_unlocked_exclusive calls
 *  xas_pause (6.15.0), so the scan passes the entry it waited on; dd59137bfe70 (xas_reset). */
const scanSkipsWaited = (k: Machine): boolean => k.bugs.WaitSkipsEntry;
/** The deletion's half, dax_delete_mapping_range's call of wait_entry_unlocked_exclusive: under
 *  WaitSkipsEntry (6be3e21d25ca, fixed by dd59137bfe70), or DeleteWaitSkipsEntry (hypothetical:
 *  this half alone, the scan's fixed). */
const deleteSkipsWaited = (k: Machine): boolean => k.bugs.WaitSkipsEntry || k.bugs.DeleteWaitSkipsEntry;

/**
 * dax_layout_busy_page_range(mapping, lo, hi) with the caller's lock keeping faults out: unmap
 * the range (unmap_mapping_pages, which in this design also drops every PTE's page reference),
 * then scan its entries one index a step, waiting on a locked entry (6be3e21d25ca: no more
 * skipping it, ScanSkipsLocked being a 2018-design switch), and return the first busy page, or
 * null. SkipScanWhenUnmapped and ScanBeforeUnmap are read where the 2018 scan reads them. The
 * cursor is left at `lo` for what follows (the wait's rescan, the deletion).
 */
function* daxLayoutBusyPageRange(k: Machine, cur: FsTask, mapping: AddressSpace, lo: number, hi: number): Step<Page | null> {
  if (!k.bugs.ScanBeforeUnmap) {
    yield at('BreakLayoutsUnmap');
    unmapMappingRange(mapping, lo, hi);
    cur.locals.scanIndex = lo;
    if (k.bugs.SkipScanWhenUnmapped && !mappingMapped(mapping)) return null;
  }
  for (;;) {
    const index = cur.locals.scanIndex;
    const same = yield* waitEntryUnlockedExclusive(mapping, index, 'BreakLayoutsScan', 'BreakLayoutsScanPaused', scanSkipsWaited(k));
    const entry = mapping.xa[index]!;
    if (same && entry !== 0) {
      const page = daxBusyPage2025(k, entry);
      if (page) return page;
    }
    if (index === hi) break;
    cur.locals.scanIndex = index + 1;
  }
  cur.locals.scanIndex = lo;
  if (k.bugs.ScanBeforeUnmap) {
    yield at('BreakLayoutsUnmap');
    unmapMappingRange(mapping, lo, hi);
  }
  return null;
}

/**
 * dax_delete_mapping_range(mapping, lo, hi): with nothing busy, delete every entry of the range,
 * one index a step (BreakLayoutsDelete): wait_entry_unlocked_exclusive, then
 * dax_disassociate_entry (dax_folio_put clears folio->mapping; the entry holds no reference),
 * xas_store(NULL) and put_unlocked_entry(WAKE_ALL). An entry its paused wait passed is left in
 * place, for truncate's own pass (truncate_folio_batch_exceptionals) to WARN about.
 */
function* daxDeleteMappingRange(k: Machine, cur: FsTask, mapping: AddressSpace, lo: number, hi: number): Step {
  cur.locals.scanIndex = lo;
  for (;;) {
    const index = cur.locals.scanIndex;
    const same = yield* waitEntryUnlockedExclusive(mapping, index, 'BreakLayoutsDelete', 'BreakLayoutsDeletePaused', deleteSkipsWaited(k));
    if (same) daxDeleteMappingEntry(k, mapping, index);
    if (index === hi) return;
    cur.locals.scanIndex = index + 1;
  }
}

/**
 * wait_page_idle(page, cb, inode): ___wait_var_event(page, dax_page_is_idle(page),
 * TASK_INTERRUPTIBLE, 0, 0, cb(inode)): test for refcount 0 (BreakLayoutsWait) and, while the
 * page is busy, run the callback (the file system's: drop its fault lock, schedule(), retake it).
 */
function* waitPageIdle(k: Machine, cur: FsTask, page: Page, cb: () => Step): Step {
  cur.locals.busyPage = page;
  yield* waitVarEvent(k.varWait, cur, page, () => daxPageIsIdle(page), 'BreakLayoutsWait', cb);
}

/**
 * wait_page_idle_uninterruptible(page, inode): the same wait with schedule() as its command: the
 * evicting task holds no lock to drop (dax_break_layout_final), so a wake_up_var leaves it
 * before its next test of the condition (BreakLayoutsWait) at once.
 */
function* waitPageIdleUninterruptible(k: Machine, cur: FsTask, page: Page): Step {
  cur.locals.busyPage = page;
  yield* waitVarEvent(
    k.varWait,
    cur,
    page,
    () => daxPageIsIdle(page),
    'BreakLayoutsWait',
    function* schedule() {},
  );
}

/**
 * dax_break_layout(inode, lo, hi, cb): unmap and scan until no page of the range is busy,
 * waiting for each busy page to go idle (the callback drops and retakes the caller's lock, so
 * every wait is followed by a new unmap and scan); then delete the range's entries. There is no
 * retry flag: the loop runs while the wait returns 0 (no signals here), so RetryOnlyOnSleep and
 * NoRestartAfterWait, 2018-design switches, are not read.
 */
function* daxBreakLayout(k: Machine, cur: FsTask, inode: Inode, lo: number, hi: number, cb: () => Step): Step {
  for (;;) {
    const page = yield* daxLayoutBusyPageRange(k, cur, inode.mapping, lo, hi);
    if (!page) break;
    yield* waitPageIdle(k, cur, page, cb);
    // Idle: the next pass's unmap and scan start from the range's start.
    cur.locals.scanIndex = lo;
  }
  yield* daxDeleteMappingRange(k, cur, inode.mapping, lo, hi);
}

/** dax_break_layout_inode(inode, cb): dax_break_layout over the whole file (0, LLONG_MAX), as
 *  XFS and ext4 call it for truncate and every fallocate mode. */
export function daxBreakLayoutInode(k: Machine, cur: FsTask, inode: Inode, cb: () => Step): Step {
  return daxBreakLayout(k, cur, inode, 0, k.maxOffset, cb);
}

/**
 * dax_break_layout_final(inode) (0e2f80afcfa6), from xfs_fs_evict_inode / ext4_evict_inode
 * before truncate_inode_pages_final: the same loop over the whole file, waiting
 * uninterruptibly and without a callback (no lock is held), then the deletion of every entry.
 */
export function* daxBreakLayoutFinal(k: Machine, cur: FsTask, inode: Inode): Step {
  for (;;) {
    const page = yield* daxLayoutBusyPageRange(k, cur, inode.mapping, 0, k.maxOffset);
    if (!page) break;
    yield* waitPageIdleUninterruptible(k, cur, page);
    cur.locals.scanIndex = 0;
  }
  yield* daxDeleteMappingRange(k, cur, inode.mapping, 0, k.maxOffset);
}
