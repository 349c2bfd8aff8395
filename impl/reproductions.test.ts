// Each variant switch reproduced by an explicit schedule (reproductions.ts), and the same moves
// harmless with the switch off.
import { describe, expect, it } from 'vitest';
import { BUG_NAMES, createSystem, explicitSchedule, roundRobin } from './index.ts';
import { REPRODUCTIONS } from './reproductions.ts';
import { playAllowedMoves } from './testing.ts';

describe('variant reproductions', () => {
  for (const bug of BUG_NAMES) {
    const r = REPRODUCTIONS[bug];
    it(`${bug}: ${r.story}`, () => {
      const sys = createSystem(r.config);
      const run = sys.runToCompletion(explicitSchedule(r.schedule));
      expect(sys.selfCheck()).toEqual([]);
      if (r.expect === 'corruption') {
        expect(run.outcome).toBe('quiescent');
        const corruption = sys.events().filter((e) => e.kind === 'corruption');
        expect(corruption).toMatchObject([{ user: r.victim ?? 'u1', file: 'f1', reason: 'free' }]);
        const warns = sys.events().filter((e) => e.kind === 'warn');
        expect(warns).toMatchObject(r.warns ? [{ warn: 'disassociate-pinned', function: 'daxDisassociateEntry', file: 'f1' }] : []);
        expect(sys.events().at(-1)).toBe(sys.events().find((e) => e.kind === 'corruption'));
      } else if (r.expect === 'warned') {
        expect(run.outcome).toBe('quiescent');
        expect(sys.snapshot().warned).toBe(true);
        expect(sys.events()).toEqual([]);
      } else {
        expect(run.outcome).toBe('stuck');
        expect(sys.runnable()).toEqual([]);
        const t1 = sys.snapshot().tasks.t1!;
        expect(t1).toMatchObject({ state: 'sleeping', next: 'BreakLayoutsRelock', busyPage: 'b1' });
        // A FOLL_LONGTERM pin still holds its reference; a lost wake-up leaves the page idle.
        expect(sys.snapshot().pages.b1).toMatchObject({ refcount: r.config.bugs?.LongtermPinAllowed ? 2 : 1, varWaiters: ['t1'] });
        // Nothing will ever wake it: a fair scheduler has nothing to run.
        expect(sys.runToCompletion(roundRobin()).outcome).toBe('stuck');
        expect(sys.events()).toEqual([]);
      }
    });

    it(`${bug}: with the switch off, the same moves leave no corruption or WARN`, () => {
      const sys = createSystem({ ...r.config, bugs: {} });
      // The merged protocol refuses some of these moves (a task is blocked or asleep there):
      // play every move that is allowed, then let a fair scheduler finish.
      playAllowedMoves(sys, r.schedule);
      const run = sys.runToCompletion(roundRobin());
      expect(run.outcome).toBe('quiescent');
      expect(sys.events()).toEqual([]);
      expect(sys.snapshot().warned).toBe(false);
    });
  }

  it('NoBreakLayouts: a block freed, then reused by another file, is judged once, when freed', () => {
    const sys = createSystem({ ...REPRODUCTIONS.NoBreakLayouts.config, users: ['u1', 'u2'] });
    const s = REPRODUCTIONS.NoBreakLayouts.schedule;
    sys.runToCompletion(explicitSchedule(s.slice(0, -1)));
    sys.start('u2', { file: 'f2', offset: 0 });
    while (sys.snapshot().tasks.u2!.next !== 'DmaComplete') sys.step('u2');
    expect(sys.snapshot().files.f2!.extents).toEqual(['b1']);
    sys.step('u1');
    // FreeBlocks is step 13 (0-based): steps 0-8 pin, then FsLockIo, FsLockMmap, TruncateUnmap, DeleteEntry.
    expect(sys.events().filter((e) => e.kind === 'corruption')).toEqual([
      { kind: 'corruption', step: 13, user: 'u1', file: 'f1', offset: 0, block: 'b1', reason: 'free' },
    ]);
    expect(sys.snapshot().pages.b1!.data).toBe('u1@f1:0#0');
  });
});
