// ext4's zero range (ext4_zero_range: ext4_alloc_file_blocks with EXT4_GET_BLOCKS_CONVERT_UNWRITTEN,
// the spec's Feature ZeroRangeInPlace) keeps the range's blocks with their offsets; XFS's
// (xfs_zero_file_space: xfs_free_file_space, then xfs_alloc_file_space) frees and allocates them.
// These tests fail if the ext4 path frees the range as XFS's does.
import { describe, expect, it } from 'vitest';
import { type BugSwitches, type FsProfileName, createSystem } from '../../index.ts';

/** f1 has 2 offsets, both faulted in (b1, b2; b3 free); u1 then pins f1:0 and stops before its
 *  DMA completes when `pinned`; t1 zeroes 0..1 to the end. Returns t1's labels and the state. */
function zeroRange(profile: FsProfileName, inPlace: boolean, pinned: boolean, bugs: Partial<BugSwitches> = {}) {
  const sys = createSystem({
    files: ['f1'],
    offsets: 2,
    blocks: ['b1', 'b2', 'b3'],
    users: ['u1'],
    fsTasks: ['t1'],
    fsOps: ['ZeroRange'],
    profile,
    bugs,
    features: { ZeroRangeInPlace: inPlace },
  });
  const task = (id: string) => sys.snapshot().tasks[id]!;
  for (const o of [0, 1]) {
    sys.start('u1', { file: 'f1', offset: o });
    while (task('u1').state !== 'idle') sys.step('u1');
  }
  if (pinned) {
    sys.start('u1', { file: 'f1', offset: 0 });
    while (task('u1').next !== 'DmaComplete') sys.step('u1');
  }
  const labels = [sys.start('t1', { op: 'ZeroRange', file: 'f1', lo: 0, hi: 1 }).label];
  while (task('t1').state === 'running') labels.push(sys.step('t1').label);
  const s = sys.snapshot();
  return { labels, extents: s.files.f1!.extents, entries: s.files.f1!.entries, free: s.free, t1: task('t1'), events: sys.events() };
}

describe('zero range: ext4 converts in place, XFS frees and allocates', () => {
  it('ext4 (ZeroRangeInPlace) keeps b1 and b2 at their offsets, frees nothing, takes no FreeBlocks step', () => {
    const r = zeroRange('ext4', true, false);
    expect(r.labels, r.labels.join(' ')).not.toContain('FreeBlocks');
    expect(r.labels.filter((l) => l === 'FsPrealloc')).toHaveLength(2);
    expect(r.labels.at(-1)).toBe('FsUnlock');
    expect(r.extents).toEqual(['b1', 'b2']);
    expect(r.entries).toEqual([null, null]); // truncate_pagecache_range deleted them
    expect(r.free).toEqual(['b3']);
  });

  it('XFS (and ext4 built for a config without the feature) frees the range, then allocates it', () => {
    for (const profile of ['xfs', 'ext4'] as const) {
      const r = zeroRange(profile, false, false);
      expect(r.labels, `${profile}: ${r.labels.join(' ')}`).toContain('FreeBlocks');
      expect(r.labels.indexOf('FreeBlocks')).toBeLessThan(r.labels.indexOf('FsPrealloc'));
      expect(r.extents.every((b) => b !== null)).toBe(true);
      expect(r.free).toHaveLength(1);
    }
  });

  it('a hole in the range gets a block under ext4 too (EXT4_GET_BLOCKS_CREATE_UNWRIT_EXT)', () => {
    const sys = createSystem({
      files: ['f1'],
      offsets: 2,
      blocks: ['b1', 'b2'],
      users: ['u1'],
      fsTasks: ['t1'],
      fsOps: ['ZeroRange'],
      profile: 'ext4',
      features: { ZeroRangeInPlace: true },
    });
    sys.start('u1', { file: 'f1', offset: 1 });
    while (sys.snapshot().tasks.u1!.state !== 'idle') sys.step('u1');
    sys.start('t1', { op: 'ZeroRange', file: 'f1', lo: 0, hi: 1 });
    while (sys.snapshot().tasks.t1!.state === 'running') sys.step('t1');
    expect(sys.snapshot().files.f1!.extents).toEqual(['b2', 'b1']);
    expect(sys.snapshot().free).toEqual([]);
  });

  describe('NoBreakLayouts (4.18 ext4, before 430657b6be89): zero range while f1:0 is pinned', () => {
    it("ext4: the pinned block stays f1:0's, so no DMA into a foreign block (spec: zero-range-skips-break-ext4 holds)", () => {
      const r = zeroRange('ext4', true, true, { NoBreakLayouts: true });
      expect(r.labels, r.labels.join(' ')).not.toContain('BreakLayoutsScan');
      expect(r.t1.state).toBe('idle');
      expect(r.extents[0]).toBe('b1');
      expect(
        r.events.filter((e) => !('warn' in e)),
        JSON.stringify(r.events),
      ).toEqual([]);
      // The entry of the pinned page was deleted all the same (dax_disassociate_entry's WARN).
      expect(r.events.map((e) => ('warn' in e ? e.warn : e.kind))).toContain('disassociate-pinned');
    });

    it('XFS: the pinned block is freed under the DMA (spec: zero-range-skips-break refuted)', () => {
      const r = zeroRange('xfs', false, true, { NoBreakLayouts: true });
      expect(
        r.events.some((e) => !('warn' in e)),
        JSON.stringify(r.events),
      ).toBe(true);
    });
  });
});
