// A state graph held compactly: every state as its integer vector (refinement/state-code.ts) in
// one typed array, found by an open-addressing table on the vector's hash; the edges by source
// state (CSR: out-edges of state i at outStart[i] .. outStart[i+1]), each with its target and the
// label ids of its group, actor and action. 2M states of ~60 slots take ~120 MB as bytes, where
// JSON of strings took gigabytes. Saved and read as one binary file (graph-v<format>-*.bin).
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { hashLanes } from '../refinement/state-code.ts';

/** The graph's arrays, as built (state-graph.ts) or read from the cache. */
export interface GraphData {
  specHash: string;
  config: string;
  /** The StateCoder's fingerprint the vectors were written with. */
  coder: string;
  width: number;
  /** State i's vector at [i*width, (i+1)*width). */
  states: Uint8Array | Uint16Array | Int32Array;
  init: Int32Array;
  outStart: Int32Array;
  to: Int32Array;
  group: Uint16Array;
  actor: Uint16Array;
  action: Uint16Array;
  labels: string[];
}

/** The smallest array type that holds every slot (codes are never negative in a graph). */
export function stateArray(slots: Int32Array): Uint8Array | Uint16Array | Int32Array {
  let max = 0;
  for (const x of slots) if (x > max) max = x;
  return max < 256 ? Uint8Array.from(slots) : max < 65536 ? Uint16Array.from(slots) : slots;
}

/** Edges (from, to, group, actor, action) in any order, as CSR arrays sorted by source. */
export function edgesBySource(n: number, edges: Int32Array): Pick<GraphData, 'outStart' | 'to' | 'group' | 'actor' | 'action'> {
  const m = edges.length / 5;
  const outStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) outStart[edges[5 * e]! + 1]!++;
  for (let i = 0; i < n; i++) outStart[i + 1]! += outStart[i]!;
  const fill = outStart.slice(0, n);
  const to = new Int32Array(m);
  const group = new Uint16Array(m);
  const actor = new Uint16Array(m);
  const action = new Uint16Array(m);
  for (let e = 0; e < m; e++) {
    const at = fill[edges[5 * e]!]!++;
    to[at] = edges[5 * e + 1]!;
    group[at] = edges[5 * e + 2]!;
    actor[at] = edges[5 * e + 3]!;
    action[at] = edges[5 * e + 4]!;
  }
  return { outStart, to, group, actor, action };
}

/** The open-addressing table: state id + 1 by bucket (0 empty), and each state's second lane. */
export class StateIndex {
  private readonly buckets: Int32Array;
  private readonly mask: number;
  private readonly lane1: Uint32Array;

  constructor(private readonly g: GraphData) {
    const n = g.states.length / g.width;
    let cap = 16;
    while (cap < n * 2) cap *= 2;
    this.buckets = new Int32Array(cap);
    this.mask = cap - 1;
    this.lane1 = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const lanes = hashLanes(g.states, i * g.width, g.width);
      this.lane1[i] = lanes[1]!;
      let b = lanes[0]! & this.mask;
      while (this.buckets[b] !== 0) b = (b + 1) & this.mask;
      this.buckets[b] = i + 1;
    }
  }

  /** The id of the state whose vector is v[pos..pos+width), or -1: equal vectors only. */
  find(v: ArrayLike<number>, pos = 0): number {
    const { g, buckets, mask } = this;
    const w = g.width;
    const lanes = hashLanes(v, pos, w);
    const h1 = lanes[1]!;
    for (let b = lanes[0]! & mask; buckets[b] !== 0; b = (b + 1) & mask) {
      const id = buckets[b]! - 1;
      if (this.lane1[id] !== h1) continue;
      let k = 0;
      while (k < w && g.states[id * w + k] === v[pos + k]) k++;
      if (k === w) return id;
    }
    return -1;
  }

  /** Bytes held by the graph's arrays and this table. */
  bytes(): number {
    const g = this.g;
    return (
      this.buckets.byteLength +
      this.lane1.byteLength +
      [g.states, g.init, g.outStart, g.to, g.group, g.actor, g.action].reduce((s, a) => s + a.byteLength, 0)
    );
  }
}

const MAGIC = 'DAXG';
type Section = Uint8Array | Uint16Array | Int32Array;
const TYPES = { u8: Uint8Array, u16: Uint16Array, i32: Int32Array } as const;
const typeName = (a: Section): keyof typeof TYPES => (a instanceof Uint8Array ? 'u8' : a instanceof Uint16Array ? 'u16' : 'i32');
const pad4 = (n: number): number => (n + 3) & ~3;

/** The file: "DAXG", then deflated: the header's length (u32 LE), the JSON header, then each
 *  array, 4-aligned. Deflate: the vectors are mostly zeros and small codes (smoke: 1.35 MB raw). */
export function writeGraph(g: GraphData, format: number): Buffer {
  const arrays: [string, Section][] = [
    ['states', g.states],
    ['init', g.init],
    ['outStart', g.outStart],
    ['to', g.to],
    ['group', g.group],
    ['actor', g.actor],
    ['action', g.action],
  ];
  const header = Buffer.from(
    JSON.stringify({
      format,
      specHash: g.specHash,
      config: g.config,
      coder: g.coder,
      width: g.width,
      labels: g.labels,
      arrays: arrays.map(([name, a]) => [name, typeName(a), a.length]),
    }),
  );
  const parts: Buffer[] = [Buffer.alloc(4)];
  parts[0]!.writeUInt32LE(header.length);
  parts.push(header, Buffer.alloc(pad4(4 + header.length) - 4 - header.length));
  for (const [, a] of arrays) {
    parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.alloc(pad4(a.byteLength) - a.byteLength));
  }
  return Buffer.concat([Buffer.from(MAGIC), deflateRawSync(Buffer.concat(parts), { level: 6 })]);
}

/** The graph in a file writeGraph wrote, or undefined when it is not one (another format). */
export function readGraph(file: Buffer, format: number): GraphData | undefined {
  if (file.length < 4 || file.toString('latin1', 0, 4) !== MAGIC) return undefined;
  // inflateRawSync returns a fresh Buffer of its own, its bytes aligned for the typed arrays.
  const raw = inflateRawSync(file.subarray(4));
  const len = raw.readUInt32LE(0);
  const h = JSON.parse(raw.toString('utf8', 4, 4 + len)) as {
    format: number;
    specHash: string;
    config: string;
    coder: string;
    width: number;
    labels: string[];
    arrays: [string, keyof typeof TYPES, number][];
  };
  if (h.format !== format) return undefined;
  // One aligned copy of the bytes (a pooled Buffer may start anywhere): the arrays view it.
  const bytes = raw.byteOffset % 4 === 0 ? raw : Uint8Array.from(raw);
  let at = bytes.byteOffset + pad4(4 + len);
  const out: Record<string, Section> = {};
  for (const [name, type, length] of h.arrays) {
    const T = TYPES[type];
    out[name] = new T(bytes.buffer, at, length);
    at += pad4(length * T.BYTES_PER_ELEMENT);
  }
  return {
    specHash: h.specHash,
    config: h.config,
    coder: h.coder,
    width: h.width,
    labels: h.labels,
    states: out.states!,
    init: out.init as Int32Array,
    outStart: out.outStart as Int32Array,
    to: out.to as Int32Array,
    group: out.group as Uint16Array,
    actor: out.actor as Uint16Array,
    action: out.action as Uint16Array,
  };
}
