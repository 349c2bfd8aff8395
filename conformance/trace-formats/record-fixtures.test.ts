// The reader fixtures are real TLC output of the spec as it is now: the manifest names the TLC
// version and the spec hash each was recorded from, and a changed spec makes this test name the
// command that records them again.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { currentFixtureHashes, FIXTURES_MANIFEST, type FixturesManifest, RECORD_FIXTURES_COMMAND } from './record-fixtures.ts';
import { fixture } from './test-support.ts';

const manifest = JSON.parse(readFileSync(FIXTURES_MANIFEST, 'utf8')) as FixturesManifest;

describe('reader fixtures', () => {
  it('record the TLC version that wrote them, which their own text names', () => {
    expect(manifest.engineVersion).toMatch(/^TLC2 Version /);
    expect(fixture('no-gup-fast-recheck.stdout.txt')).toContain(manifest.engineVersion);
  });

  it('are recorded from the current spec and configs', () => {
    const now = currentFixtureHashes();
    expect(manifest.fixtures.map((f) => f.file).sort()).toEqual([...now.keys()].sort());
    const stale = manifest.fixtures.filter((f) => now.get(f.file) !== f.specHash).map((f) => f.file);
    expect(stale, `stale fixtures (the spec or a config changed): run \`${RECORD_FIXTURES_COMMAND}\` with TLC`).toEqual([]);
  });
});
