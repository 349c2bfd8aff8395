// --kernel VERSION: one parser for replay, replay-cex, conform and mutate.
import { describe, expect, it } from 'vitest';
import { RELEASE_NAMES } from '../../impl/index.ts';
import { parseKernel } from './kernel-option.ts';
import { replayCexCommand } from './replay-cex-command.ts';
import { replayCommand } from './replay-command.ts';
import { runCaptured } from './capture-output.ts';

describe('--kernel', () => {
  it('names a version of impl/releases.ts, or is a one-line error naming the known ones', () => {
    expect(parseKernel(undefined)).toEqual({ kernel: undefined });
    expect(parseKernel('4.18-ext4')).toMatchObject({ kernel: { version: '4.18-ext4', profile: 'ext4' } });
    expect(parseKernel('2.6')).toEqual({ error: `--kernel: unknown kernel version '2.6' (known: ${RELEASE_NAMES.join(', ')})` });
    // `all` only where the command runs every version (conform).
    expect(parseKernel('all')).toMatchObject({ error: expect.stringMatching(/unknown kernel version 'all'/) });
    expect(parseKernel('all', true)).toMatchObject({ all: expect.arrayContaining([expect.objectContaining({ version: '6.15.y' })]) });
  });

  it("on replay and replay-cex, a version whose Bugs, IdleRef or Features are not the config's is one line naming both, exit 2", async () => {
    const replay = await runCaptured(() =>
      replayCommand(['conformance/regressions/trunc-warn.cex.json', '--config', 'trunc-warn', '--kernel', '4.18-xfs']),
    );
    expect(replay.code).toBe(2);
    expect(replay.err).toBe(
      'dax-model replay: config trunc-warn contradicts kernel 4.18-xfs: Bugs {} but 4.18-xfs has {EvictWithoutBreak, ReleasePagesMissesWake, RetryOnlyOnSleep, SkipScanWhenUnmapped}; Features {TruncWarn} but 4.18-xfs has {Munmap, TruncWarn}\n',
    );
    const cex = await runCaptured(() => replayCexCommand(['smoke', '--kernel', '6.15.y', '--dry-run']));
    expect(cex.code).toBe(2);
    expect(cex.err).toBe(
      'dax-model replay-cex: config smoke contradicts kernel 6.15.y: IdleRef 1 but 6.15.y has 0; Features {} but 6.15.y has {Design2025, Munmap}\n',
    );
  });

  it('an unknown version makes a command exit 2 before doing anything', async () => {
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (writes.push(s), true)) as typeof process.stderr.write;
    try {
      expect(await replayCexCommand(['--kernel', '2.6', '--dry-run'])).toBe(2);
    } finally {
      process.stderr.write = orig;
    }
    expect(writes.join('')).toMatch(/^dax-model replay-cex: --kernel: unknown kernel version '2\.6' \(known: .*\)\n$/);
  });
});
