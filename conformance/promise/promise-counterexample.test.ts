// TLC's counterexamples of the refinement read in the promise's words: the step that maps to no
// abstract step and the guard it breaks (AbsSafety), the fairness condition a lasso violates
// (AbsFairness: an operation clear of pins that never takes effect, a pin that never ends).
import { describe, expect, it } from 'vitest';
import { checkOne, tlcUnavailableReason } from '../../lib/check/check.ts';
import { loadManifest, selectConfigs } from '../../lib/check/manifest.ts';
import { skipTitle } from '../../lib/skip-reason.ts';
import { explainRefinementCounterexample } from './promise-counterexample.ts';

const tlcMissing = tlcUnavailableReason();
const manifest = loadManifest();

async function explained(config: string): Promise<string[]> {
  const [c] = selectConfigs(manifest, [config]);
  const o = await checkOne(manifest, c!, 'tlc', { workers: 1 });
  expect(o.verdict).toBe(c!.expected);
  return explainRefinementCounterexample(config, o.result.counterexample!, o.verdict);
}

describe.skipIf(tlcMissing !== null)(skipTitle('TLC', tlcMissing), () => {
  it('NoBreakLayouts: FreeBlocks frees a pinned block, which Apply guards against', async () => {
    expect(await explained('refine-no-break-layouts')).toEqual([
      expect.stringMatching(
        /^step 14 \(FreeBlocks\) maps to no step of the promise: Apply\(t1\) needs InTheWay\(.*"Truncate".*\) = \{\}: \{u1\} pin blocks/,
      ),
    ]);
  }, 120_000);

  it('LostWakeup: the truncate is clear of pins for ever and never takes effect', async () => {
    expect(await explained('refine-lost-wakeup')).toEqual([
      expect.stringMatching(
        /^from state \d+ on, stuttering, t1's .*"Truncate".* is pending and Apply\(t1\) is enabled in 1 of 1 states, never taken: SF_vars\(Apply\(t1\)\) forbids it$/,
      ),
    ]);
  }, 120_000);

  it('LongtermPinAllowed: the pin never ends', async () => {
    expect(await explained('refine-longterm-pin')).toContainEqual(
      expect.stringMatching(/u1's pin <<f1, 0, b1>> never ends: WF_vars\(EndDma\(u1\)\) forbids it$/),
    );
  }, 120_000);
});
