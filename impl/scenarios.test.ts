// Pin then truncate: the truncate waits for the DMA and only then frees the block; without the
// layout break the DMA corrupts a freed block.
import { describe, expect, it } from 'vitest';
import { type SystemConfig, createSystem } from './index.ts';
import { stepUntil } from './testing.ts';

const base: SystemConfig = { files: ['f1', 'f2'], offsets: 1, blocks: ['b1', 'b2'], users: ['u1', 'u2'], fsTasks: ['t1'] };

/** u1 pins f1:0 through slow GUP and stops before DmaComplete. */
function pinned(cfg: Partial<SystemConfig> = {}) {
  const sys = createSystem({ ...base, ...cfg });
  sys.start('u1', { file: 'f1', offset: 0 });
  stepUntil(sys, 'u1', 'DmaComplete');
  return sys;
}

describe('pin then truncate', () => {
  for (const profile of ['xfs', 'ext4'] as const) {
    for (const idleRef of [1, 0] as const) {
      // IdleRef 0 is the 2025 design: the same steps, and dax_break_layout's own deletion pass.
      const d2025 = idleRef === 0;
      it(`truncate waits until the DMA completes, then frees the block (${profile}, IdleRef ${idleRef})`, () => {
        const sys = pinned({ profile, idleRef, features: { Design2025: d2025 } });
        sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
        expect(stepUntil(sys, 't1', null)).toEqual(['FsLockMmap', 'BreakLayoutsUnmap', 'BreakLayoutsScan', 'BreakLayoutsWait']);
        let s = sys.snapshot();
        expect(s.tasks.t1).toMatchObject({ state: 'sleeping', next: 'BreakLayoutsRelock', busyPage: 'b1', scanIndex: 0 });
        expect(s.files.f1!.mmapLock.writer).toBeNull(); // dropped while asleep
        expect(s.files.f1!.ioLock.writer).toBe('t1');
        expect(s.free).toEqual(['b2']);
        expect(sys.runnable()).toEqual([{ task: 'u1', label: 'DmaComplete' }]);

        sys.step('u1'); // put_page -> page_free -> wake_up_var
        s = sys.snapshot();
        expect(s.tasks.t1).toMatchObject({ state: 'running', woken: true, next: 'BreakLayoutsRelock' });
        expect(s.pages.b1).toMatchObject({ refcount: idleRef, pincount: 0, data: 'u1@f1:0#0' });
        expect(stepUntil(sys, 't1', null)).toEqual([
          'BreakLayoutsRelock',
          'BreakLayoutsWait', // the page is idle: retry from the top
          'BreakLayoutsUnmap',
          'BreakLayoutsScan',
          ...(d2025 ? ['BreakLayoutsDelete'] : []), // dax_delete_mapping_range
          'TruncateUnmap',
          'DeleteEntry',
          'FreeBlocks',
          'FsUnlock',
        ]);
        s = sys.snapshot();
        expect(s.warned).toBe(false); // 2025: truncate's pass found no entry left to WARN about
        expect(s.free).toEqual(['b1', 'b2']);
        expect(s.files.f1).toMatchObject({ extents: [null], entries: [null] });
        expect(s.pages.b1!.mapping).toBeNull();
        expect(s.tasks.t1).toMatchObject({ state: 'idle', op: null, busyPage: null });
        expect(sys.events()).toEqual([]);
        expect(sys.selfCheck()).toEqual([]);
      });
    }
  }

  it('catches a page pinned while it slept: the relock waits for the fault, the retry finds the new pin', () => {
    const sys = pinned({ offsets: 2, blocks: ['b1', 'b2', 'b3', 'b4'] });
    sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
    stepUntil(sys, 't1', null); // asleep on b1
    sys.start('u2', { file: 'f1', offset: 1 });
    stepUntil(sys, 'u2', 'FaultInsertEntry'); // holds the mmap lock shared
    sys.step('u1'); // DmaComplete wakes t1
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'blocked', next: 'BreakLayoutsRelock', woken: true });
    expect(sys.snapshot().tasks.t1!.blockedOn).toMatch(/held shared by u2/);
    stepUntil(sys, 'u2', 'GupSlowPin');
    expect(sys.snapshot().tasks.t1!.state).toBe('running');
    sys.step('u2'); // pins b2 before t1 gets the lock back
    expect(stepUntil(sys, 't1', null)).toEqual([
      'BreakLayoutsRelock',
      'BreakLayoutsWait',
      'BreakLayoutsUnmap',
      'BreakLayoutsScan',
      'BreakLayoutsScan',
      'BreakLayoutsWait',
    ]);
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'sleeping', busyPage: 'b2', scanIndex: 1 });
    sys.step('u2');
    stepUntil(sys, 't1', null);
    expect(sys.snapshot().free).toEqual(['b1', 'b2', 'b3', 'b4']);
    expect(sys.events()).toEqual([]);
  });

  it('a fault behind the truncate blocks on the mmap lock and then faults a fresh block', () => {
    const sys = pinned();
    sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
    sys.step('t1'); // FsLockMmap
    sys.start('u2', { file: 'f1', offset: 0 }); // the PTE is still there: GUP-fast
    sys.step('t1'); // BreakLayoutsUnmap
    sys.step('u2'); // GupFastGetRef on b1
    sys.step('u2'); // GupFastRecheck fails, back to a fault: blocked on the mmap lock
    expect(sys.snapshot().tasks.u2).toMatchObject({ state: 'blocked', next: 'FaultLockShared', ref: null });
    stepUntil(sys, 't1', null); // asleep on u1's pin
    sys.step('u1');
    // The fault and the relock race for the lock; let the fault win, then the truncate re-scans.
    stepUntil(sys, 'u2', 'DmaComplete');
    stepUntil(sys, 't1', null);
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'sleeping', busyPage: 'b1' });
    sys.step('u2');
    stepUntil(sys, 't1', null);
    expect(sys.snapshot().free).toEqual(['b1', 'b2']);
    expect(sys.events()).toEqual([]);
  });

  it('with NoBreakLayouts the truncate frees the pinned block: corruption from FreeBlocks on', () => {
    const sys = pinned({ bugs: { NoBreakLayouts: true } });
    sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 }); // step 9
    expect(stepUntil(sys, 't1', null)).toEqual(['FsLockMmap', 'TruncateUnmap', 'DeleteEntry', 'FreeBlocks', 'FsUnlock']);
    expect(sys.events()).toEqual([
      {
        kind: 'warn',
        step: 12,
        task: 't1',
        warn: 'disassociate-pinned',
        function: 'daxDisassociateEntry',
        block: 'b1',
        file: 'f1',
        offset: 0,
      },
      { kind: 'corruption', step: 13, user: 'u1', file: 'f1', offset: 0, block: 'b1', reason: 'free' },
    ]);
    sys.step('u1'); // the device's write lands in the free block; the pin was judged already
    expect(sys.events()).toHaveLength(2);
    expect(sys.snapshot().pages.b1!.data).toBe('u1@f1:0#0');
  });
});
