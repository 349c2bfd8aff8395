// The refinement mapping: the initial state maps to the spec Init, and a pin-then-truncate run
// maps, point by point, to the spec states its actions produce (written as TLC prints them).
import { describe, expect, it } from 'vitest';
import { createSystem, type SystemConfig } from '../../impl/index.ts';
import { stepUntil } from '../../impl/testing.ts';
import { normalize, normalizeState } from '../../lib/values/canonical.ts';
import { parseTlaValue } from '../../lib/values/tlc-text.ts';
import type { TlaState } from '../../lib/values/value.ts';
import { MappingError, SPEC_VARIABLES, mapToSpec } from './mapping.ts';
import { mappedState, modelConstantsOf, readModelConstants, systemForModel } from '../model/model.ts';

/** A spec state written as TLC prints it, one variable per entry. */
function tla(vars: Record<string, string>): TlaState {
  const out: TlaState = {};
  for (const [k, v] of Object.entries(vars)) out[k] = normalize(parseTlaValue(v));
  return normalizeState(out);
}

/** Init of DaxDma for smoke.cfg (Files {f1, f2}, NumOffsets 2, Blocks {b1..b4}, Users {u1},
 *  FsTasks {t1}, Syncers {}, MaxGups 1, IdleRef 1), written by hand from the spec's Init. */
const SMOKE_INIT = {
  extent: '(f1 :> (0 :> None @@ 1 :> None) @@ f2 :> (0 :> None @@ 1 :> None))',
  free: '{b1, b2, b3, b4}',
  entry: '(f1 :> (0 :> None @@ 1 :> None) @@ f2 :> (0 :> None @@ 1 :> None))',
  locked: '(f1 :> (0 :> FALSE @@ 1 :> FALSE) @@ f2 :> (0 :> FALSE @@ 1 :> FALSE))',
  pte: '(f1 :> (0 :> None @@ 1 :> None) @@ f2 :> (0 :> None @@ 1 :> None))',
  refcount: '(b1 :> 1 @@ b2 :> 1 @@ b3 :> 1 @@ b4 :> 1)',
  mapping: '(b1 :> <<>> @@ b2 :> <<>> @@ b3 :> <<>> @@ b4 :> <<>>)',
  ioLock: '(f1 :> None @@ f2 :> None)',
  mmapExcl: '(f1 :> None @@ f2 :> None)',
  mmapShared: '(f1 :> {} @@ f2 :> {})',
  upc: '(u1 :> "idle")',
  uat: '(u1 :> <<>>)',
  uref: '(u1 :> None)',
  gupsLeft: '1',
  ulong: '(u1 :> FALSE)',
  fpc: '(t1 :> "idle")',
  fop: '(t1 :> [op |-> "none", file |-> None, lo |-> 0, hi |-> 0])',
  fscan: '(t1 :> 0)',
  fbusy: '(t1 :> None)',
  fslept: '(t1 :> FALSE)',
  spc: '<<>>',
  sat: '<<>>',
  vma: '(f1 :> TRUE @@ f2 :> TRUE)',
  gone: '(f1 :> FALSE @@ f2 :> FALSE)',
  warned: 'FALSE',
};

describe('the refinement mapping', () => {
  it('maps the initial state to the spec Init (smoke.cfg)', () => {
    const sys = systemForModel(readModelConstants('smoke'));
    const mapped = mapToSpec(sys.snapshot());
    expect(Object.keys(mapped).sort()).toEqual([...SPEC_VARIABLES].sort());
    expect(mapped).toEqual(tla(SMOKE_INIT));
  });

  it("round-trips a model's constants through the system built with them (ext4)", () => {
    const sys = systemForModel(readModelConstants('smoke'), 'ext4');
    const constants = modelConstantsOf(sys.config);
    expect(constants).toMatchObject({ files: ['f1', 'f2'], numOffsets: 2, maxGups: 1, idleRef: 1, bugs: [] });
    expect([...constants.fsOps].sort()).toEqual(['CollapseRange', 'Truncate']);
    expect(mappedState(sys, constants)).toEqual(tla(SMOKE_INIT));
  });

  it('refuses constants that do not describe the system', () => {
    const sys = systemForModel(readModelConstants('smoke'));
    const c = modelConstantsOf(sys.config);
    expect(() => mappedState(sys, { ...c, users: ['u1', 'u2'] })).toThrow(MappingError);
    expect(() => mappedState(sys, { ...c, numOffsets: 3 })).toThrow(/NumOffsets/);
  });

  describe('pin then truncate', () => {
    const config: SystemConfig = {
      files: ['f1', 'f2'],
      offsets: 1,
      blocks: ['b1', 'b2'],
      users: ['u1'],
      fsTasks: ['t1'],
      fsOps: ['Truncate'],
      maxGups: 2,
    };
    const base = {
      extent: '(f1 :> (0 :> b1) @@ f2 :> (0 :> None))',
      free: '{b2}',
      entry: '(f1 :> (0 :> b1) @@ f2 :> (0 :> None))',
      locked: '(f1 :> (0 :> FALSE) @@ f2 :> (0 :> FALSE))',
      pte: '(f1 :> (0 :> b1) @@ f2 :> (0 :> None))',
      refcount: '(b1 :> 2 @@ b2 :> 1)',
      mapping: '(b1 :> <<f1, 0>> @@ b2 :> <<>>)',
      ioLock: '(f1 :> None @@ f2 :> None)',
      mmapExcl: '(f1 :> None @@ f2 :> None)',
      mmapShared: '(f1 :> {} @@ f2 :> {})',
      upc: '(u1 :> "DmaComplete")',
      uat: '(u1 :> <<f1, 0>>)',
      uref: '(u1 :> b1)',
      gupsLeft: '1',
      ulong: '(u1 :> FALSE)',
      fpc: '(t1 :> "idle")',
      fop: '(t1 :> [op |-> "none", file |-> None, lo |-> 0, hi |-> 0])',
      fscan: '(t1 :> 0)',
      fbusy: '(t1 :> None)',
      fslept: '(t1 :> FALSE)',
      spc: '<<>>',
      sat: '<<>>',
      vma: '(f1 :> TRUE @@ f2 :> TRUE)',
      gone: '(f1 :> FALSE @@ f2 :> FALSE)',
      warned: 'FALSE',
    };
    const truncating = {
      ioLock: '(f1 :> t1 @@ f2 :> None)',
      fop: '(t1 :> [op |-> "Truncate", file |-> f1, lo |-> 0, hi |-> 0])',
    };

    it('maps each point of the run to the spec state the actions produce', () => {
      const sys = createSystem(config);
      const at = () => mapToSpec(sys.snapshot());

      sys.start('u1', { file: 'f1', offset: 0 });
      expect(at()).toEqual(
        tla({
          ...base,
          extent: '(f1 :> (0 :> None) @@ f2 :> (0 :> None))',
          free: '{b1, b2}',
          entry: '(f1 :> (0 :> None) @@ f2 :> (0 :> None))',
          pte: '(f1 :> (0 :> None) @@ f2 :> (0 :> None))',
          refcount: '(b1 :> 1 @@ b2 :> 1)',
          mapping: '(b1 :> <<>> @@ b2 :> <<>>)',
          upc: '(u1 :> "FaultLockShared")',
          uref: '(u1 :> None)',
        }),
      );
      sys.step('u1'); // FaultLockShared
      sys.step('u1'); // FaultGrabEntry: an empty locked entry is still no block
      expect(at()).toMatchObject(
        tla({
          upc: '(u1 :> "FaultAllocBlock")',
          entry: '(f1 :> (0 :> None) @@ f2 :> (0 :> None))',
          locked: '(f1 :> (0 :> TRUE) @@ f2 :> (0 :> FALSE))',
          mmapShared: '(f1 :> {u1} @@ f2 :> {})',
        }),
      );
      stepUntil(sys, 'u1', 'DmaComplete');
      expect(at()).toEqual(tla(base)); // pinned: upc = "DmaComplete"

      sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
      expect(at()).toEqual(tla({ ...base, ...truncating, fpc: '(t1 :> "FsLockMmap")' }));
      sys.step('t1'); // FsLockMmap
      sys.step('t1'); // BreakLayoutsUnmap
      sys.step('t1'); // BreakLayoutsScan: b1 is busy
      expect(at()).toEqual(
        tla({
          ...base,
          ...truncating,
          mmapExcl: '(f1 :> t1 @@ f2 :> None)',
          pte: '(f1 :> (0 :> None) @@ f2 :> (0 :> None))',
          fpc: '(t1 :> "BreakLayoutsWait")',
          fbusy: '(t1 :> b1)',
        }),
      );
      sys.step('t1'); // BreakLayoutsWait: drops the mmap lock and sleeps
      const asleep = {
        ...base,
        ...truncating,
        pte: '(f1 :> (0 :> None) @@ f2 :> (0 :> None))',
        fpc: '(t1 :> "sleep")',
        fbusy: '(t1 :> b1)',
      };
      expect(at()).toEqual(tla(asleep));

      sys.step('u1'); // DmaComplete: put_page -> page_free -> wake_up_var
      const woken = {
        ...asleep,
        refcount: '(b1 :> 1 @@ b2 :> 1)',
        upc: '(u1 :> "idle")',
        uat: '(u1 :> <<>>)',
        uref: '(u1 :> None)',
        fpc: '(t1 :> "BreakLayoutsRelock")',
      };
      expect(at()).toEqual(tla(woken));
      sys.step('t1'); // BreakLayoutsRelock
      expect(at()).toEqual(tla({ ...woken, mmapExcl: '(f1 :> t1 @@ f2 :> None)', fpc: '(t1 :> "BreakLayoutsWait")' }));
      sys.step('t1'); // BreakLayoutsWait: idle, start over
      sys.step('t1'); // BreakLayoutsUnmap
      sys.step('t1'); // BreakLayoutsScan: nothing busy
      sys.step('t1'); // TruncateUnmap
      sys.step('t1'); // DeleteEntry
      expect(at()).toEqual(
        tla({
          ...woken,
          mmapExcl: '(f1 :> t1 @@ f2 :> None)',
          entry: '(f1 :> (0 :> None) @@ f2 :> (0 :> None))',
          mapping: '(b1 :> <<>> @@ b2 :> <<>>)',
          fpc: '(t1 :> "FreeBlocks")',
        }),
      );
      sys.step('t1'); // FreeBlocks
      sys.step('t1'); // FsUnlock
      expect(at()).toEqual(
        tla({
          ...SMOKE_INIT,
          extent: '(f1 :> (0 :> None) @@ f2 :> (0 :> None))',
          free: '{b1, b2}',
          entry: '(f1 :> (0 :> None) @@ f2 :> (0 :> None))',
          locked: '(f1 :> (0 :> FALSE) @@ f2 :> (0 :> FALSE))',
          pte: '(f1 :> (0 :> None) @@ f2 :> (0 :> None))',
          refcount: '(b1 :> 1 @@ b2 :> 1)',
          mapping: '(b1 :> <<>> @@ b2 :> <<>>)',
        }),
      );
    });

    it('maps a blocked fault to its pc, and a woken task still blocked on the mmap lock to "BreakLayoutsRelock"', () => {
      const sys = createSystem({ ...config, users: ['u1', 'u2'], maxGups: 3 });
      sys.start('u1', { file: 'f1', offset: 0 });
      stepUntil(sys, 'u1', 'DmaComplete');
      sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
      sys.step('t1'); // FsLockMmap
      sys.step('t1'); // BreakLayoutsUnmap
      sys.start('u2', { file: 'f1', offset: 0 }); // no PTE now: a fault, blocked on t1's lock
      let s = sys.snapshot();
      expect(s.tasks.u2).toMatchObject({ state: 'blocked', next: 'FaultLockShared' });
      expect(mapToSpec(s)).toMatchObject(
        tla({
          upc: '(u1 :> "DmaComplete" @@ u2 :> "FaultLockShared")',
          uat: '(u1 :> <<f1, 0>> @@ u2 :> <<f1, 0>>)',
          fpc: '(t1 :> "BreakLayoutsScan")',
        }),
      );
      sys.step('t1'); // BreakLayoutsScan: b1 busy
      sys.step('t1'); // BreakLayoutsWait: asleep, the lock dropped, u2 runnable again
      sys.step('u2'); // FaultLockShared
      sys.step('u1'); // DmaComplete wakes t1, whose relock now waits for u2's shared hold
      s = sys.snapshot();
      expect(s.tasks.t1).toMatchObject({ state: 'blocked', woken: true, next: 'BreakLayoutsRelock' });
      expect(mapToSpec(s)).toMatchObject(
        tla({
          fpc: '(t1 :> "BreakLayoutsRelock")',
          upc: '(u1 :> "idle" @@ u2 :> "FaultGrabEntry")',
          mmapShared: '(f1 :> {u2} @@ f2 :> {})',
          mmapExcl: '(f1 :> None @@ f2 :> None)',
        }),
      );
    });
  });
});
