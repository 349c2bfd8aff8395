// For each variant switch, a configuration and an explicit schedule that reproduces its bug in the
// implementation: DMA into a freed block (a corruption event, with dax_disassociate_entry's WARN)
// or, for LostWakeup, a truncate asleep forever with nothing runnable, or (DeleteWaitSkipsEntry) the
// kernel's own WARN with nothing corrupted. Configurations follow
// spec/models/<variant>.cfg, so the schedules double as traces of the spec's counterexamples.
import type { SystemConfig } from './config.ts';
import type { ScheduleEntry } from './kernel/scheduler.ts';
import type { BugName, Operation, PutPath, TaskId } from './types.ts';

/** A reproduction of one variant's bug. */
export interface Reproduction {
  readonly config: SystemConfig;
  readonly schedule: readonly ScheduleEntry[];
  /** What the run ends with: corruption (and a WARN), a stuck run with a task asleep, or the
   *  kernel's own WARN (the spec's warned, KernelWarnQuiet) with nothing corrupted. */
  readonly expect: 'corruption' | 'stuck' | 'warned';
  /** Whether dax_disassociate_entry WARNs on the way (the entry is deleted while pinned). */
  readonly warns: boolean;
  /** Why the schedule works, one line. */
  readonly story: string;
  /** The user whose DMA is corrupted, when not u1. */
  readonly victim?: TaskId;
}

const start = (task: TaskId, op: Operation): ScheduleEntry => ({ task, start: op });
const times = (task: TaskId, n: number): ScheduleEntry[] => Array<ScheduleEntry>(n).fill(task);
/** u1 GUPs f1:`offset` with no PTE there: the slow path's 8 steps up to DmaComplete. */
const pinBySlowGup = (offset = 0): ScheduleEntry[] => [start('u1', { file: 'f1', offset }), ...times('u1', 8)];
const truncate = { op: 'Truncate', file: 'f1', lo: 0 } as const;

const munmap = (file: string): ScheduleEntry => ({ mm: 'Munmap', file });
/** u1 slow-GUPs f1:`offset` then truncate t1 sleeps on its page; `path` is how the DMA ends. */
const sleepThenComplete = (path: PutPath): ScheduleEntry[] => [
  ...pinBySlowGup(),
  start('t1', truncate),
  ...times('t1', 4), // FsLockMmap, unmap, scan finds b1 busy, wait: sleep
  { task: 'u1', choice: { path } }, // DmaComplete: b1 idle, but this path wakes nobody
];

const one = { files: ['f1'], offsets: 1, blocks: ['b1'], users: ['u1'], fsTasks: ['t1'], fsOps: ['Truncate'] } as const;
const DESIGN_2025 = { Munmap: true, Design2025: true } as const;

/** The reproductions, by variant switch. */
export const REPRODUCTIONS: Readonly<Record<BugName, Reproduction>> = {
  NoBreakLayouts: {
    config: { ...one, files: ['f1', 'f2'], blocks: ['b1', 'b2'], maxGups: 2, bugs: { NoBreakLayouts: true } },
    schedule: [
      ...pinBySlowGup(),
      start('t1', truncate),
      ...times('t1', 5), // FsLockMmap, TruncateUnmap, DeleteEntry, FreeBlocks, FsUnlock
      'u1', // DmaComplete into the freed block
    ],
    expect: 'corruption',
    warns: true,
    story: 'truncate frees the pinned block without waiting; the DMA lands in a free block',
  },
  ScanBeforeUnmap: {
    config: { ...one, maxGups: 2, bugs: { ScanBeforeUnmap: true } },
    schedule: [
      ...pinBySlowGup(),
      'u1', // a first DMA leaves a PTE behind
      start('t1', truncate),
      't1',
      't1', // FsLockMmap, BreakLayoutsScan: nothing busy yet
      start('u1', { file: 'f1', offset: 0 }),
      'u1',
      'u1', // GUP-fast: PTE still there, re-check passes
      ...times('t1', 5), // BreakLayoutsUnmap, TruncateUnmap, DeleteEntry, FreeBlocks, FsUnlock
      'u1',
    ],
    expect: 'corruption',
    warns: true,
    story: 'the scan passes the page before the unmap; GUP-fast pins it behind the scan',
  },
  NoGupFastRecheck: {
    config: { ...one, maxGups: 2, bugs: { NoGupFastRecheck: true } },
    schedule: [
      ...pinBySlowGup(),
      'u1',
      start('u1', { file: 'f1', offset: 0 }), // GupFastReadPte reads the PTE
      start('t1', truncate),
      ...times('t1', 7), // unmap, scan (no reference yet), delete, free
      'u1',
      'u1', // GupFastGetRef on the freed page, GupFastRecheck keeps it
      'u1',
    ],
    expect: 'corruption',
    warns: false, // the pin comes after the entry is gone
    story: 'GUP-fast takes its reference after the truncate and never notices the PTE is gone',
  },
  NoRestartAfterWait: {
    config: { ...one, offsets: 2, blocks: ['b1', 'b2'], maxGups: 2, bugs: { NoRestartAfterWait: true } },
    schedule: [
      ...pinBySlowGup(0),
      start('t1', truncate),
      ...times('t1', 4), // FsLockMmap, unmap, scan finds b1 busy, wait: sleep
      'u1', // DmaComplete wakes t1
      ...pinBySlowGup(1), // while t1 has not relocked, u1 faults f1:1 in and pins b2
      ...times('t1', 7), // relock, wait (b1 idle: no restart), unmap, delete x2, free, unlock
      'u1',
    ],
    expect: 'corruption',
    warns: true,
    story: 'the mmap lock was dropped while waiting; a page pinned meanwhile is never scanned',
  },
  LostWakeup: {
    config: { ...one, maxGups: 1, bugs: { LostWakeup: true } },
    schedule: [
      ...pinBySlowGup(),
      start('t1', truncate),
      ...times('t1', 4), // sleeps on b1
      'u1', // DmaComplete: b1 idle, but page_free wakes nobody
    ],
    expect: 'stuck',
    warns: false,
    story: 'the page goes idle but the sleeping truncate is never woken',
  },
  CollapseSkipsBreak: {
    config: { ...one, offsets: 2, blocks: ['b1', 'b2'], fsOps: ['CollapseRange'], maxGups: 2, bugs: { CollapseSkipsBreak: true } },
    schedule: [
      ...pinBySlowGup(0),
      start('t1', { op: 'CollapseRange', file: 'f1', lo: 0, hi: 0 }),
      ...times('t1', 6), // to EOF: delete x2
      'u1',
    ],
    expect: 'corruption',
    warns: true,
    story: 'collapse range removes the pinned block without breaking layouts',
  },
  ScanSkipsLocked: {
    config: { ...one, syncers: ['s1'], maxGups: 1, bugs: { ScanSkipsLocked: true } },
    schedule: [
      ...pinBySlowGup(),
      start('s1', { file: 'f1', offset: 0 }), // writeback locks the pinned page's entry
      start('t1', truncate),
      ...times('t1', 3), // FsLockMmap, unmap, scan skips the locked entry
      's1', // WritebackUnlockEntry lets DeleteEntry run
      ...times('t1', 4),
      'u1',
    ],
    expect: 'corruption',
    warns: true,
    story: 'the scan passes the locked entry unseen; its page is still pinned',
  },
  RetryOnlyOnSleep: {
    config: { ...one, offsets: 2, blocks: ['b1', 'b2'], users: ['u1', 'u2'], maxGups: 2, bugs: { RetryOnlyOnSleep: true } },
    schedule: [
      ...pinBySlowGup(0),
      start('u2', { file: 'f1', offset: 1 }),
      ...times('u2', 8), // u2 pins f1:1 (b2)
      start('t1', truncate),
      ...times('t1', 3), // FsLockMmap, unmap, scan finds b1 busy
      'u1', // DmaComplete: b1 idle before t1 tests it
      ...times('t1', 6), // wait: idle, never slept, so no retry; unmap, delete x2, free
      'u2',
    ],
    expect: 'corruption',
    warns: true,
    story: 'the first busy page is idle at the first test, so did_unlock stays false and the loop ends with b2 pinned',
    victim: 'u2',
  },
  UnpinMissesWake: {
    config: { ...one, maxGups: 1, bugs: { UnpinMissesWake: true } },
    schedule: sleepThenComplete('gup_put_folio'),
    expect: 'stuck',
    warns: false,
    story: 'unpin_user_page -> gup_put_folio drops the last reference without wake_up_var (5.18)',
  },
  ReleasePagesMissesWake: {
    config: { ...one, maxGups: 1, bugs: { ReleasePagesMissesWake: true } },
    schedule: sleepThenComplete('release_pages'),
    expect: 'stuck',
    warns: false,
    story: 'release_pages drops the last reference of an fs-dax page without wake_up_var',
  },
  SkipScanWhenUnmapped: {
    config: { ...one, maxGups: 1, features: { Munmap: true }, bugs: { SkipScanWhenUnmapped: true } },
    schedule: [
      ...pinBySlowGup(),
      munmap('f1'), // the pin outlives the VMA
      start('t1', truncate),
      ...times('t1', 6), // FsLockMmap, unmap (!mapping_mapped: no scan), unmap, delete, free, unlock
      'u1',
    ],
    expect: 'corruption',
    warns: true,
    story: 'dax_layout_busy_page returns NULL for a file no VMA maps, although a pin outlives munmap',
  },
  EvictWithoutBreak: {
    config: { ...one, maxGups: 1, fsOps: ['Evict'], features: { Munmap: true }, bugs: { EvictWithoutBreak: true } },
    schedule: [
      ...pinBySlowGup(),
      munmap('f1'),
      start('t1', { op: 'Evict', file: 'f1', lo: 0 }),
      ...times('t1', 5), // FsLockMmap, unmap, delete, free, unlock
      'u1',
    ],
    expect: 'corruption',
    warns: true,
    story: 'eviction (truncate_inode_pages_final) frees the pinned block without waiting for it',
  },
  LongtermPinAllowed: {
    config: { ...one, maxGups: 1, bugs: { LongtermPinAllowed: true } },
    schedule: [
      start('u1', { file: 'f1', offset: 0, longterm: true }),
      ...times('u1', 8), // a FOLL_LONGTERM pin
      start('t1', truncate),
      ...times('t1', 4), // sleeps on b1 for ever
    ],
    expect: 'stuck',
    warns: false,
    story: 'a FOLL_LONGTERM pin of an fs-dax page is let in and never released: the truncate never ends',
  },
  // The 2025 design (6.15.0's constants without the release, so that `bugs: {}` turns the skip off).
  WaitSkipsEntry: {
    config: { ...one, syncers: ['s1'], maxGups: 1, idleRef: 0, features: DESIGN_2025, bugs: { WaitSkipsEntry: true } },
    schedule: [
      ...pinBySlowGup(), // the PTE's reference and the pin: refcount 2
      start('s1', { file: 'f1', offset: 0 }), // writeback locks the pinned page's entry
      start('t1', truncate),
      ...times('t1', 3), // FsLockMmap, unmap (the PTE's reference goes), scan: xas_pause, wait on the entry
      's1', // WritebackUnlockEntry wakes it
      ...times('t1', 6), // the paused scan passes the entry untested; delete it; unmap, delete, free, unlock
      'u1',
    ],
    expect: 'corruption',
    warns: true,
    story: "6.15.0's wait_entry_unlocked_exclusive waits on the locked entry, then its xas_pause skips it: the pinned page is never tested",
  },
  DeleteWaitSkipsEntry: {
    config: { ...one, syncers: ['s1'], maxGups: 1, idleRef: 0, features: DESIGN_2025, bugs: { DeleteWaitSkipsEntry: true } },
    schedule: [
      ...pinBySlowGup(),
      'u1', // the DMA ends; the PTE keeps the page mapped
      start('t1', truncate),
      ...times('t1', 3), // FsLockMmap, unmap, scan: nothing busy
      start('s1', { file: 'f1', offset: 0 }), // writeback locks the entry the deletion is at
      't1', // BreakLayoutsDelete: xas_pause, wait on the entry
      's1',
      ...times('t1', 5), // the paused deletion leaves the entry; unmap, DeleteEntry WARNs, free, unlock
    ],
    expect: 'warned',
    warns: false,
    story: "the deletion's paused wait leaves the entry it waited on: truncate_folio_batch_exceptionals' WARN_ON_ONCE(1) fires",
  },
};
