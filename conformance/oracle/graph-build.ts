// Building a state graph (state-graph.ts): from TLC's -dump dot,actionlabels or the embedded
// engine's DOT export, each edge attributed (step-action.ts), each state written once as its
// integer vector (refinement/state-code.ts), into the compact arrays of graph-store.ts.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { adaptModel } from '../../lib/embedded/adapt.ts';
import { parseCfg } from '../../lib/tla/cfg.ts';
import { initAndNext } from '../../lib/tla/spec-actions.ts';
import { runTlc } from '../../lib/tlc/run.ts';
import { InterruptedError, removeOnExit } from '../../lib/interrupt.ts';
import { flattenModule } from '../../lib/tla/flatten.ts';
import { checkSpecRawAsync } from '../../lib/embedded/engine.ts';
import { normalizeState } from '../../lib/values/canonical.ts';
import type { TlaState } from '../../lib/values/value.ts';
import type { StateCoder } from '../refinement/state-code.ts';
import { actionGroups, parseEngineDot, parseTlcDot } from './dot.ts';
import { edgesBySource, type GraphData, StateIndex, stateArray } from './graph-store.ts';
import { derivedStep, type SpecStep, tlcStep } from './step-action.ts';

/** The graph could not be built (engine error, model too large). */
export class StateGraphError extends Error {
  override name = 'StateGraphError';
}

/** How often a graph build reports progress, at most this many seconds apart. */
const PROGRESS_SECONDS = 2;

/** The flattened spec and the config's text (a name of spec/models or a .cfg path). */
function modelSource(config: string): { flat: ReturnType<typeof flattenModule>; cfgPath: string; cfgText: string } {
  const flat = flattenModule(specFile(loadManifest()));
  const cfgPath = config.endsWith('.cfg') ? config : configFile(config);
  return { flat, cfgPath, cfgText: readFileSync(cfgPath, 'utf8') };
}

export async function buildGraph(
  config: string,
  hash: string,
  coder: StateCoder,
  maxStates: number,
  progress: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<GraphData> {
  const { flat, cfgPath, cfgText } = modelSource(config);
  const parsed = parseCfg(cfgText);
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
  return graphData(
    hash,
    config,
    coder,
    resolveEdges(d.edges, d.ids, (group, from, to) => derivedStep(group, d.states[from]!, d.states[to]!), cfgPath),
    d.states,
    cfgPath,
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

/** A graph from its edges by state index, each with its step, kept once per (from, to, actor,
 *  action), and its states, each written as its vector by `coder`.
 *  @throws StateGraphError when a state has no vector, or two states share one. */
function graphData(
  hash: string,
  config: string,
  coder: StateCoder,
  steps: [number, number, SpecStep][],
  full: TlaState[],
  cfgPath: string,
): GraphData {
  const labels: string[] = [];
  const index = new Map<string, number>();
  const label = (l: string): number => {
    let i = index.get(l);
    if (i === undefined) index.set(l, (i = labels.push(l) - 1));
    return i;
  };
  const edges: number[] = [];
  const seen = new Set<string>();
  for (const [from, to, step] of steps) {
    const key = `${from}>${to} ${step.group} ${step.actor} ${step.action}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push(from, to, label(step.group), label(step.actor), label(step.action));
  }
  if (labels.length > 65535) throw new StateGraphError(`${cfgPath}: ${labels.length} distinct edge labels, more than 65,535`);
  const w = coder.width;
  const slots = new Int32Array(full.length * w);
  full.forEach((s, i) => {
    const bad = coder.encodeState(normalizeState(s), slots, i * w);
    if (bad !== null) throw new StateGraphError(`${cfgPath}: state ${i} of the graph has no vector: variable ${bad} (state-code.ts)`);
  });
  // DaxDma's Init is deterministic, and both engines write the initial state first.
  const g: GraphData = {
    specHash: hash,
    config,
    coder: coder.fingerprint,
    width: w,
    states: stateArray(slots),
    init: Int32Array.of(0),
    ...edgesBySource(full.length, Int32Array.from(edges)),
    labels,
  };
  // Distinct states must have distinct vectors, or the oracle would take one for the other.
  const ids = new StateIndex(g);
  for (let i = 0; i < full.length; i++) {
    const at = ids.find(g.states, i * w);
    if (at !== i) throw new StateGraphError(`${cfgPath}: states ${at} and ${i} of the graph have the same vector (state-code.ts)`);
  }
  return g;
}

/**
 * The graph from TLC's `-dump dot,actionlabels`, with the model's invariants and properties left
 * out (as buildGraph does) and no deadlock check, in a temporary folder of its own.
 */
export async function buildGraphWithTlc(
  config: string,
  hash: string,
  coder: StateCoder,
  progress: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<GraphData> {
  const { flat, cfgPath, cfgText } = modelSource(config);
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
    return graphData(hash, config, coder, resolveEdges(d.edges, d.ids, stepOf, cfgPath), d.states, cfgPath);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    release();
  }
}
