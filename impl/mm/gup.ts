// get_user_pages: mm/gup.c. GUP-fast walks the page tables without locks and must re-check the
// PTE after taking its reference; slow GUP faults the page in and pins it through the PTE.
import { type Step, at } from '../kernel/sched.ts';
import type { UserTask } from '../locals.ts';
import type { Machine } from '../machine.ts';
import { handleMmFault } from './memory.ts';
import { type Page, pinGrabbedPage, putPage, tryGrabPage, tryGrabPagePinned } from './page.ts';
import { type VmArea, ptepGet } from './pgtable.ts';

/**
 * pin_user_pages_fast for one page: gup_fast_pte_range (read the PTE, take a speculative
 * reference, re-check the PTE), falling back to slow GUP when there is no PTE or it changed.
 * Steps GupFastReadPte, GupFastGetRef, GupFastRecheck, then getUserPages' steps.
 */
export function* getUserPagesFast(k: Machine, cur: UserTask, vma: VmArea, offset: number): Step<Page> {
  yield at('GupFastReadPte');
  cur.locals.target = { inode: vma.file, offset };
  const pfn = ptepGet(vma, offset);
  if (pfn !== 0) {
    const page = k.pgmap.pfnToPage(pfn);
    cur.locals.ref = page;
    yield at('GupFastGetRef');
    tryGrabPage(page);
    yield at('GupFastRecheck');
    // The PTE may have been zapped between our read and our reference (unmap_mapping_range does
    // not wait for us: no IPI is modelled). Only if it still maps the same page was our reference
    // taken while the page was mapped, i.e. visible to a busy scan that runs after the unmap.
    if (k.bugs.NoGupFastRecheck || ptepGet(vma, offset) === pfn) {
      pinGrabbedPage(page);
      return page;
    }
    putPage(k.pgmap, page);
    cur.locals.ref = null;
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
 * truncate zapped the PTE after the fault returned, fault again.
 */
export function* getUserPages(k: Machine, cur: UserTask, vma: VmArea, offset: number): Step<Page> {
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
