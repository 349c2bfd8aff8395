// The block choices of FaultAllocBlock (allocChoiceRule) and FsPrealloc (preallocChoiceRule):
// an unknown block and a block that is not free are each refused with their own message, the
// state left unchanged, and a free block is taken. Mutation testing found both rules' checks
// unpinned (their order and the not-free check of FsPrealloc survived the conformance suite,
// which refuses bad choices only at FaultAllocBlock and never reads the message).
import { describe, expect, it } from 'vitest';
import { createSystem, DaxModelError, type DaxSystem } from '../index.ts';

function refusal(sys: DaxSystem, task: string, block: string): string {
  const before = sys.snapshot();
  try {
    sys.step(task, { block });
  } catch (e) {
    expect(e).toBeInstanceOf(DaxModelError);
    expect((e as DaxModelError).code).toBe('bad-choice');
    expect(sys.snapshot()).toEqual(before);
    return (e as DaxModelError).message;
  }
  throw new Error(`${task}: the choice of ${block} was taken`);
}

describe('FaultAllocBlock block choices', () => {
  /** u1 faults f1:0 in (b1), then u2 stops before FaultAllocBlock on f1:1; b2, b3 free. */
  function atAlloc(): DaxSystem {
    const sys = createSystem({ files: ['f1'], offsets: 2, blocks: ['b1', 'b2', 'b3'], users: ['u1', 'u2'], fsTasks: [] });
    sys.start('u1', { file: 'f1', offset: 0 });
    while (sys.snapshot().tasks.u1!.state !== 'idle')
      sys.step('u1', sys.snapshot().tasks.u1!.next === 'FaultAllocBlock' ? { block: 'b1' } : undefined);
    sys.start('u2', { file: 'f1', offset: 1 });
    while (sys.snapshot().tasks.u2!.next !== 'FaultAllocBlock') sys.step('u2');
    return sys;
  }
  it('refuses an unknown block as unknown, and a used block as not free', () => {
    expect(refusal(atAlloc(), 'u2', 'b9')).toMatch(/unknown block 'b9'/);
    expect(refusal(atAlloc(), 'u2', 'b1')).toMatch(/block b1 is not free/);
  });
  it('takes a free block', () => {
    const sys = atAlloc();
    sys.step('u2', { block: 'b3' });
    expect(sys.snapshot().files.f1!.extents).toEqual(['b1', 'b3']);
  });
});

describe('FsPrealloc block choices (XFS zero range: xfs_free_file_space, then xfs_alloc_file_space)', () => {
  /** f1:0 mapped to b1, f1:1 a hole; t1 zeroes 1..1 and stops before FsPrealloc; b2 and b4
   *  free, b3 held by f2:0. */
  function atPrealloc(): DaxSystem {
    const sys = createSystem({
      files: ['f1', 'f2'],
      offsets: 2,
      blocks: ['b1', 'b2', 'b3', 'b4'],
      users: ['u1'],
      fsTasks: ['t1'],
      fsOps: ['ZeroRange'],
    });
    for (const [file, block] of [
      ['f1', 'b1'],
      ['f2', 'b3'],
    ] as const) {
      sys.start('u1', { file, offset: 0 });
      while (sys.snapshot().tasks.u1!.state !== 'idle')
        sys.step('u1', sys.snapshot().tasks.u1!.next === 'FaultAllocBlock' ? { block } : undefined);
    }
    sys.start('t1', { op: 'ZeroRange', file: 'f1', lo: 1, hi: 1 });
    while (sys.snapshot().tasks.t1!.next !== 'FsPrealloc') sys.step('t1');
    return sys;
  }
  it('refuses an unknown block as unknown, and a used block as not free', () => {
    expect(refusal(atPrealloc(), 't1', 'b9')).toMatch(/unknown block 'b9'/);
    expect(refusal(atPrealloc(), 't1', 'b3')).toMatch(/block b3 is not free/);
  });
  it('takes a free block', () => {
    const sys = atPrealloc();
    sys.step('t1', { block: 'b2' });
    expect(sys.snapshot().files.f1!.extents).toEqual(['b1', 'b2']);
  });
});
