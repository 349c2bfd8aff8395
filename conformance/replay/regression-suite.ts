// The body of every generated regression test (conformance/regressions/<config>.test.ts): the
// implementation, with the config's variant switch, follows the committed counterexample step by
// step and reaches the same violation; a counterexample from an older spec is reported as stale.
import { describe, expect, it } from 'vitest';
import { specHash } from '../../lib/check/spec-hash.ts';
import { readSavedCounterexample, regressionFiles, reproduce } from './counterexample-replay.ts';
import { formatDivergence } from './replay.ts';

/** Declares the regression tests of one config's saved counterexample. */
export function counterexampleRegression(config: string): void {
  const saved = readSavedCounterexample(regressionFiles(config).data);
  describe(`${config} counterexample`, () => {
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
}
