// The kernel releases the model knows, each named by its version (createSystem's `kernel`, the
// commands' --kernel): for each release (and file system, where they differ), the variant
// switches it shipped, its file-system profile, its idle refcount and its features. (Not to be
// confused with impl/kernel/, which mirrors the kernel's kernel/: sched, wait, rwsem.)
// A version's bug set is written twice, where each must be: here and in its config's Bugs
// (spec/models/history-<version>.cfg, which the manifest's history reader takes it from);
// conformance/model/releases.test.ts holds them equal.
import { DaxModelError } from './errors.ts';
import type { BugName, FeatureName, FsProfileName } from './types.ts';

/** One kernel release as the model sees it. */
export interface Release {
  /** The version name, e.g. '4.18-xfs', '6.15.y'. */
  readonly version: string;
  /** The bugs it shipped (the spec's Bugs); commits in spec/DaxDma.tla's BugNames comments. */
  readonly bugs: readonly BugName[];
  readonly profile: FsProfileName;
  /** page->_refcount of an idle fs-dax page: 1 until 6.14, 0 from 38607c62b34b (6.15). */
  readonly idleRef: 0 | 1;
  /** Munmap always (every kernel has munmap); TruncWarn until 6.14 (removed by 38607c62b34b);
   *  Design2025 from 6.15 (38607c62b34b). */
  readonly features: readonly FeatureName[];
}

const UP_TO_6_14: readonly FeatureName[] = ['Munmap', 'TruncWarn'];
const FROM_6_15: readonly FeatureName[] = ['Munmap', 'Design2025'];

/** Every version, oldest first. */
export const RELEASES: readonly Release[] = [
  // xfs_break_dax_layouts (d6dc57e251a4) retried only on sleep; !mapping_mapped skip
  // (5fac7408d828); eviction without break; release_pages without the wake (e76384884344 to
  // c5d6c45e90c4, 5.3).
  {
    version: '4.18-xfs',
    bugs: ['RetryOnlyOnSleep', 'SkipScanWhenUnmapped', 'EvictWithoutBreak', 'ReleasePagesMissesWake'],
    profile: 'xfs',
    idleRef: 1,
    features: UP_TO_6_14,
  },
  // ext4 had no layout break before 430657b6be89.
  {
    version: '4.18-ext4',
    bugs: ['NoBreakLayouts', 'EvictWithoutBreak', 'ReleasePagesMissesWake'],
    profile: 'ext4',
    idleRef: 1,
    features: UP_TO_6_14,
  },
  {
    version: '4.19-ext4',
    bugs: ['SkipScanWhenUnmapped', 'EvictWithoutBreak', 'ReleasePagesMissesWake'],
    profile: 'ext4',
    idleRef: 1,
    features: UP_TO_6_14,
  },
  {
    version: '4.19-xfs',
    bugs: ['SkipScanWhenUnmapped', 'EvictWithoutBreak', 'ReleasePagesMissesWake'],
    profile: 'xfs',
    idleRef: 1,
    features: UP_TO_6_14,
  },
  // ext2 DAX never breaks layouts: ext2_setsize and ext2_evict_inode free the blocks of pinned
  // pages (read in 4.19.1; same in every release to 7.1.3). The release's scan and wake bugs are
  // left out: ext2 never scans or waits, so none of its paths reads them.
  {
    version: '4.19-ext2',
    bugs: ['NoBreakLayouts', 'EvictWithoutBreak'],
    profile: 'ext2',
    idleRef: 1,
    features: UP_TO_6_14,
  },
  // The XArray scan (from 4.20) skips locked entries (fixed 6be3e21d25ca, 6.15).
  {
    version: '5.10',
    bugs: ['ScanSkipsLocked', 'SkipScanWhenUnmapped', 'EvictWithoutBreak'],
    profile: 'xfs',
    idleRef: 1,
    features: UP_TO_6_14,
  },
  // gup_put_folio (d8ddc099c6b3) misses the wake (fixed f4f451a16dd1, 5.19).
  {
    version: '5.18',
    bugs: ['ScanSkipsLocked', 'SkipScanWhenUnmapped', 'EvictWithoutBreak', 'UnpinMissesWake'],
    profile: 'xfs',
    idleRef: 1,
    features: UP_TO_6_14,
  },
  // ext2 in the last release of the 2018 design: as 4.19-ext2 (ext2 DAX was deprecated in 6.16 by
  // d5a2693f93e4 and is still there, still without a layout break, in 7.1.3).
  {
    version: '6.14-ext2',
    bugs: ['NoBreakLayouts', 'EvictWithoutBreak'],
    profile: 'ext2',
    idleRef: 1,
    features: UP_TO_6_14,
  },
  {
    version: '6.14',
    bugs: ['ScanSkipsLocked', 'SkipScanWhenUnmapped', 'EvictWithoutBreak'],
    profile: 'xfs',
    idleRef: 1,
    features: UP_TO_6_14,
  },
  // Alistair Popple's rework (38607c62b34b and its series): the 2025 design, idle refcount 0, no
  // trunc WARN, every bug above fixed; but 6be3e21d25ca's wait_entry_unlocked_exclusive calls
  // xas_pause, which moves past the entry it waited on (fixed by dd59137bfe70, 6.16-rc1).
  { version: '6.15.0', bugs: ['WaitSkipsEntry'], profile: 'xfs', idleRef: 0, features: FROM_6_15 },
  // 6.15.y: dd59137bfe70 backported (6.15-stable, June 2025): xas_reset, no skip.
  { version: '6.15.y', bugs: [], profile: 'xfs', idleRef: 0, features: FROM_6_15 },
];

/** The names of the known versions. */
export const RELEASE_NAMES: readonly string[] = RELEASES.map((v) => v.version);

/** The version called `name`, or undefined. */
export function findRelease(name: string): Release | undefined {
  return RELEASES.find((x) => x.version === name);
}

/** The one way every caller words an unknown version: the name and the known ones (`more`: what
 *  else the caller accepts, e.g. conform's `all`). */
export function unknownRelease(name: string, more?: string): string {
  return `unknown kernel version '${String(name)}' (known: ${RELEASE_NAMES.join(', ')}${more ? `, or ${more}` : ''})`;
}

/** The version called `name`. @throws DaxModelError code 'config' naming the known ones. */
export function releaseNamed(name: string): Release {
  const v = findRelease(name);
  if (!v) throw new DaxModelError('config', unknownRelease(name));
  return v;
}
