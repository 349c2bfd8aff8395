// The whole reachable state graph of a small model, as an oracle for step validation: a step of the
// implementation conforms iff its mapped (before, after) pair is an edge taken by the same task
// (or the mm) with the action its label names (step-action.ts). Built once per spec hash
// from TLC's -dump dot,actionlabels when TLC is found, else from the embedded engine's DOT export
// (check_spec_with_options, export_dot), reporting progress while it builds, and cached in the
// user's cache directory (graphCacheDir), where it survives `npm ci`. Either build runs off this
// thread (TLC in its own process group, the engine in a worker) and stops when its signal aborts.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { specHash } from '../../lib/check/spec-hash.ts';
import { tlcUnavailableReason } from '../../lib/check/check.ts';
import type { EngineName } from '../../lib/result/check-result.ts';
import { adaptModel } from '../../lib/embedded/adapt.ts';
import { parseCfg } from '../../lib/tla/cfg.ts';
import { initAndNext } from '../../lib/tla/spec-actions.ts';
import { runTlc } from '../../lib/tlc/run.ts';
import { InterruptedError, removeOnExit } from '../../lib/interrupt.ts';
import { flattenModule } from '../../lib/tla/flatten.ts';
import { checkSpecRawAsync } from '../../lib/embedded/engine.ts';
import { normalizeState, valueKey } from '../../lib/values/canonical.ts';
import type { TlaState } from '../../lib/values/value.ts';
import { actionGroups, parseEngineDot, parseTlcDot } from './dot.ts';
import { derivedStep, type SpecStep, tlcStep } from './step-action.ts';
import type { EnabledTasks } from './step-oracle.ts';

export { stepActor } from './step-action.ts';

/** The graph could not be built (engine error, model too large). */
export class StateGraphError extends Error {
  override name = 'StateGraphError';
}

// Bump when the normal form of values (lib/values/canonical.ts) changes (cached graphs hold
// fingerprints of normal-form states) or what an edge holds does. 4: each edge's action, the mm
// as an actor, one edge per (from, to, actor, action).
const GRAPH_FORMAT = 4;

const fingerprints = new WeakMap<TlaState, string>();

/** 16 bytes of sha1 over a state's canonical key: short enough to keep millions in memory.
 *  Memoised per state object, since each state of an execution is looked up twice. */
export function stateFingerprint(state: TlaState): string {
  let fp = fingerprints.get(state);
  if (fp === undefined) {
    fp = createHash('sha1')
      .update(valueKey(normalizeState(state) as never))
      .digest('base64')
      .slice(0, 22);
    fingerprints.set(state, fp);
  }
  return fp;
}

interface GraphFile {
  specHash: string;
  config: string;
  /** Fingerprint of each state, by node id. */
  states: string[];
  init: number[];
  /** Flattened (from, to) node id pairs; a pair is there once per distinct (actor, action). */
  edges: number[];
  /** Group label of each edge (UserNext / FsNext / SyncNext / MmNext), by index into `labels`. */
  edgeLabels: number[];
  labels: string[];
  /** Who takes each edge, by index into `labels`: a task, or MM_TASK for MmNext; "" where the
   *  step cannot be attributed (step-action.ts). */
  edgeActors: number[];
  /** The action of each edge, by index into `labels`: TLC's label with its arguments
   *  (GupFastReadPte(u1,f1,0)), or from the embedded engine the action derived from the states
   *  with the actor (or file) as its only argument (GupFastReadPte(u1), Mmap(f1)); "" where the
   *  step cannot be attributed. */
  edgeActions: number[];
}

/** A reachable state graph, queried by state. */
export class StateGraph {
  private readonly ids = new Map<string, number>();
  /** Edge indices by "from>to" node ids. */
  private readonly edgeSet = new Map<string, number[]>();
  /** Out-edges' actor label indices, by node id; built on first use. */
  private outActors: number[][] | undefined;

  private constructor(private readonly g: GraphFile) {
    g.states.forEach((fp, i) => this.ids.set(fp, i));
    for (let i = 0; i < g.edges.length; i += 2) {
      const key = `${g.edges[i]}>${g.edges[i + 1]}`;
      const at = this.edgeSet.get(key);
      if (at) at.push(i / 2);
      else this.edgeSet.set(key, [i / 2]);
    }
  }

  /** The tasks that can take a step from `s`, or null when `s` is not reachable. */
  enabledTasks(s: TlaState): EnabledTasks | null {
    const id = this.ids.get(stateFingerprint(s));
    if (id === undefined) return null;
    if (!this.outActors) {
      this.outActors = Array.from({ length: this.g.states.length }, () => []);
      for (let i = 0; i < this.g.edges.length; i += 2) this.outActors[this.g.edges[i]!]!.push(this.g.edgeActors[i / 2]!);
    }
    const tasks = new Set<string>();
    let complete = true;
    for (const a of this.outActors[id]!) {
      const name = this.g.labels[a]!;
      if (name === '') complete = false;
      else tasks.add(name);
    }
    return { tasks, complete };
  }

  get stateCount(): number {
    return this.g.states.length;
  }

  get edgeCount(): number {
    return this.g.edges.length / 2;
  }

  /** Is this a reachable state of the model? */
  hasState(s: TlaState): boolean {
    return this.ids.has(stateFingerprint(s));
  }

  /** Is this an initial state? */
  isInitial(s: TlaState): boolean {
    const id = this.ids.get(stateFingerprint(s));
    return id !== undefined && this.g.init.includes(id);
  }

  /** The spec's steps from → to (group, actor, action; several when different actions or put
   *  paths lead there), or null when there is no such step. */
  steps(from: TlaState, to: TlaState): SpecStep[] | null {
    const a = this.ids.get(stateFingerprint(from));
    const b = this.ids.get(stateFingerprint(to));
    if (a === undefined || b === undefined) return null;
    const at = this.edgeSet.get(`${a}>${b}`);
    const l = this.g.labels;
    return at === undefined
      ? null
      : at.map((e) => ({ group: l[this.g.edgeLabels[e]!]!, actor: l[this.g.edgeActors[e]!]!, action: l[this.g.edgeActions[e]!]! }));
  }

  /** How far the enabledness check reaches: the states whose every out-edge has an actor
   *  (enabledTasks complete), and the edges without one. */
  completeness(): { states: number; complete: number; unattributedEdges: number } {
    const incomplete = new Set<number>();
    let unattributedEdges = 0;
    this.g.edgeActors.forEach((a, i) => {
      if (this.g.labels[a] !== '') return;
      unattributedEdges++;
      incomplete.add(this.g.edges[2 * i]!);
    });
    return { states: this.g.states.length, complete: this.g.states.length - incomplete.size, unattributedEdges };
  }

  /** The graph of a config, from the disk cache when the spec hash matches, else built now: by
   *  TLC when it is found (about 10x faster; state-graph.test.ts shows both build the same
   *  graph), else by the embedded engine, unless `engine` names one. While it builds,
   *  `onProgress` hears how far it got at least every PROGRESS_SECONDS; aborting `signal` stops
   *  the build (TLC's process group killed, the engine's worker terminated) and removes its temp
   *  folder. The cache file is written to a temp file and renamed, so no half a graph is left.
   *  @throws InterruptedError when aborted, StateGraphError when the graph cannot be built. */
  static async load(config: string, opts: GraphLoadOptions = {}): Promise<StateGraph> {
    const hash = specHash(config);
    const dir = opts.cacheDir ?? graphCacheDir();
    const file = path.join(dir, `graph-v${GRAPH_FORMAT}-${path.basename(config, '.cfg')}-${hash.slice(0, 16)}.json`);
    try {
      const g = JSON.parse(readFileSync(file, 'utf8')) as GraphFile;
      if (g.specHash === hash) return new StateGraph(g);
    } catch {
      // not cached yet
    }
    const progress = opts.onProgress ?? (() => {});
    const useTlc = opts.engine === 'tlc' || (opts.engine === undefined && tlcUnavailableReason() === null);
    progress(
      `loading the state graph of ${path.basename(config, '.cfg')}: not in the cache, building it with ${useTlc ? 'TLC' : 'the embedded engine'}`,
    );
    const g = useTlc
      ? await buildGraphWithTlc(config, hash, progress, opts.signal)
      : await buildGraph(config, hash, opts.maxStates ?? 2_000_000, progress, opts.signal);
    progress(
      `state graph of ${path.basename(config, '.cfg')}: ${g.states.length.toLocaleString('en-US')} states, ${(g.edges.length / 2).toLocaleString('en-US')} steps (${useTlc ? 'TLC' : 'embedded engine'}), cached in ${dir}`,
    );
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(g));
    renameSync(tmp, file);
    return new StateGraph(g);
  }
}

/** How StateGraph.load finds or builds a graph. */
export interface GraphLoadOptions {
  /** Where graphs are cached; default graphCacheDir(). */
  cacheDir?: string;
  maxStates?: number;
  engine?: EngineName;
  /** Progress lines while a graph is built (states so far), at least every PROGRESS_SECONDS. */
  onProgress?: (line: string) => void;
  /** Aborting it stops the build: load then throws InterruptedError. */
  signal?: AbortSignal;
}

/** How often a graph build reports progress, at most this many seconds apart. */
const PROGRESS_SECONDS = 2;

/** The environment variable that names the graph cache directory, overriding the default. */
export const CACHE_DIR_ENV = 'DAX_MODEL_CACHE_DIR';

/**
 * Where built state graphs are kept, keyed by spec hash: $DAX_MODEL_CACHE_DIR when set, else
 * $XDG_CACHE_HOME/dax-model, else ~/.cache/dax-model (the XDG default). A per-user directory,
 * not node_modules/.cache, so that `npm ci` (which deletes node_modules) does not throw away
 * graphs that take a minute each to build.
 */
export function graphCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  if (env[CACHE_DIR_ENV]) return path.resolve(env[CACHE_DIR_ENV]!);
  // XDG: a relative XDG_CACHE_HOME is invalid and is ignored.
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'dax-model');
}

async function buildGraph(
  config: string,
  hash: string,
  maxStates: number,
  progress: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<GraphFile> {
  const manifest = loadManifest();
  const flat = flattenModule(specFile(manifest));
  const cfgPath = config.endsWith('.cfg') ? config : configFile(config);
  const parsed = parseCfg(readFileSync(cfgPath, 'utf8'));
  // The graph is the model's reachable states: invariants and properties are the checker's
  // business, not the oracle's, and a variant's graph must go past its first violation.
  const model = adaptModel(flat, { ...parsed, invariants: [], properties: [] });
  // The engine runs in a worker thread and says nothing until it is done: what can be reported
  // meanwhile is that it is still at work, and for how long.
  const started = performance.now();
  const name = path.basename(config, '.cfg');
  const ticker = setInterval(
    () =>
      progress(
        `state graph of ${name}: embedded engine at work, ${Math.round((performance.now() - started) / 1000)} s (it counts states only when done)`,
      ),
    PROGRESS_SECONDS * 1000,
  );
  let r: { success: boolean; error_type?: string; error_message?: string; dot?: string };
  try {
    r = (await checkSpecRawAsync(
      model.source,
      { cfg_source: model.cfg, max_states: maxStates, max_depth: 4_294_967_295, allow_deadlock: true, export_dot: true, dot_mode: 'full' },
      signal,
    )) as typeof r;
  } catch (e) {
    if (signal?.aborted) throw new InterruptedError(`building the state graph of ${name} was interrupted`);
    throw new StateGraphError(`${cfgPath}: cannot build the state graph: ${(e as Error).message}`);
  } finally {
    clearInterval(ticker);
  }
  if (!r.success || !r.dot)
    throw new StateGraphError(`${cfgPath}: cannot build the state graph: ${r.error_type ?? ''} ${r.error_message ?? ''}`.trim());
  const d = parseEngineDot(r.dot);
  // The engine labels an edge with Next's disjunct only: who and which action, from the states.
  return graphFile(
    hash,
    config,
    resolveEdges(d.edges, d.ids, (group, from, to) => derivedStep(group, d.states[from]!, d.states[to]!), cfgPath),
    d.states,
  );
}

/** Edges named by node ids, as state indices with their step (group, actor, action). Nodes may
 *  follow the edges that name them, so this runs once every node is read. */
function resolveEdges(
  named: [string, string, string][],
  ids: Map<string, number>,
  stepOf: (label: string, from: number, to: number) => SpecStep | undefined,
  cfgPath: string,
): [number, number, SpecStep][] {
  return named.map(([a, b, l]) => {
    const from = ids.get(a);
    const to = ids.get(b);
    const step = from === undefined || to === undefined ? undefined : stepOf(l, from, to);
    if (step === undefined) throw new StateGraphError(`${cfgPath}: the dumped graph has an edge ${a} -> ${b} (${l}) it does not explain`);
    return [from!, to!, step];
  });
}

/** A graph file from its edges by state index, each with its step, kept once per (from, to,
 *  actor, action), and its states (normal form). */
function graphFile(hash: string, config: string, steps: [number, number, SpecStep][], full: TlaState[]): GraphFile {
  const labels: string[] = [];
  const index = new Map<string, number>();
  const label = (l: string): number => {
    let i = index.get(l);
    if (i === undefined) index.set(l, (i = labels.push(l) - 1));
    return i;
  };
  const edges: number[] = [];
  const edgeLabels: number[] = [];
  const edgeActors: number[] = [];
  const edgeActions: number[] = [];
  const seen = new Set<string>();
  for (const [from, to, step] of steps) {
    const key = `${from}>${to} ${step.group} ${step.actor} ${step.action}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push(from, to);
    edgeLabels.push(label(step.group));
    edgeActors.push(label(step.actor));
    edgeActions.push(label(step.action));
  }
  // DaxDma's Init is deterministic, and both engines write the initial state first.
  return { specHash: hash, config, states: full.map(stateFingerprint), init: [0], edges, edgeLabels, labels, edgeActors, edgeActions };
}

/**
 * The graph from TLC's `-dump dot,actionlabels`, with the model's invariants and properties left
 * out (as buildGraph does) and no deadlock check, in a temporary folder of its own.
 */
async function buildGraphWithTlc(
  config: string,
  hash: string,
  progress: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<GraphFile> {
  const manifest = loadManifest();
  const flat = flattenModule(specFile(manifest));
  const cfgPath = config.endsWith('.cfg') ? config : configFile(config);
  const cfgText = readFileSync(cfgPath, 'utf8');
  const groups = actionGroups(flat.source, initAndNext(flat.source, parseCfg(cfgText)).next);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-graph-'));
  // A forced exit (a second Ctrl-C) still removes the folder; runTlc kills TLC's process group.
  const release = removeOnExit(dir);
  try {
    for (const m of flat.modules) copyFileSync(m.path, path.join(dir, path.basename(m.path)));
    // Keep the constants, the behaviour spec and any constraint; drop what checks states.
    const kept = cfgText.split('\n').filter((l) => !/^\s*(INVARIANTS?|PROPERTY|PROPERTIES|SYMMETRY|CHECK_DEADLOCK)\b/.test(l));
    writeFileSync(path.join(dir, 'graph.cfg'), kept.join('\n'));
    const name = path.basename(config, '.cfg');
    const dotFile = path.join(dir, 'graph.dot');
    const r = await runTlc({
      specFile: path.join(dir, path.basename(flat.modules[0]!.path)),
      configFile: path.join(dir, 'graph.cfg'),
      workers: 1,
      deadlock: false,
      timeoutSeconds: 600,
      extraArgs: ['-dump', 'dot,actionlabels', dotFile],
      // TLC reports progress once a minute unless told otherwise (TLCGlobals.progressInterval).
      jvmArgs: [`-Dtlc2.TLC.progressInterval=${PROGRESS_SECONDS}`],
      ...(signal ? { signal } : {}),
      onProgress: (p) =>
        progress(
          `state graph of ${name}: ${p.distinct.toLocaleString('en-US')} states so far, queue ${p.queue.toLocaleString('en-US')} (TLC, ${Math.round(p.seconds)} s)`,
        ),
    });
    if (r.error?.kind === 'interrupted') throw new InterruptedError(`building the state graph of ${name} was interrupted`);
    if (r.verdict !== 'holds')
      throw new StateGraphError(`${cfgPath}: TLC could not dump the state graph: ${r.error?.message ?? `verdict ${r.verdict}`}`);
    const dot = await readFile(dotFile, 'utf8');
    const d = parseTlcDot(dot);
    // TLC labels an edge with the action and its arguments: GupFastReadPte(u1,f1,0).
    const stepOf = (l: string): SpecStep | undefined => {
      const group = groups.get(/^[A-Za-z0-9_]+/.exec(l)?.[0] ?? '');
      return group === undefined ? undefined : tlcStep(l, group);
    };
    return graphFile(hash, config, resolveEdges(d.edges, d.ids, stepOf, cfgPath), d.states);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    release();
  }
}
