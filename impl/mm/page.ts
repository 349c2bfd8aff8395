// struct page for ZONE_DEVICE fs-dax memory and its reference counting: include/linux/mm.h
// (get/put_page, page_maybe_dma_pinned), mm/gup.c (try_grab_page, unpin_user_page) and
// mm/memremap.c (the dev_pagemap whose page_free callback runs when a page returns to idle; from
// 38607c62b34b, 6.15, free_zone_device_folio, which every put reaching 0 goes through).
import type { AddressSpace } from '../fs/inode.ts';
import type { BlockId } from '../types.ts';

/** The first pfn of the pmem device: pfns are block numbers offset by the device's base, so that
 *  no pfn is 0 and a DAX entry (pfn << DAX_SHIFT | flags) is never the XArray's NULL. */
export const PFN_BASE = 0x1000;

/** A ZONE_DEVICE page: a block of persistent memory. */
export class Page {
  /** page->_refcount: idle value plus the references GUP holds (and, in the 2025 design, one per
   *  PTE mapping the page). */
  refcount: number;
  /** folio_mapcount: the PTEs mapping the page. Only the 2025 design counts them
   *  (folio_add_file_rmap_pte in insert_page); the 2018 design's pfn mappings have none: 0. */
  mapcount = 0;
  /** The FOLL_PIN count (page_maybe_dma_pinned): references DMA may be writing through. */
  pincount = 0;
  /** page->mapping: the address space the page is associated with, or null. */
  mapping: AddressSpace | null = null;
  /** page->index: its page offset in `mapping`. */
  index = 0;
  /** What the last DMA wrote into the block (a tag naming the writer), or null. */
  data: string | null = null;

  constructor(
    readonly pfn: number,
    /** The block number the file system allocates (pfn - PFN_BASE). */
    readonly block: number,
    readonly name: BlockId,
    idleRef: number,
  ) {
    this.refcount = idleRef;
  }
}

/** dev_pagemap_ops: what the device driver does when a page returns to idle. */
export interface DevPagemapOps {
  pageFree(page: Page): void;
}

/** struct dev_pagemap: the device's pages, their idle refcount, and the driver's callbacks. */
export class DevPagemap {
  readonly pages: Page[];
  ops: DevPagemapOps = { pageFree: () => {} };

  constructor(
    names: readonly BlockId[],
    readonly idleRef: 0 | 1,
    /** The 2025 design (Feature Design2025, 38607c62b34b): fs-dax pages are refcounted like any
     *  folio, every PTE holds a reference and every put reaching 0 runs free_zone_device_folio. */
    readonly refcounted = false,
  ) {
    this.pages = names.map((n, b) => new Page(PFN_BASE + b, b, n, idleRef));
  }

  /** pfn_to_page. */
  pfnToPage(pfn: number): Page {
    const p = this.pages[pfn - PFN_BASE];
    if (!p) throw new Error(`pfn ${pfn} is not in the pmem device`);
    return p;
  }
}

/** try_grab_page for FOLL_GET, as GUP-fast takes it: a speculative reference, not yet a pin. */
export function tryGrabPage(page: Page): void {
  page.refcount++;
}

/** try_grab_page for FOLL_PIN, as slow GUP takes it under the page-table lock: a pin. */
export function tryGrabPagePinned(page: Page): void {
  page.refcount++;
  page.pincount++;
}

/** GUP-fast's reference passed its re-check: it now counts as a pin (gup_fast_pte_range). */
export function pinGrabbedPage(page: Page): void {
  page.pincount++;
}

/** page_maybe_dma_pinned: DMA may be writing into the page. */
export function pageMaybeDmaPinned(page: Page): boolean {
  return page.pincount > 0;
}

/**
 * put_page -> put_devmap_managed_page: drop a reference; when a ZONE_DEVICE page returns to idle
 * the dev_pagemap's page_free callback runs (that is where fs-dax waiters get woken). In the 2025
 * design idle is 0 and this is folio_put -> free_zone_device_folio (mm/memremap.c), whose
 * MEMORY_DEVICE_FS_DAX case is the wake_up_var: the same callback, reached by every put.
 */
export function putPage(pgmap: DevPagemap, page: Page): void {
  if (page.refcount <= pgmap.idleRef) throw new Error(`put_page of idle page ${page.name}`);
  page.refcount--;
  if (page.refcount === pgmap.idleRef) pgmap.ops.pageFree(page);
}

/**
 * A put that drops the reference without the fs-dax wake-up when the page returns to idle: the
 * last reference dropped by folio_put_refs (gup_put_folio from d8ddc099c6b3, 5.18, until
 * f4f451a16dd1, 5.19) or by release_pages (which sent only device-public pages to
 * put_devmap_managed_page until c5d6c45e90c4). The 2025 design has no such put: 38607c62b34b
 * removed put_devmap_managed_page, and folio_put / folios_put_refs reaching 0 call
 * free_zone_device_folio for every ZONE_DEVICE folio, so there the switches that pick this put
 * change nothing: it is putPage.
 */
export function putPageNoWake(pgmap: DevPagemap, page: Page): void {
  if (pgmap.refcounted) return putPage(pgmap, page);
  if (page.refcount <= pgmap.idleRef) throw new Error(`put of idle page ${page.name}`);
  page.refcount--;
}

/**
 * folio_try_get (try_grab_folio_fast -> try_get_folio in the 2025 design): take a reference
 * unless the refcount is 0, i.e. the folio is free (6.15: an fs-dax page at 0 is mapped by no
 * PTE and held by no one). Returns whether it took one.
 */
export function folioTryGet(page: Page): boolean {
  if (page.refcount === 0) return false;
  page.refcount++;
  return true;
}

/** insert_page_into_pte_locked for a page not yet mapped there (2025): folio_get, then
 *  folio_add_file_rmap_pte. The PTE's reference is what makes a mapped page look "used". */
export function folioGetForPte(page: Page): void {
  page.refcount++;
  page.mapcount++;
}

/** zap_present_ptes -> folio_remove_rmap_ptes, then the mmu_gather's folio put
 *  (tlb_finish_mmu -> free_pages_and_swap_cache -> folios_put_refs): drop the PTE's reference,
 *  through free_zone_device_folio when it was the last one. */
export function folioPutForZap(pgmap: DevPagemap, page: Page): void {
  if (page.mapcount <= 0) throw new Error(`zap of ${page.name}, which no PTE maps`);
  page.mapcount--;
  putPage(pgmap, page);
}

/** dax_page_is_idle (6.15): `page && page_ref_count(page) == 0`, the condition of wait_page_idle. */
export function daxPageIsIdle(page: Page | null): boolean {
  return page !== null && page.refcount === 0;
}

/**
 * unpin_user_page -> gup_put_folio: drop a pin and its reference. `missesWake` is
 * UnpinMissesWake (5.18's folio_put_refs).
 */
export function unpinUserPage(pgmap: DevPagemap, page: Page, missesWake = false): void {
  if (page.pincount > 0) page.pincount--;
  if (missesWake) putPageNoWake(pgmap, page);
  else putPage(pgmap, page);
}

/**
 * release_pages for one page (a driver releasing its page array): drop a pin and its reference.
 * `missesWake` is ReleasePagesMissesWake (before c5d6c45e90c4).
 */
export function releasePages(pgmap: DevPagemap, page: Page, missesWake = false): void {
  if (page.pincount > 0) page.pincount--;
  if (missesWake) putPageNoWake(pgmap, page);
  else putPage(pgmap, page);
}

/** put_page of a pinned page: a driver that took the pin with get_user_pages (FOLL_GET). */
export function putPinnedPage(pgmap: DevPagemap, page: Page): void {
  if (page.pincount > 0) page.pincount--;
  putPage(pgmap, page);
}
