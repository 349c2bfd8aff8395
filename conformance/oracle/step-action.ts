// Who takes a step of the spec and which action it is, for the step oracles to compare with the
// implementation's step (its task and its label, which is the name of the spec action it
// performs: impl/README.md). TLC's `-dump dot,actionlabels` names the action and its arguments
// (GupFastReadPte(u1,f1,0)); the embedded engine's DOT export and explore_next name only the
// top-level disjunct of Next (UserNext, MmNext, ...), so there the action is derived from the
// states: a task's pc before the step is the name of the action it takes ("idle" stands before
// the one action that starts an operation, mapping.ts TASK_ACTIONS), and the mm's action is
// Munmap or Mmap as the file's vma goes from TRUE or from FALSE.
import { MM_TASK, type SpecFsOp } from '../../impl/index.ts';
import { loadManifest, specFile } from '../../lib/check/manifest.ts';
import { flattenModule } from '../../lib/tla/flatten.ts';
import { nextActions } from '../../lib/tla/spec-actions.ts';
import { formatValue, normalize, valueKey } from '../../lib/values/canonical.ts';
import { parseTlaValueList } from '../../lib/values/tlc-text.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { TASK_ACTIONS, TASK_VARIABLES } from '../refinement/mapping.ts';
import type { RecordedStep } from './step-oracle.ts';

/** Per kind of task, the one table of its steps' sub-relation of Next (the groups of the graph's
 *  edges) and, for a task with a pc, its pc variable and the action each pc value stands before:
 *  the pc itself (the spec names a pc after the action taken next), "idle" the kind's starting
 *  action (mapping.ts TASK_ACTIONS: GupFastReadPte, FsLockIo, WritebackLockEntry), and "sleep"
 *  none (a sleeper is woken by another task's step). The mm has no pc: its action is read off the
 *  vma (derivedStep). */
const TASK_KINDS: Record<RecordedStep['taskKind'], { group: string; pc?: { variable: string; byPc: Map<string, string> } }> = {
  user: { group: 'UserNext', pc: { variable: 'upc', byPc: byPc(TASK_ACTIONS.user) } },
  fs: { group: 'FsNext', pc: { variable: 'fpc', byPc: byPc(TASK_ACTIONS.fs) } },
  syncer: { group: 'SyncNext', pc: { variable: 'spc', byPc: byPc(TASK_ACTIONS.syncer) } },
  mm: { group: 'MmNext' },
};

/** Which sub-relation of Next a task's steps come from, by kind of task (TASK_KINDS). */
export const GROUP = Object.fromEntries(Object.entries(TASK_KINDS).map(([kind, k]) => [kind, k.group])) as Record<
  RecordedStep['taskKind'],
  string
>;

/** A group's pc variable and actions (TASK_KINDS), by group. */
const PC_ACTIONS = new Map(Object.values(TASK_KINDS).flatMap((k) => (k.pc ? [[k.group, k.pc] as const] : [])));

/** One step of the spec between two states: its group, who takes it (a task, or MM_TASK for
 *  MmNext), and the action, "Name(args)" (TLC: all the arguments; derived: the actor, or the
 *  file for the mm). actor and action are "" when the step cannot be attributed. */
export interface SpecStep {
  group: string;
  actor: string;
  action: string;
}

/** The action's name without its arguments. */
export const actionName = (action: string): string => /^[A-Za-z0-9_]*/.exec(action)![0];

/** entries() of each function value read so far: a graph build asks for the same state's per-task
 *  variables once per edge into and out of it. Values are never changed once read. */
const entriesOf = new WeakMap<object, Map<string, string>>();

/** A function of model values as name → value key (do not change the map: it is shared). */
function entries(fn: TlaValue | undefined): Map<string, string> {
  if (fn === null || typeof fn !== 'object') return new Map();
  let out = entriesOf.get(fn);
  if (out === undefined) entriesOf.set(fn, (out = entriesUncached(fn)));
  return out;
}

function entriesUncached(fn: TlaValue): Map<string, string> {
  const out = new Map<string, string>();
  if (fn !== null && typeof fn === 'object' && '#map' in fn) {
    for (const [k, v] of (fn as { '#map': [TlaValue, TlaValue][] })['#map']) {
      const name = k !== null && typeof k === 'object' && '#model' in k ? (k as { '#model': string })['#model'] : valueKey(k as never);
      out.set(name, valueKey(v as never));
    }
  }
  return out;
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
    const fpcBefore = entries(from.fpc);
    for (const t of changed) if (fpcBefore.get(t) === '"sleep"') changed.delete(t);
  }
  return changed.size === 1 ? [...changed][0]! : '';
}

function byPc(kind: { labels: readonly string[]; start: string }): Map<string, string> {
  const out = new Map(kind.labels.filter((l) => l !== kind.start).map((label) => [valueKey(label as never), label]));
  out.set(valueKey('idle' as never), kind.start);
  return out;
}

/** The step from → to of a group (an engine's edge label), attributed from the states. */
export function derivedStep(group: string, from: TlaState, to: TlaState): SpecStep {
  if (group === GROUP.mm) {
    // Munmap(f) turns vma[f] FALSE, Mmap(f) TRUE; each changes no other file's vma.
    const before = entries(from.vma);
    const moved = [...entries(to.vma)].filter(([f, v]) => before.get(f) !== v);
    if (moved.length !== 1) return { group, actor: '', action: '' };
    const [f, v] = moved[0]!;
    return { group, actor: MM_TASK, action: `${v === valueKey(true) ? 'Mmap' : 'Munmap'}(${f})` };
  }
  const pcs = PC_ACTIONS.get(group);
  const actor = stepActor(from, to);
  const pc = pcs === undefined ? undefined : entries(from[pcs.variable]).get(actor);
  const name = pc === undefined ? undefined : pcs!.byPc.get(pc);
  return name === undefined ? { group, actor: '', action: '' } : { group, actor, action: `${name}(${actor})` };
}

/** A step as TLC labels it, "Name(arg, ...)": the actor is the first argument (a task), or the
 *  mm for MmNext. */
export function tlcStep(label: string, group: string): SpecStep {
  const action = label.replace(/\s+/g, '');
  const args = /\(([^,)]*)/.exec(action);
  return { group, actor: group === GROUP.mm ? MM_TASK : (args?.[1] ?? ''), action };
}

const describe = (s: SpecStep): string => (s.actor === '' ? `an unattributed ${s.group} step` : `${s.action} (${s.group}, by ${s.actor})`);

/**
 * Is `step` one of the spec's steps between its two states: the same group, the same actor (the
 * implementation's task, MM_TASK for the mm) and the action its label names? Any candidate
 * matching is enough (two actions, or two put paths, can lead to the same state). A candidate
 * that cannot be attributed matches on its group alone; `unattributed` then says so.
 * Returns why not, or null.
 */
export function stepMismatch(candidates: readonly SpecStep[], step: RecordedStep): { why: string | null; unattributed: boolean } {
  const group = GROUP[step.taskKind];
  const inGroup = candidates.filter((c) => c.group === group);
  if (inGroup.length === 0)
    return {
      why: `the spec takes this step in ${[...new Set(candidates.map((c) => c.group))].join(' or ')}, not in ${group}`,
      unattributed: false,
    };
  const same = inGroup.filter((c) => c.actor === step.task && actionName(c.action) === step.label);
  if (same.some((c) => paramsDisagree(c.action, step) === null)) return { why: null, unattributed: false };
  if (same.length > 0)
    return {
      why: `the spec takes this step as ${same.map(describe).join(' or ')}, not with the step's ${paramsDisagree(same[0]!.action, step)}`,
      unattributed: false,
    };
  if (inGroup.some((c) => c.actor === '')) return { why: null, unattributed: true };
  const spec = inGroup.map(describe).join(' or ');
  const own = inGroup.filter((c) => c.actor === step.task);
  if (own.length === 0) return { why: `the spec takes this step as ${spec}, not by ${step.task}`, unattributed: false };
  return {
    why: `the spec takes this step as ${own.map(describe).join(' or ')}, not as ${step.label} (the step's label)`,
    unattributed: false,
  };
}

/** The spec's parameter names of each action (DaxDma's Next), read once. */
let paramNames: Map<string, string[]> | undefined;
function actionParams(name: string): string[] | undefined {
  paramNames ??= new Map(nextActions(flattenModule(specFile(loadManifest())).source).actions.map((a) => [a.name, a.params]));
  return paramNames.get(name);
}

/** An implementation step's parameter as the TLA+ value the spec's action takes (impl/types.ts
 *  StepParams: tasks and files are model values, o an integer, path a string, op a record). */
function specParam(key: string, v: unknown): TlaValue {
  if (key === 'o' || key === 'path') return v as TlaValue;
  if (key === 'op') {
    const op = v as SpecFsOp;
    return normalize({ op: op.op, file: { '#model': op.file }, lo: op.lo, hi: op.hi });
  }
  return { '#model': String(v) };
}

/**
 * Where the spec's action carries all its arguments (TLC's labels: GupFastReadPte(u1,f1,0)),
 * the first of the implementation step's parameters that differs from the argument of the same
 * name, as text ("o = 1 where the spec's is 0"); null when all agree or the action carries only
 * the actor (the embedded engine's derived steps: then the mapped after-state fixes the rest).
 */
export function paramsDisagree(action: string, step: RecordedStep): string | null {
  const names = actionParams(actionName(action));
  const inner = /\((.*)\)$/.exec(action)?.[1];
  if (names === undefined || inner === undefined) return null;
  let args: TlaValue[];
  try {
    args = parseTlaValueList(inner);
  } catch {
    return null;
  }
  if (args.length !== names.length) return null;
  for (const [key, v] of Object.entries((step.params ?? {}) as Record<string, unknown>)) {
    const i = names.indexOf(key);
    if (i < 0 || v === undefined) continue;
    const mine = specParam(key, v);
    if (valueKey(mine as never) !== valueKey(normalize(args[i]!) as never))
      return `${key} = ${formatValue(mine)} where the spec's is ${formatValue(normalize(args[i]!))}`;
  }
  return null;
}
