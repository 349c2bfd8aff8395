// The one judge of "nothing can move while a task waits": a fresh system can move; the committed
// lost-wakeup counterexample, replayed, ends where nothing can and the file-system task waits.
import { describe, expect, it } from 'vitest';
import { readSavedCounterexample, regressionFiles } from '../replay/counterexample-replay.ts';
import { replayTrace } from '../replay/replay.ts';
import { readModelConstants, systemForModel } from './model.ts';
import { canMove, isTemporal, waitingText, waitsForEver } from './waits-for-ever.ts';

describe('waitsForEver', () => {
  it('a fresh system can move, so it waits for nothing', () => {
    const sys = systemForModel(readModelConstants('smoke'));
    expect(canMove(sys)).toBe(true);
    expect(waitsForEver(sys, 'deadlock')).toEqual({ stuck: false, waiting: [], forEver: false });
  });

  it("lost-wakeup's counterexample ends stuck with the file-system task waiting", () => {
    const saved = readSavedCounterexample(regressionFiles('lost-wakeup').data);
    const r = replayTrace(saved.counterexample.steps, readModelConstants('lost-wakeup'));
    expect(r.ok, JSON.stringify(r.divergence)).toBe(true);
    const deadlock = waitsForEver(r.system, 'deadlock');
    expect(deadlock.stuck).toBe(true);
    expect(deadlock.forEver).toBe(true);
    expect(deadlock.waiting.map((t) => t.kind)).toContain('fs');
    // The same state refutes FsOpCompletes (its fs task waits), not FaultProceeds (no user waits
    // before FaultLockShared).
    const fsOp = waitsForEver(r.system, 'FsOpCompletes');
    expect(fsOp.forEver).toBe(true);
    expect(fsOp.waiting.map(waitingText).join()).toMatch(/^t\d+ \w+ before \w+/);
    expect(waitsForEver(r.system, 'FaultProceeds').forEver).toBe(false);
    expect([isTemporal('FsOpCompletes'), isTemporal('deadlock')]).toEqual([true, false]);
  });
});
