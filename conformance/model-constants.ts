// The constants of one model configuration (spec/models/<name>.cfg) as plain TypeScript values:
// what the implementation must be built with so that its runs are behaviours of that model.
import { readFileSync } from 'node:fs';
import { parseCfg } from '../lib/tla/cfg.ts';
import { configFile } from '../lib/check/manifest.ts';
import { parseTlaValue } from '../lib/values/tlc-text.ts';
import type { TlaValue } from '../lib/values/value.ts';

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
  };
}
