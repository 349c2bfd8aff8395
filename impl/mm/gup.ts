// get_user_pages: mm/gup.c. GUP-fast walks the page tables without locks and must re-check the
// PTE after taking its reference; slow GUP faults the page in and pins it through the PTE.
import { type Step, at } from '../kernel/sched.ts';
import type { UserTask } from '../locals.ts';
import type { Machine } from '../machine.ts';
import { handleMmFault } from './memory.ts';
import { type Page, folioTryGet, pinGrabbedPage, putPage, putPageNoWake, tryGrabPage, tryGrabPagePinned } from './page.ts';
import { type VmArea, ptepGet } from './pgtable.ts';

/**
 * gup_put_folio for a speculative reference that failed its re-check (put_page in 4.18): the
 * last reference dropped by folio_put_refs misses the fs-dax wake-up under UnpinMissesWake
 * (d8ddc099c6b3, 5.18; fixed by f4f451a16dd1, 5.19).
 */
function gupPutFolio(k: Machine, page: Page): void {
  if (k.bugs.UnpinMissesWake) putPageNoWake(k.pgmap, page);
  else putPage(k.pgmap, page);
}

/**
 * pin_user_pages_fast for one page: gup_fast_pte_range (read the PTE, take a speculative
 * reference, re-check the PTE), falling back to slow GUP when there is no PTE or it changed.
 * Steps GupFastReadPte, GupFastGetRef, GupFastRecheck, then getUserPages' steps. Returns null
 * when the VMA went away (munmap) before the fallback: __get_user_pages fails with -EFAULT.
 */
export function* getUserPagesFast(k: Machine, cur: UserTask, vma: VmArea, offset: number): Step<Page | null> {
  yield at('GupFastReadPte');
  cur.locals.target = { inode: vma.file, offset };
  const pfn = ptepGet(vma, offset);
  if (pfn !== 0) {
    const page = k.pgmap.pfnToPage(pfn);
    cur.locals.ref = page;
    yield at('GupFastGetRef');
    if (tryGrabFolioFast(k, page)) return yield* gupFastRecheck(k, cur, vma, offset, page);
    // folio_try_get failed: the page went to 0 (its PTE was zapped) since we read the PTE. No
    // reference was taken; fall back to slow GUP, -EFAULT if the VMA is gone.
    cur.locals.ref = null;
    if (!vma.mapped) {
      cur.locals.target = null;
      return null;
    }
  }
  return yield* getUserPages(k, cur, vma, offset);
}

/**
 * try_grab_folio_fast's reference. 2018 design: try_grab_page, which always succeeds (an idle
 * fs-dax page has refcount 1). 2025 design (38607c62b34b): try_get_folio -> folio_try_get,
 * which fails on a folio at 0.
 */
function tryGrabFolioFast(k: Machine, page: Page): boolean {
  if (k.pgmap.refcounted) return folioTryGet(page);
  tryGrabPage(page);
  return true;
}

/** The re-check after the reference (GupFastRecheck), then the pin or the fall-back. */
function* gupFastRecheck(k: Machine, cur: UserTask, vma: VmArea, offset: number, page: Page): Step<Page | null> {
  yield at('GupFastRecheck');
  // The PTE may have been zapped between our read and our reference (unmap_mapping_range does
  // not wait for us: no IPI is modelled). Only if it still maps the same page was our reference
  // taken while the page was mapped, i.e. visible to a busy scan that runs after the unmap.
  if (k.bugs.NoGupFastRecheck || ptepGet(vma, offset) === page.pfn) {
    pinGrabbedPage(page);
    return page;
  }
  gupPutFolio(k, page);
  cur.locals.ref = null;
  // find_vma in the slow path finds nothing: -EFAULT, the GUP ends without a page.
  if (!vma.mapped) {
    cur.locals.target = null;
    return null;
  }
  return yield* getUserPages(k, cur, vma, offset);
}

/** follow_page_pte: the page the PTE maps, or null if it is none. */
function followPagePte(k: Machine, vma: VmArea, offset: number): Page | null {
  const pfn = ptepGet(vma, offset);
  return pfn === 0 ? null : k.pgmap.pfnToPage(pfn);
}

/**
 * __get_user_pages for one page with FOLL_PIN: fault it in (handle_mm_fault), then take the pin
 * through the PTE under the page-table lock (GupSlowPin). The kernel looks the PTE up before
 * faulting; we come here only after GUP-fast found it missing or changed, so we fault first. If a
 * truncate zapped the PTE after the fault returned, fault again. The mmap_lock held (read)
 * throughout keeps munmap out, so the VMA stays.
 */
function* getUserPages(k: Machine, cur: UserTask, vma: VmArea, offset: number): Step<Page> {
  for (;;) {
    yield* handleMmFault(k, cur, vma, offset);
    yield at('GupSlowPin');
    const page = followPagePte(k, vma, offset);
    if (page) {
      tryGrabPagePinned(page);
      cur.locals.ref = page;
      return page;
    }
  }
}
