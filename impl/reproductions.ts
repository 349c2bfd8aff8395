// For each variant switch, a configuration and an explicit schedule that reproduces its bug in the
// implementation: DMA into a freed block (a corruption event, with dax_disassociate_entry's WARN)
// or, for LostWakeup, a truncate asleep forever with nothing runnable. Configurations follow
// spec/models/<variant>.cfg, so the schedules double as traces of the spec's counterexamples.
import type { SystemConfig } from './config.ts';
import type { ScheduleEntry } from './kernel/scheduler.ts';
import type { BugName, Operation, TaskId } from './types.ts';

/** A reproduction of one variant's bug. */
export interface Reproduction {
  readonly config: SystemConfig;
  readonly schedule: readonly ScheduleEntry[];
  /** What the run ends with: corruption (and a WARN), or a stuck run with a task asleep. */
  readonly expect: 'corruption' | 'stuck';
  /** Whether dax_disassociate_entry WARNs on the way (the entry is deleted while pinned). */
  readonly warns: boolean;
  /** Why the schedule works, one line. */
  readonly story: string;
}

const start = (task: TaskId, op: Operation): ScheduleEntry => ({ task, start: op });
const times = (task: TaskId, n: number): ScheduleEntry[] => Array<ScheduleEntry>(n).fill(task);
/** u1 GUPs f1:`offset` with no PTE there: the slow path's 8 steps up to DmaComplete. */
const pinBySlowGup = (offset = 0): ScheduleEntry[] => [start('u1', { file: 'f1', offset }), ...times('u1', 8)];
const truncate = { op: 'Truncate', file: 'f1', lo: 0 } as const;

const one = { files: ['f1'], offsets: 1, blocks: ['b1'], users: ['u1'], fsTasks: ['t1'], fsOps: ['Truncate'] } as const;

/** The reproductions, by variant switch. */
export const REPRODUCTIONS: Readonly<Record<BugName, Reproduction>> = {
  NoBreakLayouts: {
    config: { ...one, files: ['f1', 'f2'], blocks: ['b1', 'b2'], maxGups: 2, bugs: { NoBreakLayouts: true } },
    schedule: [
      ...pinBySlowGup(),
      start('t1', truncate), ...times('t1', 4), // FsLockMmap, DeleteEntries, FreeBlocks, FsUnlock
      'u1', // DmaComplete into the freed block
    ],
    expect: 'corruption',
    warns: true,
    story: 'truncate frees the pinned block without waiting; the DMA lands in a free block',
  },
  ScanBeforeUnmap: {
    config: { ...one, maxGups: 2, bugs: { ScanBeforeUnmap: true } },
    schedule: [
      ...pinBySlowGup(), 'u1', // a first DMA leaves a PTE behind
      start('t1', truncate), 't1', 't1', // FsLockMmap, BreakLayoutsScan: nothing busy yet
      start('u1', { file: 'f1', offset: 0 }), 'u1', 'u1', // GUP-fast: PTE still there, re-check passes
      ...times('t1', 4), // BreakLayoutsUnmap, DeleteEntries, FreeBlocks, FsUnlock
      'u1',
    ],
    expect: 'corruption',
    warns: true,
    story: 'the scan passes the page before the unmap; GUP-fast pins it behind the scan',
  },
  NoGupFastRecheck: {
    config: { ...one, maxGups: 2, bugs: { NoGupFastRecheck: true } },
    schedule: [
      ...pinBySlowGup(), 'u1',
      start('u1', { file: 'f1', offset: 0 }), // GupFastReadPte reads the PTE
      start('t1', truncate), ...times('t1', 6), // unmap, scan (no reference yet), delete, free
      'u1', 'u1', // GupFastGetRef on the freed page, GupFastRecheck keeps it
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
      start('t1', truncate), ...times('t1', 4), // FsLockMmap, unmap, scan finds b1 busy, wait: sleep
      'u1', // DmaComplete wakes t1
      ...pinBySlowGup(1), // while t1 has not relocked, u1 faults f1:1 in and pins b2
      ...times('t1', 5), // relock, wait (b1 idle: no restart), delete, free, unlock
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
      start('t1', truncate), ...times('t1', 4), // sleeps on b1
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
      start('t1', { op: 'CollapseRange', file: 'f1', lo: 0, hi: 0 }), ...times('t1', 4),
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
      start('t1', truncate), ...times('t1', 3), // FsLockMmap, unmap, scan skips the locked entry
      's1', // WritebackUnlockEntry lets DeleteEntries run
      ...times('t1', 3),
      'u1',
    ],
    expect: 'corruption',
    warns: true,
    story: 'the scan passes the locked entry unseen; its page is still pinned',
  },
};
