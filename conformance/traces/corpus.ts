// Generates the conformance trace corpus: behaviours of the spec under a config, from TLC's
// random simulation (-simulate num=N -depth D -seed S) or seeded random walks through the embedded
// engine, plus directed traces (BFS to the nearest uncovered action or branch), written as ITF
// (conformance/trace-formats/itf.ts) into conformance/traces/<config>/ with manifest.json.
// Stands for TLC's -simulate and its BFS counterexamples used as test generators.
import { seededRandom as prng } from '../../lib/values/seeded-random.ts';
import { specHash } from '../../lib/check/spec-hash.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type EngineChoice, resolveEngine, tlcUnavailableReason } from '../../lib/check/check.ts';
import { loadManifest, specFile as manifestSpecFile } from '../../lib/check/manifest.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import type { EngineName, TraceStep } from '../../lib/result/check-result.ts';
import { checkEmbeddedAsync } from '../../lib/embedded/engine.ts';
import { interruptionPoint, removeOnExit } from '../../lib/interrupt.ts';
import { Explorer } from '../../lib/embedded/explorer.ts';
import { tlaCheckerVersion } from '../../lib/embedded/wasm.ts';
import { tlcVersion } from '../../lib/tlc/locate.ts';
import { runTlc } from '../../lib/tlc/run.ts';
import type { TlaState } from '../../lib/values/value.ts';
import { readItf } from '../trace-formats/itf.ts';
import { type TraceSchema, loadTraceSchema } from '../trace-formats/schema.ts';
import type { SpecTrace } from '../trace-formats/spec-trace.ts';
import { readTlcSimulation } from '../trace-formats/tlc-simulation.ts';
import { CorpusError, loadCorpusManifest, TRACES_DIR } from './corpus-manifest.ts';
import { buildLabeledModel, ghostTags, type LabeledModel, unlabelStep } from '../../lib/embedded/labeled.ts';
import { BRANCHES, type Coverage, branchesOf, coverage, stepTargets } from './targets.ts';
import { writeCorpus } from './corpus-write.ts';

/** The spec hash a corpus records (lib/check/spec-hash.ts). */
export { specHash };

import type { CorpusConfigEntry, CorpusEntry, CorpusManifest } from './corpus-manifest.ts';

/** The corpus's location and manifest (corpus-manifest.ts), for the generator's callers. */
export { CorpusError, loadCorpusManifest, MANIFEST_NAME, TRACES_DIR } from './corpus-manifest.ts';

/** Defaults of `dax-model traces`: a modest corpus (about 0.5 MB per config). */
export const DEFAULTS = { config: 'smoke', count: 10, depth: 25, seed: 1 } as const;

/** What to generate. */
export interface GenerateOptions {
  /** A config name of spec/models (e.g. "smoke") or a .cfg path. */
  config?: string;
  /** Random traces. */
  count?: number;
  /** Steps per random trace. */
  depth?: number;
  seed?: number;
  engine?: EngineChoice;
  /** The corpus folder (default conformance/traces). */
  outDir?: string;
  /** Add directed traces for what the random ones miss (default true). */
  directed?: boolean;
  /** Per TLC / engine run. */
  timeoutSeconds?: number;
  /** One line per event (traces written, directed targets found). */
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}

/** What generation did. */
export interface GenerateReport {
  config: string;
  engine: EngineName;
  engineVersion: string;
  /** The config's folder. */
  dir: string;
  traces: CorpusEntry[];
  /** Coverage of this config's traces. */
  coverage: Coverage;
  /** Coverage of the whole corpus (every config in the manifest) after writing. */
  corpusCoverage: Coverage;
  unreachable: string[];
  bytes: number;
  seconds: number;
}

/** The spec module every config checks (spec/<module>.tla of spec/models/manifest.json). */
export function specModuleFile(): string {
  return manifestSpecFile(loadManifest());
}

/** A config name's .cfg (spec/models/<name>.cfg), or the path itself when given one. */
export function configPath(config: string): string {
  return config.endsWith('.cfg') ? path.resolve(config) : path.join(REPO_ROOT, 'spec', 'models', `${config}.cfg`);
}

/** The name a config is filed under: "smoke" for smoke or spec/models/smoke.cfg. */
function configName(config: string): string {
  return path.basename(config, '.cfg');
}

/** The command line that regenerates a config's corpus. */
function regenerateCommand(config: string, engine: EngineName, count: number, depth: number, seed: number): string {
  return `npx dax-model traces ${config} --engine ${engine} --count ${count} --depth ${depth} --seed ${seed} --update-corpus`;
}

/** Generates a config's corpus and writes it atomically (see writeCorpus). @throws CorpusError */
export async function generateCorpus(opts: GenerateOptions = {}): Promise<GenerateReport> {
  const started = performance.now();
  const config = opts.config ?? DEFAULTS.config;
  const name = configName(config);
  const cfgFile = configPath(config);
  if (!existsSync(cfgFile)) throw new CorpusError(`no config ${cfgFile}`);
  const count = opts.count ?? DEFAULTS.count;
  const depth = opts.depth ?? DEFAULTS.depth;
  const seed = opts.seed ?? DEFAULTS.seed;
  if (!(Number.isInteger(count) && count >= 0)) throw new CorpusError(`--count must be a non-negative integer, not ${count}`);
  if (!(Number.isInteger(depth) && depth >= 1)) throw new CorpusError(`--depth must be a positive integer, not ${depth}`);
  if (!Number.isInteger(seed)) throw new CorpusError(`--seed must be an integer, not ${seed}`);
  if (opts.engine === 'tlc') {
    const why = tlcUnavailableReason();
    if (why) throw new CorpusError(why);
  }
  const engine = resolveEngine(opts.engine ?? 'auto');
  const outDir = path.resolve(opts.outDir ?? TRACES_DIR);
  const progress = opts.onProgress ?? (() => {});
  const spec = specModuleFile();
  const hash = specHash(config);
  const engineVersion = engine === 'tlc' ? await tlcVersion() : tlaCheckerVersion();
  const schema = loadTraceSchema({ specFile: spec, configFile: cfgFile });
  const aborted = (): void => {
    if (opts.signal?.aborted) throw new CorpusError('interrupted');
  };

  const labeled = buildLabeledModel(spec, cfgFile, BRANCHES);
  try {
    const files: { entry: CorpusEntry; trace: SpecTrace }[] = [];

    const random =
      engine === 'tlc'
        ? await tlcRandom(spec, cfgFile, schema, count, depth, seed, opts)
        : await embeddedRandom(labeled, count, depth, seed, opts);
    random.forEach((trace, k) => {
      const file = `${name}/random-${String(k + 1).padStart(3, '0')}.itf.json`;
      files.push({
        entry: { file, config: name, kind: 'random', engine, engineVersion, seed, depth, states: trace.steps.length, specHash: hash },
        trace,
      });
    });
    progress(`[${name}] ${random.length} random traces of ${depth} steps (${engine}, seed ${seed})`);

    const targets = [...schema.actions.map((a) => a.name), ...branchesOf(schema.actions).map((b) => b.name)];
    const covered = new Set<string>();
    const cover = (t: SpecTrace): void => {
      for (let i = 1; i < t.steps.length; i++)
        for (const x of stepTargets(t.steps[i - 1] as TraceStep, t.steps[i] as TraceStep)) covered.add(x);
    };
    random.forEach(cover);
    let unreachable: string[] = [];
    if (opts.directed !== false) {
      for (let n = 1; ; n++) {
        aborted();
        const remaining = targets.filter((t) => !covered.has(t));
        if (remaining.length === 0) break;
        progress(
          `[${name}] directed search ${n}: ${remaining.length} targets left (${remaining.slice(0, 4).join(', ')}${remaining.length > 4 ? ', …' : ''})`,
        );
        const found = await directed(labeled, engine, remaining, n, opts);
        if (!found) {
          unreachable = remaining;
          progress(`[${name}] not reachable under ${name}: ${remaining.join(', ')}`);
          break;
        }
        const last = found.steps.length - 1;
        const hit = stepTargets(found.steps[last - 1] as TraceStep, found.steps[last] as TraceStep).filter((t) => remaining.includes(t));
        // The engine's verdict (the ghost's name and tags, from the TLA+ conditions) and the
        // TypeScript predicates must name the same targets, or the two definitions have drifted.
        const byEngine = [found.steps[last]?.action ?? '', ...found.tags].filter((t) => remaining.includes(t));
        if (hit.length === 0 || [...hit].sort().join() !== [...byEngine].sort().join()) {
          throw new CorpusError(
            `directed trace ${n} ends in a step the engine tags ${JSON.stringify(byEngine)} but conformance/traces/targets.ts tags ${JSON.stringify(hit)}: a branch's tla and holds disagree`,
          );
        }
        cover(found);
        const file = `${name}/directed-${hit[0]}.itf.json`;
        files.push({
          entry: {
            file,
            config: name,
            kind: 'directed',
            targets: hit,
            engine,
            engineVersion,
            seed: null,
            depth: found.steps.length - 1,
            states: found.steps.length,
            specHash: hash,
          },
          trace: found,
        });
        progress(`[${name}] directed trace for ${hit.join(', ')}: ${found.steps.length - 1} steps`);
      }
    }

    const cfgEntry: CorpusConfigEntry = {
      command: regenerateCommand(name, engine, count, depth, seed),
      engine,
      engineVersion,
      count,
      depth,
      seed,
      specHash: hash,
      unreachable,
    };
    const bytes = writeCorpus(outDir, name, cfgEntry, files, schema, progress);
    const all = files.map((f) => f.trace);
    return {
      config: name,
      engine,
      engineVersion,
      dir: path.join(outDir, name),
      traces: files.map((f) => f.entry),
      coverage: coverage(all, schema.actions),
      corpusCoverage: corpusCoverage(outDir, schema),
      unreachable,
      bytes,
      seconds: Math.round(performance.now() - started) / 1000,
    };
  } finally {
    labeled.dispose();
  }
}

async function tlcRandom(
  spec: string,
  cfgFile: string,
  schema: TraceSchema,
  count: number,
  depth: number,
  seed: number,
  opts: GenerateOptions,
): Promise<SpecTrace[]> {
  if (count === 0) return [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-sim-'));
  const release = removeOnExit(dir);
  try {
    // One worker, so that the seed alone decides the traces.
    const r = await runTlc({
      specFile: spec,
      configFile: cfgFile,
      workers: 1,
      simulate: { num: count, depth, seed, traceFile: path.join(dir, 'trace') },
      signal: opts.signal,
      timeoutSeconds: opts.timeoutSeconds,
    });
    if (r.verdict === 'error') throw new CorpusError(`TLC simulation of ${cfgFile} failed: ${r.error?.kind}: ${r.error?.message}`);
    if (r.verdict !== 'holds')
      throw new CorpusError(
        `TLC simulation of ${cfgFile} found a violation (${r.verdict}${r.property ? ` ${r.property}` : ''}); the corpus is generated from configs that hold`,
      );
    const files = r.simulation?.traceFiles ?? [];
    if (files.length !== count) throw new CorpusError(`TLC simulation wrote ${files.length} trace files, expected ${count}`);
    return files.map((f) => readTlcSimulation(readFileSync(f, 'utf8'), { source: f, schema }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    release();
  }
}

async function embeddedRandom(m: LabeledModel, count: number, depth: number, seed: number, opts: GenerateOptions): Promise<SpecTrace[]> {
  if (count === 0) return [];
  const explorer = new Explorer(m.specFile, m.writeCfg('walk', []));
  const inits = explorer.initStates();
  const out: SpecTrace[] = [];
  for (let k = 0; k < count; k++) {
    await interruptionPoint(opts.signal);
    // Each walk has its own stream, so walk k does not depend on how long walk k-1 was.
    const rand = prng(Math.imul(seed, 0x9e3779b1) + k);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    let state: TlaState = pick(inits);
    const states = [state];
    for (let d = 0; d < depth; d++) {
      const next = explorer.transitions(state);
      if (next.length === 0) break;
      state = pick(next).state;
      states.push(state);
    }
    out.push({ source: `walk ${k + 1}`, format: 'itf', steps: states.map((s, i) => unlabelStep(s, i + 1, m.actions)) });
  }
  return out;
}

/** BFS (TLC, or the embedded engine's own search) to the nearest state reached by one of
 *  `remaining`; undefined when none is reachable. */
async function directed(
  m: LabeledModel,
  engine: EngineName,
  remaining: string[],
  n: number,
  opts: GenerateOptions,
): Promise<(SpecTrace & { tags: string[] }) | undefined> {
  const cfg = m.writeCfg(`directed-${n}`, remaining);
  const r =
    engine === 'tlc'
      ? await runTlc({
          specFile: m.specFile,
          configFile: cfg,
          workers: 1,
          deadlock: false,
          signal: opts.signal,
          timeoutSeconds: opts.timeoutSeconds,
        })
      : await checkEmbeddedAsync({
          specFile: m.specFile,
          configFile: cfg,
          deadlock: false,
          timeoutSeconds: opts.timeoutSeconds,
          signal: opts.signal,
        });
  if (r.verdict === 'holds') return undefined;
  if (r.verdict !== 'invariant' || !r.counterexample) {
    throw new CorpusError(
      `directed search ${n} (${engine}) did not give a trace: ${r.verdict}${r.error ? ` ${r.error.kind}: ${r.error.message}` : ''}`,
    );
  }
  const raw = r.counterexample.steps;
  const steps = raw.map((s, i) => unlabelStep(s.state, i + 1, m.actions));
  return { source: `directed ${n}`, format: 'itf', steps, tags: ghostTags((raw[raw.length - 1] as TraceStep).state) };
}

/** Reads every trace the manifest lists and returns their coverage against `schema`'s actions.
 *  @throws TraceFormatError when a file does not read. */
function corpusCoverage(dir: string, schema: TraceSchema, manifest: CorpusManifest = loadCorpusManifest(dir)): Coverage {
  const traces = manifest.traces.map((t) =>
    readItf(readFileSync(path.join(dir, t.file), 'utf8'), {
      source: t.file,
      schema: { ...schema, shapes: undefined, modelValues: undefined },
    }),
  );
  return coverage(traces, schema.actions);
}
