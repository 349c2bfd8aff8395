// What the trace corpus must cover: every action of the spec's Next, and the branches of
// interest inside actions (GUP-fast falling back, the busy scan finding a pinned page, ...),
// each as a TLA+ condition (for the directed search) and as a TypeScript predicate (to measure
// the coverage of any trace). Stands for TLC's per-action coverage report (-coverage).
import type { TraceStep } from '../../lib/result/check-result.ts';
import { valueKey } from '../../lib/values/canonical.ts';
import type { TlaRecord, TlaState, TlaValue } from '../../lib/values/value.ts';
import type { SpecAction } from '../../lib/tla/spec-actions.ts';
import type { SpecTrace } from '../trace-formats/spec-trace.ts';

/**
 * A branch of interest inside an action. `tla` is an action-level formula over the action's
 * parameters (as the action's definition names them) and primed and unprimed variables; it
 * guards the directed search. `holds` says the same of a step, from the state before, the state
 * after and the step's parameters; it measures coverage. corpus.test.ts checks that every trace
 * generated for a branch ends in a step `holds` accepts, so the two cannot drift apart unseen.
 */
export interface Branch {
  /** "<Action>.<branch>", e.g. "GupFastRecheck.fallback". */
  name: string;
  action: string;
  /** What the branch is, in kernel terms. */
  description: string;
  tla: string;
  holds(before: TlaState, after: TlaState, params: Record<string, TlaValue>): boolean;
}

/** f[k1][k2]... on canonical values (functions as #map, sequences or records); undefined when
 *  a key is not in the domain. */
function apply(f: TlaValue | undefined, ...keys: TlaValue[]): TlaValue | undefined {
  let v = f;
  for (const k of keys) {
    if (v === undefined) return undefined;
    if (Array.isArray(v)) v = typeof k === 'number' ? v[k - 1] : undefined;
    else if (typeof v === 'object' && v !== null && '#map' in v) {
      const key = valueKey(k);
      v = (v as { '#map': [TlaValue, TlaValue][] })['#map'].find(([x]) => valueKey(x) === key)?.[1];
    } else if (typeof v === 'object' && v !== null && typeof k === 'string' && !Object.keys(v)[0]?.startsWith('#')) v = (v as TlaRecord)[k];
    else return undefined;
  }
  return v;
}

/** The domain of a function value (keys of a #map, 1..n of a sequence, fields of a record). */
function domain(f: TlaValue | undefined): TlaValue[] {
  if (Array.isArray(f)) return f.map((_, i) => i + 1);
  if (typeof f === 'object' && f !== null && '#map' in f) return (f as { '#map': [TlaValue, TlaValue][] })['#map'].map(([k]) => k);
  if (typeof f === 'object' && f !== null && !Object.keys(f)[0]?.startsWith('#')) return Object.keys(f);
  return [];
}

const NONE: TlaValue = { '#model': 'None' };
const eq = (a: TlaValue | undefined, b: TlaValue): boolean => a !== undefined && valueKey(a) === valueKey(b);
const p = (params: Record<string, TlaValue>, name: string): TlaValue => params[name] as TlaValue;

/** The branches of interest of DaxDma (spec/DaxDma.tla), grouped by kernel path. */
export const BRANCHES: Branch[] = [
  {
    name: 'GupFastReadPte.present',
    action: 'GupFastReadPte',
    description: 'gup_pte_range finds a present PTE and goes on locklessly (else it falls back to a fault)',
    tla: 'pte[f][o] # None',
    holds: (b, _a, x) => !eq(apply(b.pte, p(x, 'f'), p(x, 'o')), NONE),
  },
  {
    name: 'GupFastRecheck.pinned',
    action: 'GupFastRecheck',
    description: 'the PTE re-read is unchanged: the speculative reference becomes a pin and DMA may start',
    tla: 'upc\'[u] = "DmaComplete"',
    holds: (_b, a, x) => apply(a.upc, p(x, 'u')) === 'DmaComplete',
  },
  {
    name: 'GupFastRecheck.fallback',
    action: 'GupFastRecheck',
    description: 'unmap_mapping_range changed the PTE under GUP-fast: it puts the page back and falls back to a fault',
    tla: 'upc\'[u] = "FaultLockShared"',
    holds: (_b, a, x) => apply(a.upc, p(x, 'u')) === 'FaultLockShared',
  },
  {
    name: 'FaultAllocBlock.allocates',
    action: 'FaultAllocBlock',
    description: 'iomap_begin fills a hole with a block from the allocator (possibly one another file just freed)',
    tla: 'extent[UFile(u)][UOff(u)] = None',
    holds: (b, _a, x) => {
      const at = apply(b.uat, p(x, 'u'));
      return Array.isArray(at) && eq(apply(b.extent, at[0] as TlaValue, at[1] as TlaValue), NONE);
    },
  },
  {
    name: 'GupSlowPin.refault',
    action: 'GupSlowPin',
    description: 'follow_page_pte finds the PTE zapped since the fault returned: fault again',
    tla: 'upc\'[u] = "FaultLockShared"',
    holds: (_b, a, x) => apply(a.upc, p(x, 'u')) === 'FaultLockShared',
  },
  {
    name: 'GupFastRecheck.efault',
    action: 'GupFastRecheck',
    description: 'the PTE changed and munmap removed the VMA meanwhile: the fallback finds no VMA, the GUP fails (-EFAULT)',
    tla: 'upc\'[u] = "idle"',
    holds: (_b, a, x) => apply(a.upc, p(x, 'u')) === 'idle',
  },
  ...(['Truncate', 'PunchHole', 'CollapseRange', 'ZeroRange', 'InsertRange', 'Evict'] as const).map((op): Branch => ({
    name: `FsLockIo.${op}`,
    action: 'FsLockIo',
    description: `a ${op} syscall starts (xfs_ilock(XFS_IOLOCK_EXCL))`,
    tla: `op.op = "${op}"`,
    holds: (_b, _a, x) => apply(p(x, 'op'), 'op') === op,
  })),
  {
    name: 'BreakLayoutsScan.busy',
    action: 'BreakLayoutsScan',
    description: 'dax_layout_busy_page finds a page with a reference above idle',
    tla: 'fpc\'[t] = "BreakLayoutsWait"',
    holds: (_b, a, x) => apply(a.fpc, p(x, 't')) === 'BreakLayoutsWait',
  },
  {
    name: 'BreakLayoutsScan.busyPastFirst',
    action: 'BreakLayoutsScan',
    description: 'the busy page is past the first offset: the cursor stays on it until the wait ends',
    tla: 'fpc\'[t] = "BreakLayoutsWait" /\\ fscan[t] > 0',
    holds: (b, a, x) => apply(a.fpc, p(x, 't')) === 'BreakLayoutsWait' && (apply(b.fscan, p(x, 't')) as number) > 0,
  },
  {
    name: 'BreakLayoutsScan.clean',
    action: 'BreakLayoutsScan',
    description: 'a full scan finds no busy page: layouts are broken, the entries may go',
    tla: 'fpc\'[t] = "TruncateUnmap"',
    holds: (_b, a, x) => apply(a.fpc, p(x, 't')) === 'TruncateUnmap',
  },
  {
    name: 'BreakLayoutsWait.sleep',
    action: 'BreakLayoutsWait',
    description: 'xfs_wait_dax_page drops the mmap lock and sleeps on the busy page',
    tla: 'fpc\'[t] = "sleep"',
    holds: (_b, a, x) => apply(a.fpc, p(x, 't')) === 'sleep',
  },
  {
    name: 'BreakLayoutsWait.restart',
    action: 'BreakLayoutsWait',
    description: 'the page is idle again when tested: xfs_break_layouts retries from the unmap',
    tla: 'fpc\'[t] # "sleep"',
    holds: (_b, a, x) => apply(a.fpc, p(x, 't')) !== 'sleep',
  },
  {
    name: 'BreakLayoutsWait.retryAfterSleep',
    action: 'BreakLayoutsWait',
    description:
      'RetryOnlyOnSleep (4.18): woken after a sleep, the break finds the page idle and, since it slept (did_unlock), scans again; the one path where the bug still retries',
    tla: 'fslept[t] /\\ fpc\'[t] # "sleep"',
    holds: (b, a, x) => apply(b.fslept, p(x, 't')) === true && apply(a.fpc, p(x, 't')) !== 'sleep',
  },
  {
    name: 'DmaComplete.wakes',
    action: 'DmaComplete',
    description: 'the last put_page runs the page_free callback, whose wake_up_var wakes a sleeping truncate',
    tla: '\\E t \\in FsTasks : fpc[t] = "sleep" /\\ fpc\'[t] = "BreakLayoutsRelock"',
    holds: (b, a) => domain(b.fpc).some((t) => apply(b.fpc, t) === 'sleep' && apply(a.fpc, t) === 'BreakLayoutsRelock'),
  },
  ...(['gup_put_folio', 'release_pages'] as const).map((path): Branch => ({
    name: `DmaComplete.${path}`,
    action: 'DmaComplete',
    description: `the pin is dropped through ${path} rather than put_page`,
    tla: `path = "${path}"`,
    holds: (_b, _a, x) => p(x, 'path') === path,
  })),
  {
    name: 'DeleteEntry.deletes',
    action: 'DeleteEntry',
    description: 'dax_delete_mapping_entry deletes a DAX entry (dax_disassociate_entry)',
    tla: "entry' # entry",
    holds: (b, a) => valueKey(b.entry as TlaValue) !== valueKey(a.entry as TlaValue),
  },
  {
    name: 'FreeBlocks.frees',
    action: 'FreeBlocks',
    description: 'blocks go back to the allocator',
    tla: "free' # free",
    holds: (b, a) => valueKey(b.free as TlaValue) !== valueKey(a.free as TlaValue),
  },
  {
    name: 'FreeBlocks.collapseShift',
    action: 'FreeBlocks',
    description: 'collapse range shifts an extent beyond the range down (xfs_shift_file_space)',
    tla: 'fop[t].op = "CollapseRange" /\\ \\E o \\in Offsets : o > fop[t].hi /\\ extent[fop[t].file][o] # None',
    holds: (b, _a, x) => {
      const op = apply(b.fop, p(x, 't'));
      if (apply(op, 'op') !== 'CollapseRange') return false;
      const file = apply(op, 'file') as TlaValue;
      const hi = apply(op, 'hi') as number;
      const ext = apply(b.extent, file);
      return domain(ext).some((o) => typeof o === 'number' && o > hi && !eq(apply(ext, o), NONE));
    },
  },
  {
    name: 'FreeBlocks.insertShift',
    action: 'FreeBlocks',
    description: 'insert range shifts an extent from its start up, leaving a hole (xfs_shift_file_space)',
    tla: 'fop[t].op = "InsertRange" /\\ extent\' # extent',
    holds: (b, a, x) =>
      apply(apply(b.fop, p(x, 't')), 'op') === 'InsertRange' && valueKey(b.extent as TlaValue) !== valueKey(a.extent as TlaValue),
  },
];

/** What a set of traces covers, against the actions and branches that exist. */
export interface Coverage {
  actions: { total: number; covered: string[]; missing: string[] };
  branches: { total: number; covered: string[]; missing: string[] };
}

/** The actions and branches one step takes (none for the initial state or an unnamed step). */
export function stepTargets(before: TraceStep, after: TraceStep, branches: Branch[] = BRANCHES): string[] {
  if (after.action === null || after.action === 'Init') return [];
  const params = (after.params ?? {}) as Record<string, TlaValue>;
  const out = [after.action];
  for (const b of branches) {
    if (b.action !== after.action) continue;
    try {
      if (b.holds(before.state, after.state, params)) out.push(b.name);
    } catch {
      // A predicate over a state of another shape (another spec) simply does not hold.
    }
  }
  return out;
}

/** Every target (action name or branch name) a trace covers. */
export function traceTargets(trace: Pick<SpecTrace, 'steps'>, branches: Branch[] = BRANCHES): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < trace.steps.length; i++)
    for (const t of stepTargets(trace.steps[i - 1] as TraceStep, trace.steps[i] as TraceStep, branches)) out.add(t);
  return out;
}

/** The branches that belong to the spec's actions (a branch of an action the spec lacks is dropped). */
export function branchesOf(actions: SpecAction[], branches: Branch[] = BRANCHES): Branch[] {
  return branches.filter((b) => actions.some((a) => a.name === b.action));
}

/** Coverage of a set of traces. */
export function coverage(traces: Pick<SpecTrace, 'steps'>[], actions: SpecAction[], branches: Branch[] = BRANCHES): Coverage {
  const hit = new Set<string>();
  for (const t of traces) for (const x of traceTargets(t, branches)) hit.add(x);
  const names = actions.map((a) => a.name);
  const bnames = branchesOf(actions, branches).map((b) => b.name);
  return {
    actions: { total: names.length, covered: names.filter((n) => hit.has(n)), missing: names.filter((n) => !hit.has(n)) },
    branches: { total: bnames.length, covered: bnames.filter((n) => hit.has(n)), missing: bnames.filter((n) => !hit.has(n)) },
  };
}
