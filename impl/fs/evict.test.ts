// Inode eviction step by step, in both designs (evict.ts): what the spec's FsLockIo .. FsUnlock
// say of the locks, the cursor (fscan) and the blocks at each step of an Evict.
import { describe, expect, it } from 'vitest';
import { type SystemConfig, createSystem } from '../index.ts';
import { stepUntil } from '../testing.ts';

const base: SystemConfig = {
  files: ['f1'],
  offsets: 2,
  blocks: ['b1', 'b2', 'b3'],
  users: ['u1'],
  fsTasks: ['t1'],
  syncers: [],
  maxGups: 2,
  fsOps: ['Truncate', 'Evict'],
  features: { Munmap: true },
};
const designs = [
  { name: 'the 2018 design', config: base },
  { name: 'the 2025 design', config: { ...base, idleRef: 0, features: { Munmap: true, Design2025: true } } },
] as const;

type Sys = ReturnType<typeof createSystem>;

/** u1 faults both offsets of f1 in (a GUP and its DMA each), then f1 is unmapped: the eviction
 *  finds two blocks and two entries, and nothing pinned. */
function filledAndUnmapped(config: SystemConfig): Sys {
  const sys = createSystem(config);
  for (const offset of [0, 1]) {
    sys.start('u1', { file: 'f1', offset });
    stepUntil(sys, 'u1', null);
  }
  sys.munmap('f1');
  return sys;
}

describe('eviction', () => {
  for (const { name, config } of designs) {
    it(`${name}: the layout break leaves the cursor at MaxOff (spec fscan) for truncate_inode_pages_final`, () => {
      const sys = filledAndUnmapped(config);
      sys.start('t1', { op: 'Evict', file: 'f1', lo: 0 });
      stepUntil(sys, 't1', 'TruncateUnmap');
      expect(sys.snapshot().tasks.t1).toMatchObject({ next: 'TruncateUnmap', scanIndex: 1 });
    });

    it(`${name}: the blocks go back to the allocator at FreeBlocks, not a step before or after`, () => {
      const sys = filledAndUnmapped(config);
      sys.start('t1', { op: 'Evict', file: 'f1', lo: 0 });
      stepUntil(sys, 't1', 'FreeBlocks');
      expect(sys.snapshot().free).toEqual(['b3']);
      expect(sys.step('t1').label).toBe('FreeBlocks');
      expect(sys.snapshot()).toMatchObject({ free: ['b1', 'b2', 'b3'], tasks: { t1: { next: 'FsUnlock' } } });
    });
  }

  it('the 2018 design: eviction holds both inode locks from FsLockIo to FsUnlock, and drops both there', () => {
    const sys = filledAndUnmapped(base);
    sys.start('t1', { op: 'Evict', file: 'f1', lo: 0 });
    const held = { ioLock: { writer: 't1' }, mmapLock: { writer: 't1' } };
    stepUntil(sys, 't1', 'TruncateUnmap');
    expect(sys.snapshot().files.f1).toMatchObject(held);
    stepUntil(sys, 't1', 'FsUnlock');
    expect(sys.snapshot().files.f1).toMatchObject(held);
    sys.step('t1');
    expect(sys.snapshot()).toMatchObject({
      tasks: { t1: { state: 'idle' } },
      files: { f1: { freeing: true, ioLock: { writer: null }, mmapLock: { writer: null } } },
    });
  });
});
