// The `--kernel VERSION` option of replay, replay-cex, conform and mutate: one parseArgs
// declaration and one check of its value against impl/releases.ts's table, worded alike everywhere.
import { findRelease, RELEASES, type Release, unknownRelease, type FsProfileName } from '../../impl/index.ts';
import { EXIT } from './exit-codes.ts';

/** The option as node:util parseArgs declares it, with its help (conform and diff also take `all`). */
export const KERNEL_OPTION = {
  kernel: { type: 'string', value: 'VERSION', help: 'build the implementation as this kernel version of impl/releases.ts' },
} as const;

/** The value of `--kernel` that names every version in turn (conform only). */
export const ALL_KERNELS = 'all';

/** The version a parsed `--kernel` value names (undefined when absent), every version for `all`
 *  where `allowAll`, or a one-line error naming the known ones. */
export function parseKernel(
  value: string | undefined,
  allowAll = false,
): { kernel: Release | undefined } | { all: readonly Release[] } | { error: string } {
  if (value === undefined) return { kernel: undefined };
  if (allowAll && value === ALL_KERNELS) return { all: RELEASES };
  const v = findRelease(value);
  return v ? { kernel: v } : { error: `--kernel: ${unknownRelease(value, allowAll ? ALL_KERNELS : undefined)}` };
}

/** What `--kernel` asks for: no version, one, or (conform's `all`) every one in turn. */
export interface KernelChoice {
  /** The one version named, or undefined (none, or all). */
  kernel: Release | undefined;
  /** Every version to run: [kernel] for one, all of them for `all`, [] for none. */
  kernels: readonly Release[];
  /** The profile the implementation runs under: the version's, else `--profile`'s. */
  profile: FsProfileName | undefined;
}

/**
 * Reads `--kernel` (and `--profile`, which it must agree with) for `command`: a version is a whole
 * profile, its bugs, idle refcount, features and file-system profile, which the command checks
 * against the constants of the configs it uses. Prints the one-line error and returns exit 2 for
 * an unknown version or a contradicting profile.
 */
export function kernelOption(
  command: string,
  value: string | undefined,
  profile: string | undefined,
  opts: { allowAll?: boolean } = {},
): KernelChoice | { exit: number } {
  const parsed = parseKernel(value, opts.allowAll);
  let why = 'error' in parsed ? parsed.error : null;
  const kernel = 'kernel' in parsed ? parsed.kernel : undefined;
  if (!why && kernel && profile !== undefined && profile !== kernel.profile)
    why = `--profile ${profile} contradicts --kernel ${kernel.version}, whose profile is ${kernel.profile}`;
  if (!why && 'all' in parsed && profile !== undefined)
    why = `--profile ${profile} contradicts --kernel ${ALL_KERNELS}: each version runs under its own profile`;
  if (why) {
    process.stderr.write(`dax-model ${command}: ${why}\n`);
    return { exit: EXIT.usage };
  }
  const kernels = 'all' in parsed ? parsed.all : kernel ? [kernel] : [];
  return { kernel, kernels, profile: kernel?.profile ?? (profile as FsProfileName | undefined) };
}
