// A model configuration (spec/models/<name>.cfg) on the implementation's side: its constants as
// plain TypeScript values, the implementation's system built with them (XFS or ext4 profile, the
// variant switches of Bugs), and that system's state mapped to the spec (mapping.ts).
import { readFileSync } from 'node:fs';
import {
  bugsFromNames,
  createSystem,
  featuresFromNames,
  releaseNamed,
  type DaxSystem,
  type FsProfileName,
  type ResolvedConfig,
  type SystemConfig,
} from '../../impl/index.ts';
import { parseCfg } from '../../lib/tla/cfg.ts';
import { configFile } from '../../lib/check/manifest.ts';
import { parseTlaValue } from '../../lib/values/tlc-text.ts';
import { normalizeState } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { MappingError, mapToSpec } from '../refinement/mapping.ts';

/** The spec's CONSTANTS for one configuration. */
export interface ModelConstants {
  /** The config's name (spec/models/<name>.cfg), or the file path it was read from. */
  config: string;
  files: string[];
  numOffsets: number;
  blocks: string[];
  users: string[];
  fsTasks: string[];
  syncers: string[];
  fsOps: string[];
  maxGups: number;
  idleRef: 0 | 1;
  bugs: string[];
  /** The spec's Features (Munmap, TruncWarn); [] for a config written before they existed. */
  features: string[];
  /** Build the implementation as this kernel version of impl/releases.ts (createSystem's `kernel`:
   *  its bugs, profile, idle refcount and features) instead of from Bugs, IdleRef and Features;
   *  set only by asRelease, which checks that the two agree. */
  kernel?: string;
}

/** A config whose constants are missing or not of the spec's types. */
export class ModelConstantsError extends Error {
  override name = 'ModelConstantsError';
}

function elements(v: TlaValue, what: string, where: string): TlaValue[] {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && '#set' in v) return (v as { '#set': TlaValue[] })['#set'];
  // TLC prints and accepts {} as the empty set; the value parser reads it as a set too.
  throw new ModelConstantsError(`${where}: ${what} must be a set`);
}

function modelValues(v: TlaValue, what: string, where: string): string[] {
  return elements(v, what, where).map((e) => {
    if (typeof e === 'object' && e !== null && '#model' in e) return (e as { '#model': string })['#model'];
    throw new ModelConstantsError(`${where}: ${what} must be a set of model values`);
  });
}

function strings(v: TlaValue, what: string, where: string): string[] {
  return elements(v, what, where).map((e) => {
    if (typeof e === 'string') return e;
    throw new ModelConstantsError(`${where}: ${what} must be a set of strings`);
  });
}

function int(v: TlaValue, what: string, where: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new ModelConstantsError(`${where}: ${what} must be an integer`);
}

/** Reads the constants of a config, by name (spec/models/<name>.cfg) or by path (ending in .cfg). */
export function readModelConstants(nameOrPath: string): ModelConstants {
  const file = nameOrPath.endsWith('.cfg') ? nameOrPath : configFile(nameOrPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ModelConstantsError(`${file}: cannot read config: ${(e as Error).message}`);
  }
  const cfg = parseCfg(text);
  const values = new Map<string, TlaValue>();
  for (const c of cfg.constants) {
    if (c.value === undefined) continue;
    try {
      values.set(c.name, parseTlaValue(c.value));
    } catch (e) {
      throw new ModelConstantsError(`${file}: constant ${c.name}: ${(e as Error).message}`);
    }
  }
  const get = (name: string): TlaValue => {
    const v = values.get(name);
    if (v === undefined) throw new ModelConstantsError(`${file}: constant ${name} is not assigned a value`);
    return v;
  };
  const idleRef = int(get('IdleRef'), 'IdleRef', file);
  if (idleRef !== 0 && idleRef !== 1) throw new ModelConstantsError(`${file}: IdleRef must be 0 or 1`);
  return {
    config: nameOrPath,
    files: modelValues(get('Files'), 'Files', file),
    numOffsets: int(get('NumOffsets'), 'NumOffsets', file),
    blocks: modelValues(get('Blocks'), 'Blocks', file),
    users: modelValues(get('Users'), 'Users', file),
    fsTasks: modelValues(get('FsTasks'), 'FsTasks', file),
    syncers: modelValues(get('Syncers'), 'Syncers', file),
    fsOps: strings(get('FsOps'), 'FsOps', file),
    maxGups: int(get('MaxGups'), 'MaxGups', file),
    idleRef,
    bugs: strings(get('Bugs'), 'Bugs', file),
    features: values.has('Features') ? strings(get('Features'), 'Features', file) : [],
  };
}

/** The constants a system was built with (`config`: what the constants are called in messages). */
export function modelConstantsOf(c: ResolvedConfig, config = 'system configuration'): ModelConstants {
  return {
    config,
    files: [...c.files],
    numOffsets: c.offsets,
    blocks: [...c.blocks],
    users: [...c.users],
    fsTasks: [...c.fsTasks],
    syncers: [...c.syncers],
    fsOps: [...c.fsOps],
    maxGups: c.maxGups,
    idleRef: c.idleRef,
    bugs: Object.entries(c.bugs)
      .filter(([, on]) => on)
      .map(([n]) => n),
    features: Object.entries(c.features)
      .filter(([, on]) => on)
      .map(([n]) => n),
  };
}

/** The implementation's configuration for a model: its constants and switches, under a file-system
 *  profile (default xfs; a kernel version's own when `c.kernel` names one, which `profile` must
 *  not contradict). The allocator's order, which fixes FaultAllocBlock's default choice, is the
 *  cfg's. */
export function systemConfigOf(c: ModelConstants, profile?: FsProfileName): SystemConfig {
  const sets = {
    files: c.files,
    offsets: c.numOffsets,
    blocks: c.blocks,
    users: c.users,
    fsTasks: c.fsTasks,
    syncers: c.syncers,
    fsOps: c.fsOps as SystemConfig['fsOps'],
    maxGups: c.maxGups,
  };
  if (c.kernel !== undefined) {
    const own = releaseNamed(c.kernel).profile;
    if (profile !== undefined && profile !== own)
      throw new ModelConstantsError(`${c.config}: profile ${profile} contradicts kernel ${c.kernel}, whose profile is ${own}`);
    // The version's table alone says the bugs, idle refcount, features and profile.
    return { ...sets, kernel: c.kernel };
  }
  return { ...sets, idleRef: c.idleRef, bugs: bugsFromNames(c.bugs), features: featuresFromNames(c.features), profile: profile ?? 'xfs' };
}

/** An implementation built with a model's constants (and its variant switches). */
export function systemForModel(c: ModelConstants, profile?: FsProfileName): DaxSystem {
  // A fast-check run builds a system every ~30 steps: the first system's resolved configuration
  // builds the rest (ModelConstants are read once and not changed in place).
  let byProfile = resolvedFor.get(c);
  if (byProfile === undefined) resolvedFor.set(c, (byProfile = new Map()));
  const known = byProfile.get(profile ?? '');
  if (known !== undefined) return createSystem(known);
  const sys = createSystem(systemConfigOf(c, profile));
  byProfile.set(profile ?? '', sys.config);
  return sys;
}

const resolvedFor = new WeakMap<ModelConstants, Map<string, ResolvedConfig>>();

/**
 * Does a system's configuration have the model's sets (in any order) and NumOffsets?
 * @throws MappingError naming the first constant that differs.
 */
export function checkSystemIsModel(config: ResolvedConfig, c: ModelConstants): void {
  const same = (what: string, spec: readonly string[], impl: readonly string[]): void => {
    if (spec.length !== impl.length || !spec.every((x) => impl.includes(x)))
      throw new MappingError(`${what}: constants {${spec.join(', ')}} but the system has {${impl.join(', ')}}`);
  };
  same('Files', c.files, config.files);
  same('Blocks', c.blocks, config.blocks);
  same('Users', c.users, config.users);
  same('FsTasks', c.fsTasks, config.fsTasks);
  same('Syncers', c.syncers, config.syncers);
  if (c.numOffsets !== config.offsets) throw new MappingError(`NumOffsets: constants ${c.numOffsets} but the system has ${config.offsets}`);
}

/** A refinement mapping: implementation snapshot -> spec state (mapToSpec, or a test's). */
export type RefinementMapping = typeof mapToSpec;

/**
 * The implementation's state as a state of the model (normal form), by the given mapping.
 * @throws MappingError if the system was not built with the model's constants.
 */
export function mappedState(sys: DaxSystem, c: ModelConstants, mapping: RefinementMapping = mapToSpec): TlaState {
  checkSystemIsModel(sys.config, c);
  return normalizeState(mapping(sys.snapshot()));
}
