// The refinement mapping from an implementation snapshot (impl/snapshot.ts) to a state of
// spec/DaxDma.tla: the 20 spec variables as canonical TLA+ values (lib/values/value.ts).
import type { ResolvedConfig, Snapshot, SystemConfig, TaskSnapshot } from '../impl/index.ts';
import { bugsFromNames } from '../impl/index.ts';
import { makeFunction, makeSet } from '../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../lib/values/value.ts';

/**
 * The spec constants the mapping needs. Each set is given as a list of model-value names or as a
 * canonical set value ({"#set": [{"#model": "f1"}, ...]}) as parsed from a cfg.
 */
export interface MappingConstants {
  readonly Files: readonly string[] | TlaValue;
  readonly NumOffsets: number | TlaValue;
  readonly Blocks: readonly string[] | TlaValue;
  readonly Users: readonly string[] | TlaValue;
  readonly FsTasks: readonly string[] | TlaValue;
  readonly Syncers: readonly string[] | TlaValue;
  /** The name of the None model value (default 'None'). */
  readonly None?: string | TlaValue;
}

/** All the spec constants, for building a system from a cfg (systemConfigFromConstants). */
export interface SpecConstants extends MappingConstants {
  readonly FsOps: readonly string[] | TlaValue;
  readonly MaxGups: number | TlaValue;
  readonly IdleRef: number | TlaValue;
  readonly Bugs: readonly string[] | TlaValue;
}

/** The spec variables, in the order of `vars`. */
export const SPEC_VARIABLES = [
  'extent', 'free', 'entry', 'locked', 'pte', 'refcount', 'mapping', 'ioLock', 'mmapExcl', 'mmapShared',
  'upc', 'uat', 'uref', 'gupsLeft', 'fpc', 'fop', 'fscan', 'fbusy', 'spc', 'sat',
] as const;

/** The spec's per-task variables (functions of the task): the ones an action of that task
 *  writes. A step's actor is the one task whose entries in them change. */
export const TASK_VARIABLES: readonly string[] = ['upc', 'uat', 'uref', 'fpc', 'fop', 'fscan', 'fbusy', 'spc', 'sat'];

/** The mapping cannot be applied: the snapshot is not a state the mapping knows how to read. */
export class MappingError extends Error {
  override readonly name = 'MappingError';
}

function namesOf(v: readonly string[] | TlaValue, what: string): string[] {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return [...(v as string[])];
  if (v !== null && typeof v === 'object' && '#set' in v) {
    return (v as { '#set': TlaValue[] })['#set'].map((e) => {
      if (typeof e === 'string') return e;
      if (e !== null && typeof e === 'object' && '#model' in e) return (e as { '#model': string })['#model'];
      throw new MappingError(`${what}: ${JSON.stringify(e)} is not a model value`);
    });
  }
  // An empty set may arrive as the empty sequence (a function with empty domain).
  if (Array.isArray(v) && v.length === 0) return [];
  throw new MappingError(`${what}: expected a set of model values, got ${JSON.stringify(v)}`);
}

function numberOf(v: number | TlaValue, what: string): number {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && '#bigint' in v) return Number((v as { '#bigint': string })['#bigint']);
  throw new MappingError(`${what}: expected an integer, got ${JSON.stringify(v)}`);
}

function nameOf(v: string | TlaValue | undefined, fallback: string): string {
  if (v === undefined) return fallback;
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && '#model' in v) return (v as { '#model': string })['#model'];
  throw new MappingError(`None: expected a model value, got ${JSON.stringify(v)}`);
}

/** The spec constants a resolved configuration stands for. */
export function specConstantsOf(c: ResolvedConfig): SpecConstants {
  return {
    Files: c.files,
    NumOffsets: c.offsets,
    Blocks: c.blocks,
    Users: c.users,
    FsTasks: c.fsTasks,
    Syncers: c.syncers,
    FsOps: c.fsOps,
    MaxGups: c.maxGups,
    IdleRef: c.idleRef,
    Bugs: Object.entries(c.bugs).filter(([, on]) => on).map(([n]) => n),
    None: 'None',
  };
}

/** A system configuration for the spec constants of a cfg (sets as names or canonical values).
 *  The allocator's order, which fixes FaultAllocBlock's default choice, is the order given. */
export function systemConfigFromConstants(c: SpecConstants, profile: 'xfs' | 'ext4' = 'xfs'): SystemConfig {
  const idleRef = numberOf(c.IdleRef, 'IdleRef');
  return {
    files: namesOf(c.Files, 'Files'),
    offsets: numberOf(c.NumOffsets, 'NumOffsets'),
    blocks: namesOf(c.Blocks, 'Blocks'),
    users: namesOf(c.Users, 'Users'),
    fsTasks: namesOf(c.FsTasks, 'FsTasks'),
    syncers: namesOf(c.Syncers, 'Syncers'),
    fsOps: namesOf(c.FsOps, 'FsOps') as SystemConfig['fsOps'],
    maxGups: numberOf(c.MaxGups, 'MaxGups'),
    idleRef: idleRef as 0 | 1,
    bugs: bugsFromNames(namesOf(c.Bugs, 'Bugs')),
    profile,
  };
}

/** upc from a user's next step: the spec names a user's pc after the action it will take next. */
export const USER_PC: Readonly<Record<string, string>> = {
  GupFastGetRef: 'gup_get_ref',
  GupFastRecheck: 'gup_recheck',
  FaultLockShared: 'fault_lock',
  FaultGrabEntry: 'fault_grab',
  FaultAllocBlock: 'fault_alloc',
  FaultInsertEntry: 'fault_insert',
  FaultInstallPte: 'fault_pte',
  FaultUnlockEntry: 'fault_unlock_entry',
  FaultUnlockShared: 'fault_unlock',
  GupSlowPin: 'gup_pin',
  DmaComplete: 'dma',
};

/** fpc from a file-system task's next step (BreakLayoutsRelock: see fsPc). */
export const FS_PC: Readonly<Record<string, string>> = {
  FsLockMmap: 'lock_mmap',
  BreakLayoutsUnmap: 'unmap',
  BreakLayoutsScan: 'scan',
  BreakLayoutsWait: 'wait',
  BreakLayoutsRelock: 'relock',
  DeleteEntries: 'delete',
  FreeBlocks: 'free',
  FsUnlock: 'unlock',
};

function pcOf(t: TaskSnapshot, table: Readonly<Record<string, string>>): string {
  if (t.state === 'idle') return 'idle';
  if (t.state === 'sleeping') {
    // Asleep in wait_var_event: its next step is the relock it runs once woken.
    if (t.kind === 'fs' && t.next === 'BreakLayoutsRelock') return 'sleep';
    throw new MappingError(`${t.id} is asleep before ${String(t.next)}; only a file-system task waiting to relock can sleep`);
  }
  const pc = t.next === null ? undefined : table[t.next];
  if (pc === undefined) throw new MappingError(`${t.id} (${t.kind}) has no spec pc for next step ${String(t.next)}`);
  return pc;
}

export const SYNC_PC: Readonly<Record<string, string>> = { WritebackUnlockEntry: 'flush' };

/** An entry's pfn. An empty entry (grab_mapping_entry's DAX_EMPTY placeholder for a hole) exists
 *  only while locked: unlocked, it is no state of the spec, which has just "no block" and
 *  "locked" for an offset, and mapping it to "no entry" would hide a placeholder left behind. */
export function entryPfn(e: { readonly pfn: string | null; readonly locked: boolean } | null, f: string, o: number): string | null {
  if (e !== null && e.pfn === null && !e.locked) throw new MappingError(`${f}:${o} holds an unlocked empty entry: the placeholder exists only while its fault holds it locked`);
  return e?.pfn ?? null;
}

/**
 * The refinement mapping: the spec state an implementation snapshot stands for.
 *
 *   spec variable   implementation (snapshot field)                why
 *   -------------   --------------------------------------------   -------------------------------------------
 *   extent[f][o]    files[f].extents[o] (null -> None)             the file's block map (ExtentMap)
 *   free            free                                           BlockAllocator's free set
 *   entry[f][o]     files[f].entries[o].pfn                        the pfn in the DAX entry; no entry and an
 *                   (no entry, or an empty entry -> None)          empty (DAX_EMPTY) entry both hold no block;
 *                                                                  an unlocked empty entry is a MappingError
 *   locked[f][o]    files[f].entries[o].locked (no entry -> F)     the DAX_LOCKED bit
 *   pte[f][o]       ptes[f][o] (pte_none -> None)                  the one mm's VMA of f
 *   refcount[b]     pages[b].refcount                              page->_refcount; the pin count is kept
 *                                                                  apart (pincount) and not a spec variable
 *   mapping[b]      pages[b].mapping -> <<f, index>>, null -> <<>> page->mapping/index
 *   ioLock[f]       files[f].ioLock.writer (null -> None)          only FsTasks take it, exclusive
 *   mmapExcl[f]     files[f].mmapLock.writer (null -> None)
 *   mmapShared[f]   files[f].mmapLock.readers                      faults hold it shared
 *   upc[u]          idle -> "idle"; else from the next step's       a blocked task is still at its pc: blocking
 *                   label (FaultLockShared -> "fault_lock", ...,   is the spec's "action not enabled", so the
 *                   DmaComplete -> "dma"), whatever its state      pc is the label whether running or blocked
 *   uat[u]          tasks[u].target -> <<f, o>>, null -> <<>>
 *   uref[u]         tasks[u].ref (null -> None)                    the page read from the PTE, referenced or
 *                                                                  pinned
 *   gupsLeft        gupsLeft                                       the start() budget
 *   fpc[t]          idle -> "idle"; sleeping (wait_var_event) ->   sleep/relock are the two halves of
 *                   "sleep"; else from the next label:             xfs_wait_dax_page's schedule(): a task woken
 *                   FsLockMmap -> "lock_mmap", BreakLayoutsUnmap   by wake_up_var stands before its relock,
 *                   -> "unmap", ...Scan -> "scan", ...Wait ->      running or blocked on the mmap lock:
 *                   "wait", ...Relock -> "relock", DeleteEntries   "relock"
 *                   -> "delete", FreeBlocks -> "free", FsUnlock
 *                   -> "unlock"
 *   fop[t]          tasks[t].op -> [op, file, lo, hi], null ->     FsLockIo sets it, FsUnlock clears it
 *                   NoOp
 *   fscan[t]        tasks[t].scanIndex                             the busy scan's cursor, reset where the
 *                                                                  spec resets fscan and kept when idle
 *   fbusy[t]        tasks[t].busyPage (null -> None)               kept from the scan that found it to FsUnlock
 *   spc[s]          idle -> "idle"; next WritebackUnlockEntry ->
 *                   "flush"
 *   sat[s]          tasks[s].target -> <<f, o>>, null -> <<>>
 *
 * No spec variable reads the implementation's extra state: pin counts, page data, wait-queue
 * contents, the woken flag, events. GupFastReadPte, FsLockIo and WritebackLockEntry are never a
 * started task's next step: start() takes them, so an idle task maps to "idle".
 * @throws MappingError if the snapshot's configuration does not match `constants` or a task is
 * somewhere the spec has no pc for.
 */
export function mapToSpec(s: Snapshot, constants: MappingConstants): TlaState {
  const files = namesOf(constants.Files, 'Files');
  const blocks = namesOf(constants.Blocks, 'Blocks');
  const users = namesOf(constants.Users, 'Users');
  const fsTasks = namesOf(constants.FsTasks, 'FsTasks');
  const syncers = namesOf(constants.Syncers, 'Syncers');
  const n = numberOf(constants.NumOffsets, 'NumOffsets');
  const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
  const cfg = s.config;
  const check = (what: string, spec: readonly string[], impl: readonly string[]): void => {
    if (!sameSet(spec, impl)) throw new MappingError(`${what}: constants {${spec.join(', ')}} but the system has {${impl.join(', ')}}`);
  };
  check('Files', files, cfg.files);
  check('Blocks', blocks, cfg.blocks);
  check('Users', users, cfg.users);
  check('FsTasks', fsTasks, cfg.fsTasks);
  check('Syncers', syncers, cfg.syncers);
  if (n !== cfg.offsets) throw new MappingError(`NumOffsets: constants ${n} but the system has ${cfg.offsets}`);

  const M = (name: string): TlaValue => ({ '#model': name });
  const NONE = M(nameOf(constants.None, 'None'));
  const orNone = (name: string | null): TlaValue => (name === null ? NONE : M(name));
  const offsets = Array.from({ length: n }, (_, o) => o);
  const fn = <K extends string>(dom: readonly K[], f: (k: K) => TlaValue): TlaValue => makeFunction(dom.map((k) => [M(k), f(k)]), true);
  const perOffset = (f: (o: number) => TlaValue): TlaValue => makeFunction(offsets.map((o) => [o, f(o)]), true);
  const file = (f: string) => {
    const x = s.files[f];
    if (!x) throw new MappingError(`snapshot has no file ${f}`);
    return x;
  };
  const task = (id: string): TaskSnapshot => {
    const t = s.tasks[id];
    if (!t) throw new MappingError(`snapshot has no task ${id}`);
    return t;
  };
  const tuple = (t: { file: string; offset: number } | null): TlaValue => (t ? [M(t.file), t.offset] : []);
  // Record fields in normal-form (sorted) order, since the builders above trust their parts.
  const NO_OP: TlaValue = { file: NONE, hi: 0, lo: 0, op: 'none' };

  const state: TlaState = {
    extent: fn(files, (f) => perOffset((o) => orNone(file(f).extents[o] ?? null))),
    free: makeSet(s.free.map(M), true),
    entry: fn(files, (f) => perOffset((o) => orNone(entryPfn(file(f).entries[o] ?? null, f, o)))),
    locked: fn(files, (f) => perOffset((o) => file(f).entries[o]?.locked ?? false)),
    pte: fn(files, (f) => perOffset((o) => orNone(s.ptes[f]?.[o] ?? null))),
    refcount: fn(blocks, (b) => {
      const p = s.pages[b];
      if (!p) throw new MappingError(`snapshot has no page ${b}`);
      return p.refcount;
    }),
    mapping: fn(blocks, (b) => {
      const m = s.pages[b]?.mapping ?? null;
      return m ? [M(m.file), m.index] : [];
    }),
    ioLock: fn(files, (f) => orNone(file(f).ioLock.writer)),
    mmapExcl: fn(files, (f) => orNone(file(f).mmapLock.writer)),
    mmapShared: fn(files, (f) => makeSet(file(f).mmapLock.readers.map(M), true)),
    upc: fn(users, (u) => pcOf(task(u), USER_PC)),
    uat: fn(users, (u) => {
      const t = task(u);
      return tuple(t.kind === 'user' ? t.target : null);
    }),
    uref: fn(users, (u) => {
      const t = task(u);
      return orNone(t.kind === 'user' ? t.ref : null);
    }),
    gupsLeft: s.gupsLeft,
    fpc: fn(fsTasks, (t) => pcOf(task(t), FS_PC)),
    fop: fn(fsTasks, (id) => {
      const t = task(id);
      const op = t.kind === 'fs' ? t.op : null;
      return op ? { file: M(op.file), hi: op.hi, lo: op.lo, op: op.op } : NO_OP;
    }),
    fscan: fn(fsTasks, (id) => {
      const t = task(id);
      return t.kind === 'fs' ? t.scanIndex : 0;
    }),
    fbusy: fn(fsTasks, (id) => {
      const t = task(id);
      return orNone(t.kind === 'fs' ? t.busyPage : null);
    }),
    spc: fn(syncers, (id) => pcOf(task(id), SYNC_PC)),
    sat: fn(syncers, (id) => {
      const t = task(id);
      return tuple(t.kind === 'syncer' ? t.target : null);
    }),
  };
  // Variables in name order, as normalizeState leaves them.
  const out: TlaState = {};
  for (const k of [...SPEC_VARIABLES].sort()) out[k] = state[k] as TlaValue;
  return out;
}
