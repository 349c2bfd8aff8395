// Model-checks named configurations of the spec with TLC or the embedded engine and compares each
// verdict with the manifest's expectation. The library behind `dax-model check`.
import { checkEmbeddedAsync } from '../embedded/engine.ts';
import { relabelCounterexample, unlabeledNote } from '../embedded/relabel.ts';
import { mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { removeOnExit } from '../interrupt.ts';
import { cfgWithOnlyProperty } from '../tla/cfg.ts';
import { runTlc, type TlcCheckResult } from '../tlc/run.ts';
import { findJava, findTlaToolsJar, TlcLocateError } from '../tlc/locate.ts';
import type { CheckResult, EngineName, Progress } from '../result/check-result.ts';
import {
  configFile,
  configSpecFile,
  loadManifest,
  matchesExpectation,
  observedVerdict,
  selectConfigs,
  specFile,
  type ConfigEntry,
  type Manifest,
} from './manifest.ts';

/** Which engine to use; 'auto' is TLC when Java and the jar are found, else the embedded engine. */
export type EngineChoice = EngineName | 'auto';

export interface CheckOptions {
  engine?: EngineChoice;
  /** TLC worker threads. */
  workers?: number | 'auto';
  /** Per-config time limit in seconds. */
  timeoutSeconds?: number;
  onProgress?: (config: string, p: Progress) => void;
  /** Called before each config starts. */
  onStart?: (config: ConfigEntry, engine: EngineName) => void;
  signal?: AbortSignal;
  /** Called for each config a default run leaves out because it needs several machines. */
  onSkip?: (config: ConfigEntry, reason: string) => void;
}

/** One config's outcome, in the shape `dax-model check --json` prints. */
export interface ConfigOutcome {
  config: string;
  engine: EngineName;
  expected: string;
  verdict: string;
  property: string | null;
  distinctStates: number;
  depth: number | null;
  seconds: number;
  matches: boolean;
  /** The full result, with the counterexample and any error. */
  result: CheckResult;
}

/** Why TLC cannot run here, or null when it can. */
export function tlcUnavailableReason(): string | null {
  try {
    findTlaToolsJar();
    findJava();
    return null;
  } catch (e) {
    if (e instanceof TlcLocateError) return e.message;
    throw e;
  }
}

/** Resolves 'auto' to a concrete engine. */
export function resolveEngine(choice: EngineChoice = 'auto'): EngineName {
  if (choice !== 'auto') return choice;
  return tlcUnavailableReason() === null ? 'tlc' : 'embedded';
}

/** The configs checked when none are named: those whose manifest entry lists the engine. */
function defaultConfigs(manifest: Manifest, engine: EngineName): ConfigEntry[] {
  return manifest.configs.filter((c) => c.engines.includes(engine));
}

/** Checks one .cfg file (a manifest config's, or a temporary copy) of the manifest's module with
 *  one engine. */
export function checkConfigFile(
  manifest: Manifest,
  cfg: string,
  engine: EngineName,
  opts: CheckOptions & { label?: string } = {},
): Promise<CheckResult> {
  return checkFile(specFile(manifest), cfg, engine, opts, opts.label ?? path.basename(cfg, '.cfg'));
}

/** Checks one config with one engine. */
export async function checkOne(manifest: Manifest, c: ConfigEntry, engine: EngineName, opts: CheckOptions = {}): Promise<ConfigOutcome> {
  const result = await checkFile(configSpecFile(manifest, c), configFile(c.name), engine, opts, c.name);
  return configOutcome(c, engine, result);
}

/** A result as the outcome of a config, against the config's expectation. */
export function configOutcome(c: ConfigEntry, engine: EngineName, result: CheckResult): ConfigOutcome {
  return {
    config: c.name,
    engine,
    expected: c.expected,
    verdict: observedVerdict(result),
    property: result.property ?? null,
    distinctStates: result.distinctStates,
    depth: result.depth ?? null,
    seconds: result.seconds,
    matches: matchesExpectation(c, result),
    result,
  };
}

/** Checks `spec` under the cfg file `cfg` with one engine; a temporal violation names the
 *  property on both engines. `name` labels progress reports. */
export async function checkFile(
  spec: string,
  cfg: string,
  engine: EngineName,
  opts: CheckOptions = {},
  name = path.basename(cfg, '.cfg'),
): Promise<CheckResult> {
  const tlc = (configFile: string): Promise<TlcCheckResult> =>
    runTlc({
      specFile: spec,
      configFile,
      workers: opts.workers ?? 'auto',
      timeoutSeconds: opts.timeoutSeconds,
      dumpTrace: true,
      onProgress: (p) => opts.onProgress?.(name, p),
      signal: opts.signal,
    });
  const result: CheckResult =
    engine === 'tlc'
      ? await namingViolatedProperty(await tlc(cfg), cfg, tlc)
      : withNamedActions(
          await checkEmbeddedAsync({ specFile: spec, configFile: cfg, timeoutSeconds: opts.timeoutSeconds, signal: opts.signal }),
          spec,
          cfg,
        );
  return result;
}

/**
 * TLC reports a temporal violation without naming the property: when the cfg lists several, each
 * is checked alone (a cfg copy with that PROPERTY only) and the first one violated is named, with
 * its own counterexample, as the embedded engine does. Without one, the result stays as it was.
 */
async function namingViolatedProperty(
  result: TlcCheckResult,
  cfg: string,
  tlc: (configFile: string) => Promise<TlcCheckResult>,
): Promise<TlcCheckResult> {
  if (result.verdict !== 'property' || result.property || !result.propertyCandidates || result.propertyCandidates.length < 2) return result;
  // Synchronous with its registration, so that a forced exit cannot fall between them.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-property-'));
  const release = removeOnExit(dir);
  try {
    const cfgText = await readFile(cfg, 'utf8');
    for (const p of result.propertyCandidates) {
      const single = path.join(dir, `${p}.cfg`);
      await writeFile(single, cfgWithOnlyProperty(cfgText, p));
      const r = await tlc(single);
      if (r.verdict === 'error')
        return { ...result, warnings: [...(result.warnings ?? []), `checking ${p} alone failed: ${r.error?.message}`] };
      if (r.verdict === 'property') return { ...r, seconds: result.seconds + r.seconds, property: p };
    }
    return {
      ...result,
      property: result.propertyCandidates.join(', '),
      warnings: [...(result.warnings ?? []), 'no PROPERTY is violated on its own, only together'],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    release();
  }
}

/** The embedded engine labels steps by Next's top-level disjuncts (UserNext, FsNext); name each
 *  step's action and parameters as TLC does, so counterexamples read and replay alike. */
function withNamedActions(result: CheckResult, spec: string, cfg: string): CheckResult {
  if (!result.counterexample) return result;
  const { counterexample, unlabeled } = relabelCounterexample(result.counterexample, spec, cfg);
  const note = unlabeledNote(unlabeled);
  return { ...result, counterexample, ...(note ? { warnings: [...(result.warnings ?? []), note] } : {}) };
}

/** Embedded checks run side by side at most: each is one single-threaded engine worker, and the
 *  machines this runs on have two cores. TLC runs one config at a time, on all its workers. */
const EMBEDDED_AT_ONCE = Math.max(1, Math.min(2, os.availableParallelism()));

/** Checks the named configs (all defaults for the engine when none are named): with TLC one after
 *  another, with the embedded engine EMBEDDED_AT_ONCE at a time; outcomes in the configs' order. */
export async function checkConfigs(names: string[], opts: CheckOptions = {}): Promise<ConfigOutcome[]> {
  const manifest = loadManifest();
  const engine = resolveEngine(opts.engine);
  const configs = names.length > 0 ? selectConfigs(manifest, names) : defaultConfigs(manifest, engine);
  if (names.length === 0) for (const c of manifest.configs) if (c.multiMachine) opts.onSkip?.(c, c.multiMachine);
  const out: (ConfigOutcome | undefined)[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < configs.length && !opts.signal?.aborted) {
      const i = next++;
      const c = configs[i]!;
      if (c.multiMachine) {
        out[i] = configOutcome(c, engine, {
          engine,
          verdict: 'error',
          distinctStates: 0,
          seconds: 0,
          error: { kind: 'unsupported', message: `${c.name} needs several machines: ${c.multiMachine}` },
        });
        continue;
      }
      opts.onStart?.(c, engine);
      out[i] = await checkOne(manifest, c, engine, opts);
    }
  };
  await Promise.all(Array.from({ length: engine === 'embedded' ? EMBEDDED_AT_ONCE : 1 }, lane));
  // Cut short by the signal: the configs that ran, in order.
  return out.filter((o): o is ConfigOutcome => o !== undefined);
}
