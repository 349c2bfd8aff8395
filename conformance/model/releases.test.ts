// The implementation's kernel-version table (impl/releases.ts) against the manifest's "history"
// table (spec/models/manifest.json): the same versions, and each row's history-<version>.cfg has
// the implementation's bugs (the bug set is written in the cfg and in impl/releases.ts only; the
// manifest's reader takes it from the cfg), idle refcount and features.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RELEASES } from '../../impl/index.ts';
import { cfgBugs, loadHistory } from '../../lib/check/history-table.ts';
import { configFile, loadManifest } from '../../lib/check/manifest.ts';
import { readModelConstants } from './model.ts';

const history = loadHistory(loadManifest());

describe("impl/releases.ts against the manifest's history table", () => {
  it('has the same versions, in the same order', () => {
    expect(RELEASES.map((v) => v.version)).toEqual(history.map((r) => r.version));
  });

  it.each(history.map((r) => [r.version, r] as const))("%s: the cfg's Bugs, idle refcount, trunc WARN and constants", (version, row) => {
    const v = RELEASES.find((x) => x.version === version)!;
    // The cfg's Bugs as written (its text), and as the harness reads its constants.
    expect([...v.bugs].sort()).toEqual(cfgBugs(readFileSync(configFile(row.config), 'utf8')).sort());
    const c = readModelConstants(row.config);
    expect([...c.bugs].sort()).toEqual([...v.bugs].sort());
    expect(v.idleRef).toBe(row.features.IdleRef);
    expect(v.features.includes('TruncWarn')).toBe(row.features.TruncWarn);
    expect(v.profile).toBe(version.endsWith('-ext4') ? 'ext4' : version.endsWith('-ext2') ? 'ext2' : 'xfs');
    expect(c.idleRef).toBe(v.idleRef);
    expect([...c.features].sort()).toEqual([...v.features].sort());
  });
});
