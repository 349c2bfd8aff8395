// The liveness part of the refinement of the promise on state graphs: TLC checks
// `PROPERTY AbsFairness` (DaxAbstract's Fairness through the mapping) against Spec, i.e. that every
// behaviour of DaxDma fair under DaxDma's Fairness has an image fair under the promise's. Here the
// concrete graph is searched for a counterexample: a fair lasso whose image breaks one abstract
// condition. On a finite graph such a lasso exists iff some strongly connected set of states C
// (with the steps between them, or one state stuttering) is reachable and
//  - breaks the abstract condition: WF_vars(A(p)): A(p) is enabled in every state of C and no step
//    of C is an A(p) step; SF_vars(A(p)): A(p) is enabled in some state of C and no step is one;
//  - keeps every concrete condition: SF_vars(B(q)): some step of C is a B(q) step, or B(q) is
//    enabled in no state of C; WF_vars(B(q)): a step is, or some state of C has B(q) disabled.
// Found as Streett emptiness is: the SCCs of the graph less the A(p) steps; an SCC that takes no
// B(q) step for an SF B(q) enabled in some of its states loses those states and is split again (a
// fair cycle inside it never takes B(q), so it must avoid them); one that has a WF B(q) enabled
// everywhere and never taken is dropped. Each split drops one concrete condition's enabled states
// for good, so the recursion is as deep as there are conditions.
//
// What "enabled" and "step" mean, exactly as TLC evaluates them:
//  - a concrete B(q) is enabled in s iff the graph has an edge from s of B's group (the DOT label,
//    Next's top-level disjunct) taken by q (stepActor) to another state: <B(q)>_vars, on the
//    reachable graph, which holds every successor of a reachable state;
//  - an abstract A(p) is enabled in s iff the promise has an A step (explore_next's action) taken
//    by p from abs(s) to another abstract state. TLC evaluates ENABLED of the instantiated action
//    on the mapped state the same way: it treats the primed mapping expressions as free (a mapping
//    `y <- IF x > 1 THEN 1 ELSE x` under which y' = 2 is impossible still reads ENABLED y' = 2 as
//    TRUE; checked with TLC 2.20). Here the two readings agree anyway: every abstract state is the
//    image of some valuation of DaxDma's variables (AbsOwner = extent, AbsFree = free, AbsPin and
//    AbsPending from upc/uat/uref and fpc/fop), so ENABLED under the substitution is the promise's;
//  - an edge is an A(p) step iff the promise has that step from abs(s) to abs(t), and abs changes;
//  - stuttering is a step of no action: a state may stutter for ever where nothing fair is enabled,
//    as TLC's behaviours may (its graph gives every state a stuttering self-loop).
import { valueKey } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { stepActor } from '../oracle/step-action.ts';
import type { FairnessInstance } from './fairness.ts';

/** The concrete graph and its image, as the safety part built them. */
export interface MappedGraph {
  states: readonly TlaState[];
  edges: readonly (readonly [number, number, string])[];
  abs: readonly TlaState[];
  absKeys: readonly string[];
}

/** The promise's steps from an abstract state: the action and who takes it. */
export type AbstractSteps = (abs: TlaState) => { action: string; actor: string; key: string }[];

/** A lasso of the concrete graph: state indices, the cycle returning to its first state. */
export interface GraphLasso {
  /** The abstract condition its image breaks. */
  broken: FairnessInstance;
  /** States from the initial state to the cycle's first state (included). */
  prefix: number[];
  /** The cycle's states after its first, back to it; empty: it stutters there for ever. */
  cycle: number[];
  /** Edge indices of the cycle's steps, one per cycle state. */
  cycleEdges: number[];
}

/** Searches for a fair concrete lasso whose image breaks one of `abstract`; null if there is none. */
export function findUnfairLasso(
  g: MappedGraph,
  concrete: readonly FairnessInstance[],
  abstract: readonly FairnessInstance[],
  steps: AbstractSteps,
): GraphLasso | null {
  const n = g.states.length;
  // Per edge: the concrete condition its step is (-1: none, a stutter or an unfair group).
  const edgeCond = g.edges.map(([a, b, group]) => {
    if (a === b) return -1;
    const fair = concrete.filter((c) => c.action === group);
    if (fair.length === 0) return -1;
    const actor = stepActor(g.states[a]!, g.states[b]!);
    const i = concrete.findIndex((c) => c.action === group && c.actor === actor);
    if (i < 0) throw new Error(`a ${group} step from state ${a} to ${b} is taken by no one of ${fair.map((c) => c.actor).join(', ')}`);
    return i;
  });
  // enabled[c][s]: concrete condition c's action can step from s.
  const enabled = concrete.map(() => new Uint8Array(n));
  g.edges.forEach(([a], e) => {
    if (edgeCond[e]! >= 0) enabled[edgeCond[e]!]![a] = 1;
  });
  const absStepsOf = new Map<string, ReturnType<AbstractSteps>>();
  const stepsFrom = (s: number): ReturnType<AbstractSteps> => {
    let r = absStepsOf.get(g.absKeys[s]!);
    if (!r) absStepsOf.set(g.absKeys[s]!, (r = steps(g.abs[s]!).filter((t) => t.key !== g.absKeys[s])));
    return r;
  };
  const out = adjacency(n, g.edges);
  const depthParent = bfs(n, out, g.edges);
  for (const cond of abstract) {
    const absEnabled = (s: number): boolean => stepsFrom(s).some((t) => t.action === cond.action && t.actor === cond.actor);
    const isStep = (e: number): boolean => {
      const [a, b] = g.edges[e]!;
      return (
        g.absKeys[a] !== g.absKeys[b] &&
        stepsFrom(a).some((t) => t.action === cond.action && t.actor === cond.actor && t.key === g.absKeys[b])
      );
    };
    const allowed = g.edges.map((_e, e) => !isStep(e));
    const inside = new Uint8Array(n);
    for (let s = 0; s < n; s++) if (depthParent.depth[s]! >= 0 && (cond.kind === 'SF' || absEnabled(s))) inside[s] = 1;
    const required = (s: number): boolean => cond.kind === 'WF' || absEnabled(s);
    const found = fairScc(inside, out, g.edges, allowed, edgeCond, enabled, concrete, required);
    if (!found) continue;
    const entry = found.states.filter(required).sort((a, b) => depthParent.depth[a]! - depthParent.depth[b]!)[0]!;
    const prefix = pathTo(entry, depthParent.parent, g.edges);
    const { cycle, cycleEdges } = fairCycle(entry, found, out, g.edges, allowed, enabled, concrete);
    return { broken: cond, prefix, cycle, cycleEdges };
  }
  return null;
}

/** Edge indices out of each state (self-loops left out: they are stutters). */
function adjacency(n: number, edges: MappedGraph['edges']): number[][] {
  const out: number[][] = Array.from({ length: n }, () => []);
  edges.forEach(([a, b], e) => {
    if (a !== b) out[a]!.push(e);
  });
  return out;
}

/** BFS from state 0: depth (-1 unreached) and the edge each state was first reached by. */
function bfs(n: number, out: number[][], edges: MappedGraph['edges']): { depth: Int32Array; parent: Int32Array } {
  const depth = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  depth[0] = 0;
  const queue = [0];
  for (let q = 0; q < queue.length; q++)
    for (const e of out[queue[q]!]!) {
      const t = edges[e]![1];
      if (depth[t]! >= 0) continue;
      depth[t] = depth[queue[q]!]! + 1;
      parent[t] = e;
      queue.push(t);
    }
  return { depth, parent };
}

function pathTo(s: number, parent: Int32Array, edges: MappedGraph['edges']): number[] {
  const path = [s];
  for (let e = parent[s]!; e >= 0; e = parent[edges[e]![0]]!) path.unshift(edges[e]![0]);
  return path;
}

interface Scc {
  states: number[];
  member: Uint8Array;
  /** Per concrete condition, one edge of the SCC that is its step, or -1. */
  taken: number[];
}

/** A reachable SCC, within `inside` over `allowed` edges, that holds a `required` state and keeps
 *  every concrete condition (the refinement described at the top of the file). */
function fairScc(
  inside: Uint8Array,
  out: number[][],
  edges: MappedGraph['edges'],
  allowed: boolean[],
  edgeCond: number[],
  enabled: Uint8Array[],
  concrete: readonly FairnessInstance[],
  required: (s: number) => boolean,
): Scc | null {
  const work: Uint8Array[] = [inside];
  while (work.length > 0) {
    const within = work.pop()!;
    for (const states of sccs(within, out, edges, allowed)) {
      if (!states.some(required)) continue;
      const member = new Uint8Array(within.length);
      for (const s of states) member[s] = 1;
      const taken = concrete.map(() => -1);
      for (const s of states)
        for (const e of out[s]!)
          if (allowed[e] && member[edges[e]![1]] && edgeCond[e]! >= 0 && taken[edgeCond[e]!]! < 0) taken[edgeCond[e]!] = e;
      let drop = false;
      const remove = new Uint8Array(within.length);
      let removing = false;
      concrete.forEach((c, i) => {
        if (taken[i]! >= 0) return;
        const on = states.filter((s) => enabled[i]![s]);
        if (c.kind === 'WF' && on.length === states.length) drop = true;
        if (c.kind === 'SF' && on.length > 0) {
          removing = true;
          for (const s of on) remove[s] = 1;
        }
      });
      if (drop) continue;
      if (!removing) return { states, member, taken };
      const rest = new Uint8Array(within.length);
      for (const s of states) if (!remove[s]) rest[s] = 1;
      work.push(rest);
    }
  }
  return null;
}

/** Tarjan's SCCs of the subgraph (iterative: graphs of 10^5 states overflow a recursive one). */
function sccs(within: Uint8Array, out: number[][], edges: MappedGraph['edges'], allowed: boolean[]): number[][] {
  const n = within.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const result: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (!within[root] || index[root]! >= 0) continue;
    const frames: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [v, i] = frame;
      const es = out[v]!;
      if (i < es.length) {
        frame[1]++;
        const e = es[i]!;
        const w = edges[e]![1];
        if (!allowed[e] || !within[w]) continue;
        if (index[w]! < 0) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const u = frames[frames.length - 1]![0];
        low[u] = Math.min(low[u]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        result.push(comp);
      }
    }
  }
  return result;
}

/** A cycle from `entry` through the SCC that takes one step of every concrete condition the SCC
 *  takes and visits a state where each WF condition it never takes is disabled. */
function fairCycle(
  entry: number,
  scc: Scc,
  out: number[][],
  edges: MappedGraph['edges'],
  allowed: boolean[],
  enabled: Uint8Array[],
  concrete: readonly FairnessInstance[],
): { cycle: number[]; cycleEdges: number[] } {
  const cycle: number[] = [];
  const cycleEdges: number[] = [];
  let at = entry;
  const walk = (to: number): void => {
    for (const e of pathWithin(at, to, scc.member, out, edges, allowed)) {
      cycleEdges.push(e);
      cycle.push(edges[e]![1]);
    }
    at = to;
  };
  concrete.forEach((c, i) => {
    const e = scc.taken[i]!;
    if (e >= 0) {
      walk(edges[e]![0]);
      cycleEdges.push(e);
      cycle.push(edges[e]![1]);
      at = edges[e]![1];
    } else if (c.kind === 'WF') walk(scc.states.find((s) => !enabled[i]![s])!);
  });
  if (cycle.length === 0 && scc.states.length > 1) {
    // No condition asks for a step: any cycle through the entry will do.
    const e = out[entry]!.find((x) => allowed[x]! && scc.member[edges[x]![1]])!;
    cycleEdges.push(e);
    cycle.push(edges[e]![1]);
    at = edges[e]![1];
  }
  walk(entry);
  return { cycle, cycleEdges };
}

/** A shortest path's edges from `from` to `to` inside the SCC. */
function pathWithin(
  from: number,
  to: number,
  member: Uint8Array,
  out: number[][],
  edges: MappedGraph['edges'],
  allowed: boolean[],
): number[] {
  if (from === to) return [];
  const parent = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let q = 0; q < queue.length && !parent.has(to); q++)
    for (const e of out[queue[q]!]!) {
      const t = edges[e]![1];
      if (!allowed[e] || !member[t] || parent.has(t)) continue;
      parent.set(t, e);
      queue.push(t);
    }
  const path: number[] = [];
  for (let s = to; s !== from; s = edges[parent.get(s)!]![0]) path.unshift(parent.get(s)!);
  return path;
}

/** valueKey of a state, as the graph keys its images. */
export const stateKey = (s: TlaState): string => valueKey(s as TlaValue);
