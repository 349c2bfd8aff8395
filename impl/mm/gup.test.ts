// GUP-fast (read, speculative reference, re-check) and slow GUP (fault, pin, refault).
import { describe, expect, it } from 'vitest';
import { createSystem } from '../index.ts';
import { stepUntil } from '../testing.ts';

const base = { files: ['f1', 'f2'], offsets: 1, blocks: ['b1', 'b2'], users: ['u1', 'u2'], fsTasks: ['t1'] };

/** u1 faults f1:0 in and completes one DMA, leaving a PTE for GUP-fast to find. */
function mapped(cfg: object = {}) {
  const sys = createSystem({ ...base, ...cfg });
  sys.start('u1', { file: 'f1', offset: 0 });
  stepUntil(sys, 'u1', null);
  return sys;
}

describe('GUP-fast', () => {
  it('falls back to slow GUP when there is no PTE', () => {
    const sys = createSystem(base);
    sys.start('u1', { file: 'f1', offset: 0 });
    expect(sys.snapshot().tasks.u1!.next).toBe('FaultLockShared');
    expect(stepUntil(sys, 'u1', 'DmaComplete')).toEqual([
      'FaultLockShared',
      'FaultGrabEntry',
      'FaultAllocBlock',
      'FaultInsertEntry',
      'FaultInstallPte',
      'FaultUnlockEntry',
      'FaultUnlockShared',
      'GupSlowPin',
    ]);
    const s = sys.snapshot();
    expect(s.pages.b1).toMatchObject({ refcount: 2, pincount: 1, mapping: { file: 'f1', index: 0 } });
    expect(s.ptes.f1).toEqual(['b1']);
  });

  it('pins through a present PTE: speculative reference, then a re-check that promotes it to a pin', () => {
    const sys = mapped();
    sys.start('u2', { file: 'f1', offset: 0 });
    expect(sys.snapshot().tasks.u2).toMatchObject({ next: 'GupFastGetRef', ref: 'b1' });
    sys.step('u2');
    expect(sys.snapshot().pages.b1).toMatchObject({ refcount: 2, pincount: 0 });
    expect(sys.step('u2').label).toBe('GupFastRecheck');
    expect(sys.snapshot().pages.b1).toMatchObject({ refcount: 2, pincount: 1 });
    expect(sys.snapshot().tasks.u2!.next).toBe('DmaComplete');
  });

  it('drops its reference and faults when the re-check finds the PTE zapped', () => {
    const sys = mapped();
    sys.start('u2', { file: 'f1', offset: 0 });
    sys.step('u2'); // GupFastGetRef
    sys.start('t1', { op: 'PunchHole', file: 'f1', lo: 0, hi: 0 });
    sys.step('t1'); // FsLockMmap
    sys.step('t1'); // BreakLayoutsUnmap: the PTE is gone
    sys.step('u2'); // GupFastRecheck fails
    const s = sys.snapshot();
    expect(s.tasks.u2).toMatchObject({ next: 'FaultLockShared', ref: null, state: 'blocked' });
    expect(s.tasks.u2!.blockedOn).toMatch(/f1's mmap lock \(held exclusive by t1\)/);
    expect(s.pages.b1).toMatchObject({ refcount: 1, pincount: 0 });
  });

  it("wakes the truncate sleeping on the page when a failed re-check's put_page makes it idle", () => {
    const sys = mapped();
    sys.start('u2', { file: 'f1', offset: 0 });
    sys.step('u2'); // GupFastGetRef: refcount 2
    sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
    stepUntil(sys, 't1', 'BreakLayoutsWait'); // the scan saw the speculative reference
    sys.step('t1');
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'sleeping', busyPage: 'b1' });
    sys.step('u2'); // GupFastRecheck fails: put_page -> page_free -> wake_up_var
    expect(sys.snapshot().tasks.t1).toMatchObject({ state: 'running', woken: true, next: 'BreakLayoutsRelock' });
  });
});

describe('slow GUP', () => {
  it('faults again when a truncate zapped the PTE between the fault and the pin', () => {
    const sys = createSystem(base);
    sys.start('u1', { file: 'f1', offset: 0 });
    stepUntil(sys, 'u1', 'GupSlowPin');
    sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
    stepUntil(sys, 't1', null); // nothing pinned yet: the truncate runs through
    expect(sys.snapshot().free).toEqual(['b1', 'b2']);
    expect(sys.step('u1').label).toBe('GupSlowPin');
    expect(sys.snapshot().tasks.u1!.next).toBe('FaultLockShared');
    stepUntil(sys, 'u1', 'DmaComplete');
    expect(sys.snapshot().tasks.u1).toMatchObject({ ref: 'b1' });
  });

  it('blocks in the fault while a truncate holds the mmap lock, and proceeds when it is released', () => {
    const sys = createSystem(base);
    sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
    sys.step('t1'); // FsLockMmap
    sys.start('u1', { file: 'f1', offset: 0 });
    expect(sys.snapshot().tasks.u1!.state).toBe('blocked');
    expect(sys.runnable()).toEqual([{ task: 't1', label: 'BreakLayoutsUnmap' }]);
    stepUntil(sys, 't1', null);
    expect(sys.runnable()).toEqual([{ task: 'u1', label: 'FaultLockShared' }]);
  });
});
