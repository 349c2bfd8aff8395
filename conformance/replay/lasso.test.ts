// A lasso's closing step is checked: a stuttering end and a last state equal to the loop's target
// close by themselves; otherwise the implementation is driven from the last state and must step
// back to the target (a corpus trace whose step 22 returns to state 12 makes a real loop); a loop
// index the implementation cannot return to is found out.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFile, specFile, loadManifest } from '../../lib/check/manifest.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { checkLoopClosure } from './lasso.ts';
import { readModelConstants } from '../model/model.ts';
import { replayTrace } from './replay.ts';
import { loadTraceSchema, readTraceFile } from '../trace-formats/index.ts';
import type { TlaValue } from '../../lib/values/value.ts';

const constants = readModelConstants('smoke');
const schema = loadTraceSchema({ specFile: specFile(loadManifest()), configFile: configFile('smoke') });
// States 1..26; state 22 (after FsUnlock) is state 12 again (random-009 since the 2025 corpus regeneration; a
// regenerated corpus may need another trace of that shape: the first test says so).
const { steps } = readTraceFile(path.join(REPO_ROOT, 'conformance/traces/smoke/random-009.itf.json'), schema);

describe('the closing step of a lasso', () => {
  it('the corpus trace has the loop this test relies on', () => {
    expect(steps[21]!.action).toBe('FsUnlock');
    expect(replayTrace(steps.slice(0, 21), constants).ok).toBe(true);
  });

  it('drives the implementation from the last state back to the loop state (TLC shape: no state repeated)', () => {
    const r = checkLoopClosure(steps.slice(0, 21), { loopsBackTo: 12 }, constants);
    expect(r).toEqual({ closes: true, how: expect.stringMatching(/^the loop closes: FsUnlock\(t=t\d\) from state 21 reaches state 12$/) });
  });

  it("uses the trace's own closing action when the format names it", () => {
    const loopAction = { action: 'FsUnlock', params: steps[21]!.params as Record<string, TlaValue> };
    expect(checkLoopClosure(steps.slice(0, 21), { loopsBackTo: 12, loopAction }, constants, { profile: 'ext4' }).closes).toBe(true);
    const wrong = { action: 'FsUnlock', params: { t: { '#model': 'nobody' } } };
    expect(checkLoopClosure(steps.slice(0, 21), { loopsBackTo: 12, loopAction: wrong }, constants)).toEqual({
      closes: false,
      why: "the implementation has no step from the last state (21) back to state 12 (tried the trace's closing action FsUnlock(t=nobody))",
    });
  });

  it('a last state equal to the loop state closes by itself (Apalache shape), a stuttering end too', () => {
    expect(checkLoopClosure(steps.slice(0, 22), { loopsBackTo: 12 }, constants)).toEqual({
      closes: true,
      how: 'the loop closes: state 22 equals state 12',
    });
    expect(checkLoopClosure(steps.slice(0, 22), { loopsBackTo: 22 }, constants)).toEqual({
      closes: true,
      how: 'the behaviour stutters in its last state (22)',
    });
  });

  it('a loop state no step reaches is refused', () => {
    const r = checkLoopClosure(steps.slice(0, 21), { loopsBackTo: 5 }, constants);
    expect(r.closes).toBe(false);
    expect(r).toMatchObject({
      why: expect.stringMatching(
        /^the implementation has no step from the last state \(21\) back to state 5 \(tried \d+ steps? it can take\)$/,
      ),
    });
  });
});
