// ext2's DAX fault: fs/ext2/file.c ext2_dax_fault, which takes the per-inode lock that excludes
// truncate shared around dax_iomap_fault: ext2_inode_info->dax_sem (5726b27b09cc "ext2: Add
// locking for DAX faults", 4.3, to 5.14), mapping->invalidate_lock from 5.15 (read in 6.14, 6.19
// and 7.1.3). ext2 has no .huge_fault: every fault is a PTE fault.
import { downRead } from '../../kernel/rwsem.ts';
import { type Step, type Task, at } from '../../kernel/sched.ts';
import type { Machine } from '../../machine.ts';
import type { VmArea, VmOperations } from '../../mm/pgtable.ts';
import { daxIomapPteFault } from '../dax.ts';

/** ext2_dax_fault for a write fault: filemap_invalidate_lock_shared (dax_sem before 5.15). */
function* ext2DaxFault(k: Machine, cur: Task, vma: VmArea, offset: number): Step {
  const inode = vma.file;
  yield* downRead(inode.mmapLock, cur, 'FaultLockShared');
  yield* daxIomapPteFault(k, cur, vma, offset);
  yield at('FaultUnlockShared');
  inode.mmapLock.upRead(cur);
}

/** ext2_dax_vm_ops (.fault, .page_mkwrite and .pfn_mkwrite are all ext2_dax_fault). */
export const ext2DaxVmOps: VmOperations = { fault: ext2DaxFault };
