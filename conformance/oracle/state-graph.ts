// The whole reachable state graph of a small model, as an oracle for step validation: a step of the
// implementation conforms iff its mapped (before, after) pair is an edge taken by the same task
// (or the mm) with the action its label names (step-action.ts). Built once per spec hash
// from TLC's -dump dot,actionlabels when TLC is found, else from the embedded engine's DOT export
// (check_spec_with_options, export_dot), reporting progress while it builds, and cached in the
// user's cache directory (graphCacheDir), where it survives `npm ci`. Either build runs off this
// thread (TLC in its own process group, the engine in a worker; graph-build.ts) and stops when its
// signal aborts. Held compactly (graph-store.ts): states as integer vectors (state-code.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { specHash } from '../../lib/check/spec-hash.ts';
import { tlcUnavailableReason } from '../../lib/check/check.ts';
import type { EngineName } from '../../lib/result/check-result.ts';
import { normalizeState, valueKey } from '../../lib/values/canonical.ts';
import type { TlaState } from '../../lib/values/value.ts';
import { readModelConstants } from '../model/model.ts';
import { StateCoder } from '../refinement/state-code.ts';
import { buildGraph, buildGraphWithTlc } from './graph-build.ts';
import { type GraphData, readGraph, StateIndex, writeGraph } from './graph-store.ts';
import type { SpecStep } from './step-action.ts';
import type { EnabledTasks } from './step-oracle.ts';

export { stepActor } from './step-action.ts';
export { StateGraphError } from './graph-build.ts';

// Bump when what the cache file holds changes (graph-store.ts). 5: states as the integer vectors
// of refinement/state-code.ts (the coder's fingerprint in the header), edges as typed arrays, in
// one binary file. 4: each edge's action, the mm as an actor, one edge per (from, to, actor, action).
const GRAPH_FORMAT = 5;

const fingerprints = new WeakMap<TlaState, string>();

/** 16 bytes of sha1 over a state's canonical key (the invariant cache's key, graph-oracle.ts).
 *  Memoised per state object. */
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

/** The coder of a config's model (its constants), as the live side builds it from the system. */
function coderOfConfig(config: string): StateCoder {
  const c = readModelConstants(config);
  return new StateCoder({ ...c, offsets: c.numOffsets });
}

/** A reachable state graph, queried by state (TLA+ values) or by vector (state-code.ts). */
export class StateGraph {
  readonly coder: StateCoder;
  private readonly index: StateIndex;
  private readonly labelIds = new Map<string, number>();
  /** By state id: its enabled tasks, built on first use. */
  private readonly enabled = new Map<number, EnabledTasks>();
  private readonly scratch: Int32Array;

  private constructor(
    private readonly g: GraphData,
    coder?: StateCoder,
  ) {
    this.coder = coder ?? coderOfConfig(g.config);
    this.index = new StateIndex(g);
    g.labels.forEach((l, i) => this.labelIds.set(l, i));
    this.scratch = new Int32Array(g.width);
  }

  /** The id of a state given as TLA+ values, or -1 (not reachable, or no vector: no such state). */
  idOfState(s: TlaState): number {
    return this.coder.encodeState(normalizeState(s), this.scratch) === null ? this.index.find(this.scratch) : -1;
  }

  /** The id of a state given as its vector (written by this graph's coder), or -1. */
  idOfSlots(v: ArrayLike<number>, pos = 0): number {
    return this.index.find(v, pos);
  }

  /** A label's id (a group, task or action name), or -1 when no edge has it. */
  labelId(l: string): number {
    return this.labelIds.get(l) ?? -1;
  }

  label(id: number): string {
    return this.g.labels[id]!;
  }

  /** Where state `id`'s out-edges start in the edge arrays; they end where id + 1's start. */
  get edgeStart(): Int32Array {
    return this.g.outStart;
  }

  get edgeTo(): Int32Array {
    return this.g.to;
  }
  get edgeGroup(): Uint16Array {
    return this.g.group;
  }
  get edgeActor(): Uint16Array {
    return this.g.actor;
  }
  get edgeAction(): Uint16Array {
    return this.g.action;
  }

  /** The tasks that can take a step from state `id`. */
  enabledOf(id: number): EnabledTasks {
    let e = this.enabled.get(id);
    if (e === undefined) {
      const tasks = new Set<string>();
      let complete = true;
      for (let i = this.g.outStart[id]!; i < this.g.outStart[id + 1]!; i++) {
        const name = this.g.labels[this.g.actor[i]!]!;
        if (name === '') complete = false;
        else tasks.add(name);
      }
      this.enabled.set(id, (e = { tasks, complete }));
    }
    return e;
  }

  /** The tasks that can take a step from `s`, or null when `s` is not reachable. */
  enabledTasks(s: TlaState): EnabledTasks | null {
    const id = this.idOfState(s);
    return id < 0 ? null : this.enabledOf(id);
  }

  get stateCount(): number {
    return this.g.states.length / this.g.width;
  }

  get edgeCount(): number {
    return this.g.to.length;
  }

  /** Bytes held in memory by the graph's arrays and its index. */
  get bytes(): number {
    return this.index.bytes();
  }

  /** Is this a reachable state of the model? */
  hasState(s: TlaState): boolean {
    return this.idOfState(s) >= 0;
  }

  /** Is this an initial state? */
  isInitial(s: TlaState): boolean {
    const id = this.idOfState(s);
    return id >= 0 && this.g.init.includes(id);
  }

  isInitialId(id: number): boolean {
    return this.g.init.includes(id);
  }

  /** The spec's steps from → to (group, actor, action; several when different actions or put
   *  paths lead there), or null when there is no such step. */
  steps(from: TlaState, to: TlaState): SpecStep[] | null {
    const a = this.idOfState(from);
    const b = this.idOfState(to);
    if (a < 0 || b < 0) return null;
    const l = this.g.labels;
    const out: SpecStep[] = [];
    for (let e = this.g.outStart[a]!; e < this.g.outStart[a + 1]!; e++)
      if (this.g.to[e] === b) out.push({ group: l[this.g.group[e]!]!, actor: l[this.g.actor[e]!]!, action: l[this.g.action[e]!]! });
    return out.length === 0 ? null : out;
  }

  /** Every edge as [from, to, group, actor, action] (ids and names), by source. */
  edgeList(): [number, number, string, string, string][] {
    const out: [number, number, string, string, string][] = [];
    const l = this.g.labels;
    for (let a = 0; a < this.stateCount; a++)
      for (let e = this.g.outStart[a]!; e < this.g.outStart[a + 1]!; e++)
        out.push([a, this.g.to[e]!, l[this.g.group[e]!]!, l[this.g.actor[e]!]!, l[this.g.action[e]!]!]);
    return out;
  }

  /** State `id`'s vector (a view: do not keep it past the graph). */
  slotsOf(id: number): ArrayLike<number> {
    return this.g.states.subarray(id * this.g.width, (id + 1) * this.g.width);
  }

  /** How far the enabledness check reaches: the states whose every out-edge has an actor
   *  (enabledTasks complete), and the edges without one. */
  completeness(): { states: number; complete: number; unattributedEdges: number } {
    let incomplete = 0;
    let unattributedEdges = 0;
    for (let a = 0; a < this.stateCount; a++) {
      let none = 0;
      for (let e = this.g.outStart[a]!; e < this.g.outStart[a + 1]!; e++) if (this.g.labels[this.g.actor[e]!] === '') none++;
      unattributedEdges += none;
      if (none > 0) incomplete++;
    }
    return { states: this.stateCount, complete: this.stateCount - incomplete, unattributedEdges };
  }

  /** The graph of a config, from the disk cache when the spec hash matches, else built now: by
   *  TLC when it is found (about 10x faster; state-graph.test.ts shows both build the same
   *  graph), else by the embedded engine, unless `engine` names one. While it builds,
   *  `onProgress` hears how far it got at least every PROGRESS_SECONDS; aborting `signal` stops
   *  the build (TLC's process group killed, the engine's worker terminated) and removes its temp
   *  folder. The cache file is written to a temp file and renamed, so no half a graph is left.
   *  @throws InterruptedError when aborted, StateGraphError when the graph cannot be built. */
  static load(config: string, opts: GraphLoadOptions = {}): Promise<StateGraph> {
    const key = prefetchKey(config, opts);
    const ahead = prefetched.get(key);
    if (ahead !== undefined) {
      prefetched.delete(key);
      return ahead;
    }
    return StateGraph.loadNow(config, opts);
  }

  /**
   * Starts loading the graphs of `configs` now, in that order, at most BUILDS_AT_ONCE at a time
   * (each build is one engine worker or one TLC process, plus reading its dump on this thread),
   * so that a later load of the same config with the same cacheDir and engine takes over the
   * promise instead of starting again. What a suite needs one after another (fast-check on one
   * graph while the next ones build) then overlaps on two cores. A failure is kept for that load
   * to throw; a prefetch no load takes over still runs to its end, or until `signal` aborts.
   */
  static prefetch(configs: readonly string[], opts: GraphLoadOptions = {}): void {
    for (const config of configs) {
      const key = prefetchKey(config, opts);
      if (prefetched.has(key)) continue;
      const p = inBuildSlot(() => StateGraph.loadNow(config, opts));
      p.catch(() => {}); // kept for the load that takes it over
      prefetched.set(key, p);
    }
  }

  private static async loadNow(config: string, opts: GraphLoadOptions): Promise<StateGraph> {
    const hash = specHash(config);
    const coder = coderOfConfig(config);
    const dir = opts.cacheDir ?? graphCacheDir();
    const file = path.join(dir, `graph-v${GRAPH_FORMAT}-${path.basename(config, '.cfg')}-${hash.slice(0, 16)}.bin`);
    const started = performance.now();
    try {
      const bytes = readFileSync(file);
      const g = readGraph(bytes, GRAPH_FORMAT);
      if (g && g.specHash === hash && g.coder === coder.fingerprint) {
        const graph = new StateGraph(g, coder);
        graph.origin = { from: 'cache', seconds: (performance.now() - started) / 1000, fileBytes: bytes.length };
        return graph;
      }
    } catch {
      // not cached yet
    }
    const progress = opts.onProgress ?? (() => {});
    const useTlc = opts.engine === 'tlc' || (opts.engine === undefined && tlcUnavailableReason() === null);
    progress(
      `loading the state graph of ${path.basename(config, '.cfg')}: not in the cache, building it with ${useTlc ? 'TLC' : 'the embedded engine'}`,
    );
    const g = useTlc
      ? await buildGraphWithTlc(config, hash, coder, progress, opts.signal)
      : await buildGraph(config, hash, coder, opts.maxStates ?? 2_000_000, progress, opts.signal);
    progress(
      `state graph of ${path.basename(config, '.cfg')}: ${(g.states.length / g.width).toLocaleString('en-US')} states, ${g.to.length.toLocaleString('en-US')} steps (${useTlc ? 'TLC' : 'embedded engine'}), cached in ${dir}`,
    );
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const bytes = writeGraph(g, GRAPH_FORMAT);
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
    const graph = new StateGraph(g, coder);
    graph.origin = { from: 'built', seconds: (performance.now() - started) / 1000, fileBytes: bytes.length };
    return graph;
  }

  /** Where load found the graph, how long that took (reading and indexing, or building), and
   *  the size of its cache file. */
  origin: { from: 'cache' | 'built'; seconds: number; fileBytes: number } | undefined;
}

/** Graph loads StateGraph.prefetch started and no load has taken over yet, by prefetchKey. */
const prefetched = new Map<string, Promise<StateGraph>>();

/** Builds run side by side at most: the machines this runs on have two cores (CI's too). */
const BUILDS_AT_ONCE = Math.max(1, Math.min(2, os.availableParallelism()));
let buildsRunning = 0;
const waitingForSlot: (() => void)[] = [];

/** Runs `f` once fewer than BUILDS_AT_ONCE others run. */
async function inBuildSlot<T>(f: () => Promise<T>): Promise<T> {
  if (buildsRunning >= BUILDS_AT_ONCE) await new Promise<void>((resolve) => waitingForSlot.push(resolve));
  buildsRunning++;
  try {
    return await f();
  } finally {
    buildsRunning--;
    waitingForSlot.shift()?.();
  }
}

/** Loads with the same config, cache folder and engine give the same graph. */
function prefetchKey(config: string, opts: GraphLoadOptions): string {
  const name = config.endsWith('.cfg') ? path.resolve(config) : config;
  return [name, opts.cacheDir ?? graphCacheDir(), opts.engine ?? 'auto', opts.maxStates ?? ''].join('\0');
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
