// The liveness part of the refinement check, wired to the modules: DaxDma's Fairness read from
// MCDaxDma (the concrete lassos that count), the promise's from DaxAbstract (what their images must
// keep), their sets evaluated under the config, the promise's steps from its explorer; the lasso
// promise-liveness.ts finds, as steps a person can read (each concrete step with the abstract step
// it maps to), with the abstract condition it breaks and why the concrete one holds on its cycle.
import path from 'node:path';
import type { Explorer } from '../../lib/embedded/explorer.ts';
import { flattenModule } from '../../lib/tla/flatten.ts';
import { formatValue } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { derivedStep, stepActor } from '../oracle/step-action.ts';
import { abstractActor, conditionText, type FairnessInstance, fairnessConditions, instances, modelValueNames } from './fairness.ts';
import { findUnfairLasso, type MappedGraph, stateKey } from './promise-liveness.ts';

/** One step of a lasso: the concrete action into `state`, and the abstract step it maps to. */
export interface LassoStep {
  action: string;
  state: TlaState;
  abs: TlaState;
  /** The promise's action the step maps to, with its actor (Apply(t1)), or "stutter". */
  absStep: string;
}

/** A fair concrete lasso whose image breaks the promise's fairness. */
export interface FairLasso {
  /** The broken condition, as TLA+ writes it: SF_vars(Apply(t1)). */
  broken: string;
  /** Why it is broken on the cycle, in one line. */
  why: string;
  /** From the initial state (its action "Init") to the cycle's first state. */
  prefix: LassoStep[];
  /** The cycle's steps, back to the prefix's last state; empty: stuttering there for ever. */
  cycle: LassoStep[];
  /** Per condition of DaxDma's Fairness, why the cycle keeps it. */
  fairness: string[];
}

/** The promise's fairness conditions for the cfg's users and tasks, and its steps from an abstract
 *  state with the action (explore_next's) and who takes it (abstractActor). */
export function promiseFairness(
  promise: Explorer,
  absInit: TlaState,
  specDir: string,
): { abstract: FairnessInstance[]; steps: (a: TlaState) => { action: string; actor: string; key: string }[] } {
  const abstractFile = path.join(specDir, 'DaxAbstract.tla');
  const abstract = instances(fairnessConditions(flattenModule(abstractFile).source, abstractFile), (set) =>
    modelValueNames(promise.evaluate(absInit, set), `${abstractFile}: ${set}`),
  );
  const actors = new Set(abstract.map((c) => c.actor));
  const steps = (a: TlaState): { action: string; actor: string; key: string }[] =>
    promise.transitions(a).map((t) => ({ action: t.action ?? '', actor: abstractActor(a, t.state, actors), key: stateKey(t.state) }));
  return { abstract, steps };
}

/** The liveness part: a fair lasso breaking the promise's fairness, or null. */
export function livenessPart(g: MappedGraph, mapper: Explorer, promise: Explorer, specDir: string): FairLasso | null {
  const concreteFile = path.join(specDir, 'MCDaxDma.tla');
  const concrete = instances(fairnessConditions(flattenModule(concreteFile).source, concreteFile), (set) =>
    modelValueNames(mapper.evaluate(g.states[0]!, set), `${concreteFile}: ${set}`),
  );
  const { abstract, steps } = promiseFairness(promise, g.abs[0]!, specDir);
  const lasso = findUnfairLasso(g, concrete, abstract, steps);
  if (!lasso) return null;
  const absStep = (from: number, to: number): string => {
    if (g.absKeys[from] === g.absKeys[to]) return 'stutter';
    const t = steps(g.abs[from]!).find((x) => x.key === g.absKeys[to]);
    return t ? (t.actor ? `${t.action}(${t.actor})` : t.action) : 'no step of the promise';
  };
  const step = (from: number, to: number, group: string): LassoStep => ({
    action: derivedStep(group, g.states[from]!, g.states[to]!).action || group,
    state: g.states[to]!,
    abs: g.abs[to]!,
    absStep: absStep(from, to),
  });
  const groupOf = (a: number, b: number): string => g.edges.find(([x, y]) => x === a && y === b)![2];
  const prefix: LassoStep[] = [{ action: 'Init', state: g.states[0]!, abs: g.abs[0]!, absStep: 'Init' }];
  for (let i = 1; i < lasso.prefix.length; i++)
    prefix.push(step(lasso.prefix[i - 1]!, lasso.prefix[i]!, groupOf(lasso.prefix[i - 1]!, lasso.prefix[i]!)));
  const loopStates = [lasso.prefix.at(-1)!, ...lasso.cycle.slice(0, -1)];
  const cycle = lasso.cycleEdges.map((e) => step(g.edges[e]![0], g.edges[e]![1], g.edges[e]![2]));
  return {
    broken: conditionText(lasso.broken),
    why: brokenWhy(lasso.broken, loopStates, g, steps),
    prefix,
    cycle,
    fairness: concrete.map((c) => keptWhy(c, loopStates, lasso.cycleEdges, g)),
  };
}

/** Why the abstract condition fails on the loop's states. */
function brokenWhy(
  c: FairnessInstance,
  loop: number[],
  g: MappedGraph,
  steps: (a: TlaState) => { action: string; actor: string }[],
): string {
  const on = loop.filter((s) => steps(g.abs[s]!).some((t) => t.action === c.action && t.actor === c.actor)).length;
  const where = loop.length === 1 ? 'in the state it stutters in' : `in ${on} of the cycle's ${loop.length} states`;
  const detail =
    c.action === 'Apply'
      ? `; ${c.actor}'s ${formatValue(field(g.abs[loop[0]!]!, 'pending', c.actor))} stays pending`
      : c.action === 'EndDma'
        ? `; ${c.actor}'s pin ${formatValue(field(g.abs[loop[0]!]!, 'pin', c.actor))} never ends`
        : '';
  return `${c.action}(${c.actor}) is enabled ${where} and never taken${detail}: ${conditionText(c)} forbids that`;
}

/** Why a concrete condition holds on the cycle: a step of it is taken, or it is disabled. */
function keptWhy(c: FairnessInstance, loop: number[], cycleEdges: number[], g: MappedGraph): string {
  const name = conditionText(c);
  const taken = cycleEdges.findIndex((e) => g.edges[e]![2] === c.action && actorOf(g, e) === c.actor);
  if (taken >= 0) return `${name}: taken, cycle step ${taken + 1}`;
  const enabledIn = loop.filter((s) =>
    g.edges.some(([a, b, grp], e) => a === s && a !== b && grp === c.action && actorOf(g, e) === c.actor),
  );
  if (enabledIn.length === 0) return `${name}: never enabled on the cycle`;
  return `${name}: disabled in ${loop.length - enabledIn.length} of the cycle's ${loop.length} states`;
}

function actorOf(g: MappedGraph, e: number): string {
  const [a, b] = g.edges[e]!;
  return stepActor(g.states[a]!, g.states[b]!);
}

/** fn[key] of a function-valued variable keyed by model values. */
function field(s: TlaState, variable: string, key: string): TlaValue {
  const entries = (s[variable] as { '#map'?: [TlaValue, TlaValue][] })['#map'] ?? [];
  const hit = entries.find(([k]) => (k as { '#model'?: string })['#model'] === key);
  if (!hit) throw new Error(`${variable}[${key}] is not in the abstract state`);
  return hit[1];
}
