// DAX entries (lock, insert/associate, delete/disassociate and their WARNs), writeback, the busy
// scan of dax_layout_busy_page, and the DAX fault's allocation.
import { describe, expect, it } from 'vitest';
import { createSystem } from '../index.ts';
import { settle } from '../kernel/sched.ts';
import { PFN_BASE, pinGrabbedPage, tryGrabPage } from '../mm/page.ts';
import { Driver, fsTask, stepUntil, syncTask, testMachine, userTask } from '../testing.ts';
import {
  daxDeleteMappingEntry,
  daxInsertEntry,
  daxIsEmptyEntry,
  daxLayoutBusyPage,
  daxToPfn,
  daxUnlockEntry,
  daxWritebackOne,
  grabMappingEntry,
} from './dax.ts';
import { DAX_EMPTY, DAX_LOCKED, daxIsLocked } from './inode.ts';

describe('DAX entries', () => {
  it('grab_mapping_entry locks an empty entry into a hole, and a second grab waits for the unlock', () => {
    const { inode } = testMachine();
    const mapping = inode('f1').mapping;
    const [a, b] = [userTask('u1'), userTask('u2')];
    const all = [a, b];
    const da = new Driver(a, grabMappingEntry(mapping, 0), all);
    da.step();
    expect(daxIsEmptyEntry(mapping.xa[0]!) && daxIsLocked(mapping.xa[0]!)).toBe(true);
    new Driver(b, grabMappingEntry(mapping, 0), all);
    expect(b.state).toBe('blocked');
    expect(mapping.entryWait[0]!.ids()).toEqual(['u2']);
    daxUnlockEntry(mapping, 0);
    settle(all);
    expect(b.state).toBe('running');
  });

  it('dax_insert_entry stores the pfn and associates the page, keeping an entry that holds one', () => {
    const { k, inode } = testMachine();
    const mapping = inode('f1').mapping;
    const pfn = PFN_BASE + 2;
    const e = daxInsertEntry(k, mapping, 1, DAX_LOCKED | DAX_EMPTY, pfn);
    expect(daxToPfn(e)).toBe(pfn);
    expect(k.pgmap.pages[2]).toMatchObject({ mapping, index: 1 });
    expect(daxInsertEntry(k, mapping, 1, e, PFN_BASE + 3)).toBe(e);
    expect(k.pgmap.pages[3]!.mapping).toBeNull();
    expect(k.log.events).toEqual([]);
  });

  it('dax_associate_entry WARNs when the page is already associated', () => {
    const { k, inode } = testMachine();
    daxInsertEntry(k, inode('f1').mapping, 0, DAX_LOCKED | DAX_EMPTY, PFN_BASE);
    daxInsertEntry(k, inode('f2').mapping, 0, DAX_LOCKED | DAX_EMPTY, PFN_BASE);
    expect(k.log.events).toMatchObject([{ kind: 'warn', warn: 'associate-twice', block: 'b1', file: 'f2', offset: 0 }]);
  });

  it('dax_delete_mapping_entry disassociates the page and WARNs only if it is pinned, not merely referenced', () => {
    const { k, inode } = testMachine();
    const mapping = inode('f1').mapping;
    for (const o of [0, 1]) {
      daxInsertEntry(k, mapping, o, DAX_LOCKED | DAX_EMPTY, PFN_BASE + o);
      daxUnlockEntry(mapping, o);
    }
    const [p0, p1] = [k.pgmap.pages[0]!, k.pgmap.pages[1]!];
    tryGrabPage(p0); // GUP-fast's speculative reference, before its re-check
    tryGrabPage(p1);
    pinGrabbedPage(p1);
    daxDeleteMappingEntry(k, mapping, 0);
    daxDeleteMappingEntry(k, mapping, 1);
    expect([mapping.xa[0], mapping.xa[1], p0.mapping, p1.mapping]).toEqual([0, 0, null, null]);
    expect(k.log.events).toMatchObject([{ warn: 'disassociate-pinned', block: 'b2', file: 'f1', offset: 1 }]);
  });

  it('dax_writeback_one locks the entry without any inode lock and unlocks it, waking waiters', () => {
    const { k, inode } = testMachine();
    const mapping = inode('f1').mapping;
    daxInsertEntry(k, mapping, 0, DAX_LOCKED | DAX_EMPTY, PFN_BASE);
    daxUnlockEntry(mapping, 0);
    const s = syncTask();
    const u = userTask();
    const d = new Driver(s, daxWritebackOne(s, mapping, 0), [s, u]);
    d.step();
    expect(s.locals.target).toMatchObject({ offset: 0 });
    expect(daxIsLocked(mapping.xa[0]!)).toBe(true);
    new Driver(u, grabMappingEntry(mapping, 0), [s, u]);
    expect(u.state).toBe('blocked');
    d.step();
    expect([daxIsLocked(mapping.xa[0]!), s.locals.target, u.state]).toEqual([false, null, 'running']);
  });
});

describe('dax_layout_busy_page', () => {
  /** f1 with offsets 0 and 1 faulted in by u1 (and a PTE each); returns the machine. */
  function populated(bugs = {}) {
    const m = testMachine({ files: ['f1'], offsets: 2, blocks: ['b1', 'b2'], bugs });
    const mapping = m.inode('f1').mapping;
    for (const o of [0, 1]) {
      daxInsertEntry(m.k, mapping, o, DAX_LOCKED | DAX_EMPTY, PFN_BASE + o);
      daxUnlockEntry(mapping, o);
      m.vma('f1').ptes[o] = PFN_BASE + o;
    }
    return m;
  }

  it('unmaps every user mapping before scanning, then returns null when nothing is busy', () => {
    const m = populated();
    const t = fsTask();
    const d = new Driver(t, daxLayoutBusyPage(m.k, t, m.inode('f1').mapping));
    expect(d.step()).toBe('BreakLayoutsUnmap');
    expect([...m.vma('f1').ptes]).toEqual([0, 0]);
    expect(d.until(null)).toEqual(['BreakLayoutsScan', 'BreakLayoutsScan']);
    expect(d.result).toBeNull();
    expect(t.locals.scanIndex).toBe(1);
  });

  it('returns the first page whose refcount is above idle, with the cursor on it', () => {
    const m = populated();
    tryGrabPage(m.k.pgmap.pages[1]!);
    const t = fsTask();
    const d = new Driver(t, daxLayoutBusyPage(m.k, t, m.inode('f1').mapping));
    d.until(null);
    expect(d.result).toBe(m.k.pgmap.pages[1]);
    expect(t.locals.scanIndex).toBe(1);
  });

  it('waits on a locked entry rather than skip it (writeback locks entries without inode locks)', () => {
    const m = populated();
    const mapping = m.inode('f1').mapping;
    tryGrabPage(m.k.pgmap.pages[0]!);
    mapping.xa[0]! |= DAX_LOCKED;
    const t = fsTask();
    const d = new Driver(t, daxLayoutBusyPage(m.k, t, mapping));
    d.step();
    expect([t.state, d.next]).toEqual(['blocked', 'BreakLayoutsScan']);
    daxUnlockEntry(mapping, 0);
    settle([t]);
    d.until(null);
    expect(d.result).toBe(m.k.pgmap.pages[0]);
  });

  it('with ScanSkipsLocked passes a locked entry by and misses its busy page', () => {
    const m = populated({ ScanSkipsLocked: true });
    const mapping = m.inode('f1').mapping;
    tryGrabPage(m.k.pgmap.pages[0]!);
    mapping.xa[0]! |= DAX_LOCKED;
    const t = fsTask();
    const d = new Driver(t, daxLayoutBusyPage(m.k, t, mapping));
    d.until(null);
    expect(d.result).toBeNull();
  });

  it('with ScanBeforeUnmap scans first and unmaps only after a clean scan', () => {
    const m = populated({ ScanBeforeUnmap: true });
    const t = fsTask();
    const d = new Driver(t, daxLayoutBusyPage(m.k, t, m.inode('f1').mapping));
    expect(d.until(null)).toEqual(['BreakLayoutsScan', 'BreakLayoutsScan', 'BreakLayoutsUnmap']);
    expect(t.locals.scanIndex).toBe(0);
  });
});

describe('the DAX fault', () => {
  it('allocates for a hole, taking the chosen free block', () => {
    const sys = createSystem({ files: ['f1'], offsets: 1, blocks: ['b1', 'b2'], users: ['u1'], fsTasks: ['t1'] });
    sys.start('u1', { file: 'f1', offset: 0 });
    stepUntil(sys, 'u1', 'FaultAllocBlock');
    expect(sys.choices('u1')).toEqual(['b1', 'b2']);
    expect(sys.step('u1', { block: 'b2' }).choice).toEqual({ block: 'b2' });
    stepUntil(sys, 'u1', null);
    const s = sys.snapshot();
    expect(s.files.f1!.extents).toEqual(['b2']);
    expect(s.files.f1!.entries[0]).toMatchObject({ pfn: 'b2', locked: false });
    expect(s.free).toEqual(['b1']);
  });

  it('refaults an offset whose PTE was zapped but whose entry remains: no allocation, entry kept', () => {
    const sys = createSystem({ files: ['f1'], offsets: 2, blocks: ['b1', 'b2'], users: ['u1'], fsTasks: ['t1'] });
    sys.start('u1', { file: 'f1', offset: 0 });
    stepUntil(sys, 'u1', null);
    sys.start('t1', { op: 'PunchHole', file: 'f1', lo: 1, hi: 1 });
    stepUntil(sys, 't1', null); // the unmap zapped every PTE of f1; only offset 1's entry went
    expect(sys.snapshot().ptes.f1).toEqual([null, null]);
    sys.start('u1', { file: 'f1', offset: 0 });
    stepUntil(sys, 'u1', 'FaultAllocBlock');
    expect(sys.choices('u1')).toEqual([]);
    expect(() => sys.step('u1', { block: 'b2' })).toThrow(/already mapped to b1/);
    const rec = sys.step('u1');
    expect(rec.choice).toBeUndefined();
    sys.step('u1'); // FaultInsertEntry keeps the entry
    const s = sys.snapshot();
    expect(s.files.f1!.entries[0]).toMatchObject({ pfn: 'b1', locked: true });
    expect(s.pages.b1!.mapping).toEqual({ file: 'f1', index: 0 });
    expect(s.free).toEqual(['b2']);
    expect(sys.events()).toEqual([]);
  });
});
