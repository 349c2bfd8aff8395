// The refinement mapping as per-variable text keys, read from the live implementation without a
// snapshot, for the per-step comparison of trace replay. mapToSpec (mapping.ts) is the reference:
// it builds canonical values from a deep-frozen snapshot, which costs about 200 µs a step; this
// writes the same mapping straight into keys in a few µs. state-key.test.ts checks, over random
// executions of every configuration, that the two agree variable by variable; on any mismatch
// replay falls back to mapToSpec to print the diff.
import type { DaxSystem, LiveView } from '../impl/index.ts';
import type { TlaState, TlaValue } from '../lib/values/value.ts';
import { entryPfn, FS_PC, MappingError, SPEC_VARIABLES, SYNC_PC, USER_PC, type MappingConstants } from './mapping.ts';

/** The variables in key order (name order, as normalizeState leaves them). */
const VARIABLES = [...SPEC_VARIABLES].sort();

/**
 * The key of a TLA+ value in any canonical shape, normal form or not: equal values have equal
 * keys. Every function (sequence, tuple, record, #map) is written as its sorted key:value pairs,
 * so that <<a, b>>, (1 :> a @@ 2 :> b) and a TLC record all meet.
 */
export function valueText(v: TlaValue | { '#tup': TlaValue[] }): string {
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return sequenceText(v);
  const o = v as Record<string, unknown>;
  if (typeof o['#model'] === 'string') return `@${o['#model']}`;
  if (typeof o['#bigint'] === 'string') {
    const n = Number(o['#bigint']);
    return Number.isSafeInteger(n) ? String(n) : o['#bigint'];
  }
  // {a, a} is {a}: a set's duplicates go, as makeSet drops them.
  if (Array.isArray(o['#set'])) return `{${unique(sorted((o['#set'] as TlaValue[]).map(valueText))).join(',')}}`;
  if (Array.isArray(o['#tup'])) return sequenceText(o['#tup'] as TlaValue[]);
  if (Array.isArray(o['#map'])) return `(${sorted((o['#map'] as [TlaValue, TlaValue][]).map(([k, x]) => `${valueText(k)}:${valueText(x)}`)).join(',')})`;
  const fields: string[] = [];
  for (const k in o) fields.push(`${quoted(k)}:${valueText(o[k] as TlaValue)}`);
  return `(${sorted(fields).join(',')})`;
}

const QUOTED = new Map<string, string>();

/** JSON.stringify of a record field name, memoised: a spec has few field names. */
function quoted(k: string): string {
  let q = QUOTED.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (QUOTED.size < 4096) QUOTED.set(k, q);
  }
  return q;
}

function sequenceText(v: readonly TlaValue[]): string {
  return `(${sorted(v.map((x, i) => `${i + 1}:${valueText(x)}`)).join(',')})`;
}

/** Drops adjacent repeats of a sorted list (in place). */
function unique(xs: string[]): string[] {
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (i === 0 || xs[i] !== xs[n - 1]) xs[n++] = xs[i]!;
  xs.length = n;
  return xs;
}

/** Sorts in place unless already sorted (the common case for normal-form input). */
function sorted(xs: string[]): string[] {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! > xs[i]!) return xs.sort();
  return xs;
}

/** A domain in key order: each element's index in configured order, and its key text. */
interface Domain {
  readonly index: readonly number[];
  readonly text: readonly string[];
}

function domain(keys: readonly string[]): Domain {
  // Sorted as valueText sorts whole "key:value" entries, which the colon makes the order of "key:".
  const order = keys.map((k, index) => ({ text: `${k}:`, index })).sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return { index: order.map((x) => x.index), text: order.map((x) => x.text) };
}

function namesOf(v: MappingConstants[keyof MappingConstants], what: string): string[] {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return [...(v as string[])];
  const set = v !== null && typeof v === 'object' && '#set' in v ? (v as { '#set': TlaValue[] })['#set'] : Array.isArray(v) && v.length === 0 ? [] : null;
  if (set === null) throw new MappingError(`${what}: expected a set of model values, got ${JSON.stringify(v)}`);
  return set.map((e) => {
    if (e !== null && typeof e === 'object' && '#model' in e) return (e as { '#model': string })['#model'];
    if (typeof e === 'string') return e;
    throw new MappingError(`${what}: ${JSON.stringify(e)} is not a model value`);
  });
}

/**
 * Keys of mapped states for one system configuration: `ofSystem` reads a live system, `ofState`
 * a spec state (a trace's), and equal states give equal key arrays (one key per variable, in
 * name order). Built once per replay.
 */
export class StateKeys {
  readonly variables: readonly string[] = VARIABLES;
  private readonly none: string;
  private readonly files: Domain;
  private readonly offsets: Domain;
  private readonly blocks: Domain;
  private readonly blockText: readonly string[];
  private readonly users: Domain;
  private readonly fsTasks: Domain;
  private readonly syncers: Domain;
  private readonly stateCache = new WeakMap<TlaState, readonly string[]>();

  /** @throws MappingError if the system's configuration does not match the constants. */
  constructor(private readonly sys: DaxSystem, constants: MappingConstants) {
    const cfg = sys.config;
    const noneName = constants.None === undefined ? 'None' : typeof constants.None === 'string' ? constants.None : (constants.None as { '#model'?: string })['#model'];
    if (typeof noneName !== 'string') throw new MappingError(`None: expected a model value, got ${JSON.stringify(constants.None)}`);
    this.none = `@${noneName}`;
    const same = (what: string, spec: readonly string[], impl: readonly string[]): void => {
      if (spec.length !== impl.length || !spec.every((x) => impl.includes(x))) throw new MappingError(`${what}: constants {${spec.join(', ')}} but the system has {${impl.join(', ')}}`);
    };
    same('Files', namesOf(constants.Files, 'Files'), cfg.files);
    same('Blocks', namesOf(constants.Blocks, 'Blocks'), cfg.blocks);
    same('Users', namesOf(constants.Users, 'Users'), cfg.users);
    same('FsTasks', namesOf(constants.FsTasks, 'FsTasks'), cfg.fsTasks);
    same('Syncers', namesOf(constants.Syncers, 'Syncers'), cfg.syncers);
    const n = typeof constants.NumOffsets === 'number' ? constants.NumOffsets : Number((constants.NumOffsets as { '#bigint'?: string })['#bigint']);
    if (n !== cfg.offsets) throw new MappingError(`NumOffsets: constants ${String(constants.NumOffsets)} but the system has ${cfg.offsets}`);
    const at = (id: string): number => sys.taskIds.indexOf(id);
    this.files = domain(cfg.files.map((f) => `@${f}`));
    this.offsets = domain(Array.from({ length: cfg.offsets }, (_, o) => String(o)));
    this.blocks = domain(cfg.blocks.map((b) => `@${b}`));
    this.blockText = cfg.blocks.map((b) => `@${b}`);
    const tasks = (ids: readonly string[]): Domain => {
      const d = domain(ids.map((id) => `@${id}`));
      return { index: d.index.map((i) => at(ids[i]!)), text: d.text };
    };
    this.users = tasks(cfg.users);
    this.fsTasks = tasks(cfg.fsTasks);
    this.syncers = tasks(cfg.syncers);
  }

  /** The keys of a spec state (cached per state object). */
  ofState(s: TlaState): readonly string[] {
    let keys = this.stateCache.get(s);
    if (keys) return keys;
    keys = VARIABLES.map((v) => (s[v] === undefined ? '<missing>' : valueText(s[v] as TlaValue)));
    // A variable the mapping does not produce makes the states differ, as in diffStates.
    if (Object.keys(s).length !== VARIABLES.length) keys = [...keys, '<extra variables>'];
    this.stateCache.set(s, keys);
    return keys;
  }

  /** The keys of the live system's mapped state: mapToSpec(sys.snapshot()), without the copy.
   *  Plain loops, no closures: this runs once a replayed step, and a closure made per call
   *  costs more here than the strings (tsx's keepNames wraps each one).
   *  @throws MappingError where mapToSpec does (a task with no spec pc). */
  ofSystem(): string[] {
    const v = this.sys.live;
    const { files, offsets, blocks, users, fsTasks, syncers, none } = this;
    const keys: Record<string, string> = {};
    let extent = '(', entry = '(', locked = '(', pte = '(', ioLock = '(', mmapExcl = '(', mmapShared = '(';
    for (let i = 0; i < files.index.length; i++) {
      const f = files.index[i]!;
      const head = (i ? ',' : '') + files.text[i]! + '(';
      let ex = head, en = head, lo = head, pt = head;
      for (let j = 0; j < offsets.index.length; j++) {
        const o = offsets.index[j]!;
        const at = (j ? ',' : '') + offsets.text[j]!;
        ex += at + model(v.extent(f, o), none);
        const block = v.entryBlock(f, o);
        const isLocked = v.entryLocked(f, o);
        if (block === null && !isLocked && v.entryPresent(f, o)) entryPfn({ pfn: null, locked: false }, this.sys.config.files[f]!, o);
        en += at + model(block, none);
        lo += at + (isLocked ? 'T' : 'F');
        pt += at + model(v.pte(f, o), none);
      }
      extent += ex + ')';
      entry += en + ')';
      locked += lo + ')';
      pte += pt + ')';
      const at = (i ? ',' : '') + files.text[i]!;
      ioLock += at + model(v.ioLockWriter(f), none);
      mmapExcl += at + model(v.mmapLockWriter(f), none);
      const readers = v.mmapLockReaders(f);
      const ids: string[] = [];
      for (const t of readers) ids.push(`@${t.id}`);
      mmapShared += `${at}{${sorted(ids).join(',')}}`;
    }
    keys.extent = extent + ')';
    keys.entry = entry + ')';
    keys.locked = locked + ')';
    keys.pte = pte + ')';
    keys.ioLock = ioLock + ')';
    keys.mmapExcl = mmapExcl + ')';
    keys.mmapShared = mmapShared + ')';

    let free = '{', refcount = '(', mapping = '(';
    for (let i = 0, first = true; i < blocks.index.length; i++) {
      const b = blocks.index[i]!;
      const at = (i ? ',' : '') + blocks.text[i]!;
      refcount += at + String(v.refcount(b));
      const file = v.pageFile(b);
      mapping += at + (file === null ? '()' : `(1:@${file},2:${v.pageIndex(b)})`);
      if (!v.isFree(b)) continue;
      free += (first ? '' : ',') + this.blockText[b]!;
      first = false;
    }
    keys.free = free + '}';
    keys.refcount = refcount + ')';
    keys.mapping = mapping + ')';

    let upc = '(', uat = '(', uref = '(';
    for (let i = 0; i < users.index.length; i++) {
      const t = users.index[i]!;
      const at = (i ? ',' : '') + users.text[i]!;
      upc += at + JSON.stringify(livePc(v, t, this.sys.taskIds[t]!, USER_PC));
      uat += at + tuple(v.targetFile(t), v.targetOffset(t));
      uref += at + model(v.userRef(t), none);
    }
    keys.upc = upc + ')';
    keys.uat = uat + ')';
    keys.uref = uref + ')';
    keys.gupsLeft = String(v.gupsLeft);

    let fpc = '(', fop = '(', fscan = '(', fbusy = '(';
    for (let i = 0; i < fsTasks.index.length; i++) {
      const t = fsTasks.index[i]!;
      const at = (i ? ',' : '') + fsTasks.text[i]!;
      fpc += at + JSON.stringify(livePc(v, t, this.sys.taskIds[t]!, FS_PC));
      const op = v.fsOp(t);
      fop += at + (op === null ? `("file":${none},"hi":0,"lo":0,"op":"none")` : `("file":@${op.file},"hi":${op.hi},"lo":${op.lo},"op":${JSON.stringify(op.op)})`);
      fscan += at + String(v.scanIndex(t));
      fbusy += at + model(v.busyPage(t), none);
    }
    keys.fpc = fpc + ')';
    keys.fop = fop + ')';
    keys.fscan = fscan + ')';
    keys.fbusy = fbusy + ')';

    let spc = '(', sat = '(';
    for (let i = 0; i < syncers.index.length; i++) {
      const t = syncers.index[i]!;
      const at = (i ? ',' : '') + syncers.text[i]!;
      spc += at + JSON.stringify(livePc(v, t, this.sys.taskIds[t]!, SYNC_PC));
      sat += at + tuple(v.targetFile(t), v.targetOffset(t));
    }
    keys.spc = spc + ')';
    keys.sat = sat + ')';
    const out = new Array<string>(VARIABLES.length);
    for (let i = 0; i < VARIABLES.length; i++) out[i] = keys[VARIABLES[i]!]!;
    return out;
  }
}

/** A model value's key, or None's for null. */
function model(x: string | null, none: string): string {
  return x === null ? none : `@${x}`;
}

/** A (file, offset) pair's key, or the empty sequence's for none. */
function tuple(file: string | null, offset: number): string {
  return file === null ? '()' : `(1:@${file},2:${offset})`;
}

/** The spec pc of a task, as mapping.ts's pcOf reads it from a snapshot. */
function livePc(v: LiveView, t: number, id: string, table: Readonly<Record<string, string>>): string {
  const state = v.taskState(t);
  if (state === 'idle') return 'idle';
  const next = v.taskNext(t);
  if (state === 'sleeping') {
    if (table === FS_PC && next === 'BreakLayoutsRelock') return 'sleep';
    throw new MappingError(`${id} is asleep before ${String(next)}; only a file-system task waiting to relock can sleep`);
  }
  const pc = next === null ? undefined : table[next];
  if (pc === undefined) throw new MappingError(`${id} has no spec pc for next step ${String(next)}`);
  return pc;
}
