// handle_mm_fault (mm/memory.c): a fault on a VMA goes to its vm_operations_struct's fault
// handler, here the file system's DAX fault (xfs_filemap_fault, ext4_dax_fault); and how the DAX
// fault installs its PTE: vmf_insert_mixed (a pfn, 2018) or vmf_insert_page_mkwrite (a page
// reference, 2025).
import type { Step, Task } from '../kernel/sched.ts';
import type { Machine } from '../machine.ts';
import { folioGetForPte } from './page.ts';
import { type VmArea, ptepGet, setPteAt } from './pgtable.ts';

/** handle_mm_fault for a write fault at `offset` of `vma`. */
export function* handleMmFault(k: Machine, cur: Task, vma: VmArea, offset: number): Step {
  yield* vma.vmOps.fault(k, cur, vma, offset);
}

/**
 * The DAX fault's PTE install for the pfn `pfn`. 2018 design: vmf_insert_mixed maps the pfn and
 * takes no reference. 2025 design (38607c62b34b): dax_fault_iter calls vmf_insert_page_mkwrite ->
 * insert_page -> insert_page_into_pte_locked, which for an empty PTE takes folio_get and
 * folio_add_file_rmap_pte (the mapcount) before set_pte_at; a PTE already mapping that page (a
 * second fault on a mapped offset) is only made writable, with no new reference. (dax_fault_iter's
 * own folio_ref_inc / folio_put around the insert cancel out within the step.)
 */
export function vmfInsertDaxPte(k: Machine, vma: VmArea, offset: number, pfn: number): void {
  if (!k.pgmap.refcounted) return setPteAt(vma, offset, pfn);
  const old = ptepGet(vma, offset);
  if (old === pfn) return;
  if (old !== 0) throw new Error(`insert_page: ${vma.file.name}:${offset} maps pfn ${old}, not ${pfn}`);
  folioGetForPte(k.pgmap.pfnToPage(pfn));
  setPteAt(vma, offset, pfn);
}
