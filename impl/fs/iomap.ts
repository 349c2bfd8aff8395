// iomap_begin for a DAX write fault (fs/iomap, xfs_direct_write_iomap_begin / ext4_iomap_begin
// with IOMAP_WRITE | IOMAP_FAULT): map the offset, allocating a block if it is a hole.
import type { ChoiceRule } from '../kernel/sched.ts';
import type { Machine } from '../machine.ts';
import type { StepChoice } from '../types.ts';
import { HOLE } from './extents.ts';
import type { Inode } from './inode.ts';

/** The valid FaultAllocBlock choices: any free block if the offset is a hole, none otherwise. */
export function allocChoiceRule(k: Machine, inode: Inode, offset: number): ChoiceRule<'block'> {
  return {
    field: 'block',
    options: () => (inode.extents.lookup(offset) === HOLE ? k.balloc.freeBlocks().map((b) => k.balloc.names[b]!) : []),
    check: (choice: StepChoice) => {
      if (choice.block === undefined) return null;
      const mapped = inode.extents.lookup(offset);
      if (mapped !== HOLE) {
        return `FaultAllocBlock allocates nothing: ${inode.name}:${offset} is already mapped to ${k.balloc.names[mapped]}`;
      }
      const b = k.balloc.lookup(choice.block);
      if (b < 0) return `unknown block '${choice.block}'`;
      if (!k.balloc.isFree(b)) return `block ${choice.block} is not free`;
      return null;
    },
  };
}

/** The valid FsPrealloc choices: any free block (xfs_alloc_file_space / ext4_alloc_file_blocks
 *  may get back a block just freed). */
export function preallocChoiceRule(k: Machine): ChoiceRule<'block'> {
  return {
    field: 'block',
    options: () => k.balloc.freeBlocks().map((b) => k.balloc.names[b]!),
    check: (choice: StepChoice) => {
      if (choice.block === undefined) return null;
      const b = k.balloc.lookup(choice.block);
      if (b < 0) return `unknown block '${choice.block}'`;
      if (!k.balloc.isFree(b)) return `block ${choice.block} is not free`;
      return null;
    },
  };
}

/** The result of iomap_begin: the block backing the offset, and whether it was just allocated. */
export interface Iomap {
  readonly block: number;
  readonly allocated: boolean;
}

/** iomap_begin: look the offset up; a hole gets a block (`choice`, or the first free one). */
export function iomapBegin(k: Machine, inode: Inode, offset: number, choice: StepChoice | undefined): Iomap {
  const mapped = inode.extents.lookup(offset);
  if (mapped !== HOLE) return { block: mapped, allocated: false };
  const want = choice?.block === undefined ? undefined : k.balloc.lookup(choice.block);
  const block = k.balloc.alloc(want);
  inode.extents.map(offset, block);
  return { block, allocated: true };
}
