// Does a config of DaxDma refine the promise (spec/DaxAbstract.tla)? The refinement's safety part
// checked without TLC, on state graphs: TLC checks `PROPERTY AbsSafety` of spec/RefineDaxDma.tla,
// but the embedded engine cannot read INSTANCE, so here the concrete graph (the embedded engine's
// DOT export of MCDaxDma) is mapped state by state (promise-mapping.ts, MapDaxDma.tla's AbsState)
// and every edge must map to a stutter or to a step of the promise (its explore_next), every
// initial state to an initial state of the promise. Where the cfg checks AbsFairness, the liveness
// part follows (promise-liveness.ts): a fair lasso of DaxDma whose image breaks the promise's
// fairness, or none.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFile, SPEC_DIR } from '../../lib/check/manifest.ts';
import { adaptModel } from '../../lib/embedded/adapt.ts';
import { checkSpecRawAsync } from '../../lib/embedded/engine.ts';
import { Explorer } from '../../lib/embedded/explorer.ts';
import { cfgTemporalProperties, parseCfg } from '../../lib/tla/cfg.ts';
import { flattenModule } from '../../lib/tla/flatten.ts';
import { valueKey } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { parseEngineDot } from '../oracle/dot.ts';
import { derivedStep } from '../oracle/step-action.ts';
import { type FairLasso, livenessPart } from './promise-liveness-part.ts';
import { abstractState, MAPPING_PCS_EXPRESSION, type MappingPcs, mappingPcsFrom } from './promise-mapping.ts';
import { explainBrokenStep } from './promise-report.ts';

/** The promise's constants: the concrete cfg's assignments of these are its cfg. */
const ABSTRACT_CONSTANTS = ['Files', 'NumOffsets', 'Blocks', 'Users', 'FsTasks', 'FsOps', 'None'];
/** The promise's constants no DaxDma cfg assigns: MapDaxDma defines them, RefineDaxDma's INSTANCE
 *  takes them by name, and here they are evaluated there (a BOOLEAN or a number). */
const MAPPED_CONSTANTS = ['ZeroInPlace'];

/** Where the modules are read from (spec/, or a copy with another mapping). */
export interface PromiseCheckOptions {
  /** The folder holding MCDaxDma.tla, MapDaxDma.tla and DaxAbstract.tla; default spec/. */
  specDir?: string;
  /** Stop (with an error) beyond this many concrete states. Default 2,000,000. */
  maxStates?: number;
  /** Check the liveness part too. Default: where the cfg's PROPERTY lists AbsFairness, as TLC does. */
  liveness?: boolean;
}

/** A concrete step that maps to no step of the promise. */
interface BrokenStep {
  /** The concrete action, as derivedStep names it (FreeBlocks(t1)), or its Next disjunct. */
  action: string;
  from: TlaState;
  to: TlaState;
  absFrom: TlaState;
  absTo: TlaState;
  /** The abstract action the step resembles and the guard it breaks, in one line. */
  guard: string;
  /** Concrete steps from the initial state to `to` (BFS: a shortest such path). */
  depth: number;
}

/** The verdict, in the manifest's vocabulary: holds, AbsSafety or AbsFairness violated, or a
 *  deadlock (a state with no successor, where the cfg checks deadlock as TLC does by default). */
export interface PromiseCheckResult {
  verdict: 'holds' | 'AbsSafety' | 'AbsFairness' | 'deadlock';
  /** Whether the liveness part was checked. */
  liveness: boolean;
  states: number;
  edges: number;
  abstractStates: number;
  seconds: number;
  /** An initial state that maps to no initial state of the promise. */
  badInit?: { state: TlaState; abs: TlaState };
  broken?: BrokenStep;
  /** A deadlocked state and its BFS depth. */
  deadlock?: { state: TlaState; depth: number };
  /** A fair lasso whose image breaks the promise's fairness. */
  lasso?: FairLasso;
}

/** Checks the safety part of the refinement on a config of spec/models (by name) or a .cfg path. */
export async function checkPromiseRefinement(config: string, opts: PromiseCheckOptions = {}): Promise<PromiseCheckResult> {
  const started = performance.now();
  const dir = opts.specDir ?? SPEC_DIR;
  const cfgPath = config.endsWith('.cfg') ? config : configFile(config);
  const cfgText = readFileSync(cfgPath, 'utf8');
  const liveness = opts.liveness ?? cfgTemporalProperties(cfgText).includes('AbsFairness');
  const { mapper, promise, done } = promiseEngines(cfgText, dir);
  try {
    const graph = await concreteGraph(cfgPath, dir, opts.maxStates);
    const pcs: MappingPcs = mappingPcsFrom(mapper.evaluate(graph.states[0]!, MAPPING_PCS_EXPRESSION));
    const abs = graph.states.map((s) => abstractState(s, pcs));
    const key = (s: TlaState): string => valueKey(s as TlaValue);
    const absKeys = abs.map(key);
    const result = (r: Partial<PromiseCheckResult>): PromiseCheckResult => ({
      verdict: r.badInit || r.broken ? 'AbsSafety' : r.deadlock ? 'deadlock' : r.lasso ? 'AbsFairness' : 'holds',
      liveness,
      states: graph.states.length,
      edges: graph.edges.length,
      abstractStates: new Set(absKeys).size,
      seconds: (performance.now() - started) / 1000,
      ...r,
    });
    const inits = new Set(promise.initStates().map(key));
    const init = graph.states[0]!;
    if (!inits.has(absKeys[0]!)) return result({ badInit: { state: init, abs: abs[0]! } });
    const successors = new Map<string, Set<string>>();
    const depth = bfsDepths(graph.states.length, graph.edges);
    // Shallowest first, so that the step reported is the first on a shortest path, as TLC's is.
    const order = graph.edges.map((_e, i) => i).sort((a, b) => depth[graph.edges[a]![0]]! - depth[graph.edges[b]![0]]! || a - b);
    for (const i of order) {
      const [from, to, group] = graph.edges[i]!;
      if (absKeys[from] === absKeys[to]) continue;
      let next = successors.get(absKeys[from]!);
      if (!next) successors.set(absKeys[from]!, (next = new Set(promise.successors(abs[from]!).map(key))));
      if (next.has(absKeys[to]!)) continue;
      const step = derivedStep(group, graph.states[from]!, graph.states[to]!);
      return result({
        broken: {
          action: step.action || group,
          from: graph.states[from]!,
          to: graph.states[to]!,
          absFrom: abs[from]!,
          absTo: abs[to]!,
          guard: explainBrokenStep(promise, abs[from]!, abs[to]!),
          depth: depth[from]! + 1,
        },
      });
    }
    if (parseCfg(cfgText).checkDeadlock !== false) {
      const hasNext = new Uint8Array(graph.states.length);
      for (const [a] of graph.edges) hasNext[a] = 1;
      const stuck = hasNext.indexOf(0);
      if (stuck >= 0) return result({ deadlock: { state: graph.states[stuck]!, depth: depth[stuck]! } });
    }
    if (!liveness) return result({});
    const lasso = livenessPart({ states: graph.states, edges: graph.edges, abs, absKeys }, mapper, promise, dir);
    return result(lasso ? { lasso } : {});
  } finally {
    done();
  }
}

/** The embedded engine on the mapping module (MapDaxDma, the concrete cfg's constants and
 *  behaviour only) and on the promise (DaxAbstract, its constants taken from the cfg); `done`
 *  removes their temporary cfgs. */
export function promiseEngines(cfgText: string, specDir = SPEC_DIR): { mapper: Explorer; promise: Explorer; done: () => void } {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dax-promise-'));
  const done = (): void => rmSync(tmp, { recursive: true, force: true });
  try {
    const bare = path.join(tmp, 'model.cfg');
    const checks = /^\s*(INVARIANTS?|PROPERTY|PROPERTIES|SYMMETRY|CHECK_DEADLOCK)\b/;
    writeFileSync(
      bare,
      cfgText
        .split('\n')
        .filter((l) => !checks.test(l))
        .join('\n'),
    );
    const mapper = new Explorer(path.join(specDir, 'MapDaxDma.tla'), bare);
    const init = mapper.initStates()[0]!;
    const mapped = MAPPED_CONSTANTS.map((name): [string, string] => {
      const v = mapper.evaluate(init, name);
      if (typeof v !== 'boolean' && typeof v !== 'number')
        throw new Error(`MapDaxDma's ${name} is ${JSON.stringify(v)}, not a BOOLEAN or a number`);
      return [name, typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v)];
    });
    const absCfg = path.join(tmp, 'abstract.cfg');
    writeFileSync(absCfg, abstractCfg(cfgText, mapped));
    return { mapper, promise: new Explorer(path.join(specDir, 'DaxAbstract.tla'), absCfg), done };
  } catch (e) {
    done();
    throw e;
  }
}

/** The promise's cfg for a concrete cfg: its constants, those the mapping defines, Spec, no checks. */
function abstractCfg(cfgText: string, mapped: [string, string][]): string {
  const constants = parseCfg(cfgText).constants.filter((c) => ABSTRACT_CONSTANTS.includes(c.name) && c.value !== undefined);
  const lines = [...constants.map((c) => `  ${c.name} = ${c.value}`), ...mapped.map(([n, v]) => `  ${n} = ${v}`)];
  return ['CONSTANTS', ...lines, 'SPECIFICATION Spec', ''].join('\n');
}

/** The reachable graph of MCDaxDma (in `specDir`) under a cfg, its checks left out: states in
 *  normal form (the initial state first), edges by state index with Next's disjunct. */
export async function concreteGraph(
  cfgPath: string,
  specDir = SPEC_DIR,
  maxStates = 2_000_000,
): Promise<{ states: TlaState[]; edges: [number, number, string][] }> {
  const cfg = parseCfg(readFileSync(cfgPath, 'utf8'));
  const model = adaptModel(flattenModule(path.join(specDir, 'MCDaxDma.tla')), {
    ...cfg,
    invariants: [],
    properties: [],
    symmetry: undefined,
  });
  const r = (await checkSpecRawAsync(model.source, {
    cfg_source: model.cfg,
    max_states: maxStates,
    max_depth: 4_294_967_295,
    allow_deadlock: true,
    export_dot: true,
    dot_mode: 'full',
  })) as { success: boolean; error_type?: string; error_message?: string; dot?: string };
  if (!r.success || !r.dot)
    throw new Error(`${cfgPath}: cannot build the state graph: ${r.error_type ?? ''} ${r.error_message ?? ''}`.trim());
  const d = parseEngineDot(r.dot);
  const edges = d.edges.map(([a, b, l]): [number, number, string] => [d.ids.get(a)!, d.ids.get(b)!, l]);
  return { states: d.states, edges };
}

/** BFS depth of every state from state 0 (the initial state: DaxDma's Init is deterministic). */
function bfsDepths(n: number, edges: readonly [number, number, string][]): number[] {
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) out[a]!.push(b);
  const depth = new Array<number>(n).fill(Number.POSITIVE_INFINITY);
  depth[0] = 0;
  const queue = [0];
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    for (const t of out[s]!) {
      if (depth[t]! !== Number.POSITIVE_INFINITY) continue;
      depth[t] = depth[s]! + 1;
      queue.push(t);
    }
  }
  return depth;
}
