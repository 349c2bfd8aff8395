// The user page tables of the one mm: one VMA per mmapped file, a PTE per page offset holding a
// pfn (mm/memory.c: set_pte_at, zap_pte_range, unmap_mapping_range over mapping->i_mmap). In the
// 2025 design (38607c62b34b) a PTE holds a reference on its page, which every zap drops.
import type { AddressSpace, Inode } from '../fs/inode.ts';
import type { Step, Task } from '../kernel/sched.ts';
import type { Machine } from '../machine.ts';
import { type DevPagemap, folioPutForZap } from './page.ts';

/** vm_operations_struct: what a fault on the VMA calls (xfs_filemap_fault, ext4_dax_fault). */
export interface VmOperations {
  fault(k: Machine, cur: Task, vma: VmArea, offset: number): Step;
}

/** A VMA mapping a whole file, with its PTEs: ptes[offset] is a pfn, or 0 for pte_none. */
export class VmArea {
  readonly ptes: Int32Array;
  /** Is the VMA in the mm (mmapped), or has munmap removed it? */
  mapped = true;

  constructor(
    readonly file: Inode,
    readonly vmOps: VmOperations,
    pages: number,
    /** The mm the VMA belongs to (vma->vm_mm). */
    readonly mm: MmStruct,
  ) {
    this.ptes = new Int32Array(pages);
  }
}

/** The mm all users share: one VMA per file. */
export class MmStruct {
  private readonly vmas = new Map<Inode, VmArea>();

  /** `pgmap`: the pmem device's pages, whose PTE references a zap drops when the pagemap is
   *  refcounted (the 2025 design); the 2018 design maps pfns and holds none. */
  constructor(readonly pgmap: DevPagemap) {}

  /** Maps `file` (mmap) and registers the VMA in the file's i_mmap. */
  mmap(file: Inode, vmOps: VmOperations, pages: number): VmArea {
    const vma = new VmArea(file, vmOps, pages, this);
    this.vmas.set(file, vma);
    file.mapping.iMmap.push(vma);
    return vma;
  }

  /**
   * munmap of the whole file (mm/mmap.c: do_munmap -> unmap_region -> zap_page_range): the PTEs
   * go and the VMA leaves the file's i_mmap, so mapping_mapped() turns false; pins taken through
   * it stay. The caller holds the mmap_lock for write (no slow GUP on the file in progress).
   */
  munmap(file: Inode): void {
    const vma = this.vmaOf(file);
    zapPteRange(vma, 0, vma.ptes.length - 1);
    vma.mapped = false;
    const i = file.mapping.iMmap.indexOf(vma);
    if (i >= 0) file.mapping.iMmap.splice(i, 1);
  }

  /** mmap the file again (the same VMA object stands for the new mapping, with no PTEs). */
  remap(file: Inode): void {
    const vma = this.vmaOf(file);
    vma.mapped = true;
    if (!file.mapping.iMmap.includes(vma)) file.mapping.iMmap.push(vma);
  }

  /** find_vma for the mmap of `file`. */
  vmaOf(file: Inode): VmArea {
    const vma = this.vmas.get(file);
    if (!vma) throw new Error(`${file.name} is not mmapped`);
    return vma;
  }
}

/** mapping_mapped: does any VMA map the file? */
export function mappingMapped(mapping: AddressSpace): boolean {
  return mapping.iMmap.length > 0;
}

/** ptep_get: the pfn the PTE maps, or 0. */
export function ptepGet(vma: VmArea, offset: number): number {
  return vma.ptes[offset]!;
}

/** set_pte_at. */
export function setPteAt(vma: VmArea, offset: number, pfn: number): void {
  vma.ptes[offset] = pfn;
}

/**
 * zap_pte_range over offsets lo..hi of one VMA: clear each present PTE; in the 2025 design also
 * drop the reference it held (zap_present_ptes -> folio_remove_rmap_ptes, the mmu_gather's put
 * at tlb_finish_mmu), which wakes a waiter when it was the page's last one.
 */
function zapPteRange(vma: VmArea, lo: number, hi: number): void {
  const pgmap = vma.mm.pgmap;
  for (let o = lo; o <= hi; o++) {
    const pfn = vma.ptes[o]!;
    if (pfn === 0) continue;
    vma.ptes[o] = 0;
    if (pgmap.refcounted) folioPutForZap(pgmap, pgmap.pfnToPage(pfn));
  }
}

/**
 * unmap_mapping_range: zap the PTEs of offsets lo..hi in every VMA mapping the file. No TLB-flush
 * IPI is modelled, so a GUP-fast walking the tables concurrently is stopped only by its re-check.
 */
export function unmapMappingRange(mapping: AddressSpace, lo: number, hi: number): void {
  for (const vma of mapping.iMmap) zapPteRange(vma, lo, hi);
}
