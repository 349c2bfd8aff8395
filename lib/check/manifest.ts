// The model configurations of spec/models/ and their expected verdicts (spec/models/manifest.json):
// which configs exist, where their files are, and whether a result matches its expectation.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import type { CheckResult, EngineName } from '../result/check-result.ts';

export const SPEC_DIR = path.join(REPO_ROOT, 'spec');
export const MODELS_DIR = path.join(SPEC_DIR, 'models');

/** One model configuration and what checking it must conclude. */
export interface ConfigEntry {
  name: string;
  /** "holds", "deadlock", or the invariant / temporal property that must be violated. */
  expected: string;
  /** Engines that run this config when none is named explicitly. */
  engines: EngineName[];
  /** The variant switch (spec constant Bugs) this config turns on, if any. */
  variant?: string;
  summary?: string;
  /** Too big for one machine: why, and how to run it (check --distributed); never run by default. */
  multiMachine?: string;
  /** The module this config checks, when it is not the manifest's (the promise spec/DaxAbstract.tla,
   *  the refinement spec/RefineDaxDma.tla). */
  module?: string;
  /** A refinement config: the abstract module refined and, for a variant's, the Bugs switch it
   *  turns on (kept out of `variant`, which names the configs of the manifest's own module). */
  refines?: { abstract: string; variant?: string };
}

export interface Manifest {
  /** The TLA+ module TLC checks (spec/<module>.tla). */
  module: string;
  configs: ConfigEntry[];
}

/** A bad manifest, or a config name that is not in it. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** Reads and validates spec/models/manifest.json. */
export function loadManifest(file = path.join(MODELS_DIR, 'manifest.json')): Manifest {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ManifestError(`${file}: cannot read manifest: ${(e as Error).message}`);
  }
  const m = doc as Partial<Manifest>;
  if (typeof m.module !== 'string' || !Array.isArray(m.configs)) {
    throw new ManifestError(`${file}: expected {"module": string, "configs": [...]}`);
  }
  m.configs.forEach((c, i) => {
    if (typeof c?.name !== 'string' || typeof c.expected !== 'string' || !Array.isArray(c.engines)) {
      throw new ManifestError(`${file}: configs[${i}] needs name, expected and engines`);
    }
    if (c.module !== undefined && (typeof c.module !== 'string' || !/^\w+$/.test(c.module))) {
      throw new ManifestError(`${file}: configs[${i}] (${c.name}): module must be a module name of spec/`);
    }
  });
  return m as Manifest;
}

/** The .tla module TLC checks. */
export function specFile(manifest: Manifest): string {
  return path.join(SPEC_DIR, `${manifest.module}.tla`);
}

/** The .tla module a config checks: its own `module`, else the manifest's. */
export function configSpecFile(manifest: Manifest, c: ConfigEntry): string {
  return c.module ? path.join(SPEC_DIR, `${c.module}.tla`) : specFile(manifest);
}

/** The .cfg of a named config. */
export function configFile(name: string): string {
  return path.join(MODELS_DIR, `${name}.cfg`);
}

/** Looks configs up by name; an unknown name is a ManifestError listing the known ones. */
export function selectConfigs(manifest: Manifest, names: string[]): ConfigEntry[] {
  return names.map((n) => {
    const c = manifest.configs.find((x) => x.name === n);
    if (!c) {
      throw new ManifestError(`unknown config '${n}' (known: ${manifest.configs.map((x) => x.name).join(', ')})`);
    }
    if (!existsSync(configFile(n))) throw new ManifestError(`config '${n}' has no file ${configFile(n)}`);
    return c;
  });
}

/** The verdict a result stands for, in the manifest's vocabulary. */
export function observedVerdict(r: CheckResult): string {
  if (r.verdict === 'holds' || r.verdict === 'deadlock' || r.verdict === 'error') return r.verdict;
  return r.property ?? r.verdict;
}

/** Does a result match the config's expectation? A run that failed never matches. */
export function matchesExpectation(c: ConfigEntry, r: CheckResult): boolean {
  return r.verdict !== 'error' && observedVerdict(r) === c.expected;
}
