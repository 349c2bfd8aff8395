// fast-check finds every historical kernel bug as TLC does: within 1,000 runs of the project's
// seed, an execution of the implementation with the switch on shows the violation TLC reports
// (not a divergence, not another property), shrunk to at most 2 steps more than TLC's shortest
// counterexample. Builds the variant graphs with TLC when present, else the embedded engine.
import { describe, expect, it } from 'vitest';
import { tlcUnavailableReason } from '../../lib/check/check.ts';
import { skipTitle } from '../../lib/skip-reason.ts';
import { loadHistory } from '../../lib/check/history-table.ts';
import { loadManifest } from '../../lib/check/manifest.ts';
import { DEFAULT_SEED } from './suite.ts';
import { findVariantBug, variantConfigs } from './variant-finding.ts';

/** The switches some kernel release shipped (manifest history), each with its variant config. */
const historicalBugs = new Set(loadHistory(loadManifest()).flatMap((h) => h.bugs));
const historical = variantConfigs().filter((v) => historicalBugs.has(v.variant) && v.name !== 'zero-range-skips-break');
/** Without TLC, a config the manifest keeps off the embedded engine (its graph takes the engine
 *  about a minute to build) is left out, as TLC-only checks are. */
const tlcMissing = tlcUnavailableReason();
const tlcOnly = new Set(
  loadManifest()
    .configs.filter((c) => !c.engines.includes('embedded'))
    .map((c) => c.name),
);

describe("fast-check finds each historical switch's violation", () => {
  it('the manifest names the historical switches', () => {
    expect(historical.map((v) => v.variant).sort()).toEqual([
      'EvictWithoutBreak',
      'NoBreakLayouts',
      'ReleasePagesMissesWake',
      'RetryOnlyOnSleep',
      'ScanSkipsLocked',
      'SkipScanWhenUnmapped',
      'UnpinMissesWake',
      'WaitSkipsEntry',
    ]);
  });

  for (const { variant, name: config } of historical) {
    const skip = tlcMissing !== null && tlcOnly.has(config);
    it.skipIf(skip)(
      skipTitle(`${variant} (${config}): within 1,000 runs, at most TLC + 2 steps`, skip ? tlcMissing : null),
      async () => {
        const [r] = await findVariantBug(config, { seeds: [DEFAULT_SEED], runs: 1000 });
        const f = r!.failure;
        expect(f, `${config}: ${r!.expected} not found in ${r!.runs} runs`).toBeDefined();
        expect(f!.isExpected, `${config}: failed ${f!.check}: ${f!.message}`).toBe(true);
        expect(f!.runsToFind).toBeLessThanOrEqual(1000);
        expect(f!.length).toBeLessThanOrEqual(r!.tlcLength + 2);
      },
      60_000,
    );
  }
});
