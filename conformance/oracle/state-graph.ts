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
import { initAndNext, type NextTree, nextActions } from '../../lib/tla/spec-actions.ts';
import { runTlcInDir } from '../../lib/tlc/run.ts';
import { flattenModule } from '../../lib/tla/flatten.ts';
import { tlaCheckerApi } from '../../lib/embedded/wasm.ts';
import { normalizeState, valueKey } from '../../lib/values/canonical.ts';
import { parseTlaState, parseTlaValue } from '../../lib/values/tlc-text.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { TASK_VARIABLES } from '../mapping.ts';
import type { EnabledTasks } from './step-oracle.ts';

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
   *  graph), else by the embedded engine, unless `engine` names one. */
  static forConfig(config: string, opts: { cacheDir?: string; maxStates?: number; engine?: EngineName } = {}): StateGraph {
    const hash = specHash(config);
    const dir = opts.cacheDir ?? defaultCacheDir();
    const file = path.join(dir, `graph-v${GRAPH_FORMAT}-${path.basename(config, '.cfg')}-${hash.slice(0, 16)}.json`);
    try {
      const g = JSON.parse(readFileSync(file, 'utf8')) as GraphFile;
      if (g.specHash === hash) return new StateGraph(g);
    } catch {
      // not cached yet
    }
    const g = opts.engine === 'tlc' || (opts.engine === undefined && tlcUnavailableReason() === null) ? buildGraphWithTlc(config, hash) : buildGraph(config, hash, opts.maxStates ?? 2_000_000);
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(g));
    renameSync(tmp, file);
    return new StateGraph(g);
  }
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

/** Parses one DOT node label ("var=value\nvar=value...") into a state. */
function parseNodeLabel(label: string): TlaState {
  const state: TlaState = {};
  for (const line of label.split('\\n')) {
    const eq = line.indexOf('=');
    const name = line.slice(0, eq);
    // The engine prints booleans in lower case; TLA+ (and our reader) spells them TRUE/FALSE.
    const text = line.slice(eq + 1).replace(/\\"/g, '"').replace(/"(?:[^"\\]|\\.)*"|\b(true|false)\b/g, (m, b?: string) => (b ? b.toUpperCase() : m));
    state[name] = parseTlaValue(text);
  }
  return state;
}

function buildGraph(config: string, hash: string, maxStates: number): GraphFile {
  const manifest = loadManifest();
  const flat = flattenModule(specFile(manifest));
  const cfgPath = config.endsWith('.cfg') ? config : configFile(config);
  const parsed = parseCfg(readFileSync(cfgPath, 'utf8'));
  // The graph is the model's reachable states: invariants and properties are the checker's
  // business, not the oracle's, and a variant's graph must go past its first violation.
  const model = adaptModel(flat, { ...parsed, invariants: [], properties: [] });
  const api = tlaCheckerApi();
  const r = JSON.parse(
    api.check_spec_with_options(model.source, JSON.stringify({ cfg_source: model.cfg, max_states: maxStates, max_depth: 4_294_967_295, allow_deadlock: true, export_dot: true, dot_mode: 'full' })),
  ) as { success: boolean; error_type?: string; error_message?: string; dot?: string };
  if (!r.success || !r.dot) throw new StateGraphError(`${cfgPath}: cannot build the state graph: ${r.error_type ?? ''} ${r.error_message ?? ''}`.trim());
  const nodeIds = new Map<string, number>();
  const full: TlaState[] = [];
  const named: [string, string, string][] = [];
  const nodeRe = /^\s*(s\d+) \[label="(.*)"\];$/;
  const edgeRe = /^\s*(s\d+) -> (s\d+) \[label="([^"]*)"\];$/;
  for (const line of r.dot.split('\n')) {
    const n = nodeRe.exec(line);
    if (n) {
      nodeIds.set(n[1]!, full.length);
      full.push(normalizeState(parseNodeLabel(n[2]!)));
      continue;
    }
    const e = edgeRe.exec(line);
    if (e) named.push([e[1]!, e[2]!, e[3]!]);
  }
  return graphFile(hash, config, full, resolveEdges(named, nodeIds, (group) => group, cfgPath));
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

/** Which top-level disjunct of Next (UserNext, FsNext, SyncNext) each action falls under: the
 *  embedded engine's edge labels, which TLC's name the action itself. */
function actionGroups(source: string, next: string): Map<string, string> {
  const { tree, helpers } = nextActions(source, next);
  const groups = new Map<string, string>();
  const leaves = (t: NextTree, group: string): void => {
    if (t.kind === 'or') t.items.forEach((x) => leaves(x, group));
    else if (t.kind === 'exists') leaves(t.body, group);
    else if (t.helper) leaves(helpers.find((h) => h.def.name === t.name)!.tree, group);
    else groups.set(t.name, group);
  };
  const tops = tree.kind === 'or' ? tree.items : [tree];
  for (const top of tops) {
    let t = top;
    while (t.kind === 'exists') t = t.body;
    leaves(top, t.kind === 'call' ? t.name : next);
  }
  return groups;
}

/** Unescapes a DOT label: \" and \\ as TLC writes them, \n as a line break. */
function dotText(label: string): string {
  return label.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

/**
 * The graph from TLC's `-dump dot,actionlabels`, with the model's invariants and properties left
 * out (as buildGraph does) and no deadlock check, in a temporary folder of its own.
 */
function buildGraphWithTlc(config: string, hash: string): GraphFile {
  const manifest = loadManifest();
  const flat = flattenModule(specFile(manifest));
  const cfgPath = config.endsWith('.cfg') ? config : configFile(config);
  const cfgText = readFileSync(cfgPath, 'utf8');
  const groups = actionGroups(flat.source, initAndNext(flat.source, parseCfg(cfgText)).next);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-graph-'));
  try {
    for (const m of flat.modules) copyFileSync(m.path, path.join(dir, path.basename(m.path)));
    // Keep the constants, the behaviour spec and any constraint; drop what checks states.
    const kept = cfgText.split('\n').filter((l) => !/^\s*(INVARIANTS?|PROPERTY|PROPERTIES|SYMMETRY|CHECK_DEADLOCK)\b/.test(l));
    writeFileSync(path.join(dir, 'graph.cfg'), kept.join('\n'));
    const p = runTlcInDir(dir, ['-workers', '1', '-deadlock', '-metadir', 'meta', '-dump', 'dot,actionlabels', 'graph.dot', '-config', 'graph.cfg', path.basename(flat.modules[0]!.path)], 600_000);
    if (p.status !== 0) throw new StateGraphError(`${cfgPath}: TLC could not dump the state graph (${p.status === null ? p.error : `exit ${p.status}`}): ${p.stdout.split('\n').filter((l) => /Error|error/.test(l)).slice(0, 2).join(' ')}`);
    const dot = readFileSync(path.join(dir, 'graph.dot'), 'utf8');
    const ids = new Map<string, number>();
    const full: TlaState[] = [];
    const named: [string, string, string][] = [];
    const seen = new Set<string>();
    const nodeRe = /^(-?\d+) \[label="((?:[^"\\]|\\.)*)"/;
    const edgeRe = /^(-?\d+) -> (-?\d+) \[label="((?:[^"\\]|\\.)*)"/;
    for (const line of dot.split('\n')) {
      const e = edgeRe.exec(line);
      if (e) {
        // A strict digraph: TLC may write an edge twice.
        if (!seen.has(`${e[1]}>${e[2]}`)) named.push([e[1]!, e[2]!, e[3]!]);
        seen.add(`${e[1]}>${e[2]}`);
        continue;
      }
      const n = nodeRe.exec(line);
      if (!n || ids.has(n[1]!)) continue;
      ids.set(n[1]!, full.length);
      full.push(normalizeState(parseTlaState(dotText(n[2]!))));
    }
    // TLC labels an edge with the action and its arguments: GupFastReadPte(u1,f1,0).
    return graphFile(hash, config, full, resolveEdges(named, ids, (l) => groups.get(/^[A-Za-z0-9_]+/.exec(l)?.[0] ?? ''), cfgPath));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
