// A kernel version as a model configuration: its history config agrees with impl/releases.ts, a
// config that does not is refused naming both, the implementation is then built from the
// version's table, and the suite run as each version uses only that version's configs.
import { describe, expect, it } from 'vitest';
import { RELEASES } from '../../impl/index.ts';
import {
  asRelease,
  releaseConfigName,
  releaseConstants,
  ReleaseMismatchError,
  ReleaseScope,
  resolveRelease,
} from '../model/release-model.ts';
import { readModelConstants, systemConfigOf, systemForModel } from '../model/model.ts';
import { runConformance } from './suite.ts';

describe('a kernel version as a model configuration', () => {
  it.each(RELEASES.map((v) => [v.version, v] as const))(
    '%s: its history config has its Bugs, IdleRef and Features; the system is built from its table',
    (version, v) => {
      const c = releaseConstants(version);
      expect(c.config).toBe(releaseConfigName(version));
      expect(c.kernel).toBe(version);
      expect(systemConfigOf(c)).toMatchObject({ kernel: version });
      expect(systemConfigOf(c)).not.toHaveProperty('bugs');
      const sys = systemForModel(c);
      expect(sys.config.kernel).toBe(version);
      expect(sys.config.profile).toBe(v.profile);
      expect(sys.config.idleRef).toBe(v.idleRef);
      expect(
        Object.entries(sys.config.bugs)
          .filter(([, on]) => on)
          .map(([b]) => b)
          .sort(),
      ).toEqual([...v.bugs].sort());
    },
  );

  it('refuses a config whose constants are not the version: one line naming both and each constant that differs', () => {
    expect(() => asRelease(readModelConstants('smoke'), '6.15.y')).toThrow(
      new ReleaseMismatchError(
        'config smoke contradicts kernel 6.15.y: IdleRef 1 but 6.15.y has 0; Features {} but 6.15.y has {Design2025, Munmap}',
      ),
    );
    expect(() => asRelease(readModelConstants('history-4.18-xfs'), '4.19-xfs')).toThrow(
      /^config history-4\.18-xfs contradicts kernel 4\.19-xfs: Bugs \{EvictWithoutBreak, ReleasePagesMissesWake, RetryOnlyOnSleep, SkipScanWhenUnmapped\} but 4\.19-xfs has \{EvictWithoutBreak, ReleasePagesMissesWake, SkipScanWhenUnmapped\}$/,
    );
    expect(() => systemConfigOf(releaseConstants('4.18-ext4'), 'xfs')).toThrow(
      /profile xfs contradicts kernel 4\.18-ext4, whose profile is ext4/,
    );
    expect(() => resolveRelease('2.6')).toThrow(/unknown kernel version '2\.6' \(known: 4\.18-xfs, .*6\.15\.0, 6\.15\.y\)/);
    expect(() => resolveRelease('4.18-ext4', 'xfs')).toThrow(/profile xfs contradicts kernel 4\.18-ext4/);
  });

  it('a scope lists what it leaves out, once per kind of check, with the first reason', () => {
    const scope = new ReleaseScope(resolveRelease('6.15.y'));
    expect(scope.constants('smoke')).toBeNull();
    expect(scope.constants('history-6.15.y')).toMatchObject({ kernel: '6.15.y', idleRef: 0 });
    scope.skip('trace corpus', 'smoke', 'traces not replayed');
    scope.skip('trace corpus', 'smoke', 'traces not replayed');
    scope.skip('trace corpus', 'duo', 'traces not replayed');
    expect(scope.notApplicable()).toEqual([
      "trace corpus: 3 traces not replayed: their 2 configs are not kernel 6.15.y's (smoke: IdleRef 1 but 6.15.y has 0; Features {} but 6.15.y has {Design2025, Munmap})",
    ]);
    expect(() => scope.required('duo')).toThrow(ReleaseMismatchError);
  });
});

describe('the conformance suite run as each kernel version', () => {
  // 10 fast-check runs per version, against its history config's state graph (cached by spec
  // hash; built once, by TLC when found), plus the replay of its committed counterexample.
  it.each(RELEASES.map((v) => [v.version, v] as const))(
    '%s: no divergence; the corpus and the other configs are reported as not applicable',
    async (version, v) => {
      const r = await runConformance({ kernel: version, fastCheckRuns: 10, tlcBatch: false });
      expect(r.divergences.map((d) => d.message)).toEqual([]);
      expect(r.kernel).toBe(version);
      // Its own config first, with the runs asked for; then 25 runs on each small config whose
      // constants are the version's too (4.19-xfs's are 4.19-ext4's), all under its profile.
      expect(r.fastCheckSeeds[0]).toMatchObject({ config: `history-${version}`, profile: v.profile });
      expect(r.fastCheckSeeds.every((s) => s.profile === v.profile)).toBe(true);
      expect(r.fastCheckRuns).toBe(10 + 25 * (r.fastCheckSeeds.length - 1));
      expect(r.stateGraphs.map((g) => g.config)).toEqual([`history-${version}`]);
      expect(r.traces).toBe(0);
      expect(r.notApplicable.map((l) => l.split(':')[0])).toEqual(['trace corpus', 'small configs', 'committed counterexamples']);
      // Its own counterexample (6.15 holds: it has none) is replayed, on top of the executions.
      expect(r.steps).toBeGreaterThan(0);
    },
    300_000,
  );
});
