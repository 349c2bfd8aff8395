// The XFS and ext4 profiles run different kernel paths that must take the same labelled steps
// and leave the same state, so that either conforms to the spec in the same way.
import { describe, expect, it } from 'vitest';
import { type FsOp, type FsProfileName, createSystem } from '../index.ts';

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
});
