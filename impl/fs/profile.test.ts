// The XFS and ext4 profiles run different kernel paths. Where both have the switches on, they
// must take the same labelled steps and leave the same state, so that either conforms to the spec
// in the same way; under RetryOnlyOnSleep (4.18 XFS's did_unlock, d6dc57e251a4) ext4's
// ext4_break_layouts (do .. while (error == 0), b1f382178d15) must still rescan.
import { describe, expect, it } from 'vitest';
import { type FsOp, type FsProfileName, createSystem, profileHasSwitch } from '../index.ts';
import { ext4BreakLayouts } from './ext4/inode.ts';
import { ext4Profile, xfsProfile } from './profile.ts';

/** u1 pins f1:1 (of 3 offsets); t1 runs `op`, sleeping on the pin if it breaks layouts; u1's
 *  DMA completes; t1 finishes. Returns every step's "task:label" and the end state. */
function pinThen(profile: FsProfileName, op: FsOp) {
  const sys = createSystem({ files: ['f1'], offsets: 3, blocks: ['b1', 'b2', 'b3'], users: ['u1'], fsTasks: ['t1'], profile });
  const labels: string[] = [];
  const log = (r: { task: string; label: string }): void => {
    labels.push(`${r.task}:${r.label}`);
  };
  const state = (id: string) => sys.snapshot().tasks[id]!;
  log(sys.start('u1', { file: 'f1', offset: 1 }));
  while (state('u1').next !== 'DmaComplete') log(sys.step('u1'));
  log(sys.start('t1', op));
  while (state('t1').state === 'running') log(sys.step('t1'));
  if (state('t1').state === 'sleeping') log(sys.step('u1'));
  while (state('t1').state === 'running') log(sys.step('t1'));
  return { labels, snapshot: { ...sys.snapshot(), config: null }, events: sys.events() };
}

describe('file-system profiles', () => {
  const ops: FsOp[] = [
    { op: 'Truncate', file: 'f1', lo: 0 },
    { op: 'PunchHole', file: 'f1', lo: 1, hi: 2 },
    { op: 'CollapseRange', file: 'f1', lo: 0, hi: 1 },
  ];
  for (const op of ops) {
    it(`XFS and ext4 take the same labelled steps for ${op.op} and end in the same state`, () => {
      const xfs = pinThen('xfs', op);
      const ext4 = pinThen('ext4', op);
      expect(xfs.labels).toEqual(ext4.labels);
      expect(xfs.snapshot).toEqual(ext4.snapshot);
      expect(xfs.events).toEqual([]);
      expect(xfs.labels).toContain('t1:BreakLayoutsRelock');
      expect(xfs.labels.at(-1)).toBe('t1:FsUnlock');
      expect(xfs.snapshot.tasks.t1!.state).toBe('idle');
    });
  }

  it('collapse range frees the range and shifts the extents beyond it down', () => {
    for (const profile of ['xfs', 'ext4'] as const) {
      const sys = createSystem({ files: ['f1'], offsets: 3, blocks: ['b1', 'b2', 'b3'], users: ['u1'], fsTasks: ['t1'], profile });
      for (const o of [0, 1, 2]) {
        sys.start('u1', { file: 'f1', offset: o });
        while (sys.snapshot().tasks.u1!.state !== 'idle') sys.step('u1');
      }
      sys.start('t1', { op: 'CollapseRange', file: 'f1', lo: 0, hi: 0 });
      while (sys.snapshot().tasks.t1!.state !== 'idle') sys.step('t1');
      const s = sys.snapshot();
      expect(s.files.f1!.extents).toEqual(['b2', 'b3', null]);
      expect(s.files.f1!.entries).toEqual([null, null, null]); // every offset from lo to EOF
      expect(s.free).toEqual(['b1']);
    }
  });

  describe('RetryOnlyOnSleep: the first busy page goes idle before the wait tests it', () => {
    /** u1 pins f1:0 and u2 pins f1:1; t1's truncate finds f1:0 busy, u1's DMA completes before
     *  t1's BreakLayoutsWait, which so finds the page idle without sleeping; then t1 runs on. */
    function idleAtFirstTest(profile: FsProfileName) {
      const sys = createSystem({
        files: ['f1'],
        offsets: 2,
        blocks: ['b1', 'b2'],
        users: ['u1', 'u2'],
        fsTasks: ['t1'],
        maxGups: 2,
        profile,
        bugs: { RetryOnlyOnSleep: true },
      });
      const labels: string[] = [];
      const task = (id: string) => sys.snapshot().tasks[id]!;
      const log = (r: { task: string; label: string }): void => {
        labels.push(`${r.task}:${r.label}`);
      };
      for (const [u, offset] of [
        ['u1', 0],
        ['u2', 1],
      ] as const) {
        log(sys.start(u, { file: 'f1', offset }));
        while (task(u).next !== 'DmaComplete') log(sys.step(u));
      }
      log(sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 }));
      while (task('t1').next !== 'BreakLayoutsWait') log(sys.step('t1'));
      log(sys.step('u1')); // DmaComplete: f1:0's page is idle again
      log(sys.step('t1')); // BreakLayoutsWait: idle at the first test, no sleep
      while (task('t1').state === 'running') log(sys.step('t1'));
      const waits = labels.filter((l) => l === 't1:BreakLayoutsWait').length;
      return { labels, waits, t1: task('t1'), events: sys.events() };
    }

    it('XFS (xfs_break_dax_layouts with did_unlock) ends the loop and frees the block u2 still DMAs into', () => {
      expect(profileHasSwitch('xfs', 'RetryOnlyOnSleep')).toBe(true);
      const xfs = idleAtFirstTest('xfs');
      expect(xfs.waits, xfs.labels.join(' ')).toBe(1);
      expect(xfs.t1.state).toBe('idle');
      expect(xfs.events.map((e) => ('warn' in e ? e.warn : e.kind))).toContain('disassociate-pinned');
      expect(xfs.events.some((e) => !('warn' in e))).toBe(true); // the corruption of u2's block
    });

    it("ext4 (ext4_break_layouts, do .. while (error == 0)) rescans and sleeps on u2's page", () => {
      expect(profileHasSwitch('ext4', 'RetryOnlyOnSleep')).toBe(false);
      const ext4 = idleAtFirstTest('ext4');
      // The second pass: unmap and scan again after the wait that did not sleep.
      const afterWait = ext4.labels.slice(ext4.labels.indexOf('t1:BreakLayoutsWait') + 1);
      expect(afterWait.slice(0, 2), ext4.labels.join(' ')).toEqual(['t1:BreakLayoutsUnmap', 't1:BreakLayoutsScan']);
      expect(ext4.waits).toBe(2);
      expect(ext4.t1).toMatchObject({ state: 'sleeping', busyPage: 'b2' });
      expect(ext4.events).toEqual([]);
    });

    it("eviction's layout break (6.15) is ext4_break_layouts under ext4; each profile lacks the other's switch", () => {
      expect(ext4Profile.breakLayouts).toBe(ext4BreakLayouts);
      expect(ext4Profile.lacks).toEqual(['RetryOnlyOnSleep']);
      expect(xfsProfile.lacks).toEqual(['ZeroRangeInPlace']);
      expect(profileHasSwitch('xfs', 'ZeroRangeInPlace')).toBe(false);
      expect(profileHasSwitch('ext4', 'ZeroRangeInPlace')).toBe(true);
    });
  });
});
