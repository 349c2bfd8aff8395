// --kernel VERSION: one parser for replay, replay-cex, conform and mutate.
import { describe, expect, it } from 'vitest';
import { KERNEL_NAMES } from '../../impl/index.ts';
import { parseKernel } from './kernel-option.ts';
import { replayCexCommand } from './replay-cex-command.ts';

describe('--kernel', () => {
  it('names a version of impl/kernels.ts, or is a one-line error naming the known ones', () => {
    expect(parseKernel(undefined)).toEqual({ kernel: undefined });
    expect(parseKernel('4.18-ext4')).toMatchObject({ kernel: { version: '4.18-ext4', profile: 'ext4' } });
    expect(parseKernel('2.6')).toEqual({ error: `--kernel: unknown kernel version '2.6' (known: ${KERNEL_NAMES.join(', ')})` });
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
