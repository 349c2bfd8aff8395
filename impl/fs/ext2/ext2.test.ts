// ext2's DAX paths (fs/ext2/inode.c ext2_setsize, ext2_evict_inode): no layout break in any
// release, so a truncate or an eviction frees the block of a page still pinned for DMA. Its
// steps are the spec's with NoBreakLayouts on; a config ext2 cannot run (an fallocate mode, or
// layout breaking on) is refused rather than run on paths the spec does not follow.
import { describe, expect, it } from 'vitest';
import { type FsOp, type FsProfileName, createSystem, profileRefuses } from '../../index.ts';
import { ext2Profile, fsProfile } from '../profile.ts';

/** u1 pins f1:0; t1 runs `op` to the end without waiting; returns t1's labels and the events. */
function pinThenRun(profile: FsProfileName, op: FsOp) {
  const sys = createSystem({
    files: ['f1'],
    offsets: 1,
    blocks: ['b1'],
    users: ['u1'],
    fsTasks: ['t1'],
    fsOps: ['Truncate', 'Evict'],
    profile,
    bugs: { NoBreakLayouts: true, EvictWithoutBreak: true },
    features: { Munmap: true, TruncWarn: true },
  });
  const task = (id: string) => sys.snapshot().tasks[id]!;
  sys.start('u1', { file: 'f1', offset: 0 });
  while (task('u1').next !== 'DmaComplete') sys.step('u1');
  if (op.op === 'Evict') sys.munmap('f1');
  const labels: string[] = [];
  labels.push(sys.start('t1', op).label);
  while (task('t1').state === 'running') labels.push(sys.step('t1').label);
  return { labels, t1: task('t1'), snapshot: sys.snapshot(), events: sys.events() };
}

describe('ext2 profile', () => {
  it.each([{ op: 'Truncate', file: 'f1', lo: 0 } as FsOp, { op: 'Evict', file: 'f1', lo: 0 } as FsOp])(
    '$op: locks, unmaps, deletes the pinned entry (trunc WARN) and frees its block: the DMA corrupts it',
    (op) => {
      const r = pinThenRun('ext2', op);
      expect(r.labels).not.toContain('BreakLayoutsScan');
      expect(r.labels.slice(-3)).toEqual(['DeleteEntry', 'FreeBlocks', 'FsUnlock']);
      expect(r.t1.state).toBe('idle');
      expect(r.snapshot.free).toEqual(['b1']);
      expect(r.events.map((e) => (e.kind === 'warn' ? e.warn : e.reason))).toEqual(['disassociate-pinned', 'free']);
    },
  );

  it('takes the steps ext4 takes with NoBreakLayouts on (4.18 ext4, before 430657b6be89)', () => {
    for (const op of [{ op: 'Truncate', file: 'f1', lo: 0 } as FsOp, { op: 'Evict', file: 'f1', lo: 0 } as FsOp]) {
      const ext2 = pinThenRun('ext2', op);
      const ext4 = pinThenRun('ext4', op);
      expect(ext2.labels).toEqual(ext4.labels);
      expect({ ...ext2.snapshot, config: null }).toEqual({ ...ext4.snapshot, config: null });
      expect(ext2.events).toEqual(ext4.events);
    }
  });

  it('has truncate and eviction only, and NoBreakLayouts always on', () => {
    expect(fsProfile('ext2')).toBe(ext2Profile);
    expect(ext2Profile.ops).toEqual(['Truncate', 'Evict']);
    expect(ext2Profile.always).toEqual(['NoBreakLayouts']);
    expect(profileRefuses('ext2', ['Truncate', 'Evict'], ['NoBreakLayouts'])).toBeNull();
    expect(profileRefuses('ext2', ['Truncate', 'PunchHole'], ['NoBreakLayouts'])).toBe(
      'ext2 has no PunchHole (its operations: Truncate, Evict)',
    );
    expect(profileRefuses('ext2', ['Truncate'], [])).toBe("ext2's code always has NoBreakLayouts on");
    expect(profileRefuses('xfs', ['PunchHole'], [])).toBeNull();
  });

  it('createSystem refuses an fallocate mode or layout breaking under ext2, and defaults to truncate', () => {
    const base = { files: ['f1'], offsets: 1, blocks: ['b1'], fsTasks: ['t1'], profile: 'ext2' as const };
    expect(() => createSystem({ ...base, fsOps: ['ZeroRange'], bugs: { NoBreakLayouts: true } })).toThrow(/profile ext2 has no ZeroRange/);
    expect(() => createSystem({ ...base, fsOps: ['Truncate'] })).toThrow(/ext2's code always has NoBreakLayouts on/);
    expect(createSystem({ ...base, bugs: { NoBreakLayouts: true } }).snapshot().config.fsOps).toEqual(['Truncate']);
  });

  it('as kernel 4.19-ext2 and 6.14-ext2: the ext2 profile with its bugs', () => {
    for (const kernel of ['4.19-ext2', '6.14-ext2']) {
      const sys = createSystem({ files: ['f1'], offsets: 1, blocks: ['b1'], fsTasks: ['t1'], fsOps: ['Truncate'], kernel });
      expect(sys.snapshot().config).toMatchObject({ profile: 'ext2', kernel, idleRef: 1 });
      expect(sys.snapshot().config.bugs).toMatchObject({ NoBreakLayouts: true, EvictWithoutBreak: true, SkipScanWhenUnmapped: false });
    }
  });
});
