// The 2025 design (Feature Design2025, the 6.15 rework) step by step: the PTE's reference, GUP-fast's
// folio_try_get, dax_break_layout's own deletion, the put paths through free_zone_device_folio,
// truncate's WARN for an entry left behind, 6.15.0's WaitSkipsEntry and the final break at eviction.
import { describe, expect, it } from 'vitest';
import { type SystemConfig, createSystem, roundRobin } from '../index.ts';
import { stepUntil } from '../testing.ts';

const d2025: SystemConfig = {
  files: ['f1', 'f2'],
  offsets: 1,
  blocks: ['b1', 'b2'],
  users: ['u1', 'u2'],
  fsTasks: ['t1'],
  syncers: ['s1'],
  idleRef: 0,
  features: { Design2025: true, Munmap: true },
};
type Sys = ReturnType<typeof createSystem>;
const truncate = { op: 'Truncate', file: 'f1', lo: 0 } as const;

/** `user` GUPs f1:0 up to its DmaComplete. */
function pin(sys: Sys, user = 'u1'): void {
  sys.start(user, { file: 'f1', offset: 0 });
  stepUntil(sys, user, 'DmaComplete');
}

describe('the 2025 design: a PTE holds a reference', () => {
  it('the fault takes one (vmf_insert_page_mkwrite), a second fault on the mapped offset none, the unmap drops it', () => {
    const sys = createSystem(d2025);
    pin(sys);
    expect(sys.snapshot().pages.b1).toMatchObject({ refcount: 2, pincount: 1 }); // the PTE's and the pin
    sys.step('u1');
    expect(sys.snapshot()).toMatchObject({ ptes: { f1: ['b1'] }, pages: { b1: { refcount: 1, pincount: 0 } } });
    // u2's GUP-fast finds the PTE: a reference on a mapped page, pinned after the re-check.
    pin(sys, 'u2');
    expect(sys.snapshot().pages.b1!.refcount).toBe(2);
    sys.step('u2');
    sys.start('t1', truncate);
    expect(stepUntil(sys, 't1', 'BreakLayoutsScan')).toEqual(['FsLockMmap', 'BreakLayoutsUnmap']);
    expect(sys.snapshot()).toMatchObject({ ptes: { f1: [null] }, pages: { b1: { refcount: 0 } } });
    expect(stepUntil(sys, 't1', null)).toEqual([
      'BreakLayoutsScan',
      'BreakLayoutsDelete',
      'TruncateUnmap',
      'DeleteEntry',
      'FreeBlocks',
      'FsUnlock',
    ]);
    expect(sys.snapshot()).toMatchObject({ warned: false, free: ['b1', 'b2'], files: { f1: { entries: [null] } } });
  });

  it('a slow GUP that faults an offset already mapped takes no second PTE reference', () => {
    const sys = createSystem(d2025);
    sys.start('u1', { file: 'f1', offset: 0 });
    sys.start('u2', { file: 'f1', offset: 0 }); // no PTE yet either: both go the slow way
    stepUntil(sys, 'u1', 'DmaComplete');
    stepUntil(sys, 'u2', 'DmaComplete');
    expect(sys.snapshot().pages.b1!.refcount).toBe(3); // one PTE, two pins
  });

  it('munmap zaps the PTE and drops its reference; the pin stays', () => {
    const sys = createSystem(d2025);
    pin(sys);
    sys.munmap('f1');
    expect(sys.snapshot()).toMatchObject({ ptes: { f1: [null] }, pages: { b1: { refcount: 1, pincount: 1 } } });
  });

  it("GUP-fast's folio_try_get fails on a page whose last reference (the PTE's) went: no reference, slow GUP", () => {
    const sys = createSystem(d2025);
    pin(sys);
    sys.step('u1'); // the DMA ends; the PTE keeps b1 at 1
    sys.start('u2', { file: 'f1', offset: 0 }); // GupFastReadPte reads b1
    sys.start('t1', truncate);
    stepUntil(sys, 't1', 'BreakLayoutsScan'); // the unmap takes b1 to 0
    expect(sys.snapshot().pages.b1!.refcount).toBe(0);
    expect(sys.step('u2').label).toBe('GupFastGetRef');
    expect(sys.snapshot().tasks.u2).toMatchObject({ next: 'FaultLockShared', ref: null });
    expect(sys.snapshot().pages.b1!.refcount).toBe(0);
    // Its fault blocks on the MMAPLOCK; the truncate finds nothing busy and finishes.
    expect(sys.runToCompletion(roundRobin()).outcome).toBe('quiescent');
    expect(sys.events()).toEqual([]);
  });

  it('folio_try_get fails and the VMA is gone (munmap between the PTE read and the get): -EFAULT, no reference or target left', () => {
    const sys = createSystem(d2025);
    pin(sys);
    sys.step('u1'); // the DMA ends; the PTE keeps b1 at 1
    sys.start('u2', { file: 'f1', offset: 0 }); // GupFastReadPte reads b1
    expect(sys.snapshot().tasks.u2).toMatchObject({ next: 'GupFastGetRef', ref: 'b1' });
    sys.munmap('f1'); // the zap takes b1 to 0
    expect(sys.step('u2').label).toBe('GupFastGetRef');
    expect(sys.snapshot().tasks.u2).toMatchObject({ ref: null, target: null });
    expect(sys.snapshot().pages.b1).toMatchObject({ refcount: 0, pincount: 0 });
  });

  it('a mapped, unpinned page is not busy (dax_busy_page: refcount - mapcount): ScanBeforeUnmap scans a mapped page', () => {
    const sys = createSystem({ ...d2025, bugs: { ScanBeforeUnmap: true } });
    pin(sys);
    sys.step('u1');
    sys.start('t1', truncate);
    // refcount 1 = the PTE's, mapcount 1: nothing to wait for.
    expect(stepUntil(sys, 't1', 'TruncateUnmap')).toEqual(['FsLockMmap', 'BreakLayoutsScan', 'BreakLayoutsUnmap', 'BreakLayoutsDelete']);
  });
});

describe('the 2025 design: waits and wakes', () => {
  for (const [bug, path] of [
    ['UnpinMissesWake', 'gup_put_folio'],
    ['ReleasePagesMissesWake', 'release_pages'],
  ] as const) {
    it(`${bug} has no effect: ${path}'s last put goes through free_zone_device_folio, which wakes`, () => {
      const sys = createSystem({ ...d2025, bugs: { [bug]: true } });
      pin(sys);
      sys.start('t1', truncate);
      expect(stepUntil(sys, 't1', null)).toEqual(['FsLockMmap', 'BreakLayoutsUnmap', 'BreakLayoutsScan', 'BreakLayoutsWait']);
      expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'sleeping', busyPage: 'b1' });
      sys.step('u1', { path });
      expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'running', woken: true, next: 'BreakLayoutsRelock' });
      expect(sys.runToCompletion(roundRobin()).outcome).toBe('quiescent');
    });
  }

  it('LostWakeup still bites: free_zone_device_folio never wakes the sleeping truncate', () => {
    const sys = createSystem({ ...d2025, bugs: { LostWakeup: true } });
    pin(sys);
    sys.start('t1', truncate);
    stepUntil(sys, 't1', null);
    sys.step('u1');
    expect(sys.snapshot().pages.b1).toMatchObject({ refcount: 0, varWaiters: ['t1'] });
    expect(sys.runToCompletion(roundRobin()).outcome).toBe('stuck');
  });

  it('a page faulted in again while the truncate sleeps keeps its PTE reference: wait_page_idle (refcount 0) waits for the unmap', () => {
    const sys = createSystem(d2025);
    pin(sys);
    sys.start('t1', truncate);
    stepUntil(sys, 't1', null); // asleep on b1, MMAPLOCK dropped
    pin(sys, 'u2'); // u2 faults f1:0 back in (a new PTE reference) and pins it
    sys.step('u1');
    sys.step('u2');
    // Only the PTE holds b1 now: refcount 1, so no put reached 0 and nobody woke t1.
    expect(sys.snapshot()).toMatchObject({ ptes: { f1: ['b1'] }, pages: { b1: { refcount: 1, varWaiters: ['t1'] } } });
    expect(sys.runToCompletion(roundRobin()).outcome).toBe('stuck');
    // munmap's zap drops the last reference, and its put wakes the truncate.
    sys.munmap('f1');
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'running', next: 'BreakLayoutsRelock' });
    expect(sys.runToCompletion(roundRobin()).outcome).toBe('quiescent');
    expect(sys.events()).toEqual([]);
  });
});

describe('the 2025 design: wait_entry_unlocked_exclusive and truncate WARN', () => {
  /** A mapped, unpinned f1:0; t1 truncates up to its dax_delete_mapping_range, where writeback
   *  holds the entry locked. */
  function deletionWaits(bugs: SystemConfig['bugs']): Sys {
    const sys = createSystem({ ...d2025, bugs });
    pin(sys);
    sys.step('u1');
    sys.start('t1', truncate);
    expect(stepUntil(sys, 't1', 'BreakLayoutsDelete')).toEqual(['FsLockMmap', 'BreakLayoutsUnmap', 'BreakLayoutsScan']);
    sys.start('s1', { file: 'f1', offset: 0 });
    if (bugs?.WaitSkipsEntry) sys.step('t1'); // BreakLayoutsDelete: xas_pause, then the wait
    expect(sys.snapshot().tasks.t1).toMatchObject({
      state: 'blocked',
      next: bugs?.WaitSkipsEntry ? 'BreakLayoutsDeletePaused' : 'BreakLayoutsDelete',
    });
    sys.step('s1'); // WritebackUnlockEntry wakes t1
    return sys;
  }

  it('dd59137bfe70 (xas_reset): the deletion waits for the entry, then deletes it; truncate finds nothing', () => {
    const sys = deletionWaits({});
    expect(stepUntil(sys, 't1', null)).toEqual(['BreakLayoutsDelete', 'TruncateUnmap', 'DeleteEntry', 'FreeBlocks', 'FsUnlock']);
    expect(sys.snapshot().warned).toBe(false);
  });

  it("WaitSkipsEntry (6be3e21d25ca's xas_pause): the entry waited on is left, and truncate_folio_batch_exceptionals WARNs", () => {
    const sys = deletionWaits({ WaitSkipsEntry: true });
    expect(sys.step('t1').label).toBe('BreakLayoutsDeletePaused'); // woken at the next index: skipped
    expect(sys.snapshot().files.f1!.entries[0]).toMatchObject({ pfn: 'b1', locked: false });
    expect(stepUntil(sys, 't1', 'DeleteEntry')).toEqual(['TruncateUnmap']);
    expect(sys.snapshot().warned).toBe(false);
    sys.step('t1'); // DeleteEntry: WARN_ON_ONCE(1), then the deletion
    expect(sys.snapshot()).toMatchObject({ warned: true, files: { f1: { entries: [null] } } });
    expect(sys.events()).toEqual([]); // nothing pinned: a WARN, no corruption
  });

  it('WaitSkipsEntry, the scan half: the scan pauses on the locked entry and passes it untested', () => {
    const sys = createSystem({ ...d2025, bugs: { WaitSkipsEntry: true } });
    pin(sys);
    sys.start('s1', { file: 'f1', offset: 0 });
    sys.start('t1', truncate);
    expect(stepUntil(sys, 't1', null)).toEqual(['FsLockMmap', 'BreakLayoutsUnmap', 'BreakLayoutsScan']);
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'blocked', next: 'BreakLayoutsScanPaused' });
    sys.step('s1');
    // b1 is pinned, but the scan never tests it: the deletion then removes its entry.
    expect(stepUntil(sys, 't1', 'TruncateUnmap')).toEqual(['BreakLayoutsScanPaused', 'BreakLayoutsDelete']);
    expect(sys.events()).toMatchObject([{ kind: 'warn', warn: 'disassociate-pinned' }]);
  });

  it('DeleteWaitSkipsEntry: the scan half is fixed; the scan waits on the locked entry and finds the pin', () => {
    const sys = createSystem({ ...d2025, bugs: { DeleteWaitSkipsEntry: true } });
    pin(sys);
    sys.start('s1', { file: 'f1', offset: 0 });
    sys.start('t1', truncate);
    expect(stepUntil(sys, 't1', null)).toEqual(['FsLockMmap', 'BreakLayoutsUnmap']);
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'blocked', next: 'BreakLayoutsScan' });
    sys.step('s1');
    expect(stepUntil(sys, 't1', null)).toEqual(['BreakLayoutsScan', 'BreakLayoutsWait']);
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'sleeping', busyPage: 'b1' });
  });

  it('WaitSkipsEntry: an entry not waited for is tested and deleted as with the fix', () => {
    const sys = createSystem({ ...d2025, bugs: { WaitSkipsEntry: true } });
    pin(sys);
    sys.start('t1', truncate);
    stepUntil(sys, 't1', null); // the scan found b1 busy without waiting: asleep
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'sleeping', busyPage: 'b1' });
  });
});

describe('the 2025 design: the cursor (spec fscan) across a wait', () => {
  for (const op of ['Truncate', 'Evict'] as const) {
    it(`${op}: asleep on the busy page at offset 1, the cursor stays there; the rescan starts from 0`, () => {
      const sys = createSystem({ ...d2025, offsets: 2, blocks: ['b1', 'b2', 'b3', 'b4'], fsOps: ['Truncate', 'Evict'] });
      sys.start('u1', { file: 'f1', offset: 1 });
      stepUntil(sys, 'u1', 'DmaComplete');
      if (op === 'Evict') sys.munmap('f1');
      sys.start('t1', { op, file: 'f1', lo: 0 });
      stepUntil(sys, 't1', null);
      expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'sleeping', busyPage: 'b1', scanIndex: 1 });
      sys.step('u1');
      if (op === 'Truncate') expect(sys.step('t1').label).toBe('BreakLayoutsRelock');
      expect(sys.snapshot().tasks.t1).toMatchObject({ scanIndex: 1 });
      expect(sys.step('t1').label).toBe('BreakLayoutsWait'); // idle now
      expect(sys.snapshot().tasks.t1).toMatchObject({ scanIndex: 0, next: 'BreakLayoutsUnmap' });
      expect(sys.runToCompletion(roundRobin()).outcome).toBe('quiescent');
    });
  }
});

describe('the 2025 design: NoBreakLayouts', () => {
  it('NoBreakLayouts (every ext2 release) comes before the 2025 break: truncate waits for nothing and frees the pinned block', () => {
    const sys = createSystem({ ...d2025, bugs: { NoBreakLayouts: true } });
    pin(sys);
    sys.start('t1', truncate);
    expect(stepUntil(sys, 't1', null)).toEqual(['FsLockMmap', 'TruncateUnmap', 'DeleteEntry', 'FreeBlocks', 'FsUnlock']);
    expect(sys.events().map((e) => e.kind)).toEqual(['warn', 'corruption']);
  });
});

describe('the 2025 design: eviction', () => {
  const evict = { ...d2025, fsOps: ['Truncate', 'Evict'] } as const satisfies SystemConfig;

  it('dax_break_layout_final waits for the pin, then deletes every entry before truncate_inode_pages_final', () => {
    const sys = createSystem(evict);
    pin(sys);
    sys.munmap('f1');
    sys.start('t1', { op: 'Evict', file: 'f1', lo: 0 });
    // No inode lock (FsLockIo only marks it I_FREEING), straight into the break.
    expect(sys.snapshot().files.f1).toMatchObject({ freeing: true, ioLock: { writer: null }, mmapLock: { writer: null } });
    expect(stepUntil(sys, 't1', null)).toEqual(['BreakLayoutsUnmap', 'BreakLayoutsScan', 'BreakLayoutsWait']);
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'sleeping', busyPage: 'b1', next: 'BreakLayoutsWait' });
    sys.step('u1');
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'running', next: 'BreakLayoutsWait' }); // schedule() returns
    expect(stepUntil(sys, 't1', null)).toEqual([
      'BreakLayoutsWait',
      'BreakLayoutsUnmap',
      'BreakLayoutsScan',
      'BreakLayoutsDelete',
      'TruncateUnmap',
      'DeleteEntry',
      'FreeBlocks',
      'FsUnlock',
    ]);
    expect(sys.snapshot()).toMatchObject({ warned: false, free: ['b1', 'b2'] });
    expect(sys.events()).toEqual([]);
  });

  it('EvictWithoutBreak: no final break, so the pinned block is freed under the DMA', () => {
    const sys = createSystem({ ...evict, bugs: { EvictWithoutBreak: true } });
    pin(sys);
    sys.munmap('f1');
    sys.start('t1', { op: 'Evict', file: 'f1', lo: 0 });
    expect(stepUntil(sys, 't1', null)).toEqual(['TruncateUnmap', 'DeleteEntry', 'FreeBlocks', 'FsUnlock']);
    // truncate's pass met the entry the break should have deleted: the 2025 WARN.
    expect(sys.snapshot().warned).toBe(true);
    expect(sys.events().map((e) => e.kind)).toEqual(['warn', 'corruption']);
  });
});

describe('the 2025 design: the whole range', () => {
  it('dax_delete_mapping_range deletes every index of the range before truncate_inode_pages_range runs, so no WARN', () => {
    const sys = createSystem({ ...d2025, offsets: 2, blocks: ['b1', 'b2', 'b3', 'b4'] });
    sys.start('u1', { file: 'f1', offset: 0 });
    stepUntil(sys, 'u1', 'DmaComplete');
    sys.step('u1');
    sys.start('u2', { file: 'f1', offset: 1 });
    stepUntil(sys, 'u2', 'DmaComplete');
    sys.step('u2');
    sys.start('t1', truncate);
    const taken = stepUntil(sys, 't1', 'TruncateUnmap');
    expect(taken.filter((l) => l === 'BreakLayoutsScan')).toHaveLength(2);
    expect(taken.filter((l) => l === 'BreakLayoutsDelete')).toHaveLength(2);
    expect(sys.snapshot().files.f1!.entries).toEqual([null, null]);
    expect(sys.runToCompletion(roundRobin()).outcome).toBe('quiescent');
    expect(sys.snapshot().warned).toBe(false);
  });

  it('ScanBeforeUnmap under the 2025 design: the scan, then the unmap that drops the PTE reference', () => {
    const sys = createSystem({ ...d2025, bugs: { ScanBeforeUnmap: true } });
    pin(sys);
    sys.step('u1'); // the DMA ends; the PTE keeps b1 at 1, mapcount 1: not busy
    sys.start('t1', truncate);
    expect(stepUntil(sys, 't1', 'BreakLayoutsUnmap')).toEqual(['FsLockMmap', 'BreakLayoutsScan']);
    expect(sys.snapshot()).toMatchObject({ ptes: { f1: ['b1'] }, pages: { b1: { refcount: 1 } } });
    expect(sys.step('t1').label).toBe('BreakLayoutsUnmap');
    expect(sys.snapshot()).toMatchObject({ ptes: { f1: [null] }, pages: { b1: { refcount: 0 } } });
    expect(sys.snapshot().tasks.t1).toMatchObject({ scanIndex: 0, next: 'BreakLayoutsDelete' });
  });

  it('ScanBeforeUnmap under the 2025 design: the cursor is back at the range start before the unmap', () => {
    const sys = createSystem({ ...d2025, offsets: 2, blocks: ['b1', 'b2', 'b3', 'b4'], bugs: { ScanBeforeUnmap: true } });
    sys.start('t1', truncate);
    expect(stepUntil(sys, 't1', 'BreakLayoutsUnmap')).toEqual(['FsLockMmap', 'BreakLayoutsScan', 'BreakLayoutsScan']);
    expect(sys.snapshot().tasks.t1).toMatchObject({ scanIndex: 0 });
  });
});
