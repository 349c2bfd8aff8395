// The refinement mapping from the implementation (its LiveView, impl/live-view.ts: a live system or
// a snapshot) to a state of spec/DaxDma.tla: one entry per spec variable, from which both the
// canonical values (mapToSpec) and replay's fast keys (state-key.ts) are derived.
import {
  FS_LABELS,
  type Label,
  type LiveView,
  type ResolvedConfig,
  type Snapshot,
  SYNC_LABELS,
  type TaskId,
  USER_LABELS,
  snapshotView,
  taskOrder,
} from '../../impl/index.ts';
import { makeFunction, makeSet } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import {
  count,
  type Encoding,
  flag,
  fsOperation,
  type MappingContext,
  modelOrNone,
  place,
  type Read,
  taskSet,
  text,
} from './mapping-encodings.ts';

/** The mapping cannot be applied: the implementation is in a state the mapping has no image for. */
export class MappingError extends Error {
  override readonly name = 'MappingError';
}

/** What a spec variable is a function of (the spec's constants, and Offsets = 0..NumOffsets-1). */
export type Domain = 'files' | 'offsets' | 'blocks' | 'users' | 'fsTasks' | 'syncers';

/** A spec variable that is a value, a function over a domain, or a function of functions. */
interface FunctionMapping {
  readonly name: string;
  /** [] a plain value; ['blocks'] a function over Blocks; ['files', 'offsets'] [f][o]. */
  readonly over: readonly [] | readonly [Domain] | readonly [Domain, Domain];
  readonly element: Encoding;
}

/** A spec variable that is a subset of a domain. */
interface SubsetMapping {
  readonly name: string;
  readonly subsetOf: Domain;
  readonly member: Read<boolean>;
}

export type VariableMapping = FunctionMapping | SubsetMapping;

/** Per task kind: the actions its steps take (its pc names the next one) and the one start()
 *  takes from "idle", which is never a started task's next step. */
export const TASK_ACTIONS = {
  user: { labels: USER_LABELS, start: 'GupFastReadPte' },
  fs: { labels: FS_LABELS, start: 'FsLockIo' },
  syncer: { labels: SYNC_LABELS, start: 'WritebackLockEntry' },
} as const satisfies Record<string, { labels: readonly Label[]; start: Label }>;

/** A task's pc: "idle"; the name of its next step, whether running or blocked (the spec names a
 *  task's pc after the action it takes next); or "sleep" for a file-system task asleep in
 *  wait_var_event before its relock. */
function pc(kind: keyof typeof TASK_ACTIONS): Read<string> {
  const { labels, start } = TASK_ACTIONS[kind];
  const steps = new Set<Label>(labels.filter((l) => l !== start));
  return (v, t, _, at) => {
    const state = v.taskState(t);
    if (state === 'idle') return 'idle';
    const next = v.taskNext(t);
    if (state === 'sleeping') {
      // Asleep in wait_var_event: before its relock (xfs_wait_dax_page's xfs_ilock), or, in the
      // 2025 design's dax_break_layout_final (schedule(), no lock dropped), before its next test.
      if (kind === 'fs' && (next === 'BreakLayoutsRelock' || next === 'BreakLayoutsWait')) return 'sleep';
      throw new MappingError(
        `${at.taskIds[t]} is asleep before ${String(next)}; only a file-system task waiting to relock or to test again can sleep`,
      );
    }
    if (next === null || !steps.has(next))
      throw new MappingError(`${at.taskIds[t]} (${kind}) has no spec pc for next step ${String(next)}`);
    return next;
  };
}

/** An entry's block. An empty entry (grab_mapping_entry's DAX_EMPTY placeholder for a hole)
 *  exists only while locked: unlocked, it is no state of the spec, which has just "no block" and
 *  "locked" for an offset, and mapping it to "no entry" would hide a placeholder left behind. */
const entryBlock: Read<string | null> = (v, f, o, at) => {
  const block = v.entryBlock(f, o);
  if (block === null && !v.entryLocked(f, o) && v.entryPresent(f, o)) {
    throw new MappingError(
      `${at.config.files[f]}:${o} holds an unlocked empty entry: the placeholder exists only while its fault holds it locked`,
    );
  }
  return block;
};

/**
 * The refinement mapping, one entry per spec variable in the order of `vars`. A new spec
 * variable is one entry here (plus, in impl/, the LiveView accessor it reads).
 *
 *   spec variable   LiveView (snapshot field)                      why
 *   -------------   --------------------------------------------   -------------------------------------------
 *   extent[f][o]    extent (files[f].extents[o]), null -> None     the file's block map (ExtentMap)
 *   free            isFree (free)                                  BlockAllocator's free set
 *   entry[f][o]     entryBlock (files[f].entries[o].pfn)           the pfn in the DAX entry; no entry and an
 *                   (no entry, or an empty entry -> None)          empty (DAX_EMPTY) entry both hold no block;
 *                                                                  an unlocked empty entry is a MappingError
 *   locked[f][o]    entryLocked (entries[o].locked, none -> F)     the DAX_LOCKED bit
 *   pte[f][o]       pte (ptes[f][o]), pte_none -> None             the one mm's VMA of f
 *   refcount[b]     refcount (pages[b].refcount)                   page->_refcount; the pin count is kept
 *                                                                  apart (pincount) and not a spec variable;
 *                                                                  in the 2025 design it counts the PTE's
 *                                                                  reference too (the spec's MapCount)
 *   mapping[b]      pageFile/pageIndex (pages[b].mapping)          page->mapping/index
 *                   -> <<f, index>>, null -> <<>>
 *   ioLock[f]       ioLockWriter (files[f].ioLock.writer)          only FsTasks take it, exclusive
 *   mmapExcl[f]     mmapLockWriter (files[f].mmapLock.writer)
 *   mmapShared[f]   mmapLockReaders (files[f].mmapLock.readers)    faults hold it shared
 *   upc[u]          idle -> "idle"; else the next step's label     a blocked task is still at its pc: blocking
 *                   ("FaultLockShared", ..., "DmaComplete"),       is the spec's "action not enabled", so the
 *                   whatever its state                             pc is the label whether running or blocked
 *   uat[u]          targetFile/targetOffset (tasks[u].target)
 *                   -> <<f, o>>, null -> <<>>
 *   uref[u]         userRef (tasks[u].ref), null -> None           the page read from the PTE, referenced or
 *                                                                  pinned
 *   gupsLeft        gupsLeft                                       the start() budget
 *   ulong[u]        longterm (tasks[u].longterm)                   the GUP's FOLL_LONGTERM, kept while idle
 *   fpc[t]          idle -> "idle"; sleeping (wait_var_event) ->   sleep/relock are the two halves of
 *                   "sleep"; else the next step's label            xfs_wait_dax_page's schedule(): a task woken
 *                   ("FsLockMmap", ..., "FsUnlock")                by wake_up_var stands before its relock,
 *                                                                  running or blocked on the mmap lock:
 *                                                                  "BreakLayoutsRelock" (2025's final break,
 *                                                                  which holds no lock: "BreakLayoutsWait")
 *   fop[t]          fsOp (tasks[t].op) -> [op, file, lo, hi],      FsLockIo sets it, FsUnlock clears it
 *                   null -> NoOp
 *   fscan[t]        scanIndex (tasks[t].scanIndex)                 the busy scan's, deletion's or
 *                                                                  preallocation's cursor, reset where the
 *                                                                  spec resets fscan (FsUnlock: 0)
 *   fbusy[t]        busyPage (tasks[t].busyPage), null -> None     kept from the scan that found it to FsUnlock
 *   fslept[t]       didUnlock (tasks[t].didUnlock)                 the retry flag, set only under
 *                                                                  RetryOnlyOnSleep (xfs_wait_dax_page)
 *   spc[s]          idle -> "idle"; else the next step's label
 *                   ("WritebackUnlockEntry")
 *   sat[s]          targetFile/targetOffset (tasks[s].target)
 *                   -> <<f, o>>, null -> <<>>
 *   vma[f]          mapped (files[f].mapped)                       mapping_mapped: the mm's VMA is in i_mmap
 *   gone[f]         freeing (files[f].freeing)                     I_FREEING, set by eviction's FsLockIo
 *   warned          warned (warned)                                the trunc WARN (Features TruncWarn) fired
 *
 * No spec variable reads the implementation's extra state: pin counts, page data, wait-queue
 * contents, the woken flag, events. GupFastReadPte, FsLockIo and WritebackLockEntry are never a
 * started task's next step: start() takes them, so an idle task maps to "idle".
 */
export const VARIABLE_MAPPINGS: readonly VariableMapping[] = [
  { name: 'extent', over: ['files', 'offsets'], element: modelOrNone((v, f, o) => v.extent(f, o)) },
  { name: 'free', subsetOf: 'blocks', member: (v, b) => v.isFree(b) },
  { name: 'entry', over: ['files', 'offsets'], element: modelOrNone(entryBlock) },
  { name: 'locked', over: ['files', 'offsets'], element: flag((v, f, o) => v.entryLocked(f, o)) },
  { name: 'pte', over: ['files', 'offsets'], element: modelOrNone((v, f, o) => v.pte(f, o)) },
  { name: 'refcount', over: ['blocks'], element: count((v, b) => v.refcount(b)) },
  {
    name: 'mapping',
    over: ['blocks'],
    element: place(
      (v, b) => v.pageFile(b),
      (v, b) => v.pageIndex(b),
    ),
  },
  { name: 'ioLock', over: ['files'], element: modelOrNone((v, f) => v.ioLockWriter(f)) },
  { name: 'mmapExcl', over: ['files'], element: modelOrNone((v, f) => v.mmapLockWriter(f)) },
  { name: 'mmapShared', over: ['files'], element: taskSet((v, f) => v.mmapLockReaders(f)) },
  { name: 'upc', over: ['users'], element: text(pc('user')) },
  {
    name: 'uat',
    over: ['users'],
    element: place(
      (v, t) => v.targetFile(t),
      (v, t) => v.targetOffset(t),
    ),
  },
  { name: 'uref', over: ['users'], element: modelOrNone((v, t) => v.userRef(t)) },
  { name: 'gupsLeft', over: [], element: count((v) => v.gupsLeft) },
  { name: 'ulong', over: ['users'], element: flag((v, t) => v.longterm(t)) },
  { name: 'fpc', over: ['fsTasks'], element: text(pc('fs')) },
  { name: 'fop', over: ['fsTasks'], element: fsOperation((v, t) => v.fsOp(t)) },
  { name: 'fscan', over: ['fsTasks'], element: count((v, t) => v.scanIndex(t)) },
  { name: 'fbusy', over: ['fsTasks'], element: modelOrNone((v, t) => v.busyPage(t)) },
  { name: 'fslept', over: ['fsTasks'], element: flag((v, t) => v.didUnlock(t)) },
  { name: 'spc', over: ['syncers'], element: text(pc('syncer')) },
  {
    name: 'sat',
    over: ['syncers'],
    element: place(
      (v, t) => v.targetFile(t),
      (v, t) => v.targetOffset(t),
    ),
  },
  { name: 'vma', over: ['files'], element: flag((v, f) => v.mapped(f)) },
  { name: 'gone', over: ['files'], element: flag((v, f) => v.freeing(f)) },
  { name: 'warned', over: [], element: flag((v) => v.warned) },
];

/** The spec variables, in the order of `vars`. */
export const SPEC_VARIABLES: readonly string[] = VARIABLE_MAPPINGS.map((m) => m.name);

const TASK_DOMAINS: readonly Domain[] = ['users', 'fsTasks', 'syncers'];

/** The spec's per-task variables (functions of the task): the ones an action of that task
 *  writes. A step's actor is the one task whose entries in them change. */
export const TASK_VARIABLES: readonly string[] = VARIABLE_MAPPINGS.filter(
  (m) => 'over' in m && m.over.length > 0 && TASK_DOMAINS.includes(m.over[0]!),
).map((m) => m.name);

/** A domain's elements: the view's index of each and its name (a model value) or offset. */
export interface DomainElements {
  readonly index: readonly number[];
  readonly names: readonly (string | number)[];
}

/** The elements of every domain for a configuration, with tasks indexed as `taskIds` orders them. */
export function domainsOf(config: ResolvedConfig, taskIds: readonly TaskId[]): Record<Domain, DomainElements> {
  const named = (names: readonly string[]): DomainElements => ({ index: names.map((_, i) => i), names });
  const tasks = (ids: readonly string[]): DomainElements => ({ index: ids.map((id) => taskIds.indexOf(id)), names: ids });
  const offsets = Array.from({ length: config.offsets }, (_, o) => o);
  return {
    files: named(config.files),
    offsets: { index: offsets, names: offsets },
    blocks: named(config.blocks),
    users: tasks(config.users),
    fsTasks: tasks(config.fsTasks),
    syncers: tasks(config.syncers),
  };
}

const element = (name: string | number): TlaValue => (typeof name === 'number' ? name : { '#model': name });

/** One variable's canonical value. */
function variableValue(m: VariableMapping, at: MappingContext, d: Record<Domain, DomainElements>): TlaValue {
  if ('subsetOf' in m) {
    const dom = d[m.subsetOf];
    return makeSet(
      dom.index.flatMap((i, k) => (m.member(at.view, i, 0, at) ? [element(dom.names[k]!)] : [])),
      true,
    );
  }
  const [outer, inner] = m.over;
  if (outer === undefined) return m.element.value(at, 0, 0);
  const o = d[outer];
  if (inner === undefined)
    return makeFunction(
      o.index.map((i, k) => [element(o.names[k]!), m.element.value(at, i, 0)]),
      true,
    );
  const n = d[inner];
  return makeFunction(
    o.index.map((i, k) => [
      element(o.names[k]!),
      makeFunction(
        n.index.map((j, l) => [element(n.names[l]!), m.element.value(at, i, j)]),
        true,
      ),
    ]),
    true,
  );
}

/** The spec state a view stands for, in normal form (variables in name order). */
function mapView(view: LiveView, config: ResolvedConfig, taskIds: readonly TaskId[]): TlaState {
  const at: MappingContext = { view, config, taskIds };
  const d = domainsOf(config, taskIds);
  const out: TlaState = {};
  for (const m of [...VARIABLE_MAPPINGS].sort((a, b) => (a.name < b.name ? -1 : 1))) out[m.name] = variableValue(m, at, d);
  return out;
}

/**
 * The refinement mapping: the spec state an implementation snapshot stands for (see
 * VARIABLE_MAPPINGS for the table).
 * @throws MappingError if a task is somewhere the spec has no pc for, or an unlocked empty entry.
 */
export function mapToSpec(s: Snapshot): TlaState {
  return mapView(snapshotView(s), s.config, taskOrder(s.config));
}
