// handle_mm_fault (mm/memory.c): a fault on a VMA goes to its vm_operations_struct's fault
// handler, here the file system's DAX fault (xfs_filemap_fault, ext4_dax_fault).
import type { Step, Task } from '../kernel/sched.ts';
import type { Machine } from '../machine.ts';
import type { VmArea } from './pgtable.ts';

/** handle_mm_fault for a write fault at `offset` of `vma`. */
export function* handleMmFault(k: Machine, cur: Task, vma: VmArea, offset: number): Step {
  yield* vma.vmOps.fault(k, cur, vma, offset);
}
