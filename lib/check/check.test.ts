// The spec's configurations reach the verdicts the manifest expects, with the embedded engine
// always (CI has no TLC) and with real TLC when the jar is found; both engines count the same
// distinct states on smoke.
import { describe, expect, it } from 'vitest';
import { checkOne, tlcUnavailableReason } from './check.ts';
import { skipTitle } from '../skip-reason.ts';
import { loadManifest, selectConfigs } from './manifest.ts';

const manifest = loadManifest();
const embeddedConfigs = manifest.configs.filter((c) => c.engines.includes('embedded'));
const tlcMissing = tlcUnavailableReason();

/** The embedded engine's outcome on a config, run once for this file: its verdict test and the
 *  state-count comparison with TLC read the same run (each is ~30-40 s of the suite's time). */
const embeddedRuns = new Map<string, ReturnType<typeof checkOne>>();
function embeddedOutcome(c: (typeof manifest.configs)[number]): ReturnType<typeof checkOne> {
  let run = embeddedRuns.get(c.name);
  if (run === undefined) embeddedRuns.set(c.name, (run = checkOne(manifest, c, 'embedded')));
  return run;
}

describe('manifest', () => {
  it('has smoke, standard, large-or-liveness and one config per variant switch', () => {
    const names = manifest.configs.map((c) => c.name);
    expect(names).toContain('smoke');
    expect(names).toContain('standard');
    const variants = new Set(manifest.configs.flatMap((c) => (c.variant ? [c.variant] : [])));
    expect([...variants].sort()).toEqual([
      'CollapseSkipsBreak',
      'DeleteWaitSkipsEntry',
      'EvictWithoutBreak',
      'LongtermPinAllowed',
      'LostWakeup',
      'NoBreakLayouts',
      'NoGupFastRecheck',
      'NoRestartAfterWait',
      'ReleasePagesMissesWake',
      'RetryOnlyOnSleep',
      'ScanBeforeUnmap',
      'ScanSkipsLocked',
      'SkipScanWhenUnmapped',
      'UnpinMissesWake',
      'WaitSkipsEntry',
    ]);
  });

  it('rejects an unknown config name, naming the known ones', () => {
    expect(() => selectConfigs(manifest, ['no-such-config'])).toThrow(/unknown config 'no-such-config' \(known: smoke/);
  });
});

describe('embedded engine', () => {
  it.each(embeddedConfigs.map((c) => [c.name, c] as const))(
    '%s reaches its expected verdict',
    async (_name, c) => {
      const o = await embeddedOutcome(c);
      expect(o.result.error).toBeUndefined();
      expect(o.verdict).toBe(c.expected);
      expect(o.distinctStates).toBeGreaterThan(0);
      if (c.expected !== 'holds') expect(o.result.counterexample?.steps.length).toBeGreaterThan(1);
    },
    120_000,
  );
});

describe.skipIf(tlcMissing !== null)(skipTitle('TLC', tlcMissing), () => {
  it.each(embeddedConfigs.filter((c) => c.expected !== 'holds').map((c) => [c.name, c] as const))(
    '%s is refuted by the property its manifest names',
    async (_name, c) => {
      const o = await checkOne(manifest, c, 'tlc', { workers: 1 });
      expect(o.verdict).toBe(c.expected);
      const last = o.result.counterexample!.steps.at(-1)!;
      expect(last.state).toHaveProperty('fpc');
    },
    60_000,
  );

  // The configs both engines check, without symmetry (whose reductions differ between them).
  it.each(['smoke', 'rich'])(
    'counts the same distinct states on %s as the embedded engine',
    async (name) => {
      const config = selectConfigs(manifest, [name])[0]!;
      const [tlc, emb] = [await checkOne(manifest, config, 'tlc', { workers: 2 }), await embeddedOutcome(config)];
      expect(tlc.verdict).toBe('holds');
      expect(emb.verdict).toBe('holds');
      expect(tlc.distinctStates).toBe(emb.distinctStates);
    },
    180_000,
  );
});
