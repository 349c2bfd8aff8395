// Regression test written by `dax-model replay-cex scan-skips-locked`: the implementation, with the same
// variant switch, follows the model checker's counterexample (scan-skips-locked.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { describe, expect, it } from 'vitest';
import { regressionFiles, readSavedCounterexample, reproduce } from '../counterexample-replay.ts';
import { specHash } from '../../tools/check/spec-hash.ts';
import { formatDivergence } from '../replay.ts';

const saved = readSavedCounterexample(regressionFiles("scan-skips-locked").data);

describe("scan-skips-locked counterexample", () => {
  it('was generated from the current spec and config', () => {
    expect(saved.specHash, `stale counterexample: regenerate with ${saved.regenerate}`).toBe(specHash(saved.config));
  });

  it(`reaches ${saved.expected} on the implementation`, () => {
    const r = reproduce(saved.config, saved.expected, saved.counterexample);
    expect(r.divergence ? formatDivergence(r.divergence).join('\n') : '').toBe('');
    expect(r.replayed).toBe(true);
    expect(r.reproduced, r.evidence.join('\n')).toBe(true);
  });
});
