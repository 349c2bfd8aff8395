// The `--kernel VERSION` option of replay, replay-cex, conform and mutate: one parseArgs
// declaration and one check of its value against impl/kernels.ts's table, worded alike everywhere.
import { KERNEL_NAMES, KERNEL_VERSIONS, type KernelVersion } from '../../impl/index.ts';
import { EXIT } from './exit-codes.ts';

/** The option as node:util parseArgs declares it. */
export const KERNEL_OPTION = { kernel: { type: 'string' } } as const;

/** The version a parsed `--kernel` value names (undefined when absent), or a one-line error. */
export function parseKernel(value: string | undefined): { kernel: KernelVersion | undefined } | { error: string } {
  if (value === undefined) return { kernel: undefined };
  const v = KERNEL_VERSIONS.find((x) => x.version === value);
  return v ? { kernel: v } : { error: `--kernel: unknown kernel version '${value}' (known: ${KERNEL_NAMES.join(', ')})` };
}

/**
 * Reads `--kernel` (and `--profile`, which it must agree with) for `command`: the version's
 * file-system profile is the profile the implementation runs under. The spec's constants (Bugs,
 * IdleRef, Features) still come from each config, since the mapped states are compared with it.
 * Prints the one-line error and returns exit 2 for an unknown version or a contradicting profile.
 */
export function kernelOption(command: string, value: string | undefined, profile: string | undefined): { kernel: KernelVersion | undefined; profile: 'xfs' | 'ext4' | undefined } | { exit: number } {
  const parsed = parseKernel(value);
  let why = 'error' in parsed ? parsed.error : null;
  const kernel = 'kernel' in parsed ? parsed.kernel : undefined;
  if (!why && kernel && profile !== undefined && profile !== kernel.profile) why = `--profile ${profile} contradicts --kernel ${kernel.version}, whose profile is ${kernel.profile}`;
  if (why) {
    process.stderr.write(`dax-model ${command}: ${why}\n`);
    return { exit: EXIT.usage };
  }
  return { kernel, profile: kernel?.profile ?? (profile as 'xfs' | 'ext4' | undefined) };
}
