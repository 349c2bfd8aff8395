// The refinement mapping (mapping.ts VARIABLE_MAPPINGS) as a fixed-layout integer vector: each
// spec variable's elements in slots, small-integer codes for the config's model values and the
// spec's strings. Written from the live system (no snapshot copy, no TLA+ values: what the step
// oracle does once a step) and from a spec state (a graph's states, once when it is built), by the
// same entries of the one table, so that equal mapped states have equal vectors and different ones
// different vectors (state-code.test.ts holds both to every state of real graphs).
import { createHash } from 'node:crypto';
import { type DaxSystem, FS_OP_NAMES, type ResolvedConfig } from '../../impl/index.ts';
import { normalizeState } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { type CodeTables, type Encoding, type MappingContext, NONE, type Read } from './mapping-encodings.ts';
import { type Domain, domainsOf, TASK_ACTIONS, VARIABLE_MAPPINGS } from './mapping.ts';

/** The config's domains, by name (the layout sorts each, so their order does not matter). */
export interface CodeDomains {
  readonly files: readonly string[];
  readonly offsets: number;
  readonly blocks: readonly string[];
  readonly users: readonly string[];
  readonly fsTasks: readonly string[];
  readonly syncers: readonly string[];
}

/** Every string a spec variable holds: the pcs (each the name of a task kind's next action:
 *  mapping.ts TASK_ACTIONS), "idle", "sleep" (fpc), and the operations' names with "none" (fop's
 *  NoOp). */
const TEXTS: readonly string[] = [
  ...new Set<string>(['idle', 'sleep', 'none', ...Object.values(TASK_ACTIONS).flatMap((k) => k.labels), ...FS_OP_NAMES]),
].sort();

/** One variable's slots: a value, a function over one or two domains (element names in sorted
 *  order), or a subset of a domain as one bitmask (bit k: the k-th element in sorted order). */
interface Plan {
  readonly name: string;
  readonly pos: number;
  readonly element?: Encoding;
  readonly member?: Read<boolean>;
  readonly outer: readonly (string | number)[];
  readonly inner: readonly (string | number)[];
  readonly outerDomain?: Domain;
  readonly innerDomain?: Domain;
}

const sortedNames = (d: CodeDomains, dom: Domain): (string | number)[] =>
  dom === 'offsets' ? Array.from({ length: d.offsets }, (_, o) => o) : [...d[dom]].sort();

/** A key of a function value in normal form: a model value's name, an integer, a string. */
function keyOf(k: TlaValue): string | number {
  if (typeof k === 'number' || typeof k === 'string') return k;
  return k !== null && typeof k === 'object' && '#model' in k ? (k as { '#model': string })['#model'] : '';
}

/** A function value's entries by key; [] is the function over the empty domain. */
function fnEntries(v: TlaValue | undefined): Map<string | number, TlaValue> | undefined {
  if (Array.isArray(v) && v.length === 0) return new Map();
  if (v === null || typeof v !== 'object' || !('#map' in v)) return undefined;
  return new Map((v as { '#map': [TlaValue, TlaValue][] })['#map'].map(([k, x]) => [keyOf(k), x]));
}

const sharedCoders = new Map<string, StateCoder>();
const codersByConfig = new WeakMap<ResolvedConfig, StateCoder>();

/** The vector layout and code tables of one config. */
export class StateCoder {
  /** Slots per state. */
  readonly width: number;
  readonly tables: CodeTables;
  /** Changes whenever the layout or a code does: part of the graph cache's key. */
  readonly fingerprint: string;
  private readonly plans: readonly Plan[];

  constructor(readonly domains: CodeDomains) {
    const models = [...new Set([...domains.files, ...domains.blocks, ...domains.users, ...domains.fsTasks, ...domains.syncers])].sort();
    this.tables = {
      names: new Map<string, number>([[NONE, 0], ...models.map((n, i): [string, number] => [n, i + 1])]),
      texts: new Map(TEXTS.map((t, i) => [t, i])),
      nameOf: [NONE, ...models],
      textOf: TEXTS,
    };
    let pos = 0;
    this.plans = VARIABLE_MAPPINGS.map((m): Plan => {
      const start = pos;
      if ('subsetOf' in m) {
        pos += 1;
        return { name: m.name, pos: start, member: m.member, outer: sortedNames(domains, m.subsetOf), inner: [], outerDomain: m.subsetOf };
      }
      const [od, id] = m.over;
      const outer = od === undefined ? [0] : sortedNames(domains, od);
      const inner = id === undefined ? [0] : sortedNames(domains, id);
      pos += outer.length * inner.length * m.element.width;
      return {
        name: m.name,
        pos: start,
        element: m.element,
        outer,
        inner,
        ...(od ? { outerDomain: od } : {}),
        ...(id ? { innerDomain: id } : {}),
      };
    });
    this.width = pos;
    const layout = this.plans.map((p) => [p.name, p.pos, p.outerDomain ?? '', p.innerDomain ?? '', p.element?.width ?? 'subset']);
    this.fingerprint = createHash('sha1')
      .update(JSON.stringify({ layout, models, texts: TEXTS }))
      .digest('hex')
      .slice(0, 16);
  }

  static ofConfig(c: ResolvedConfig): StateCoder {
    return new StateCoder({ ...c });
  }

  /** One StateCoder per config's domains, shared (building one hashes its layout): what a
   *  fast-check run and a replay build their system's vectors with. */
  static of(c: ResolvedConfig): StateCoder {
    // By the config object first: systems built from one resolved config share it (impl/system.ts).
    let coder = codersByConfig.get(c);
    if (coder !== undefined) return coder;
    const key = JSON.stringify([c.files, c.offsets, c.blocks, c.users, c.fsTasks, c.syncers]);
    coder = sharedCoders.get(key);
    if (coder === undefined) sharedCoders.set(key, (coder = StateCoder.ofConfig(c)));
    codersByConfig.set(c, coder);
    return coder;
  }

  /**
   * Writes a spec state (normal form, as normalizeState leaves it) at out[pos..pos+width).
   * Returns the first variable that has no code, or null: a value outside the config's model
   * values and the spec's strings, or not of its variable's shape.
   */
  encodeState(s: TlaState, out: Int32Array, pos = 0): string | null {
    if (Object.keys(s).length !== this.plans.length) return '<variables>';
    for (const p of this.plans) {
      const v = s[p.name];
      if (v === undefined) return p.name;
      if (p.member) {
        const members = v !== null && typeof v === 'object' && '#set' in v ? (v as { '#set': TlaValue[] })['#set'] : undefined;
        if (!members) return p.name;
        let bits = 0;
        for (const x of members) {
          const k = p.outer.indexOf(keyOf(x));
          if (k < 0) return p.name;
          bits |= 1 << k;
        }
        out[pos + p.pos] = bits;
        continue;
      }
      const e = p.element!;
      if (p.outerDomain === undefined) {
        if (!e.codeValue(v, out, pos + p.pos, this.tables)) return p.name;
        continue;
      }
      const rows = fnEntries(v);
      if (!rows || rows.size !== p.outer.length) return p.name;
      let at = pos + p.pos;
      for (const a of p.outer) {
        const row = rows.get(a);
        if (row === undefined) return p.name;
        const cells = p.innerDomain === undefined ? undefined : fnEntries(row);
        if (p.innerDomain !== undefined && (!cells || cells.size !== p.inner.length)) return p.name;
        for (const b of p.inner) {
          const x = cells ? cells.get(b) : row;
          if (x === undefined || !e.codeValue(x, out, at, this.tables)) return p.name;
          at += e.width;
        }
      }
    }
    return null;
  }

  /** The spec state (normal form) the vector at v[pos..pos+width) codes: encodeState's inverse,
   *  for the validator to build a step's TLA+ values only when they are read. */
  decodeState(v: ArrayLike<number>, pos = 0): TlaState {
    const key = (x: string | number): TlaValue => (typeof x === 'number' ? x : { '#model': x });
    const out: TlaState = {};
    for (const p of this.plans) {
      if (p.member) {
        out[p.name] = { '#set': p.outer.flatMap((x, k) => (v[pos + p.pos]! & (1 << k) ? [key(x)] : [])) };
        continue;
      }
      const e = p.element!;
      let at = pos + p.pos;
      const next = (): TlaValue => {
        const x = e.valueOf(v, at, this.tables);
        at += e.width;
        return x;
      };
      if (p.outerDomain === undefined) out[p.name] = next();
      else
        out[p.name] = {
          '#map': p.outer.map((a): [TlaValue, TlaValue] => [
            key(a),
            p.innerDomain === undefined ? next() : { '#map': p.inner.map((b): [TlaValue, TlaValue] => [key(b), next()]) },
          ]),
        };
    }
    return normalizeState(out);
  }

  /** A writer of the live system's mapped state, bound to `sys` (its view and task order). */
  live(sys: DaxSystem): LiveCoder {
    return new LiveCoder(this, this.plans, sys);
  }
}

/** One variable's slots as the live view's indices of its elements, in layout order. */
interface LivePlan {
  readonly pos: number;
  readonly element: Encoding | undefined;
  readonly member: Read<boolean> | undefined;
  readonly outer: Int32Array;
  readonly inner: Int32Array;
}

const orderKeys = new WeakMap<ResolvedConfig, string>();
const livePlans = new WeakMap<readonly Plan[], Map<string, readonly LivePlan[]>>();

/** Writes the live system's mapped state as its vector: mapToSpec(sys.snapshot()) encoded, in a
 *  few plain loops over the view. @throws MappingError where mapToSpec does. */
export class LiveCoder {
  private readonly at: MappingContext;
  private readonly plans: readonly LivePlan[];
  private readonly tables: CodeTables;
  readonly width: number;

  constructor(coder: StateCoder, plans: readonly Plan[], sys: DaxSystem) {
    this.at = { view: sys.live, config: sys.config, taskIds: sys.taskIds };
    this.tables = coder.tables;
    this.width = coder.width;
    // The view's index of each slot's element depends on the system's orders only: one set of
    // plans per order (a fast-check run builds a system, and so a LiveCoder, every ~30 steps).
    // (A system's task order follows from its config: taskOrder.)
    let order = orderKeys.get(sys.config);
    if (order === undefined) orderKeys.set(sys.config, (order = JSON.stringify([sys.config.files, sys.config.blocks, sys.taskIds])));
    let cached = livePlans.get(plans)?.get(order);
    if (cached === undefined) {
      const d = domainsOf(sys.config, sys.taskIds);
      const indices = (dom: Domain | undefined, names: readonly (string | number)[]): Int32Array =>
        Int32Array.from(dom === undefined ? [0] : names.map((n) => d[dom].index[d[dom].names.indexOf(n)] ?? -1));
      cached = plans.map((p) => ({
        pos: p.pos,
        element: p.element,
        member: p.member,
        outer: indices(p.outerDomain, p.outer),
        inner: indices(p.innerDomain, p.inner),
      }));
      if (!livePlans.has(plans)) livePlans.set(plans, new Map());
      livePlans.get(plans)!.set(order, cached);
    }
    this.plans = cached;
  }

  /** Writes the vector at out[pos..pos+width). */
  encode(out: Int32Array, pos = 0): void {
    const at = this.at;
    const t = this.tables;
    for (let p = 0; p < this.plans.length; p++) {
      const plan = this.plans[p]!;
      const { outer, inner } = plan;
      if (plan.member) {
        let bits = 0;
        for (let k = 0; k < outer.length; k++) if (plan.member(at.view, outer[k]!, 0, at)) bits |= 1 << k;
        out[pos + plan.pos] = bits;
        continue;
      }
      const e = plan.element!;
      let slot = pos + plan.pos;
      for (let i = 0; i < outer.length; i++)
        for (let j = 0; j < inner.length; j++) {
          e.code(at, outer[i]!, inner[j]!, out, slot, t);
          slot += e.width;
        }
    }
  }
}

/** The two lanes hashLanes writes (one array for every call: the hot path allocates nothing). */
const LANES = new Uint32Array(2);

/** Two 32-bit lanes of an FNV-1a-style hash over slots [pos, pos+width), written to LANES in one
 *  pass: lane 0 picks a bucket, lane 1 is compared before the slots themselves. */
export function hashLanes(v: ArrayLike<number>, pos: number, width: number): Uint32Array {
  let h0 = 0x811c9dc5;
  let h1 = 0x9e3779b9;
  for (let i = pos; i < pos + width; i++) {
    const lo = v[i]! & 0xffff;
    const hi = v[i]! >>> 16;
    h0 = Math.imul(Math.imul(h0 ^ lo, 0x01000193) ^ hi, 0x01000193);
    h1 = Math.imul(Math.imul(h1 ^ lo, 0x85ebca6b) ^ hi, 0x85ebca6b);
  }
  LANES[0] = avalanche(h0);
  LANES[1] = avalanche(h1);
  return LANES;
}

function avalanche(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}
