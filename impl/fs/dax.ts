// DAX entries, the DAX fault, the busy-page scan and writeback: fs/dax.c (grab_mapping_entry,
// dax_insert_entry, dax_associate_entry, dax_unlock_entry, dax_delete_mapping_entry,
// dax_layout_busy_page, dax_iomap_pte_fault, dax_writeback_one).
import { type Step, type Task, at, atBlocking, atChoosing } from '../kernel/sched.ts';
import type { FsTask, SyncTask } from '../locals.ts';
import type { Machine } from '../machine.ts';
import { type Page, PFN_BASE, pageMaybeDmaPinned } from '../mm/page.ts';
import { vmfInsertDaxPte } from '../mm/memory.ts';
import { type VmArea, mappingMapped, unmapMappingRange } from '../mm/pgtable.ts';
import { type AddressSpace, DAX_EMPTY, DAX_LOCKED, DAX_SHIFT, daxIsLocked } from './inode.ts';
import { allocChoiceRule, iomapBegin } from './iomap.ts';

/** The pfn an entry holds (dax_to_pfn); meaningless for an empty entry. */
export function daxToPfn(entry: number): number {
  return entry >>> DAX_SHIFT;
}

/** Does the entry hold no block yet (dax_is_empty_entry)? */
export function daxIsEmptyEntry(entry: number): boolean {
  return (entry & DAX_EMPTY) !== 0;
}

/** dax_make_entry. */
function daxMakeEntry(pfn: number, flags: number): number {
  return (pfn << DAX_SHIFT) | flags;
}

/** dax_wake_entry: wake everyone waiting for (mapping, index) to unlock. */
function daxWakeEntry(mapping: AddressSpace, index: number): void {
  mapping.entryWait[index]!.wakeUpAll();
}

/** dax_lock_entry: set DAX_LOCKED on the entry at `index` (the caller saw it unlocked). */
function daxLockEntry(mapping: AddressSpace, index: number): number {
  const entry = mapping.xa[index]! | DAX_LOCKED;
  mapping.xa[index] = entry;
  return entry;
}

/** dax_unlock_entry: clear DAX_LOCKED and wake the entry's waiters. */
export function daxUnlockEntry(mapping: AddressSpace, index: number): void {
  mapping.xa[index] = mapping.xa[index]! & ~DAX_LOCKED;
  daxWakeEntry(mapping, index);
}

/**
 * grab_mapping_entry as the FaultGrabEntry step: wait while the entry is locked
 * (get_unlocked_entry), then lock it, inserting an empty locked entry for a hole so that no one
 * else fills the same hole meanwhile.
 */
export function* grabMappingEntry(mapping: AddressSpace, index: number): Step<number> {
  yield atBlocking('FaultGrabEntry', mapping.entryUnlocked[index]!);
  if (mapping.xa[index] === 0) mapping.xa[index] = DAX_EMPTY;
  return daxLockEntry(mapping, index);
}

/** dax_associate_entry: page->mapping/index = (mapping, index). WARNs if already associated. */
function daxAssociateEntry(k: Machine, page: Page, mapping: AddressSpace, index: number): void {
  if (page.mapping !== null) {
    k.log.warn({ warn: 'associate-twice', function: 'daxAssociateEntry', block: page.name, file: mapping.host.name, offset: index });
  }
  page.mapping = mapping;
  page.index = index;
}

/**
 * dax_disassociate_entry: clear page->mapping. On truncation, the kernel's
 * WARN_ON_ONCE(trunc && page_ref_count(page) > 1) (4.18 to 6.14, Feature TruncWarn; removed by
 * 38607c62b34b, 6.15) counts every reference, a GUP-fast's speculative one included: it sets
 * k.warned (spec warned). The harness's own oracle (the disassociate-pinned event) counts pins
 * (page_maybe_dma_pinned), since a reference that will fail its re-check is never DMA'd into.
 */
function daxDisassociateEntry(k: Machine, entry: number, mapping: AddressSpace, index: number, trunc: boolean): void {
  if (daxIsEmptyEntry(entry)) return;
  const page = k.pgmap.pfnToPage(daxToPfn(entry));
  if (trunc && k.features.TruncWarn && page.refcount > 1) k.warned = true;
  if (trunc && pageMaybeDmaPinned(page)) {
    k.log.warn({ warn: 'disassociate-pinned', function: 'daxDisassociateEntry', block: page.name, file: mapping.host.name, offset: index });
  }
  page.mapping = null;
  page.index = 0;
}

/**
 * dax_insert_entry: store `pfn` in the locked empty entry and associate the page; an entry that
 * already holds a block is kept (a second fault on a mapped offset). Returns the entry.
 */
export function daxInsertEntry(k: Machine, mapping: AddressSpace, index: number, entry: number, pfn: number): number {
  if (!daxIsEmptyEntry(entry)) return entry;
  daxAssociateEntry(k, k.pgmap.pfnToPage(pfn), mapping, index);
  const stored = daxMakeEntry(pfn, DAX_LOCKED);
  mapping.xa[index] = stored;
  return stored;
}

/** dax_delete_mapping_entry: remove an unlocked entry and disassociate its page. */
export function daxDeleteMappingEntry(k: Machine, mapping: AddressSpace, index: number): void {
  const entry = mapping.xa[index]!;
  if (entry === 0) return;
  if (daxIsLocked(entry)) throw new Error(`deleting locked entry ${mapping.host.name}:${index}`);
  daxDisassociateEntry(k, entry, mapping, index, true);
  mapping.xa[index] = 0;
  daxWakeEntry(mapping, index);
}

/** dax_busy_page: the entry's page if someone holds a reference beyond idle. */
function daxBusyPage(k: Machine, entry: number): Page | null {
  if (daxIsEmptyEntry(entry)) return null;
  const page = k.pgmap.pfnToPage(daxToPfn(entry));
  return page.refcount > k.idleRef ? page : null;
}

/**
 * dax_iomap_pte_fault for a write fault, entered with the mmap lock held shared: lock the entry,
 * map (allocate) the block, insert the entry, install the PTE, unlock the entry. Steps
 * FaultGrabEntry .. FaultUnlockEntry.
 */
export function* daxIomapPteFault(k: Machine, cur: Task, vma: VmArea, offset: number): Step {
  const mapping = vma.file.mapping;
  let entry = yield* grabMappingEntry(mapping, offset);
  const choice = yield atChoosing('FaultAllocBlock', allocChoiceRule(k, vma.file, offset));
  const iomap = iomapBegin(k, vma.file, offset, choice);
  if (iomap.allocated) cur.chose = { block: k.balloc.names[iomap.block]! };
  yield at('FaultInsertEntry');
  // dax_iomap_pfn: a block of the pmem device is the page at that pfn.
  entry = daxInsertEntry(k, mapping, offset, entry, PFN_BASE + iomap.block);
  yield at('FaultInstallPte');
  // vmf_insert_mixed (2018) / vmf_insert_page_mkwrite (2025) with the pfn the entry holds: while
  // the entry is locked nothing can change it.
  vmfInsertDaxPte(k, vma, offset, daxToPfn(entry));
  yield at('FaultUnlockEntry');
  daxUnlockEntry(mapping, offset);
}

/** unmap_mapping_range(mapping, 0, 0, 0): the first half of dax_layout_busy_page. */
function* daxLayoutUnmap(k: Machine, cur: FsTask, mapping: AddressSpace): Step {
  yield at('BreakLayoutsUnmap');
  unmapMappingRange(mapping, 0, k.maxOffset);
  cur.locals.scanIndex = 0;
}

/**
 * dax_layout_busy_page, entered with the mmap lock held exclusive: unmap every user mapping of
 * the file, then scan its entries and return the first page above idle, or null.
 *
 * Unmapping first is what makes the scan conclusive: no fault can map a page (we hold the lock),
 * and a GUP-fast that read a PTE before the unmap takes its reference either before the scan
 * passes the page (the scan sees it) or after, in which case its re-check finds the PTE gone and
 * it falls back to a fault that blocks on our lock. Scanning first (ScanBeforeUnmap) leaves a
 * window where a GUP-fast pins a page the scan already passed.
 *
 * The scan waits on locked entries (get_unlocked_entry) instead of skipping them: writeback locks
 * entries without any inode lock, and a pinned page behind a locked entry is still pinned
 * (ScanSkipsLocked). One step per index, holes included.
 */
export function* daxLayoutBusyPage(k: Machine, cur: FsTask, mapping: AddressSpace): Step<Page | null> {
  if (!k.bugs.ScanBeforeUnmap) {
    yield* daxLayoutUnmap(k, cur, mapping);
    // SkipScanWhenUnmapped: `if (!mapping_mapped(mapping)) return NULL;` (5fac7408d828, 4.18, to
    // 6.14; fixed by cee91fa13a8e, 6.15): a pin outlives munmap, so an unmapped file may still
    // have busy pages. The kernel tests before the unmap, which then has nothing to zap.
    if (k.bugs.SkipScanWhenUnmapped && !mappingMapped(mapping)) return null;
  }
  const skipLocked = k.bugs.ScanSkipsLocked;
  // The cursor starts at 0: the step that began this pass (the unmap, FsLockMmap, or the end of a
  // wait) reset it.
  for (;;) {
    const index = cur.locals.scanIndex;
    yield skipLocked ? at('BreakLayoutsScan') : atBlocking('BreakLayoutsScan', mapping.entryUnlocked[index]!);
    const entry = mapping.xa[index]!;
    if (entry !== 0 && !daxIsLocked(entry)) {
      const page = daxBusyPage(k, entry);
      if (page) return page;
    }
    if (index === k.maxOffset) break;
    cur.locals.scanIndex = index + 1;
  }
  if (k.bugs.ScanBeforeUnmap) yield* daxLayoutUnmap(k, cur, mapping);
  return null;
}

/**
 * dax_writeback_one: lock an entry, flush its cache lines (dax_flush; nothing to see at this
 * level), unlock it. Takes no inode lock, which is why the busy scan must wait on locked entries.
 */
export function* daxWritebackOne(cur: SyncTask, mapping: AddressSpace, index: number): Step {
  yield atBlocking('WritebackLockEntry', mapping.entryUnlocked[index]!);
  daxLockEntry(mapping, index);
  cur.locals.target = { inode: mapping.host, offset: index };
  yield at('WritebackUnlockEntry');
  daxUnlockEntry(mapping, index);
  cur.locals.target = null;
}
