// Model-checks named configurations of the spec with TLC or the embedded engine and compares each
// verdict with the manifest's expectation. The library behind `dax-model check`.
import { checkEmbedded } from '../embedded/engine.ts';
import { relabelCounterexample, unlabeledNote } from '../embedded/relabel.ts';
import { runTlc } from '../tlc/run.ts';
import { findJava, findTlaToolsJar, TlcLocateError } from '../tlc/locate.ts';
import type { CheckResult, EngineName, Progress } from '../result/check-result.ts';
import { configFile, loadManifest, matchesExpectation, observedVerdict, selectConfigs, specFile, type ConfigEntry, type Manifest } from './manifest.ts';

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
export function defaultConfigs(manifest: Manifest, engine: EngineName): ConfigEntry[] {
  return manifest.configs.filter((c) => c.engines.includes(engine));
}

/** Checks one .cfg file (a manifest config's, or a temporary copy) of the manifest's module with
 *  one engine. */
export async function checkConfigFile(manifest: Manifest, cfg: string, engine: EngineName, opts: CheckOptions & { label?: string } = {}): Promise<CheckResult> {
  const spec = specFile(manifest);
  const label = opts.label ?? cfg;
  return engine === 'tlc'
    ? await runTlc({
        specFile: spec,
        configFile: cfg,
        workers: opts.workers ?? 'auto',
        timeoutSeconds: opts.timeoutSeconds,
        dumpTrace: true,
        onProgress: (p) => opts.onProgress?.(label, p),
        signal: opts.signal,
      })
    : withNamedActions(checkEmbedded({ specFile: spec, configFile: cfg, timeoutSeconds: opts.timeoutSeconds }), spec, cfg);
}

/** Checks one config with one engine. */
export async function checkOne(manifest: Manifest, c: ConfigEntry, engine: EngineName, opts: CheckOptions = {}): Promise<ConfigOutcome> {
  const result = await checkConfigFile(manifest, configFile(c.name), engine, { ...opts, label: c.name });
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

/** The embedded engine labels steps by Next's top-level disjuncts (UserNext, FsNext); name each
 *  step's action and parameters as TLC does, so counterexamples read and replay alike. */
function withNamedActions(result: CheckResult, spec: string, cfg: string): CheckResult {
  if (!result.counterexample) return result;
  const { counterexample, unlabeled } = relabelCounterexample(result.counterexample, spec, cfg);
  const note = unlabeledNote(unlabeled);
  return { ...result, counterexample, ...(note ? { warnings: [...(result.warnings ?? []), note] } : {}) };
}

/** Checks the named configs (all defaults for the engine when none are named), one after another. */
export async function checkConfigs(names: string[], opts: CheckOptions = {}): Promise<ConfigOutcome[]> {
  const manifest = loadManifest();
  const engine = resolveEngine(opts.engine);
  const configs = names.length > 0 ? selectConfigs(manifest, names) : defaultConfigs(manifest, engine);
  const out: ConfigOutcome[] = [];
  for (const c of configs) {
    if (opts.signal?.aborted) break;
    opts.onStart?.(c, engine);
    out.push(await checkOne(manifest, c, engine, opts));
  }
  return out;
}
