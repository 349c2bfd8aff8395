// The ITF reader and the corpus writer: a written trace reads back identically; Apalache-style
// ITF (no actions), Quint --mbt ITF (mbt::actionTaken / mbt::nondetPicks) and ITF's tagged
// values are read; bad input is a one-line TraceFormatError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TlaValue } from '../../lib/values/value.ts';
import { readItf, writeItf } from './itf.ts';
import { TraceFormatError } from './spec-trace.ts';
import { FUZZ, fixture, mutatedJson, mutatedText, readsOrRejects, schemaFor } from './test-support.ts';
import { readTlcDumpTrace } from './tlc-dump.ts';

const schema = schemaFor('no-gup-fast-recheck');
const trace = readTlcDumpTrace(fixture('no-gup-fast-recheck.dump.json'), { source: 'cx.json', schema });
const text = writeItf(trace, { config: 'no-gup-fast-recheck' }, schema.variables);
const read = (t: string, source = 't.itf.json') => readItf(t, { source, schema });
const expectError = (t: string, pattern: RegExp): void => {
  expect(() => read(t)).toThrow(TraceFormatError);
  expect(() => read(t)).toThrow(pattern);
};

/** The same trace as a plain ITF document built by hand. */
function doc(): { '#meta'?: unknown; vars: string[]; states: Record<string, unknown>[]; loop?: number } {
  return JSON.parse(text);
}

describe('writeItf / readItf', () => {
  it('reads back what it wrote: states, actions, parameters', () => {
    const back = read(text);
    expect(back.format).toBe('itf');
    expect(back.steps).toEqual(trace.steps);
  });

  it('writes ITF: vars, one state per line, #meta with index (0-based), action and params', () => {
    const d = doc();
    expect(d.vars).toEqual(schema.variables);
    expect(d.states[1]?.['#meta']).toEqual({
      index: 1,
      action: 'GupFastReadPte',
      params: { u: { '#model': 'u1' }, f: { '#model': 'f1' }, o: 0 },
    });
    expect(text.split('\n').filter((l) => l.startsWith('  {"#meta"'))).toHaveLength(trace.steps.length);
    expect((d['#meta'] as Record<string, unknown>).format).toBe('ITF');
  });

  it('keeps a lasso as "loop"', () => {
    const l = writeItf({ steps: trace.steps.slice(0, 5), loopsBackTo: 2 }, {}, schema.variables);
    expect(JSON.parse(l).loop).toBe(1);
    expect(read(l)).toMatchObject({ loopsBackTo: 2, ending: 'loop' });
  });

  it('reads ITF without actions (as Apalache writes it) with action null after Init', () => {
    const d = doc();
    d.states.forEach((s) => delete s['#meta']);
    const t = read(JSON.stringify(d));
    expect(t.steps.map((s) => s.action)).toEqual(['Init', ...Array(trace.steps.length - 1).fill(null)]);
    expect(t.steps.map((s) => s.state)).toEqual(trace.steps.map((s) => s.state));
  });

  it("reads Quint --mbt's mbt::actionTaken and mbt::nondetPicks, dropping them from the states", () => {
    const d = doc();
    d.vars.push('mbt::actionTaken', 'mbt::nondetPicks');
    d.states.forEach((s, i) => {
      const m = s['#meta'] as { action: string; params?: Record<string, TlaValue> };
      delete s['#meta'];
      s['mbt::actionTaken'] = i === 0 ? 'init' : m.action;
      const picks: Record<string, unknown> = { u: { tag: 'None', value: { '#tup': [] } } };
      for (const [k, v] of Object.entries(m.params ?? {})) picks[k] = { tag: 'Some', value: v };
      s['mbt::nondetPicks'] = picks;
    });
    expect(read(JSON.stringify(d)).steps).toEqual(trace.steps);
  });

  it('reads #tup, #bigint and #map as the canonical form has them', () => {
    const d = doc();
    const s0 = d.states[0] as Record<string, unknown>;
    s0.gupsLeft = { '#bigint': '2' };
    s0.uat = { '#map': [[{ '#model': 'u1' }, { '#tup': [] }]] };
    expect(read(JSON.stringify(d)).steps[0]?.state).toEqual(trace.steps[0]?.state);
  });

  it('reports #unserializable values', () => {
    const d = doc();
    (d.states[2] as Record<string, unknown>).free = { '#unserializable': 'Nat' };
    expectError(JSON.stringify(d), /^t\.itf\.json: state 3: variable free: unserializable value "Nat"$/);
  });
  it('reports truncated JSON', () => expectError(text.slice(0, 300), /^t\.itf\.json: truncated JSON/));
  it('reports a variable missing from "vars"', () => {
    const d = doc();
    d.vars = d.vars.filter((v) => v !== 'sat');
    expectError(JSON.stringify(d), /^t\.itf\.json: state 1: variable sat: not listed in "vars"$/);
  });
  it('reports a spec variable missing from the trace', () => {
    const d = doc();
    d.vars = d.vars.filter((v) => v !== 'sat');
    d.states.forEach((s) => delete s.sat);
    expectError(JSON.stringify(d), /^t\.itf\.json: state 1: variable sat: missing$/);
  });
  it('reports an unknown action', () =>
    expectError(text.replace('"action":"DmaComplete"', '"action":"DmaDone"'), /: unknown action "DmaDone"/));
  it('reports an unknown model value', () =>
    expectError(text.replace('{"#model":"b1"}', '{"#model":"b7"}'), /^t\.itf\.json: state 1: variable free: unknown model value b7/));
  it('reports a wrong type', () =>
    expectError(
      text.replace('"gupsLeft":2', '"gupsLeft":"2"'),
      /^t\.itf\.json: state 1: variable gupsLeft: wrong type: expected an integer, found a string$/,
    ));
  it('reports a #meta index that is not the position', () =>
    expectError(text.replace('{"#meta":{"index":3,', '{"#meta":{"index":4,'), /^t\.itf\.json: state 4: "#meta"\.index is 4, expected 3/));
});

describe('readItf fuzz', () => {
  it('never fails other than with TraceFormatError on mutated text', () => {
    fc.assert(
      fc.property(mutatedText(text), (t) => readsOrRejects((x) => read(x, 'f'), t, 'f')),
      FUZZ,
    );
  });
  it('never fails other than with TraceFormatError on structurally mutated JSON', () => {
    fc.assert(
      fc.property(mutatedJson(text), (t) => readsOrRejects((x) => read(x, 'f'), t, 'f')),
      { ...FUZZ, numRuns: 150 },
    );
  });
  it('never fails other than with TraceFormatError on arbitrary JSON values in a state', () => {
    const d = doc();
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.constantFrom(...schema.variables), (v, name) => {
        const copy = structuredClone(d);
        (copy.states[0] as Record<string, unknown>)[name] = v;
        readsOrRejects((x) => read(x, 'f'), JSON.stringify(copy), 'f');
      }),
      FUZZ,
    );
  });
});
