// A kernel version of impl/releases.ts as a model configuration: the config that stands for it
// (spec/models/history-<version>.cfg, named by the manifest's history row) and the check that a
// config's Bugs, IdleRef and Features are the version's, so that mapped states of the
// implementation built as that version (createSystem's `kernel`) can be compared with the spec's.
import path from 'node:path';
import {
  type BugName,
  type FeatureName,
  findRelease,
  type FsProfileName,
  releaseNamed,
  type Release,
  profileHasSwitch,
  profileRefuses,
  unknownRelease,
} from '../../impl/index.ts';
import { loadHistory } from '../../lib/check/history-table.ts';
import { loadManifest } from '../../lib/check/manifest.ts';
import { ModelConstantsError, readModelConstants, type ModelConstants } from './model.ts';

/** A config whose constants are not those of the kernel version it is to run as. */
export class ReleaseMismatchError extends ModelConstantsError {
  override name = 'ReleaseMismatchError';
}

const asSet = (xs: readonly (string | number)[]): string => `{${[...xs].map(String).sort().join(', ')}}`;

/**
 * Where a config's Bugs, IdleRef and Features contradict a version's table, one clause per
 * constant ("Bugs {} but 4.18-xfs has {...}"); [] when they agree.
 */
function releaseClauses(c: ModelConstants, v: Release): string[] {
  const clauses: string[] = [];
  if (asSet(c.bugs) !== asSet(v.bugs)) clauses.push(`Bugs ${asSet(c.bugs)} but ${v.version} has ${asSet(v.bugs)}`);
  if (c.idleRef !== v.idleRef) clauses.push(`IdleRef ${c.idleRef} but ${v.version} has ${v.idleRef}`);
  if (asSet(c.features) !== asSet(v.features)) clauses.push(`Features ${asSet(c.features)} but ${v.version} has ${asSet(v.features)}`);
  return clauses;
}

/** releaseClauses as one line naming both, or null when they agree. */
function releaseContradiction(c: ModelConstants, v: Release): string | null {
  const clauses = releaseClauses(c, v);
  return clauses.length === 0 ? null : `config ${c.config} contradicts kernel ${v.version}: ${clauses.join('; ')}`;
}

/**
 * The constants of a config, to be run as kernel `version`: the implementation is then built from
 * the version's table (bugs, profile, idle refcount, features) rather than from the constants;
 * `name` is what messages call the config (default `c.config`).
 * @throws ReleaseMismatchError naming both when the config's constants are not the version's;
 * DaxModelError (code 'config') for an unknown version.
 */
export function asRelease(c: ModelConstants, version: string, name = c.config): ModelConstants {
  const v = releaseNamed(version);
  const why = releaseContradiction({ ...c, config: name }, v);
  if (why) throw new ReleaseMismatchError(why);
  return { ...c, kernel: v.version };
}

/** The config that stands for a version: its history row's, history-<version> by default. */
export function releaseConfigName(version: string): string {
  const row = loadHistory(loadManifest()).find((r) => r.version === version);
  return row?.config ?? `history-${version}`;
}

/** The constants of a version's own config, to be run as that version.
 *  @throws ReleaseMismatchError when the config and impl/releases.ts disagree. */
export function releaseConstants(version: string): ModelConstants {
  return asRelease(readModelConstants(releaseConfigName(version)), version);
}

/**
 * A config's constants for a run as `kernel` (as the config says when undefined): marked to build
 * the implementation as that version, or the contradiction in words when the config's constants
 * are not the version's.
 */
export function constantsUnder(config: string, kernel: Release | undefined): { constants: ModelConstants } | { contradiction: string } {
  const c = readModelConstants(config);
  if (!kernel) return { constants: c };
  const why = releaseContradiction(c, kernel);
  return why ? { contradiction: why } : { constants: { ...c, kernel: kernel.version } };
}

/**
 * The version a run names (undefined when none), checked against the profile it also names.
 * @throws ModelConstantsError for an unknown version (naming the known ones) or a contradicting profile.
 */
export function resolveRelease(version: string | undefined, profile?: string): Release | undefined {
  if (version === undefined) return undefined;
  const v = findRelease(version);
  if (!v) throw new ModelConstantsError(unknownRelease(version));
  if (profile !== undefined && profile !== v.profile)
    throw new ModelConstantsError(`profile ${profile} contradicts kernel ${v.version}, whose profile is ${v.profile}`);
  return v;
}

/**
 * The file-system profiles the suite checks a config under, and one line per profile it leaves
 * out. `chosen` (a run's --profile, or its --kernel's profile) when given; else a kernel-history
 * config's own version's profile (history-4.19-ext4: ext4), and XFS for every other config: there
 * the ext4 paths take the same labelled steps to the same mapped states (impl/fs/profile.test.ts),
 * so a second run under ext4 would check the same behaviour again; ext4 for a config with ext4's
 * zero range (Features ZeroRangeInPlace). A profile that lacks one of the config's Bugs or Features
 * (ext4: RetryOnlyOnSleep, an XFS-only switch; XFS: ZeroRangeInPlace) is left out, since its paths
 * ignore the switch the spec follows; so is one that refuses the config (profileRefusal: ext2 and
 * an operation ext2 lacks, or a config without NoBreakLayouts).
 */
/** Why profile `p` cannot be built for config `c` at all (ext2 and an fallocate mode, or ext2 and a
 *  config without NoBreakLayouts: impl/fs/profile.ts profileRefuses), or null when it can. */
export function profileRefusal(c: ModelConstants, p: FsProfileName): string | null {
  const why = profileRefuses(p, c.fsOps, c.bugs);
  return why === null ? null : `${path.basename(c.config, '.cfg')} not run under ${p}: ${why}`;
}

export function suiteProfiles(c: ModelConstants, chosen?: FsProfileName): { profiles: FsProfileName[]; left: string[] } {
  const name = path.basename(c.config, '.cfg');
  const row = loadHistory(loadManifest()).find((r) => r.config === name);
  // A config with ext4's zero range (Features ZeroRangeInPlace: zero-range-ext4) is ext4's.
  const own: FsProfileName = row ? releaseNamed(row.version).profile : c.features.includes('ZeroRangeInPlace') ? 'ext4' : 'xfs';
  const wanted: FsProfileName[] = chosen ? [chosen] : [own];
  const profiles: FsProfileName[] = [];
  const left: string[] = [];
  for (const p of wanted) {
    const lacked = [
      ...c.bugs.filter((b) => !profileHasSwitch(p, b as BugName)),
      ...c.features.filter((x) => !profileHasSwitch(p, x as FeatureName)),
    ];
    const refused = profileRefusal(c, p);
    if (refused) left.push(refused);
    else if (lacked.length === 0) profiles.push(p);
    else left.push(`${name} not run under ${p}: ${p} has no code for ${lacked.join(', ')} (impl/fs/profile.ts lacks)`);
  }
  return { profiles, left };
}

/**
 * Which configs a run as one kernel version uses (those whose constants are the version's, the
 * implementation built from its table), and, for the report, which it left out and why: one
 * line per kind of check. Without a version every config is used as it is.
 */
export class ReleaseScope {
  private readonly skipped = new Map<string, { what: string; configs: Set<string>; count: number; first: string; why: string[] }>();

  constructor(readonly kernel: Release | undefined) {}

  /** The config's constants for this run, or null when it is not the version's. */
  constants(config: string): ModelConstants | null {
    const r = constantsUnder(config, this.kernel);
    return 'constants' in r ? r.constants : null;
  }

  /** The constants of a config the run was asked for by name. @throws ReleaseMismatchError. */
  required(config: string): ModelConstants {
    const r = constantsUnder(config, this.kernel);
    if ('contradiction' in r) throw new ReleaseMismatchError(r.contradiction);
    return r.constants;
  }

  /** Notes that `check` left out one item of `config` (`what`: "not run", "traces not replayed"). */
  skip(check: string, config: string, what: string): void {
    const s = this.skipped.get(check);
    if (s) {
      s.configs.add(config);
      s.count++;
      return;
    }
    const why = this.kernel ? releaseClauses(readModelConstants(config), this.kernel) : [];
    this.skipped.set(check, { what, configs: new Set([config]), count: 1, first: config, why });
  }

  /** One line per check that left something out: how many, of how many configs, and why the
   *  first of them is not the version's. */
  notApplicable(): string[] {
    return [...this.skipped].map(([check, s]) => {
      const configs = s.configs.size === 1 ? `its config ${s.first} is` : `their ${s.configs.size} configs are`;
      return `${check}: ${s.count} ${s.what}: ${configs} not kernel ${this.kernel?.version}'s (${s.first}: ${s.why.join('; ')})`;
    });
  }
}
