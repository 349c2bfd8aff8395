// What each task of spec/DaxDma.tla waits on in a state: a lock and who holds it, an entry lock,
// a wake-up on a page's refcount. One row per (task kind, pc) that blocks, a pc being the action
// the task takes next; used for deadlocks and for the tasks a liveness lasso leaves stuck. A pc
// without a row is reported as "at <pc>".
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { cite, type History } from './history.ts';
import type { Finding } from './invariants.ts';
import { at, domain, isNothing, members, modelName, same, show } from './values.ts';

/** A kind of task: the variable holding its pc, and what it waits on at each blocking pc. */
interface TaskKind {
  pcVar: string;
  /** The task in words, e.g. "t1 (Truncate of f1)". */
  label: (s: TlaState, task: TlaValue) => string;
  waits: Record<string, (h: History, s: TlaState, task: TlaValue) => Omit<Finding, 'sentence'> & { what: string }>;
}

function mmapHolders(s: TlaState, f: TlaValue): { text: string; tasks: string[] } {
  const x = at(s.mmapExcl, f);
  const shared = members(at(s.mmapShared, f));
  if (!isNothing(x)) return { text: `held exclusive by ${show(x)}`, tasks: [show(x)] };
  if (shared.length) return { text: `held shared by ${show(at(s.mmapShared, f))}`, tasks: shared.map(show) };
  return { text: 'free', tasks: [] };
}

/** Who holds the entry lock of (f, o): a faulting user on it, a writeback task, or nobody known. */
export function entryHolder(s: TlaState, f: TlaValue, o: TlaValue): string[] {
  const users = domain(s.upc).filter(
    (u) =>
      String(at(s.upc, u)).startsWith('Fault') &&
      !['FaultLockShared', 'FaultGrabEntry'].includes(at(s.upc, u) as string) &&
      same(at(s.uat, u), [f, o]),
  );
  const syncers = domain(s.spc).filter((w) => same(at(s.sat, w), [f, o]));
  return [...users, ...syncers].map(show);
}

function entryWait(s: TlaState, f: TlaValue, o: TlaValue): { what: string; tasks: string[]; blocks: string[] } {
  if (!at(s.locked, f, o)) return { what: `the entry lock of ${show(f)}:${show(o)}, which is free`, tasks: [], blocks: [] };
  const who = entryHolder(s, f, o);
  return {
    what: `the entry lock of ${show(f)}:${show(o)}, held by ${who.length ? who.join(', ') : 'no task (left locked)'}`,
    tasks: who,
    blocks: [],
  };
}

const fileOf = (s: TlaState, t: TlaValue): TlaValue => at(at(s.fop, t), 'file') as TlaValue;
const userTarget = (s: TlaState, u: TlaValue): [TlaValue, TlaValue] => [at(at(s.uat, u), 1) as TlaValue, at(at(s.uat, u), 2) as TlaValue];

function fsLockWait(s: TlaState, t: TlaValue): { what: string; tasks: string[]; blocks: string[] } {
  const f = fileOf(s, t);
  const h = mmapHolders(s, f);
  return { what: `${show(f)}'s mmap lock exclusive, ${h.text}`, tasks: h.tasks, blocks: [] };
}

const KINDS: TaskKind[] = [
  {
    pcVar: 'upc',
    label: (s, u) => (isNothing(at(s.uat, u)) ? show(u) : `${show(u)} (GUP of ${show(at(s.uat, u))})`),
    waits: {
      FaultLockShared: (_h, s, u) => {
        const f = userTarget(s, u)[0];
        const m = mmapHolders(s, f);
        return { what: `${show(f)}'s mmap lock shared, ${m.text}`, tasks: m.tasks, blocks: [] };
      },
      FaultGrabEntry: (_h, s, u) => entryWait(s, ...userTarget(s, u)),
      idle: (_h, s) => ({ what: `nothing: it starts no more GUPs (${show(s.gupsLeft)} left)`, tasks: [], blocks: [] }),
    },
  },
  {
    pcVar: 'fpc',
    label: (s, t) => {
      const op = at(at(s.fop, t), 'op');
      return op === 'none' || op === undefined ? show(t) : `${show(t)} (${String(op)} of ${show(fileOf(s, t))})`;
    },
    waits: {
      FsLockMmap: (_h, s, t) => fsLockWait(s, t),
      BreakLayoutsRelock: (_h, s, t) => fsLockWait(s, t),
      sleep: (h, s, t) => {
        const b = at(s.fbusy, t) as TlaValue;
        const rc = at(s.refcount, b);
        const idle = rc === h.idleRef;
        const tail = idle
          ? `; ${show(b)} is idle since ${cite(h.since((x) => at(x.refcount, b) === h.idleRef))}, but no wake-up came`
          : `; its refcount is ${show(rc)} (idle is ${h.idleRef})`;
        const pinners = domain(s.uref)
          .filter((u) => same(at(s.uref, u), b))
          .map(show);
        return { what: `a wake-up on ${show(b)}'s refcount${tail}`, tasks: pinners, blocks: [show(b)] };
      },
      BreakLayoutsScan: (_h, s, t) => entryWait(s, fileOf(s, t), at(s.fscan, t) as TlaValue),
      // The 2025 design: dax_delete_mapping_range's wait, and 6.15.0's paused waits (WaitSkipsEntry).
      BreakLayoutsScanPaused: (_h, s, t) => entryWait(s, fileOf(s, t), at(s.fscan, t) as TlaValue),
      BreakLayoutsDelete: (_h, s, t) => entryWait(s, fileOf(s, t), at(s.fscan, t) as TlaValue),
      BreakLayoutsDeletePaused: (_h, s, t) => entryWait(s, fileOf(s, t), at(s.fscan, t) as TlaValue),
      DeleteEntry: (_h, s, t) => {
        const f = fileOf(s, t);
        const lockedOffsets = domain(at(s.locked, f)).filter((o) => at(s.locked, f, o) === true);
        const w = lockedOffsets.map((o) => entryWait(s, f, o));
        return {
          what: w.length ? w.map((x) => x.what).join(' and ') : 'nothing (it can delete)',
          tasks: w.flatMap((x) => x.tasks),
          blocks: [],
        };
      },
      idle: () => ({ what: 'nothing: it has no operation running', tasks: [], blocks: [] }),
    },
  },
  {
    pcVar: 'spc',
    label: (_s, w) => show(w),
    waits: { idle: () => ({ what: 'nothing: it has no entry to flush', tasks: [], blocks: [] }) },
  },
];

/** One sentence per task that is not idle (all tasks when `includeIdle`): what it waits on. */
export function waitFindings(
  h: History,
  s: TlaState,
  opts: { includeIdle?: boolean; only?: (pcVar: string, pc: TlaValue | undefined) => boolean } = {},
): Finding[] {
  const out: Finding[] = [];
  for (const kind of KINDS) {
    for (const task of domain(s[kind.pcVar])) {
      const pc = at(s[kind.pcVar], task);
      if (opts.only && !opts.only(kind.pcVar, pc)) continue;
      if (!opts.only && pc === 'idle' && !opts.includeIdle) continue;
      const name = modelName(task) ?? show(task);
      const row = kind.waits[pc as string];
      if (!row) {
        out.push({ sentence: `${kind.label(s, task)} is at ${show(pc)}`, tasks: [name], blocks: [] });
        continue;
      }
      const w = row(h, s, task);
      out.push({
        sentence: `${kind.label(s, task)} waits for ${w.what}`,
        tasks: [name, ...w.tasks.filter((x) => x !== name)],
        blocks: w.blocks,
      });
    }
  }
  return out;
}
