// Which profiles the conformance suite checks each config under (release-model.ts suiteProfiles):
// once per config, ext4 where the config is an ext4 kernel's, never a profile lacking a switch.
import { describe, expect, it } from 'vitest';
import { suiteProfiles } from '../model/release-model.ts';
import { readModelConstants } from '../model/model.ts';
import { smallConfigs } from '../executions/fast-check-configs.ts';

describe('suiteProfiles', () => {
  it('runs a merged-protocol or variant config once, under XFS', () => {
    for (const config of ['smoke', 'rich', 'duo', 'fallocate-modes', 'no-restart-after-wait']) {
      expect(suiteProfiles(readModelConstants(config)), config).toEqual({ profiles: ['xfs'], left: [] });
    }
  });

  it("runs a kernel-history config under its version's profile", () => {
    expect(suiteProfiles(readModelConstants('history-4.19-ext4')).profiles).toEqual(['ext4']);
    expect(suiteProfiles(readModelConstants('history-4.18-ext4')).profiles).toEqual(['ext4']);
    expect(suiteProfiles(readModelConstants('history-4.19-xfs')).profiles).toEqual(['xfs']);
  });

  it('runs the ext2 rows under ext2, and leaves out under ext2 a config ext2 cannot be built for', () => {
    for (const config of ['history-4.19-ext2', 'history-6.14-ext2'])
      expect(suiteProfiles(readModelConstants(config)), config).toEqual({ profiles: ['ext2'], left: [] });
    expect(suiteProfiles(readModelConstants('smoke'), 'ext2').left).toEqual([
      'smoke not run under ext2: ext2 has no CollapseRange (its operations: Truncate, Evict)',
    ]);
    expect(suiteProfiles(readModelConstants('history-6.14'), 'ext2').left).toEqual([
      "history-6.14 not run under ext2: ext2's code always has NoBreakLayouts on",
    ]);
  });

  it('leaves out, with the reason, a chosen profile that lacks one of the Bugs', () => {
    const r = suiteProfiles(readModelConstants('retry-only-on-sleep'), 'ext4');
    expect(r.profiles).toEqual([]);
    expect(r.left).toEqual(['retry-only-on-sleep not run under ext4: ext4 has no code for RetryOnlyOnSleep (impl/fs/profile.ts lacks)']);
    expect(suiteProfiles(readModelConstants('retry-only-on-sleep'), 'xfs')).toEqual({ profiles: ['xfs'], left: [] });
    expect(suiteProfiles(readModelConstants('smoke'), 'ext4')).toEqual({ profiles: ['ext4'], left: [] });
  });

  it('checks ext4 somewhere by default: on the ext4 kernels and ext4 zero range of the small configs', () => {
    const ext4 = smallConfigs().filter((c) => suiteProfiles(readModelConstants(c)).profiles.includes('ext4'));
    expect(ext4.sort()).toEqual(['history-4.18-ext4', 'history-4.19-ext4', 'zero-range-ext4', 'zero-range-skips-break-ext4']);
  });

  it("runs a config with ext4's zero range (Features ZeroRangeInPlace) under ext4 only: XFS lacks it", () => {
    for (const config of ['zero-range-ext4', 'zero-range-skips-break-ext4']) {
      expect(suiteProfiles(readModelConstants(config)), config).toEqual({ profiles: ['ext4'], left: [] });
      expect(suiteProfiles(readModelConstants(config), 'xfs').left, config).toEqual([
        `${config} not run under xfs: xfs has no code for ZeroRangeInPlace (impl/fs/profile.ts lacks)`,
      ]);
    }
  });
});
