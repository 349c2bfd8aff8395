// The public API: configuration validation, typed rejections that leave the state unchanged,
// step records, runnable / startable, snapshots and schedulers.
import { describe, expect, it } from 'vitest';
import { BUG_NAMES, DaxModelError, type SystemConfig, createSystem, explicitSchedule, randomScheduler, roundRobin } from './index.ts';
import { stepUntil } from './testing.ts';

const cfg: SystemConfig = {
  files: ['f1', 'f2'],
  offsets: 2,
  blocks: ['b1', 'b2', 'b3', 'b4'],
  users: ['u1', 'u2'],
  fsTasks: ['t1', 't2'],
  syncers: ['s1', 's2'],
  maxGups: 3,
};

function rejects(code: string, f: () => unknown): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DaxModelError);
  expect((err as DaxModelError).code).toBe(code);
  expect((err as DaxModelError).message).not.toMatch(/\n/);
}

describe('configuration validation (the spec ASSUME)', () => {
  const cases: [string, Partial<SystemConfig>, RegExp][] = [
    ['fewer blocks than files x offsets', { blocks: ['b1', 'b2', 'b3'] }, /no ENOSPC path/],
    ['an unknown bug name', { bugs: { NoSuchBug: true } as never }, /unknown bug name 'NoSuchBug'/],
    ['no files', { files: [] }, /files must not be empty/],
    ['zero offsets', { offsets: 0 }, /NumOffsets/],
    ['a fractional offset count', { offsets: 1.5 }, /NumOffsets/],
    ['a duplicate block', { blocks: ['b1', 'b1', 'b2', 'b3', 'b4'] }, /duplicate id 'b1'/],
    ['an id in two sets', { users: ['u1', 't1'] }, /'t1' is used in both users and fsTasks/],
    ['the reserved None', { syncers: ['None'] }, /reserved/],
    ['a name that is not an identifier', { files: ['f 1', 'f2'] }, /not a model-value name/],
    ['an unknown fs operation', { fsOps: ['Zero' as never] }, /unknown operation 'Zero'/],
    ['a negative GUP budget', { maxGups: -1 }, /MaxGups/],
    ['IdleRef 2', { idleRef: 2 as never }, /IdleRef/],
    ['an unknown profile', { profile: 'btrfs' as never }, /profile/],
  ];
  for (const [what, patch, msg] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => createSystem({ ...cfg, ...patch })).toThrow(msg);
      rejects('config', () => createSystem({ ...cfg, ...patch }));
    });
  }

  it('fills in defaults: every switch off, all operations, IdleRef 1, XFS', () => {
    const c = createSystem({ files: ['f1'], offsets: 1, blocks: ['b1'] }).config;
    expect(c.bugs).toEqual(Object.fromEntries(BUG_NAMES.map((b) => [b, false])));
    expect([c.fsOps, c.idleRef, c.profile, c.users, c.syncers]).toEqual([['Truncate', 'PunchHole', 'CollapseRange'], 1, 'xfs', [], []]);
  });
});

describe('rejected calls leave the state unchanged', () => {
  /** u1 pinned f1:0 for DMA, t1 asleep waiting for it, u2 at FaultAllocBlock on f2:1, s1
   *  holding f1:0's entry locked for writeback. */
  function busy() {
    const sys = createSystem(cfg);
    sys.start('u1', { file: 'f1', offset: 0 });
    stepUntil(sys, 'u1', 'DmaComplete');
    sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
    stepUntil(sys, 't1', 'BreakLayoutsWait');
    sys.step('t1'); // asleep on b1
    sys.start('u2', { file: 'f2', offset: 1 });
    stepUntil(sys, 'u2', 'FaultAllocBlock');
    sys.start('s1', { file: 'f1', offset: 0 });
    return sys;
  }

  const calls: [string, string, (s: ReturnType<typeof busy>) => unknown][] = [
    ['an unknown task', 'unknown-task', (s) => s.step('u9')],
    ['starting on an unknown task', 'unknown-task', (s) => s.start('x', { file: 'f1', offset: 0 })],
    ['an unknown file', 'unknown-file', (s) => s.start('t2', { op: 'PunchHole', file: 'f9', lo: 0, hi: 0 })],
    ['an offset out of range', 'bad-offset', (s) => s.start('t2', { op: 'PunchHole', file: 'f2', lo: 0, hi: 2 })],
    ['an operation not in FsOps', 'bad-op', (s) => s.start('t2', { op: 'Zero' as never, file: 'f2', lo: 0 })],
    ['lo > hi', 'bad-op', (s) => s.start('t2', { op: 'PunchHole', file: 'f2', lo: 1, hi: 0 })],
    ['a collapse reaching EOF', 'bad-op', (s) => s.start('t2', { op: 'CollapseRange', file: 'f2', lo: 0, hi: 1 })],
    ['a truncate with a hi other than the last offset', 'bad-op', (s) => s.start('t2', { op: 'Truncate', file: 'f2', lo: 0, hi: 0 })],
    ['a user operation given to a file-system task', 'bad-op', (s) => s.start('t2', { file: 'f2', offset: 0 })],
    ['starting on a busy task', 'task-busy', (s) => s.start('u2', { file: 'f1', offset: 0 })],
    ['stepping an idle task', 'task-idle', (s) => s.step('t2')],
    ['stepping a sleeping task', 'task-sleeping', (s) => s.step('t1')],
    ['starting while the I/O lock is held', 'not-enabled', (s) => s.start('t2', { op: 'Truncate', file: 'f1', lo: 1 })],
    ['writing back an entry that is locked', 'not-enabled', (s) => s.start('s2', { file: 'f1', offset: 0 })],
    ['a block choice on a step that takes none', 'bad-choice', (s) => s.step('u1', { block: 'b3' })],
    ['a block that is not free', 'bad-choice', (s) => s.step('u2', { block: 'b1' })],
    ['an unknown block', 'bad-choice', (s) => s.step('u2', { block: 'b9' })],
    ['an unknown choice field', 'bad-choice', (s) => s.step('u2', { page: 'b3' } as never)],
  ];
  for (const [what, code, call] of calls) {
    it(`rejects ${what} with ${code}`, () => {
      const sys = busy();
      const before = sys.snapshot();
      const events = sys.events();
      rejects(code, () => call(sys));
      expect(sys.snapshot()).toEqual(before);
      expect(sys.events()).toEqual(events);
    });
  }

  it('rejects stepping a blocked task, naming what it waits for', () => {
    const sys = createSystem(cfg);
    sys.start('t1', { op: 'PunchHole', file: 'f1', lo: 0, hi: 0 });
    sys.step('t1');
    sys.start('u1', { file: 'f1', offset: 0 });
    const before = sys.snapshot();
    expect(() => sys.step('u1')).toThrow("u1 is blocked at FaultLockShared: waiting for f1's mmap lock (held exclusive by t1)");
    expect(sys.snapshot()).toEqual(before);
  });

  it('rejects a GUP once the budget is spent, and writeback of a hole', () => {
    const sys = createSystem({ ...cfg, maxGups: 0 });
    const before = sys.snapshot();
    rejects('not-enabled', () => sys.start('u1', { file: 'f1', offset: 0 }));
    rejects('not-enabled', () => sys.start('s1', { file: 'f1', offset: 0 }));
    expect(sys.snapshot()).toEqual(before);
  });
});

describe('the step API', () => {
  it('returns step records with the spec parameters', () => {
    const sys = createSystem(cfg);
    expect(sys.start('u1', { file: 'f2', offset: 1 })).toEqual({
      index: 0,
      task: 'u1',
      label: 'GupFastReadPte',
      params: { u: 'u1', f: 'f2', o: 1 },
    });
    expect(sys.step('u1')).toEqual({ index: 1, task: 'u1', label: 'FaultLockShared', params: { u: 'u1' } });
    sys.step('u1');
    expect(sys.step('u1')).toEqual({ index: 3, task: 'u1', label: 'FaultAllocBlock', params: { u: 'u1' }, choice: { block: 'b1' } });
    expect(sys.start('t1', { op: 'Truncate', file: 'f1', lo: 1 })).toEqual({
      index: 4,
      task: 't1',
      label: 'FsLockIo',
      params: { t: 't1', op: { op: 'Truncate', file: 'f1', lo: 1, hi: 1 } },
    });
    stepUntil(sys, 'u1', null);
    expect(sys.start('s1', { file: 'f2', offset: 1 }).params).toEqual({ s: 's1', f: 'f2', o: 1 });
  });

  it('lists the runnable tasks with their next labels, and what could start', () => {
    const sys = createSystem({ ...cfg, fsOps: ['Truncate', 'CollapseRange'] });
    expect(sys.runnable()).toEqual([]);
    const starts = sys.startable();
    expect(starts.filter((s) => s.task === 'u1')).toHaveLength(4);
    // Truncate lo in {0, 1}; collapse only 0..0 (it may not reach the last offset); per file.
    expect(starts.filter((s) => s.task === 't1').map((s) => s.params)).toEqual([
      { t: 't1', op: { op: 'Truncate', file: 'f1', lo: 0, hi: 1 } },
      { t: 't1', op: { op: 'Truncate', file: 'f1', lo: 1, hi: 1 } },
      { t: 't1', op: { op: 'CollapseRange', file: 'f1', lo: 0, hi: 0 } },
      { t: 't1', op: { op: 'Truncate', file: 'f2', lo: 0, hi: 1 } },
      { t: 't1', op: { op: 'Truncate', file: 'f2', lo: 1, hi: 1 } },
      { t: 't1', op: { op: 'CollapseRange', file: 'f2', lo: 0, hi: 0 } },
    ]);
    expect(starts.filter((s) => s.task === 's1' || s.task === 's2')).toEqual([]);
    sys.start('t1', { op: 'Truncate', file: 'f1', lo: 0 });
    expect(sys.runnable()).toEqual([{ task: 't1', label: 'FsLockMmap' }]);
    expect(sys.startable('t2').every((s) => (s.params as { op: { file: string } }).op.file === 'f2')).toBe(true);
  });

  it('hands out a deep-frozen snapshot', () => {
    const s = createSystem(cfg).snapshot();
    expect(Object.isFrozen(s.files.f1!.extents)).toBe(true);
    expect(() => {
      (s.free as string[]).push('x');
    }).toThrow();
  });

  it('is deterministic: the same seed gives the same run', () => {
    const run = (seed: number) => createSystem(cfg).runToCompletion(randomScheduler(seed, { starts: 30 }), { maxSteps: 2000 }).trace;
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('plays an explicit schedule, and stops when it ends', () => {
    const sys = createSystem(cfg);
    const r = sys.runToCompletion(explicitSchedule([{ task: 'u1', start: { file: 'f1', offset: 0 } }, 'u1', { task: 'u1' }]));
    expect([r.outcome, r.steps, r.trace.map((x) => x.label)]).toEqual([
      'stopped',
      3,
      ['GupFastReadPte', 'FaultLockShared', 'FaultGrabEntry'],
    ]);
    expect(sys.runToCompletion(roundRobin()).outcome).toBe('quiescent');
  });

  it('round-robin gives each runnable task its turn in order', () => {
    const sys = createSystem(cfg);
    sys.start('u1', { file: 'f1', offset: 0 });
    sys.start('u2', { file: 'f1', offset: 1 });
    sys.start('t2', { op: 'PunchHole', file: 'f2', lo: 1, hi: 1 });
    const r = sys.runToCompletion(roundRobin(), { maxSteps: 6 });
    expect(r.trace.map((x) => x.task)).toEqual(['u1', 'u2', 't2', 'u1', 'u2', 't2']);
  });
});
