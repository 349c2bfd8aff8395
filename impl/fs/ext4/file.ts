// ext4's DAX fault: fs/ext4/file.c (ext4_dax_huge_fault for a PTE fault), which takes i_mmap_sem
// shared around dax_iomap_fault so that truncate and fallocate cannot change extents under it.
import { downRead } from '../../kernel/rwsem.ts';
import { type Step, type Task, at } from '../../kernel/sched.ts';
import type { Machine } from '../../machine.ts';
import type { VmArea, VmOperations } from '../../mm/pgtable.ts';
import { daxIomapPteFault } from '../dax.ts';

/** ext4_dax_huge_fault(vmf, PE_SIZE_PTE) for a write fault. */
function* ext4DaxFault(k: Machine, cur: Task, vma: VmArea, offset: number): Step {
  const inode = vma.file;
  yield* downRead(inode.mmapLock, cur, 'FaultLockShared');
  yield* daxIomapPteFault(k, cur, vma, offset);
  yield at('FaultUnlockShared');
  inode.mmapLock.upRead(cur);
}

/** ext4_dax_vm_ops. */
export const ext4DaxVmOps: VmOperations = { fault: ext4DaxFault };
