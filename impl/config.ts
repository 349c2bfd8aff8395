// The configuration of a system: the spec's CONSTANTS (Files, NumOffsets, Blocks, ...) plus the
// file-system profile, validated as the spec's ASSUME validates them (spec/DaxDma.tla).
import { DaxModelError } from './errors.ts';
import { fsProfile, profileRefuses } from './fs/profile.ts';
import { releaseNamed } from './releases.ts';
import {
  BUG_NAMES,
  FEATURE_NAMES,
  type FeatureSwitches,
  type BugSwitches,
  FS_OP_NAMES,
  FS_PROFILE_NAMES,
  isFsProfileName,
  type FileId,
  type BlockId,
  type FsOpName,
  type FsProfileName,
  type TaskId,
} from './types.ts';

/** What `createSystem` takes. Field names follow the spec's constants. */
export interface SystemConfig {
  /** Files: inode names, e.g. ['f1', 'f2']. Non-empty. */
  readonly files: readonly FileId[];
  /** NumOffsets: page offsets per file, 0 .. offsets-1. At least 1. */
  readonly offsets: number;
  /** Blocks, in the allocator's order (the default FaultAllocBlock choice is the first free). */
  readonly blocks: readonly BlockId[];
  /** Users: threads that GUP and run DMA. */
  readonly users?: readonly TaskId[];
  /** FsTasks: tasks that truncate or fallocate. */
  readonly fsTasks?: readonly TaskId[];
  /** Syncers: writeback tasks (dax_writeback_one). */
  readonly syncers?: readonly TaskId[];
  /** FsOps: the operations file-system tasks may run. Default: truncate, punch hole, collapse range. */
  readonly fsOps?: readonly FsOpName[];
  /** MaxGups: how many GUP operations users start in all. Default: 1000000. */
  readonly maxGups?: number;
  /** IdleRef: refcount of an idle page, 1 (2018 kernel) or 0 (2025 rework, with
   *  features.Design2025). Default 1. */
  readonly idleRef?: 0 | 1;
  /** The variant switches that are on; keys must be spec BugNames. All off by default. */
  readonly bugs?: Partial<BugSwitches>;
  /** Whose code paths run the operations. Default 'xfs'. */
  readonly profile?: FsProfileName;
  /** The spec's Features: the optional behaviours that are on (Munmap, TruncWarn,
   *  ZeroRangeInPlace: ext4_zero_range's in-place conversion, read by the ext4 profile only). All
   *  off by default. */
  readonly features?: Partial<FeatureSwitches>;
  /** A kernel version of impl/releases.ts ('4.18-xfs', ..., '6.15.y'): its bugs, profile, idle
   *  refcount and features, under what `bugs`, `profile`, `idleRef` and `features` give. */
  readonly kernel?: string;
}

/** A validated configuration with every default filled in. */
export interface ResolvedConfig {
  readonly files: readonly FileId[];
  readonly offsets: number;
  readonly blocks: readonly BlockId[];
  readonly users: readonly TaskId[];
  readonly fsTasks: readonly TaskId[];
  readonly syncers: readonly TaskId[];
  readonly fsOps: readonly FsOpName[];
  readonly maxGups: number;
  readonly idleRef: 0 | 1;
  readonly bugs: Readonly<BugSwitches>;
  readonly profile: FsProfileName;
  readonly features: Readonly<FeatureSwitches>;
  /** The kernel version the configuration was built for, or null. */
  readonly kernel: string | null;
}

/** Every one of `all` off. */
function allOff<N extends string>(all: readonly N[]): Record<N, boolean> {
  const out = {} as Record<N, boolean>;
  for (const n of all) out[n] = false;
  return out;
}

/** The switches of `all` named in `names` on, the rest off. @throws DaxModelError on an unknown name. */
function fromNames<N extends string>(all: readonly N[], what: string, setName: string, names: Iterable<string>): Record<N, boolean> {
  const out = allOff(all);
  for (const n of names) {
    if (!(all as readonly string[]).includes(n))
      throw new DaxModelError('config', `unknown ${what} '${n}' (${setName}: ${all.join(', ')})`);
    out[n as N] = true;
  }
  return out;
}

/** Switches from a list of names (the spec's Bugs set). @throws DaxModelError on an unknown name. */
export function bugsFromNames(names: Iterable<string>): BugSwitches {
  return fromNames(BUG_NAMES, 'bug name', 'BugNames', names);
}

/** Features from a list of names (the spec's Features set). @throws DaxModelError on an unknown name. */
export function featuresFromNames(names: Iterable<string>): FeatureSwitches {
  return fromNames(FEATURE_NAMES, 'feature', 'FeatureNames', names);
}

/** A config field keyed by switch names (`bugs`, `features`), validated, every default off. */
function switchesField<N extends string>(
  all: readonly N[],
  field: string,
  what: string,
  setName: string,
  given: Partial<Record<N, boolean>> | undefined,
): Record<N, boolean> {
  const out = allOff(all);
  if (given === undefined) return out;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) fail(`${field} must be an object keyed by ${setName}`);
  for (const [k, v] of Object.entries(given)) {
    if (!(all as readonly string[]).includes(k)) fail(`${field}: unknown ${what} '${k}' (${setName}: ${all.join(', ')})`);
    if (typeof v !== 'boolean' && v !== undefined) fail(`${field}.${k} must be a boolean`);
    out[k as N] = v === true;
  }
  return out;
}

const MODEL_VALUE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DEFAULT_MAX_GUPS = 1_000_000;
/** The operations of the 2018 series, the default FsOps. */
const DEFAULT_FS_OPS: readonly FsOpName[] = ['Truncate', 'PunchHole', 'CollapseRange'];

function fail(message: string): never {
  throw new DaxModelError('config', message);
}

function ids(what: string, list: readonly string[] | undefined, seen: Map<string, string>): readonly string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) fail(`${what} must be an array of names`);
  for (const id of list) {
    if (typeof id !== 'string' || !MODEL_VALUE.test(id)) fail(`${what}: '${String(id)}' is not a model-value name`);
    if (id === 'None') fail(`${what}: 'None' is the spec's reserved model value`);
    const other = seen.get(id);
    if (other !== undefined) fail(other === what ? `${what}: duplicate id '${id}'` : `id '${id}' is used in both ${other} and ${what}`);
    seen.set(id, what);
  }
  return [...list];
}

/**
 * Validates a configuration as the spec's ASSUME does (Bugs \subseteq BugNames, FsOps \subseteq
 * AllFsOps, NumOffsets >= 1, MaxGups \in Nat, IdleRef \in {0, 1} and 0 exactly with Design2025,
 * |Blocks| >= |Files| * NumOffsets,
 * so that no ENOSPC path is needed), plus what model values require: names that are identifiers,
 * none repeated across sets, and at least one file.
 * @throws DaxModelError code 'config'.
 */
export function resolveConfig(given: SystemConfig): ResolvedConfig {
  if (given === null || typeof given !== 'object') fail('configuration must be an object');
  const kv = given.kernel === undefined ? null : releaseNamed(given.kernel);
  const c: SystemConfig = kv
    ? {
        ...given,
        bugs: { ...bugsFromNames(kv.bugs), ...given.bugs },
        profile: given.profile ?? kv.profile,
        idleRef: given.idleRef ?? kv.idleRef,
        features: { ...featuresFromNames(kv.features), ...given.features },
      }
    : given;
  const seen = new Map<string, string>();
  const files = ids('files', c.files, seen);
  const blocks = ids('blocks', c.blocks, seen);
  const users = ids('users', c.users, seen);
  const fsTasks = ids('fsTasks', c.fsTasks, seen);
  const syncers = ids('syncers', c.syncers, seen);
  if (files.length === 0) fail('files must not be empty: there is nothing to map, fault or truncate');
  if (!Number.isSafeInteger(c.offsets) || c.offsets < 1) fail(`offsets (NumOffsets) must be an integer >= 1, not ${String(c.offsets)}`);
  if (blocks.length < files.length * c.offsets) {
    fail(`blocks: ${blocks.length} < files x offsets = ${files.length * c.offsets}; the model has no ENOSPC path`);
  }
  const profile = c.profile ?? 'xfs';
  if (!isFsProfileName(profile)) fail(`profile must be ${FS_PROFILE_NAMES.map((n) => `'${n}'`).join(', ')}, not '${String(profile)}'`);
  // The default operations are those of DEFAULT_FS_OPS the file system has (ext2: truncate only).
  const fsOps = c.fsOps === undefined ? DEFAULT_FS_OPS.filter((op) => fsProfile(profile).ops.includes(op)) : [...c.fsOps];
  const opSeen = new Set<string>();
  for (const op of fsOps) {
    if (!(FS_OP_NAMES as readonly string[]).includes(op))
      fail(`fsOps: unknown operation '${String(op)}' (AllFsOps: ${FS_OP_NAMES.join(', ')})`);
    if (opSeen.has(op)) fail(`fsOps: duplicate operation '${op}'`);
    opSeen.add(op);
  }
  const maxGups = c.maxGups ?? DEFAULT_MAX_GUPS;
  if (!Number.isSafeInteger(maxGups) || maxGups < 0) fail(`maxGups (MaxGups) must be a natural number, not ${String(maxGups)}`);
  const idleRef = c.idleRef ?? 1;
  if (idleRef !== 0 && idleRef !== 1) fail(`idleRef (IdleRef) must be 0 or 1, not ${String(idleRef)}`);
  const bugs = switchesField(BUG_NAMES, 'bugs', 'bug name', 'BugNames', c.bugs);
  const features = switchesField(FEATURE_NAMES, 'features', 'feature', 'FeatureNames', c.features);
  // The spec's ASSUMEs on Features: the WARN counts references above 1, so only with IdleRef 1;
  // eviction needs a file no VMA maps, so munmap.
  if (features.TruncWarn && idleRef !== 1) fail('features.TruncWarn needs idleRef 1: the WARN counts references above 1');
  // The 2025 design (38607c62b34b) is the one with idle refcount 0, and only it: IdleRef 0 alone
  // was a relabelling of the 2018 design, which no kernel ran.
  if (features.Design2025 && idleRef !== 0) fail('features.Design2025 needs idleRef 0: 38607c62b34b made an idle fs-dax page refcount 0');
  if (idleRef === 0 && !features.Design2025) fail('idleRef 0 is the 2025 design: it needs features.Design2025');
  if (fsOps.includes('Evict') && !features.Munmap) fail("fsOps: 'Evict' needs features.Munmap: only an unmapped file is evicted");
  // A file system without the operation (ext2: no fallocate) or whose code always has a switch on
  // (ext2: NoBreakLayouts) would take other steps than the spec: refused, not run.
  const refused = profileRefuses(
    profile,
    fsOps,
    BUG_NAMES.filter((b) => bugs[b]),
  );
  if (refused) fail(`profile ${refused}`);
  return {
    files,
    offsets: c.offsets,
    blocks,
    users,
    fsTasks,
    syncers,
    fsOps,
    maxGups,
    idleRef,
    bugs,
    profile,
    features,
    kernel: kv?.version ?? null,
  };
}
