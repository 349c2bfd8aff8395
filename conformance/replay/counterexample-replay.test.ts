// Counterexample replay works without TLC: the embedded engine's counterexample, whose steps it
// names only by task group, is relabelled with each action and its parameters and reproduced.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/paths.ts';
import { findCounterexample, regressionTestSource, reproduce } from './counterexample-replay.ts';
import { REPLAYABLE_ACTIONS } from './replay.ts';

describe('replaying an embedded-engine counterexample', () => {
  it.each(['scan-before-unmap', 'lost-wakeup'])(
    '%s: every step is named and the implementation reaches the violation',
    async (config) => {
      const { entry, result } = await findCounterexample(config, 'embedded');
      const steps = result.counterexample!.steps;
      expect(steps.slice(1).every((s) => s.action !== null && REPLAYABLE_ACTIONS.includes(s.action))).toBe(true);
      const r = reproduce(config, entry.expected, result.counterexample!);
      expect(r.replayed).toBe(true);
      expect(r.reproduced, r.evidence.join('\n')).toBe(true);
    },
    60_000,
  );
});

describe('the committed regression tests', () => {
  it('are each exactly what replay-cex writes, so that the formatter check passes after a rewrite', () => {
    const dir = path.join(REPO_ROOT, 'conformance/regressions');
    const tests = readdirSync(dir).filter((f) => f.endsWith('.test.ts'));
    expect(tests.length).toBeGreaterThan(0);
    for (const f of tests) expect(readFileSync(path.join(dir, f), 'utf8'), f).toBe(regressionTestSource(f.replace(/\.test\.ts$/, '')));
  });
});
