// The block allocator (configured order, reuse by any file) and the per-file extent map.
import { describe, expect, it } from 'vitest';
import { createSystem } from '../index.ts';
import { stepUntil } from '../testing.ts';
import { BlockAllocator } from './balloc.ts';
import { ExtentMap, HOLE } from './extents.ts';

describe('block allocator', () => {
  it('hands out the first free block in configured order, or the chosen one', () => {
    const a = new BlockAllocator(['b3', 'b1', 'b2']);
    expect(a.alloc()).toBe(0);
    expect(a.alloc(2)).toBe(2);
    expect(a.freeBlocks()).toEqual([1]);
    expect(() => a.alloc(2)).toThrow(/not free/);
    a.release([0, 2]);
    expect(a.freeBlocks()).toEqual([0, 1, 2]);
    expect(() => a.release([1])).toThrow(/double free/);
  });

  it('gives a block freed by one file to another file', () => {
    const sys = createSystem({ files: ['f1', 'f2'], offsets: 1, blocks: ['b1', 'b2'], users: ['u1'], fsTasks: ['t1'] });
    sys.start('u1', { file: 'f1', offset: 0 });
    stepUntil(sys, 'u1', null);
    sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
    stepUntil(sys, 't1', null);
    sys.start('u1', { file: 'f2', offset: 0 });
    stepUntil(sys, 'u1', null);
    expect(sys.snapshot().files.f2!.extents).toEqual(['b1']);
  });
});

describe('extent map', () => {
  it('unmaps a range, returning the blocks it held', () => {
    const e = new ExtentMap(3);
    e.map(0, 5);
    e.map(2, 7);
    expect(e.unmapRange(0, 1)).toEqual([5]);
    expect([...e.blocks]).toEqual([HOLE, HOLE, 7]);
  });

  it('shifts the extents beyond a collapsed range down, leaving holes at the end', () => {
    const e = new ExtentMap(4);
    [10, 11, 12, 13].forEach((b, o) => e.map(o, b));
    e.unmapRange(1, 2);
    e.shiftDown(1, 2);
    expect([...e.blocks]).toEqual([10, 13, HOLE, HOLE]);
  });
});
