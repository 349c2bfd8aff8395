// Hostile-input fuzzing of the trace readers: mutants of the committed traces in every format
// (byte flips, truncation, deep nesting, huge strings, Object.prototype names, wrong types,
// duplicated keys) and the rule that a reader either returns a trace or throws a one-line
// TraceFormatError. Stands for nothing in TLC; the fuzz test and bench/fuzz-traces.ts use it.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/paths.ts';
import { seededRandom } from '../../lib/values/seeded-random.ts';
import { UNSAFE_NAMES } from '../../lib/values/safe-keys.ts';
import { readTrace } from './index.ts';
import { writeItf } from './itf.ts';
import { type TraceSchema, loadTraceSchema } from './schema.ts';
import { type TraceFormat, TraceFormatError } from './spec-trace.ts';
import { thrownText } from '../../lib/report/one-line.ts';

/** A valid committed trace that mutants are made from. */
export interface FuzzSeed {
  name: string;
  format: TraceFormat;
  text: string;
  /** A spec/models config name, or a path (from the repository root) to a .cfg beside its .tla. */
  config: string;
}

/** One mutant: which seed, which mutation, the text. */
export interface Mutant {
  seed: FuzzSeed;
  mutation: MutationKind;
  text: string;
}

/** What reading a mutant did. `uncaught`: anything but a one-line TraceFormatError. */
export type Outcome =
  { outcome: 'accepted' } | { outcome: 'rejected'; kind: string; message: string } | { outcome: 'uncaught'; error: string };

export const MUTATIONS = [
  'byte-flip',
  'truncate',
  'truncate-between-states',
  'deep-nesting',
  'huge-string',
  'dangerous-name',
  'wrong-type',
  'duplicate-key',
] as const;
type MutationKind = (typeof MUTATIONS)[number];

// Longest message a one-line error may have: location, reason (capped at 300) and quoted names.
const MAX_MESSAGE = 1000;

/** The committed traces: the corpus (conformance/traces/**), the reader fixtures and the saved
 *  counterexamples (conformance/regressions/*.cex.json, as ITF). */
export function fuzzSeeds(): FuzzSeed[] {
  const seeds: FuzzSeed[] = [];
  const traces = path.join(REPO_ROOT, 'conformance', 'traces');
  for (const dir of readdirSync(traces, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const f of readdirSync(path.join(traces, dir.name))
      .filter((x) => x.endsWith('.itf.json'))
      .sort()) {
      const text = readFileSync(path.join(traces, dir.name, f), 'utf8');
      const config = (JSON.parse(text) as { '#meta'?: { config?: string } })['#meta']?.config ?? dir.name;
      seeds.push({ name: `traces/${dir.name}/${f}`, format: 'itf', text, config });
    }
  }
  const fixtures = path.join(REPO_ROOT, 'conformance', 'trace-formats', 'fixtures');
  const manifest = JSON.parse(readFileSync(path.join(fixtures, 'manifest.json'), 'utf8')) as {
    fixtures: { file: string; config: string }[];
  };
  for (const fx of manifest.fixtures) {
    const text = readFileSync(path.join(fixtures, fx.file), 'utf8');
    const format: TraceFormat = fx.file.endsWith('.json') ? 'tlc-dump-json' : /\.simulate_/.test(fx.file) ? 'tlc-simulation' : 'tlc-text';
    seeds.push({ name: `fixtures/${fx.file}`, format, text, config: fx.config });
  }
  const regressions = path.join(REPO_ROOT, 'conformance', 'regressions');
  for (const f of readdirSync(regressions)
    .filter((x) => x.endsWith('.cex.json'))
    .sort()) {
    const cex = JSON.parse(readFileSync(path.join(regressions, f), 'utf8')) as {
      config: string;
      counterexample: { steps: Parameters<typeof writeItf>[0]['steps']; loopsBackTo?: number };
    };
    const { steps, loopsBackTo } = cex.counterexample;
    seeds.push({
      name: `regressions/${f}`,
      format: 'itf',
      text: writeItf(loopsBackTo !== undefined ? { steps, loopsBackTo } : { steps }, { config: cex.config }),
      config: cex.config,
    });
  }
  return seeds;
}

const schemas = new Map<string, TraceSchema>();
/** The schema a seed's config gives (cached). */
export function schemaOf(config: string): TraceSchema {
  let s = schemas.get(config);
  if (!s) {
    const cfg = config.endsWith('.cfg') ? path.join(REPO_ROOT, config) : path.join(REPO_ROOT, 'spec', 'models', `${config}.cfg`);
    const spec = config.endsWith('.cfg') ? cfg.replace(/\.cfg$/, '.tla') : path.join(REPO_ROOT, 'spec', 'MCDaxDma.tla');
    s = loadTraceSchema({ specFile: spec, configFile: cfg });
    schemas.set(config, s);
  }
  return s;
}

/** Reads a mutant with its seed's reader and says what happened. Never throws. */
export function readMutant(m: Mutant): Outcome {
  const source = `fuzz/${m.seed.name}`;
  try {
    readTrace(m.text, { source, schema: schemaOf(m.seed.config), format: m.seed.format });
    return { outcome: 'accepted' };
  } catch (e) {
    if (
      e instanceof TraceFormatError &&
      !e.message.includes('\n') &&
      e.message.length <= MAX_MESSAGE &&
      e.message.startsWith(`${source}: `)
    ) {
      return { outcome: 'rejected', kind: e.name, message: e.message };
    }
    const text = thrownText(e);
    return { outcome: 'uncaught', error: text.slice(0, 300).replace(/\s+/g, ' ') };
  }
}

/** The `index`-th mutant of a run with `seed`: the same on every machine. `hugeBytes` bounds the
 *  huge strings (the suite keeps them small). */
export function makeMutant(seeds: FuzzSeed[], seed: number, index: number, hugeBytes = 1 << 20): Mutant {
  const rnd = seededRandom((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const s = seeds[int(seeds.length)] as FuzzSeed;
  const mutation = MUTATIONS[int(MUTATIONS.length)] as MutationKind;
  return { seed: s, mutation, text: mutate(s, mutation, { int, pick, rnd, hugeBytes }) };
}

interface Rng {
  int: (n: number) => number;
  pick: <T>(xs: readonly T[]) => T;
  rnd: () => number;
  hugeBytes: number;
}

const DANGEROUS = [...UNSAFE_NAMES];

function mutate(s: FuzzSeed, kind: MutationKind, r: Rng): string {
  const t = s.text;
  const json = s.format === 'itf' || s.format === 'tlc-dump-json';
  switch (kind) {
    case 'byte-flip': {
      let out = t;
      for (let n = 1 + r.int(4); n > 0; n--) {
        const at = r.int(out.length);
        out = out.slice(0, at) + String.fromCharCode(r.int(256)) + out.slice(at + 1);
      }
      return out;
    }
    case 'truncate':
      return t.slice(0, r.int(t.length));
    case 'truncate-between-states': {
      const at = r.pick(stateBoundaries(t, s.format));
      return at === undefined ? t.slice(0, r.int(t.length)) : t.slice(0, at);
    }
    case 'deep-nesting': {
      const depth = 250 + r.int(5000);
      const open = r.pick(
        json
          ? ['[', '{"#set":[', '{"#tup":[', '{"#map":[[0,', '{"a":', '{"#model":', '{"#bigint":', '{"#unserializable":']
          : ['{', '<<', '[a |-> ', '(0 :> '],
      );
      const close = closerOf(open);
      const deep = open.repeat(depth) + (json ? '0' : '1') + close.repeat(depth);
      return json ? replaceJsonNode(t, r, deep, ['#meta.index', 'loop', 'param']) : replaceTextValue(t, r, deep);
    }
    case 'huge-string': {
      const huge = 'x'.repeat(Math.max(1, r.int(r.hugeBytes)));
      return json
        ? replaceJsonNode(t, r, JSON.stringify(huge), ['action'])
        : insertAt(t, r.int(t.length), r.pick([huge, `"${huge}"`, `<${huge}>`]));
    }
    case 'dangerous-name': {
      const name = r.pick(DANGEROUS);
      if (json) return renameJsonKey(t, r, name);
      const vars = [...t.matchAll(/^\/\\ ([A-Za-z0-9_]+) = /gm)].map((m) => m[1] as string);
      if (vars.length === 0) return insertAt(t, r.int(t.length), `/\\ ${name} = 1\n`);
      const v = r.pick(vars);
      return r.int(2)
        ? t.replaceAll(`/\\ ${v} = `, `/\\ ${name} = `)
        : t.replace(`/\\ ${v} = `, `/\\ ${name} = [${name} |-> 1]\n/\\ ${v} = `);
    }
    case 'wrong-type':
      return json
        ? replaceJsonNode(
            t,
            r,
            r.pick(['null', 'true', '"s"', '1.5', '-1', '[]', '{}', '{"#set":1}', '{"#map":[1]}', '{"#bigint":"1e9"}', '1e400']),
            [],
          )
        : replaceTextValue(t, r, r.pick(['"s"', 'TRUE', '{}', '<<>>', '-0', '1..2000000', 'None']));
    case 'duplicate-key': {
      if (json) {
        const keys = [...t.matchAll(/\{"([^"\\]{1,40})":/g)];
        const m = keys.length ? r.pick(keys) : undefined;
        return m ? insertAt(t, (m.index as number) + 1, `"${m[1]}":${r.pick(['0', '"dup"', '[]', '{}'])},`) : t;
      }
      const lines = [...t.matchAll(/^\/\\ [A-Za-z0-9_]+ = .*$/gm)];
      const m = lines.length ? r.pick(lines) : undefined;
      return m ? insertAt(t, m.index as number, `${m[0]}\n`) : t;
    }
  }
}

/** Offsets where one state ends and the next begins, per format. */
function stateBoundaries(t: string, format: TraceFormat): number[] {
  const re =
    format === 'itf'
      ? /,\n\s*\{"#meta"/g
      : format === 'tlc-dump-json'
        ? /\],\[\d+,\{/g
        : format === 'tlc-simulation'
          ? /\n\\\* </g
          : /\n(?=State \d+:|@!@!@STARTMSG 221[678])/g;
  return [...t.matchAll(re)].map((m) => (m.index as number) + (format === 'tlc-dump-json' ? 2 : 1));
}

// What closes each nesting opener the deep-nesting mutation repeats.
const CLOSERS: Record<string, string> = {
  '[': ']',
  '{"#set":[': ']}',
  '{"#tup":[': ']}',
  '{"#map":[[0,': ']]}',
  '{"a":': '}',
  '{"#model":': '}',
  '{"#bigint":': '}',
  '{"#unserializable":': '}',
  '{': '}',
  '<<': '>>',
  '[a |-> ': ']',
  '(0 :> ': ')',
};

function closerOf(open: string): string {
  return CLOSERS[open] as string;
}

function insertAt(t: string, at: number, what: string): string {
  return t.slice(0, at) + what + t.slice(at);
}

/** Replaces one JSON value (after a `:`, or a target field when `prefer` names one) with raw JSON text. */
function replaceJsonNode(t: string, r: Rng, raw: string, prefer: string[]): string {
  const field = prefer.length && r.int(2) ? r.pick(prefer) : undefined;
  const targets: Record<string, RegExp> = {
    '#meta.index': /"index":\s*-?\d+/g,
    loop: /"loop":\s*\d+/g,
    param: /"(?:params|context)":\s*\{"[^"]+":/g,
    action: /"(?:action|name)":\s*"[^"]*"/g,
  };
  const re = field ? (targets[field] as RegExp) : /":\s*/g;
  const hits = [...t.matchAll(re)];
  if (hits.length === 0) return insertAt(t, r.int(t.length), raw);
  const m = r.pick(hits);
  const start = (m.index as number) + (field === 'param' ? m[0].length : m[0].indexOf(':') + 1);
  return t.slice(0, start) + raw + t.slice(start + valueLength(t, start));
}

/** Length of the JSON value starting at `at` (a scalar or a balanced bracket group). */
function valueLength(t: string, at: number): number {
  let i = at;
  while (t[i] === ' ') i++;
  if (t[i] === '"') {
    for (i++; i < t.length && t[i] !== '"'; i++) if (t[i] === '\\') i++;
    return i + 1 - at;
  }
  if (t[i] !== '[' && t[i] !== '{') {
    while (i < t.length && !/[,}\]\n]/.test(t[i] as string)) i++;
    return i - at;
  }
  let depth = 0;
  for (; i < t.length; i++) {
    const c = t[i];
    if (c === '"') for (i++; i < t.length && t[i] !== '"'; i++) if (t[i] === '\\') i++;
    if (c === '[' || c === '{') depth++;
    if (c === ']' || c === '}') depth--;
    if (depth === 0) return i + 1 - at;
  }
  return t.length - at;
}

/** Renames one object key (or one name in "vars") to `name`. */
function renameJsonKey(t: string, r: Rng, name: string): string {
  const hits = [...t.matchAll(/"([A-Za-z0-9_:#]{1,40})"(?=:|,|\])/g)];
  if (hits.length === 0) return t;
  const m = r.pick(hits);
  const all = r.int(2) === 1;
  return all
    ? t.replaceAll(`"${m[1]}"`, `"${name}"`)
    : t.slice(0, m.index as number) + `"${name}"` + t.slice((m.index as number) + m[0].length);
}

/** Replaces the value after one `= ` / `|-> ` / `:> ` of a TLC text trace. */
function replaceTextValue(t: string, r: Rng, value: string): string {
  const hits = [...t.matchAll(/(?:= |\|-> |:> )/g)];
  if (hits.length === 0) return insertAt(t, r.int(t.length), value);
  const m = r.pick(hits);
  const start = (m.index as number) + m[0].length;
  const end = t.slice(start).search(/[,\n\])]/);
  return t.slice(0, start) + value + t.slice(end < 0 ? t.length : start + end);
}
