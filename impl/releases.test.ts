// Kernel releases (releases.ts) and the paths the history added: munmap / mmap, eviction, zero
// and insert range, the put paths, FOLL_LONGTERM refusal, the reference-based trunc WARN.
import { describe, expect, it } from 'vitest';
import { DaxModelError, createSystem, roundRobin } from './index.ts';
import { RELEASE_NAMES, RELEASES } from './releases.ts';

const one = { files: ['f1'], offsets: 1, blocks: ['b1'], users: ['u1'], fsTasks: ['t1'] } as const;

/** u1 slow-GUPs f1:o up to DmaComplete. */
function pin(sys: ReturnType<typeof createSystem>, o = 0, user = 'u1'): void {
  sys.start(user, { file: 'f1', offset: o });
  while (sys.snapshot().tasks[user]!.next !== 'DmaComplete') sys.step(user);
}

describe('kernel versions', () => {
  it('a version gives its bugs, profile, idle refcount and features', () => {
    const sys = createSystem({ ...one, kernel: '4.18-ext4' });
    expect(sys.config).toMatchObject({ kernel: '4.18-ext4', profile: 'ext4', idleRef: 1, features: { Munmap: true, TruncWarn: true } });
    expect(
      Object.entries(sys.config.bugs)
        .filter(([, on]) => on)
        .map(([b]) => b)
        .sort(),
    ).toEqual(['EvictWithoutBreak', 'NoBreakLayouts', 'ReleasePagesMissesWake']);
    const design2025 = { idleRef: 0, features: { TruncWarn: false, Design2025: true } };
    expect(createSystem({ ...one, kernel: '6.15.y' }).config).toMatchObject({ ...design2025, bugs: { WaitSkipsEntry: false } });
    expect(createSystem({ ...one, kernel: '6.15.0' }).config).toMatchObject({ ...design2025, bugs: { WaitSkipsEntry: true } });
  });

  it('an unknown version is a one-line config error naming the known ones', () => {
    expect(() => createSystem({ ...one, kernel: '3.0' })).toThrow(DaxModelError);
    try {
      createSystem({ ...one, kernel: '3.0' });
    } catch (e) {
      expect((e as Error).message).toBe(`unknown kernel version '3.0' (known: ${RELEASE_NAMES.join(', ')})`);
    }
  });

  it('every version builds and the merged one runs a pin against a truncate to completion', () => {
    for (const v of RELEASES) expect(createSystem({ ...one, kernel: v.version }).config.kernel).toBe(v.version);
    const sys = createSystem({ ...one, kernel: '6.15.y' });
    pin(sys);
    sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
    expect(sys.runToCompletion(roundRobin()).outcome).toBe('quiescent');
    expect(sys.events()).toEqual([]);
  });
});

describe('the history paths', () => {
  it('munmap zaps the PTEs but the pin stays; GUP and eviction follow the VMA', () => {
    const sys = createSystem({ ...one, maxGups: 3, fsOps: ['Truncate', 'Evict'], features: { Munmap: true } });
    pin(sys);
    expect(() => sys.start('t1', { op: 'Evict', file: 'f1', lo: 0 })).toThrow(/a VMA still maps it/);
    expect(sys.mmMoves()).toEqual([{ label: 'Munmap', file: 'f1' }]);
    expect(sys.munmap('f1')).toMatchObject({ task: 'mm', label: 'Munmap', params: { f: 'f1' } });
    expect(sys.snapshot()).toMatchObject({ ptes: { f1: [null] }, files: { f1: { mapped: false } }, pages: { b1: { refcount: 2 } } });
    expect(() => sys.start('u1', { file: 'f1', offset: 0 })).toThrow(); // busy anyway
    sys.step('u1');
    expect(() => sys.start('u1', { file: 'f1', offset: 0 })).toThrow(/no VMA maps it/);
    sys.start('t1', { op: 'Evict', file: 'f1', lo: 0 });
    expect(sys.snapshot().files.f1!.freeing).toBe(true);
    expect(sys.mmMoves()).toEqual([]); // no mmap of a file being evicted
    expect(sys.runToCompletion(roundRobin()).outcome).toBe('quiescent');
    expect(sys.snapshot().free).toEqual(['b1']);
  });

  it('a slow GUP in progress holds munmap off (the mmap_lock)', () => {
    const sys = createSystem({ ...one, features: { Munmap: true } });
    sys.start('u1', { file: 'f1', offset: 0 }); // no PTE: next FaultLockShared
    expect(() => sys.munmap('f1')).toThrow(/slow GUP/);
  });

  it('a GUP-fast whose re-check fails after munmap ends without a page (-EFAULT)', () => {
    const sys = createSystem({ ...one, maxGups: 2, features: { Munmap: true } });
    pin(sys);
    sys.step('u1');
    sys.start('u1', { file: 'f1', offset: 0 });
    sys.step('u1'); // GupFastGetRef
    sys.munmap('f1');
    expect(sys.step('u1').label).toBe('GupFastRecheck');
    expect(sys.snapshot().tasks.u1).toMatchObject({ state: 'idle', target: null, ref: null });
    expect(sys.snapshot().pages.b1!.refcount).toBe(1);
  });

  it('zero range frees the range, then preallocates each offset with the chosen block', () => {
    const sys = createSystem({
      files: ['f1'],
      offsets: 2,
      blocks: ['b1', 'b2', 'b3'],
      users: ['u1'],
      fsTasks: ['t1'],
      fsOps: ['ZeroRange'],
    });
    pin(sys, 0);
    sys.step('u1');
    sys.start('t1', { op: 'ZeroRange', file: 'f1', lo: 0, hi: 0 });
    const labels: string[] = [];
    while (sys.snapshot().tasks.t1!.next !== 'FsPrealloc') labels.push(sys.step('t1').label);
    expect(labels).toEqual([
      'FsLockMmap',
      'BreakLayoutsUnmap',
      'BreakLayoutsScan',
      'BreakLayoutsScan',
      'TruncateUnmap',
      'DeleteEntry',
      'FreeBlocks',
    ]);
    expect(sys.choices('t1')).toEqual(['b1', 'b2', 'b3']);
    expect(sys.step('t1', { block: 'b3' })).toMatchObject({ label: 'FsPrealloc', choice: { block: 'b3' } });
    expect(sys.snapshot().files.f1!.extents).toEqual(['b3', null]);
  });

  it('insert range shifts the extents up, or changes nothing when they would pass the end', () => {
    const sys = createSystem({
      files: ['f1'],
      offsets: 3,
      blocks: ['b1', 'b2', 'b3'],
      users: ['u1'],
      fsTasks: ['t1'],
      fsOps: ['InsertRange'],
    });
    pin(sys, 0);
    sys.step('u1');
    sys.start('t1', { op: 'InsertRange', file: 'f1', lo: 0, hi: 0 });
    sys.runToCompletion(roundRobin());
    expect(sys.snapshot().files.f1!.extents).toEqual([null, 'b1', null]);
    expect(() => sys.start('t1', { op: 'InsertRange', file: 'f1', lo: 0, hi: 2 })).toThrow(/last offset/);
  });

  it('DmaComplete takes a put path; a FOLL_LONGTERM pin is refused unless LongtermPinAllowed', () => {
    const sys = createSystem({ ...one });
    expect(() => sys.start('u1', { file: 'f1', offset: 0, longterm: true })).toThrow(/EOPNOTSUPP/);
    pin(sys);
    expect(sys.putPaths('u1')).toEqual(['put_page', 'gup_put_folio', 'release_pages']);
    expect(sys.step('u1', { path: 'release_pages' })).toMatchObject({ label: 'DmaComplete', choice: { path: 'release_pages' } });
    expect(sys.snapshot().pages.b1).toMatchObject({ refcount: 1, pincount: 0 });
  });

  it("the trunc WARN counts GUP-fast's speculative reference: it fires although no DMA follows", () => {
    const sys = createSystem({ ...one, maxGups: 2, features: { TruncWarn: true } });
    pin(sys);
    sys.step('u1'); // a first DMA leaves the PTE
    sys.start('u1', { file: 'f1', offset: 0 }); // GupFastReadPte reads it
    sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
    for (let i = 0; i < 3; i++) sys.step('t1'); // FsLockMmap, unmap, scan: nothing busy
    sys.step('u1'); // GupFastGetRef: refcount 2
    sys.step('t1'); // TruncateUnmap
    expect(sys.live.warned).toBe(false);
    sys.step('t1'); // DeleteEntry
    expect(sys.live.warned).toBe(true);
    expect(sys.events()).toEqual([]);
  });
});
