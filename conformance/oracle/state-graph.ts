// The whole reachable state graph of a small model, as an oracle for step validation: a step of the
// implementation conforms iff its mapped (before, after) pair is an edge. Built once per spec hash
// from TLC's -dump dot,actionlabels when TLC is found, else from the embedded engine's DOT export
// (check_spec_with_options, export_dot), and cached on disk.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { specHash } from '../../lib/check/spec-hash.ts';
import { tlcUnavailableReason } from '../../lib/check/check.ts';
import type { EngineName } from '../../lib/result/check-result.ts';
import { adaptModel } from '../../lib/embedded/adapt.ts';
import { parseCfg } from '../../lib/tla/cfg.ts';
import { initAndNext } from '../../lib/tla/spec-actions.ts';
import { runTlcInDir, runTlcInDirAsync, type TlcInDirOutcome } from '../../lib/tlc/run.ts';
import { InterruptedError, removeOnExit } from '../../lib/interrupt.ts';
import { runEngineInWorker } from '../../lib/embedded/engine.ts';
import { flattenModule } from '../../lib/tla/flatten.ts';
import { tlaCheckerApi } from '../../lib/embedded/wasm.ts';
import { normalizeState, valueKey } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { TASK_VARIABLES } from '../mapping.ts';
import { actionGroups, parseEngineDot, parseTlcDot } from './dot.ts';

/** The graph could not be built (engine error, model too large). */
export class StateGraphError extends Error {
  override name = 'StateGraphError';
}

// Bump when the normal form of values (lib/values/canonical.ts) changes: cached graphs hold
// fingerprints of normal-form states.
const GRAPH_FORMAT = 3;

const fingerprints = new WeakMap<TlaState, string>();

/** 16 bytes of sha1 over a state's canonical key: short enough to keep millions in memory.
 *  Memoised per state object, since each state of an execution is looked up twice. */
export function stateFingerprint(state: TlaState): string {
  let fp = fingerprints.get(state);
  if (fp === undefined) {
    fp = createHash('sha1').update(valueKey(normalizeState(state) as never)).digest('base64').slice(0, 22);
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
  /** Flattened (from, to) node id pairs. */
  edges: number[];
  /** Group label of each edge (UserNext / FsNext / SyncNext), by index into `labels`. */
  edgeLabels: number[];
  labels: string[];
  /** The task that takes each edge (stepActor), by index into `labels`; "" where no one task's
   *  variables change. */
  edgeActors: number[];
}

/** What the spec lets happen in a state: the tasks that can take a step. */
export interface EnabledTasks {
  tasks: Set<string>;
  /** False when some step from the state could not be given to one task: `tasks` may then miss one. */
  complete: boolean;
}

/**
 * The task that takes the step from → to: the only task whose entries in the per-task variables
 * (mapping.ts TASK_VARIABLES) differ, or "" when none or several do.
 */
export function stepActor(from: TlaState, to: TlaState): string {
  const changed = new Set<string>();
  for (const v of TASK_VARIABLES) {
    const a = from[v];
    const b = to[v];
    if (a === undefined || b === undefined) continue;
    const before = entries(a);
    for (const [task, key] of entries(b)) if (before.get(task) !== key) changed.add(task);
  }
  // DmaComplete's wake_up_var moves the sleeper's pc too (fpc "sleep" -> "relock"): the woken
  // task is not the one stepping.
  if (changed.size === 2) {
    const fpcBefore = from.fpc === undefined ? new Map<string, string>() : entries(from.fpc);
    for (const t of changed) if (fpcBefore.get(t) === '"sleep"') changed.delete(t);
  }
  return changed.size === 1 ? [...changed][0]! : '';
}

/** A function of model values as task name → value key. */
function entries(fn: TlaValue): Map<string, string> {
  const out = new Map<string, string>();
  if (fn !== null && typeof fn === 'object' && '#map' in fn) {
    for (const [k, v] of (fn as { '#map': [TlaValue, TlaValue][] })['#map']) {
      const name = k !== null && typeof k === 'object' && '#model' in k ? (k as { '#model': string })['#model'] : valueKey(k as never);
      out.set(name, valueKey(v as never));
    }
  }
  return out;
}

/** A reachable state graph, queried by state. */
export class StateGraph {
  private readonly ids = new Map<string, number>();
  private readonly edgeSet = new Map<string, number>();
  /** Out-edges' actor label indices, by node id; built on first use. */
  private outActors: number[][] | undefined;

  private constructor(private readonly g: GraphFile) {
    g.states.forEach((fp, i) => this.ids.set(fp, i));
    for (let i = 0; i < g.edges.length; i += 2) this.edgeSet.set(`${g.edges[i]}>${g.edges[i + 1]}`, g.edgeLabels[i / 2]!);
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

  /** The group label of the edge from → to (e.g. "UserNext"), or null when there is no such step. */
  edge(from: TlaState, to: TlaState): string | null {
    const a = this.ids.get(stateFingerprint(from));
    const b = this.ids.get(stateFingerprint(to));
    if (a === undefined || b === undefined) return null;
    const l = this.edgeSet.get(`${a}>${b}`);
    return l === undefined ? null : this.g.labels[l]!;
  }

  /** The graph of a config, from the disk cache when the spec hash matches, else built now: by
   *  TLC when it is found (about 10x faster; state-graph.test.ts shows both build the same
   *  graph), else by the embedded engine, unless `engine` names one. Blocks this thread. */
  static forConfig(config: string, opts: GraphOptions = {}): StateGraph {
    const cache = graphCache(config, opts);
    if (cache.cached) return new StateGraph(cache.cached);
    const g = useTlc(opts) ? buildGraphWithTlc(config, cache.hash) : buildGraph(config, cache.hash, opts.maxStates ?? 2_000_000);
    return new StateGraph(cache.store(g));
  }

  /** forConfig without blocking this thread: TLC (in its own process group) or the embedded
   *  engine (in a worker thread) builds the graph, and aborting `signal` stops it.
   *  @throws InterruptedError when aborted, StateGraphError when the graph cannot be built. */
  static async load(config: string, opts: GraphOptions & { signal?: AbortSignal } = {}): Promise<StateGraph> {
    const cache = graphCache(config, opts);
    if (cache.cached) return new StateGraph(cache.cached);
    const g = useTlc(opts) ? await buildGraphWithTlcAsync(config, cache.hash, opts.signal) : await buildGraphAsync(config, cache.hash, opts.maxStates ?? 2_000_000, opts.signal);
    return new StateGraph(cache.store(g));
  }
}

/** Where a graph is cached, which engine builds it, and how large it may get. */
export interface GraphOptions {
  cacheDir?: string;
  maxStates?: number;
  engine?: EngineName;
}

function useTlc(opts: GraphOptions): boolean {
  return opts.engine === 'tlc' || (opts.engine === undefined && tlcUnavailableReason() === null);
}

/** The cached graph of a config, if its spec hash matches, and how to store a new one
 *  (written to a temp file and renamed, so that an interrupted write leaves no half a graph). */
function graphCache(config: string, opts: GraphOptions): { hash: string; cached?: GraphFile; store: (g: GraphFile) => GraphFile } {
  const hash = specHash(config);
  const dir = opts.cacheDir ?? defaultCacheDir();
  const file = path.join(dir, `graph-v${GRAPH_FORMAT}-${path.basename(config, '.cfg')}-${hash.slice(0, 16)}.json`);
  const store = (g: GraphFile): GraphFile => {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(g));
    renameSync(tmp, file);
    return g;
  };
  try {
    const g = JSON.parse(readFileSync(file, 'utf8')) as GraphFile;
    if (g.specHash === hash) return { hash, cached: g, store };
  } catch {
    // not cached yet
  }
  return { hash, store };
}

function defaultCacheDir(): string {
  // Inside node_modules/.cache when the repo has one (kept across runs, ignored by git).
  try {
    const nm = path.join(REPO_ROOT, 'node_modules');
    readFileSync(path.join(nm, '.package-lock.json'));
    return path.join(nm, '.cache', 'dax-model');
  } catch {
    return path.join(os.tmpdir(), 'dax-model-cache');
  }
}

/** The embedded engine's check_spec_with_options request that exports a config's graph as DOT. */
function embeddedGraphRequest(config: string, maxStates: number): { cfgPath: string; source: string; options: object } {
  const manifest = loadManifest();
  const flat = flattenModule(specFile(manifest));
  const cfgPath = config.endsWith('.cfg') ? config : configFile(config);
  const parsed = parseCfg(readFileSync(cfgPath, 'utf8'));
  // The graph is the model's reachable states: invariants and properties are the checker's
  // business, not the oracle's, and a variant's graph must go past its first violation.
  const model = adaptModel(flat, { ...parsed, invariants: [], properties: [] });
  return { cfgPath, source: model.source, options: { cfg_source: model.cfg, max_states: maxStates, max_depth: 4_294_967_295, allow_deadlock: true, export_dot: true, dot_mode: 'full' } };
}

function buildGraph(config: string, hash: string, maxStates: number): GraphFile {
  const req = embeddedGraphRequest(config, maxStates);
  const r = JSON.parse(tlaCheckerApi().check_spec_with_options(req.source, JSON.stringify(req.options))) as EngineGraphAnswer;
  return embeddedGraphFile(config, hash, req.cfgPath, r);
}

async function buildGraphAsync(config: string, hash: string, maxStates: number, signal: AbortSignal | undefined): Promise<GraphFile> {
  const req = embeddedGraphRequest(config, maxStates);
  const r = await runEngineInWorker(req.source, req.options, signal);
  if (!r.ok) {
    if (r.kind === 'interrupted') throw new InterruptedError(`building the state graph of ${config} was interrupted`);
    throw new StateGraphError(`${req.cfgPath}: cannot build the state graph: ${r.message}`);
  }
  return embeddedGraphFile(config, hash, req.cfgPath, r.result as unknown as EngineGraphAnswer);
}

interface EngineGraphAnswer {
  success: boolean;
  error_type?: string;
  error_message?: string;
  dot?: string;
}

function embeddedGraphFile(config: string, hash: string, cfgPath: string, r: EngineGraphAnswer): GraphFile {
  if (!r.success || !r.dot) throw new StateGraphError(`${cfgPath}: cannot build the state graph: ${r.error_type ?? ''} ${r.error_message ?? ''}`.trim());
  const d = parseEngineDot(r.dot);
  return graphFile(hash, config, d.states, resolveEdges(d.edges, d.ids, (group) => group, cfgPath));
}

/** Edges named by node ids, as state indices with their group. Nodes may follow the edges that
 *  name them, so this runs once every node is read. */
function resolveEdges(named: [string, string, string][], ids: Map<string, number>, groupOf: (label: string) => string | undefined, cfgPath: string): [number, number, string][] {
  return named.map(([a, b, l]) => {
    const from = ids.get(a);
    const to = ids.get(b);
    const group = groupOf(l);
    if (from === undefined || to === undefined || group === undefined) throw new StateGraphError(`${cfgPath}: the dumped graph has an edge ${a} -> ${b} (${l}) it does not explain`);
    return [from, to, group];
  });
}

/** A graph file from its states (normal form) and its edges by state index, each with its group
 *  (UserNext / FsNext / SyncNext) and, computed here, its actor. */
function graphFile(hash: string, config: string, full: TlaState[], steps: [number, number, string][]): GraphFile {
  const labels: string[] = [];
  const label = (l: string): number => {
    const i = labels.indexOf(l);
    return i < 0 ? labels.push(l) - 1 : i;
  };
  const edges: number[] = [];
  const edgeLabels: number[] = [];
  const edgeActors: number[] = [];
  for (const [from, to, group] of steps) {
    edges.push(from, to);
    edgeLabels.push(label(group));
    edgeActors.push(label(stepActor(full[from]!, full[to]!)));
  }
  // DaxDma's Init is deterministic, and both engines write the initial state first.
  return { specHash: hash, config, states: full.map(stateFingerprint), init: [0], edges, edgeLabels, labels, edgeActors };
}

/** A temporary folder with the modules and a cfg for TLC's `-dump dot,actionlabels` of a config,
 *  with the model's invariants and properties left out (as buildGraph does) and no deadlock
 *  check, and the TLC arguments that dump it. */
function tlcGraphJob(config: string): { cfgPath: string; dir: string; args: string[]; groups: Map<string, string> } {
  const manifest = loadManifest();
  const flat = flattenModule(specFile(manifest));
  const cfgPath = config.endsWith('.cfg') ? config : configFile(config);
  const cfgText = readFileSync(cfgPath, 'utf8');
  const groups = actionGroups(flat.source, initAndNext(flat.source, parseCfg(cfgText)).next);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-graph-'));
  for (const m of flat.modules) copyFileSync(m.path, path.join(dir, path.basename(m.path)));
  // Keep the constants, the behaviour spec and any constraint; drop what checks states.
  const kept = cfgText.split('\n').filter((l) => !/^\s*(INVARIANTS?|PROPERTY|PROPERTIES|SYMMETRY|CHECK_DEADLOCK)\b/.test(l));
  writeFileSync(path.join(dir, 'graph.cfg'), kept.join('\n'));
  const args = ['-workers', '1', '-deadlock', '-metadir', 'meta', '-dump', 'dot,actionlabels', 'graph.dot', '-config', 'graph.cfg', path.basename(flat.modules[0]!.path)];
  return { cfgPath, dir, args, groups };
}

const TLC_GRAPH_TIMEOUT_MS = 600_000;

function buildGraphWithTlc(config: string, hash: string): GraphFile {
  const job = tlcGraphJob(config);
  try {
    return tlcGraphFile(config, hash, job, runTlcInDir(job.dir, job.args, TLC_GRAPH_TIMEOUT_MS));
  } finally {
    rmSync(job.dir, { recursive: true, force: true });
  }
}

async function buildGraphWithTlcAsync(config: string, hash: string, signal: AbortSignal | undefined): Promise<GraphFile> {
  const job = tlcGraphJob(config);
  const release = removeOnExit(job.dir);
  try {
    const p = await runTlcInDirAsync(job.dir, job.args, { timeoutMs: TLC_GRAPH_TIMEOUT_MS, ...(signal ? { signal } : {}) });
    if (p.interrupted) throw new InterruptedError(`building the state graph of ${config} was interrupted`);
    return tlcGraphFile(config, hash, job, p);
  } finally {
    rmSync(job.dir, { recursive: true, force: true });
    release();
  }
}

/** The graph TLC dumped, or a one-line StateGraphError saying why there is none. */
function tlcGraphFile(config: string, hash: string, job: ReturnType<typeof tlcGraphJob>, p: TlcInDirOutcome): GraphFile {
  const { cfgPath, dir, groups } = job;
  if (p.status !== 0) {
    const said = [...p.stdout.split('\n'), ...(p.stderr ?? '').split('\n')].filter((l) => /Error|error/.test(l)).slice(0, 2).join(' ');
    throw new StateGraphError(`${cfgPath}: TLC could not dump the state graph (${p.status === null ? p.error : `exit ${p.status}`}): ${said}`);
  }
  const d = parseTlcDot(readFileSync(path.join(dir, 'graph.dot'), 'utf8'));
  // TLC labels an edge with the action and its arguments: GupFastReadPte(u1,f1,0).
  return graphFile(hash, config, d.states, resolveEdges(d.edges, d.ids, (l) => groups.get(/^[A-Za-z0-9_]+/.exec(l)?.[0] ?? ''), cfgPath));
}
