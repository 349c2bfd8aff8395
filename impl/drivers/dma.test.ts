// The DMA oracle (judgeDmaInFlight) sees every state where a pinned page's block no longer
// belongs to the offset it was pinned through, as the spec's NoDmaIntoForeignBlock does, and not
// only what DmaComplete finds: fixed schedules, one per way the pin can go foreign.
import { describe, expect, it } from 'vitest';
import { type ScheduleEntry, type SystemConfig, createSystem, explicitSchedule } from '../index.ts';
import { playAllowedMoves } from '../testing.ts';

const truncate = { task: 't1', start: { op: 'Truncate', file: 'f1', lo: 0 } } as const;
/** u1 pins f1:`offset` by slow GUP (no PTE yet): GupFastReadPte and 8 more steps, up to DmaComplete. */
const pin = (user: string, offset = 0): ScheduleEntry[] => [
  { task: user, start: { file: 'f1', offset } },
  ...Array<ScheduleEntry>(8).fill(user),
];

/** Runs a schedule to its end; returns the system. */
function run(config: SystemConfig, schedule: readonly ScheduleEntry[]) {
  const sys = createSystem(config);
  const r = sys.runToCompletion(explicitSchedule(schedule));
  expect(sys.selfCheck()).toEqual([]);
  return { sys, trace: r.trace };
}

describe('the DMA oracle', () => {
  const reuse: SystemConfig = {
    files: ['f1'],
    offsets: 1,
    blocks: ['b1', 'b2'],
    users: ['u1', 'u2'],
    fsTasks: ['t1'],
    fsOps: ['Truncate'],
    maxGups: 2,
  };
  // u1 pins f1:0 (b1); the truncate frees b1 without waiting; u2 faults f1:0 in again and is
  // given b1 back; only then does u1's DMA complete -- into the block its offset maps again.
  const freeThenReallocate: ScheduleEntry[] = [
    ...pin('u1'),
    truncate,
    't1',
    't1',
    't1',
    't1',
    't1', // FsLockMmap, TruncateUnmap, DeleteEntry, FreeBlocks, FsUnlock
    { task: 'u2', start: { file: 'f1', offset: 0 } },
    'u2',
    'u2', // GupFastReadPte (no PTE), FaultLockShared, FaultGrabEntry
    { task: 'u2', choice: { block: 'b1' } }, // FaultAllocBlock gives b1 back to f1:0
    ...Array<ScheduleEntry>(5).fill('u2'), // insert entry, PTE, unlock, unlock shared, GupSlowPin
    'u1', // DmaComplete
  ];

  it('NoBreakLayouts: a pinned block freed and reallocated to the same file and offset is corruption from the free on', () => {
    const { sys, trace } = run({ ...reuse, bugs: { NoBreakLayouts: true } }, freeThenReallocate);
    const freeStep = trace.find((r) => r.label === 'FreeBlocks')!.index;
    expect(trace.filter((r) => r.label === 'FaultAllocBlock').at(-1)).toMatchObject({ task: 'u2', choice: { block: 'b1' } });
    expect(trace.at(-1)).toMatchObject({ task: 'u1', label: 'DmaComplete' });
    // When the DMA completes, b1 is f1:0's block again: judging there alone would see nothing.
    expect(sys.snapshot().files.f1!.extents).toEqual(['b1']);
    expect(sys.events().filter((e) => e.kind === 'corruption')).toEqual([
      { kind: 'corruption', step: freeStep, user: 'u1', file: 'f1', offset: 0, block: 'b1', reason: 'free' },
    ]);
    expect(sys.events().filter((e) => e.kind === 'warn')).toMatchObject([{ warn: 'disassociate-pinned', task: 't1', block: 'b1' }]);
  });

  it('the merged protocol makes the truncate wait: the same moves, as far as it allows them, record nothing', () => {
    const sys = createSystem(reuse);
    playAllowedMoves(sys, freeThenReallocate);
    expect(sys.events()).toEqual([]);
  });

  it('CollapseSkipsBreak: collapse moves the pinned block to another offset, which is foreign though not free', () => {
    const config: SystemConfig = {
      files: ['f1'],
      offsets: 2,
      blocks: ['b1', 'b2'],
      users: ['u1'],
      fsTasks: ['t1'],
      fsOps: ['CollapseRange'],
      maxGups: 2,
      bugs: { CollapseSkipsBreak: true },
    };
    const { sys, trace } = run(config, [
      ...pin('u1', 0),
      'u1', // a first DMA leaves b1 at f1:0
      ...pin('u1', 1), // pins b2 through f1:1
      { task: 't1', start: { op: 'CollapseRange', file: 'f1', lo: 0, hi: 0 } },
      't1',
      't1',
      't1',
      't1',
      't1',
      't1', // to EOF: delete x2
      'u1',
    ]);
    expect(sys.snapshot().files.f1!.extents).toEqual(['b2', null]);
    const freeStep = trace.find((r) => r.label === 'FreeBlocks')!.index;
    expect(sys.events().filter((e) => e.kind === 'corruption')).toEqual([
      { kind: 'corruption', step: freeStep, user: 'u1', file: 'f1', offset: 1, block: 'b2', reason: 'foreign' },
    ]);
  });

  it('NoGupFastRecheck: a pin taken on a block already freed is corruption from the pinning step', () => {
    const config: SystemConfig = {
      files: ['f1'],
      offsets: 1,
      blocks: ['b1'],
      users: ['u1'],
      fsTasks: ['t1'],
      fsOps: ['Truncate'],
      maxGups: 2,
      bugs: { NoGupFastRecheck: true },
    };
    const { sys, trace } = run(config, [
      ...pin('u1'),
      'u1',
      { task: 'u1', start: { file: 'f1', offset: 0 } }, // GupFastReadPte reads the PTE
      truncate,
      't1',
      't1',
      't1',
      't1',
      't1',
      't1', // unmap, scan (no reference yet), delete, free, unlock
      'u1',
      'u1', // GupFastGetRef on the freed page; GupFastRecheck keeps it: pinned
      'u1',
    ]);
    const pinStep = trace.filter((r) => r.label === 'GupFastRecheck').at(-1)!.index;
    expect(sys.events()).toEqual([{ kind: 'corruption', step: pinStep, user: 'u1', file: 'f1', offset: 0, block: 'b1', reason: 'free' }]);
  });
});
