// What one checkout's implementation does under a schedule, as lines that can be compared with
// another checkout's, step by step: for the equivalence audit of `mutate --audit-equivalents` and
// `dax-model diff --base` (differential.ts). Each checkout is driven through its own copy of the
// harness modules (executions.ts, model.ts), loaded from its root, so that each binds its own
// impl/; the schedules and constants are plain data, shared by both.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as ExecutionsModule from '../executions/executions.ts';
import type * as ModelModule from '../model/model.ts';
import type { Execution } from '../executions/executions.ts';
import type { ModelConstants } from '../model/model.ts';
import type { DaxSystem, Operation, FsProfileName } from '../../impl/index.ts';
import { normalizeState, valueKey } from '../../lib/values/canonical.ts';
import type { TlaState } from '../../lib/values/value.ts';
import { thrownText } from '../../lib/report/one-line.ts';

/** One checkout's harness, bound to that checkout's impl/. */
export interface Harness {
  readonly root: string;
  readonly executions: typeof ExecutionsModule;
  readonly model: typeof ModelModule;
}

/**
 * Where each harness module the audit loads lives, newest layout first: a checkout from before
 * conformance/ was laid out by direction keeps them at its root, and `diff --base` can still
 * compare against it.
 */
export const HARNESS_MODULES = {
  executions: ['conformance/executions/executions.ts', 'conformance/executions.ts'],
  model: ['conformance/model/model.ts', 'conformance/model.ts'],
} as const;

/** The first of `candidates` (paths relative to `root`) that exists there, or the first one. */
export function harnessModulePath(root: string, candidates: readonly string[]): string {
  return candidates.find((rel) => existsSync(path.join(root, rel))) ?? candidates[0]!;
}

/** The harness at `root` (its conformance/ importing its impl/). @throws what the import throws
 *  (a SyntaxError when its impl/ lacks an export the harness imports). */
export async function loadHarness(root: string): Promise<Harness> {
  const load = async <T>(candidates: readonly string[]): Promise<T> =>
    (await import(pathToFileURL(path.join(root, harnessModulePath(root, candidates))).href)) as T;
  return {
    root,
    executions: await load<typeof ExecutionsModule>(HARNESS_MODULES.executions),
    model: await load<typeof ModelModule>(HARNESS_MODULES.model),
  };
}

/** What is compared at a step, in this order (a difference names the first kind that differs). */
export type LineKind = 'spec' | 'record' | 'moves' | 'snapshot' | 'refusals' | 'end';

/** One observation: at step `step` (0 = the initial state), of `kind`; `items` are its parts,
 *  one a line in a readable diff (e.g. one `path = value` per snapshot field). */
interface ObservedLine {
  step: number;
  kind: LineKind;
  items: string[];
  /** The parts as they are compared when `items` differ, and shown (a snapshot's fields, one a
   *  line in key order: its JSON is cheaper to compare, but depends on the order of its keys). */
  expand?: () => string[];
}

export interface Observation {
  lines: ObservedLine[];
  /** Steps the schedule took. */
  steps: number;
  /** The tasks that took at least one step (the mm as MM_TASK). */
  moved: Set<string>;
}

const threw = (e: unknown): string => `threw ${thrownText(e)}`;

/**
 * Observes a schedule twice on one checkout: through the harness's runSchedule (mapped states, the
 * tasks that can move and how the others wait, the harness's own checks, events, stuck), and
 * through its moves one by one (each step record, the moves offered, the whole snapshot, woken
 * and blockedOn included, and the refusals of moves that are not offered). Both are
 * deterministic, so both checkouts produce the same lines iff they behave alike.
 */
export function observe(h: Harness, constants: ModelConstants, profile: FsProfileName, picks: readonly number[]): Observation {
  const lines: ObservedLine[] = [];
  const moved = new Set<string>();
  let steps = 0;
  try {
    const ex = h.executions.runSchedule(constants, picks, { profile });
    lines.push(...specLines(ex));
    for (const s of ex.steps) moved.add(s.task);
    steps = ex.steps.length;
  } catch (e) {
    lines.push({ step: 0, kind: 'spec', items: [threw(e)] });
  }
  lines.push(...stepLines(h, constants, profile, picks));
  const order: readonly LineKind[] = ['spec', 'record', 'moves', 'snapshot', 'refusals', 'end'];
  lines.sort((a, b) => a.step - b.step || order.indexOf(a.kind) - order.indexOf(b.kind));
  return { lines, steps, moved };
}

const taskList = (s: ReadonlySet<string>): string => [...s].sort().join(',') || '-';

/** runSchedule's record: what the spec side of the harness sees. */
function specLines(ex: Execution): ObservedLine[] {
  const out: ObservedLine[] = [
    {
      step: 0,
      kind: 'spec',
      items: [...mappedItems(ex.init), `can move ${taskList(ex.enabledInit)}`, `waiting ${ex.waitingInit.join('; ') || '-'}`],
    },
  ];
  ex.steps.forEach((s, i) => {
    const items = [
      `${s.label}(${s.task}) ${JSON.stringify(s.params)}`,
      ...mappedItems(s.after),
      `can move ${taskList(s.enabledAfter)}`,
      `waiting ${s.waitingAfter.join('; ') || '-'}`,
    ];
    if (s.implError) items.push(`harness check: ${s.implError}`);
    out.push({ step: i + 1, kind: 'spec', items });
  });
  out.push({
    step: ex.steps.length + 1,
    kind: 'end',
    items: [
      `stuck ${ex.stuck}`,
      ...(ex.crashed ? [`crashed at ${ex.crashed.label}(${ex.crashed.task}): ${ex.crashed.message}`] : []),
      ...flatten(ex.events, 'events'),
    ],
  });
  return out;
}

/** A mapped state, one item per spec variable (in name order: normalizeState sorts them). */
function mappedItems(s: TlaState): string[] {
  const n = normalizeState(s);
  return Object.keys(n).map((v) => `${v} = ${valueKey(n[v]!)}`);
}

/** The moves one by one, with the step records, snapshots and refusals. */
function stepLines(h: Harness, constants: ModelConstants, profile: FsProfileName, picks: readonly number[]): ObservedLine[] {
  const out: ObservedLine[] = [];
  let sys: DaxSystem;
  try {
    sys = h.model.systemForModel(constants, profile);
  } catch (e) {
    return [{ step: 0, kind: 'record', items: [threw(e)] }];
  }
  const universe = new Map<string, Map<string, Operation>>();
  const at = (step: number): ObservedLine[] => {
    const moves = h.executions.availableMoves(sys);
    return [
      {
        step,
        kind: 'moves',
        items: moves.map(
          (m) =>
            `${m.kind} ${m.task} ${m.label}${m.op ? ` ${JSON.stringify(m.op)}` : ''}${m.file ? ` ${m.file}` : ''}${m.choice ? ` ${JSON.stringify(m.choice)}` : ''}${m.defaultBlock ? ` default ${m.defaultBlock}` : ''}`,
        ),
      },
      snapshotLine(step, sys.snapshot()),
      { step, kind: 'refusals', items: refusals(sys, universe) },
    ];
  };
  try {
    out.push(...at(0));
    let step = 0;
    for (const pick of picks) {
      const moves = h.executions.availableMoves(sys);
      if (moves.length === 0) break;
      const rec = h.executions.takeMove(sys, h.executions.pickMove(moves, pick));
      step++;
      out.push({ step, kind: 'record', items: flatten(rec) }, ...at(step));
    }
    out.push({
      step: step + 1,
      kind: 'end',
      items: [...flatten(sys.events(), 'events'), `self-check ${sys.selfCheck().join('; ') || 'clean'}`],
    });
  } catch (e) {
    out.push({ step: out.at(-1)?.step ?? 0, kind: 'record', items: [threw(e)] });
  }
  return out;
}

function snapshotLine(step: number, snap: unknown): ObservedLine {
  return { step, kind: 'snapshot', items: [JSON.stringify(snap)], expand: () => flatten(snap) };
}

/** A value as `path = value` lines, one per leaf, in key order (a snapshot's readable diff). */
function flatten(v: unknown, prefix = ''): string[] {
  if (v === null || typeof v !== 'object') return [`${prefix || '.'} = ${JSON.stringify(v) ?? String(v)}`];
  const entries = Array.isArray(v)
    ? v.map((x, i) => [String(i), x] as const)
    : Object.keys(v)
        .sort()
        .map((k) => [k, (v as Record<string, unknown>)[k]] as const);
  if (entries.length === 0) return [`${prefix || '.'} = ${Array.isArray(v) ? '[]' : '{}'}`];
  return entries.flatMap(([k, x]) => flatten(x, prefix ? `${prefix}.${k}` : k));
}

/** What a call says: its one-line refusal (code and message), or that it was taken. */
function attempt(f: () => unknown): string {
  try {
    f();
    return 'TAKEN';
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return `${e instanceof Error ? e.name : 'thrown'}${code === undefined ? '' : ` ${String(code)}`}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * The refusals of moves the system does not offer now, each of which must throw and change
 * nothing (impl/README.md: "Rejected calls throw DaxModelError ... and change nothing"): a step of
 * each task that cannot step (idle, blocked: its blockedOn's describe(), asleep), a start on each
 * busy task, each operation an idle task was offered before but is not now (the not-enabled
 * reasons: a held I/O lock, a spent GUP budget, an unmapped file), a step with an unknown choice
 * field, and munmap/mmap of each file where not offered. Only moves not offered are tried, so
 * a correct implementation's state is as before; a move wrongly taken shows as TAKEN.
 */
function refusals(sys: DaxSystem, universe: Map<string, Map<string, Operation>>): string[] {
  // The refusals' stack traces are never read, and capturing them was a third of the time.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return probeRefusals(sys, universe);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function probeRefusals(sys: DaxSystem, universe: Map<string, Map<string, Operation>>): string[] {
  const out: string[] = [];
  const runnable = new Set(sys.runnable().map((r) => r.task));
  const offered = new Map<string, Set<string>>();
  for (const s of sys.startable()) {
    const key = JSON.stringify(s.op);
    if (!offered.has(s.task)) offered.set(s.task, new Set());
    offered.get(s.task)!.add(key);
    if (!universe.has(s.task)) universe.set(s.task, new Map());
    universe.get(s.task)!.set(key, s.op);
  }
  const tasks = sys.snapshot().tasks;
  for (const id of sys.taskIds) {
    if (runnable.has(id)) {
      out.push(`step ${id} { bogus }: ${attempt(() => sys.step(id, { bogus: true } as never))}`);
      continue;
    }
    out.push(`step ${id}: ${attempt(() => sys.step(id))}`);
    if (tasks[id]!.state !== 'idle') {
      const op = universe.get(id)?.values().next().value ?? { file: sys.config.files[0], offset: 0 };
      out.push(`start ${id} ${JSON.stringify(op)}: ${attempt(() => sys.start(id, op as Operation))}`);
      continue;
    }
    for (const [key, op] of universe.get(id) ?? [])
      if (!offered.get(id)?.has(key)) out.push(`start ${id} ${key}: ${attempt(() => sys.start(id, op))}`);
  }
  const mm = new Set(sys.mmMoves().map((m) => `${m.label} ${m.file}`));
  for (const f of sys.config.files) {
    if (!mm.has(`Munmap ${f}`)) out.push(`munmap ${f}: ${attempt(() => sys.munmap(f))}`);
    if (!mm.has(`Mmap ${f}`)) out.push(`mmap ${f}: ${attempt(() => sys.mmap(f))}`);
  }
  return out;
}
