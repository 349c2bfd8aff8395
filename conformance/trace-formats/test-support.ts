// Shared by the reader tests: the TLC 2.20 fixtures (real output of runs on spec/MCDaxDma.tla),
// their schemas, and the fast-check arbitraries that mutate valid input for the fuzz tests.
// Stands for nothing in TLC; it is test scaffolding only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect } from 'vitest';
import { type TraceSchema, loadTraceSchema } from './schema.ts';
import { type SpecTrace, TraceFormatError } from './spec-trace.ts';

import { REPO_ROOT as REPO } from '../../lib/paths.ts';
export { REPO };
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SPEC = path.join(REPO, 'spec', 'MCDaxDma.tla');

/** A fixture file's text. */
export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

const schemas = new Map<string, TraceSchema>();
/** The schema of a config of spec/models (cached: it costs one embedded-engine call). */
export function schemaFor(config: string): TraceSchema {
  let s = schemas.get(config);
  if (!s) {
    s = loadTraceSchema({ specFile: SPEC, configFile: path.join(REPO, 'spec', 'models', `${config}.cfg`) });
    schemas.set(config, s);
  }
  return s;
}

/** A text edit: what a truncated download, a bad merge or a typo does to a file. */
const textMutation = (len: number): fc.Arbitrary<(s: string) => string> =>
  fc.oneof(
    fc.nat({ max: len }).map((at) => (s: string) => s.slice(0, at)),
    fc.tuple(fc.nat({ max: len }), fc.nat({ max: 200 })).map(
      ([at, n]) =>
        (s: string) =>
          s.slice(0, at) + s.slice(at + n),
    ),
    fc.tuple(fc.nat({ max: len }), fc.string({ maxLength: 12 })).map(
      ([at, ins]) =>
        (s: string) =>
          s.slice(0, at) + ins + s.slice(at),
    ),
    fc
      .tuple(
        fc.nat({ max: len }),
        fc.constantFrom(
          '{',
          '}',
          '[',
          ']',
          '"',
          ',',
          ':',
          '\n',
          '>>',
          '<<',
          '/\\',
          '@@',
          ':>',
          '0',
          '-1',
          'x',
          '#',
          '\\*',
          '====',
          'STATE_7 ==',
        ),
      )
      .map(
        ([at, tok]) =>
          (s: string) =>
            s.slice(0, at) + tok + s.slice(at + 1),
      ),
    fc.tuple(fc.nat({ max: len }), fc.nat({ max: len })).map(([a, b]) => (s: string) => {
      const lines = s.split('\n');
      const i = a % Math.max(1, lines.length);
      const j = b % Math.max(1, lines.length);
      [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
      return lines.join('\n');
    }),
  );

/** Valid text with one to three edits applied. */
export function mutatedText(valid: string): fc.Arbitrary<string> {
  return fc.array(textMutation(valid.length), { minLength: 1, maxLength: 3 }).map((ms) => ms.reduce((s, m) => m(s), valid));
}

/** Valid JSON with one to three structural edits: a node replaced by arbitrary JSON, a key
 *  deleted or renamed, an array element dropped or duplicated. */
export function mutatedJson(valid: string): fc.Arbitrary<string> {
  const doc = JSON.parse(valid) as unknown;
  const edit = fc.tuple(
    fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    fc.nat({ max: 4 }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ maxLength: 6 }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const copy = structuredClone(doc);
    for (const [pathIdx, kind, value, name] of edits) applyEdit(copy, pathIdx, kind, value, name);
    return JSON.stringify(copy);
  });
}

function applyEdit(root: unknown, pathIdx: number[], kind: number, value: unknown, name: string): void {
  // Walk down by the given indices, stopping at a leaf; edit the last container reached.
  let parent: unknown = root;
  for (const n of pathIdx) {
    const keys = containerKeys(parent);
    if (keys.length === 0) break;
    const child = (parent as Record<string, unknown>)[keys[n % keys.length] as string];
    if (containerKeys(child).length === 0) break;
    parent = child;
  }
  const keys = containerKeys(parent);
  if (keys.length === 0) return;
  const key = keys[(pathIdx[pathIdx.length - 1] ?? 0) % keys.length] as string;
  const obj = parent as Record<string, unknown>;
  if (kind === 0) obj[key] = value;
  else if (kind === 1) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete obj[key];
  } else if (kind === 2 && !Array.isArray(parent)) {
    obj[name] = obj[key];
    delete obj[key];
  } else if (kind === 3 && Array.isArray(parent)) parent.splice(Number(key), 0, structuredClone(parent[Number(key)]));
  else obj[key] = typeof obj[key] === 'number' ? String(obj[key]) : typeof obj[key] === 'string' ? 7 : null;
}

function containerKeys(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((_, i) => String(i));
  if (v && typeof v === 'object') return Object.keys(v);
  return [];
}

/** Runs a reader on hostile input: it must return a trace or throw a one-line TraceFormatError
 *  that starts with the source name. Anything else fails the property. */
export function readsOrRejects(read: (text: string) => SpecTrace, text: string, source: string): void {
  try {
    const t = read(text);
    expect(t.steps.length).toBeGreaterThan(0);
  } catch (e) {
    if (!(e instanceof TraceFormatError)) throw e;
    expect(e.message).not.toContain('\n');
    expect(e.message.startsWith(`${source}: `)).toBe(true);
  }
}

/** fast-check settings for the fuzz tests: fixed seeds so failures reproduce. */
export const FUZZ = { seed: 20_251_125, numRuns: 250 } as const;
