// The implementation's kernel-version table (impl/kernels.ts) is the manifest's "history" table
// (spec/models/manifest.json): the same versions, bugs, idle refcount and trunc WARN, and each
// row's history-<version>.cfg has those constants.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNEL_VERSIONS } from '../../impl/index.ts';
import { MODELS_DIR } from '../../lib/check/manifest.ts';
import { readModelConstants } from './model.ts';

interface HistoryRow {
  version: string;
  config: string;
  bugs: string[];
  features: { IdleRef: 0 | 1; TruncWarn: boolean };
}

const history = (JSON.parse(readFileSync(path.join(MODELS_DIR, 'manifest.json'), 'utf8')) as { history: HistoryRow[] }).history;

describe("impl/kernels.ts against the manifest's history table", () => {
  it('has the same versions, in the same order', () => {
    expect(KERNEL_VERSIONS.map((v) => v.version)).toEqual(history.map((r) => r.version));
  });

  it.each(history.map((r) => [r.version, r] as const))('%s: same bugs, idle refcount, trunc WARN and config constants', (version, row) => {
    const v = KERNEL_VERSIONS.find((x) => x.version === version)!;
    expect([...v.bugs].sort()).toEqual([...row.bugs].sort());
    expect(v.idleRef).toBe(row.features.IdleRef);
    expect(v.features.includes('TruncWarn')).toBe(row.features.TruncWarn);
    expect(v.profile).toBe(version.endsWith('-ext4') ? 'ext4' : 'xfs');
    const c = readModelConstants(row.config);
    expect([...c.bugs].sort()).toEqual([...row.bugs].sort());
    expect(c.idleRef).toBe(v.idleRef);
    expect([...c.features].sort()).toEqual([...v.features].sort());
  });
});
