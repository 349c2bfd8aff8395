// The -dumpTrace json reader on real TLC 2.20 output: it restores exactly the values of TLC's
// text trace (sets, model values, keys), names actions and parameters, reads stuttering, and
// reports every kind of bad input as a one-line TraceFormatError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceFormatError } from './spec-trace.ts';
import { FUZZ, fixture, mutatedJson, mutatedText, readsOrRejects, schemaFor } from './test-support.ts';
import { readTlcDumpTrace } from './tlc-dump.ts';
import { readTlcText } from './tlc-text.ts';

const schema = schemaFor('no-gup-fast-recheck');
const text = fixture('no-gup-fast-recheck.dump.json');
const read = (t: string, source = 'cx.json') => readTlcDumpTrace(t, { source, schema });
const expectError = (t: string, pattern: RegExp): void => {
  expect(() => read(t)).toThrow(TraceFormatError);
  expect(() => read(t)).toThrow(pattern);
};

describe('readTlcDumpTrace', () => {
  it('gives the same states, actions and parameters as the text trace of the same run', () => {
    const dump = read(text);
    const plain = readTlcText(fixture('no-gup-fast-recheck.stdout.txt'), { source: 'out', schema });
    expect(dump.steps).toEqual(plain.steps);
    expect(dump.steps[1]).toMatchObject({ action: 'GupFastReadPte', params: { u: { '#model': 'u1' }, f: { '#model': 'f1' }, o: 0 } });
    expect(dump.steps[0]?.state.free).toEqual({ '#set': [{ '#model': 'b1' }] });
  });

  it("reads TLC 2.20's stuttering self-loop (named after the previous action) as stuttering", () => {
    const t = readTlcDumpTrace(fixture('lost-wakeup-liveness.dump.json'), { source: 'l.json', schema: schemaFor('lost-wakeup-liveness') });
    expect(t.ending).toBe('stuttering');
    expect(t.loopsBackTo).toBe(t.steps.length);
  });

  it('reports truncated JSON', () => expectError(text.slice(0, 500), /^cx\.json: truncated JSON/));
  it('reports a missing variable, naming state and variable', () => {
    const doc = JSON.parse(text);
    delete doc.state[2][1].fbusy;
    expectError(JSON.stringify(doc), /^cx\.json: state 3: variable fbusy: missing$/);
  });
  it('reports an extra variable', () => {
    const doc = JSON.parse(text);
    doc.state[0][1].ghost = 1;
    expectError(JSON.stringify(doc), /^cx\.json: state 1: variable ghost: not a variable of the spec$/);
  });
  it('reports a value of the wrong type', () => {
    const doc = JSON.parse(text);
    doc.state[4][1].free = 3;
    expectError(JSON.stringify(doc), /^cx\.json: state 5: variable free: wrong type: expected a set, found an integer$/);
  });
  it('reports an unknown model value where the shape wants one', () => {
    const doc = JSON.parse(text);
    doc.state[3][1].uref = { u1: 'b9' };
    expectError(JSON.stringify(doc), /^cx\.json: state 4: variable uref: unknown model value b9/);
  });
  it('reports an unknown action', () => {
    expectError(text.replace('"GupFastReadPte"', '"GupFastReadPTE"'), /^cx\.json: state 2: unknown action "GupFastReadPTE"/);
  });
  it('reports a parameter the action does not have', () => {
    expectError(
      text
        .replace('"context":{"u":"u1","f":"f1","o":0}', '"context":{"u":"u1","f":"f1","x":0}')
        .replace('"context": {"u": "u1", "f": "f1", "o": 0}', '"context": {"u": "u1", "f": "f1", "x": 0}'),
      /state 2: param x: GupFastReadPte has no parameter x/,
    );
  });
  it('reports a document that is not a -dumpTrace', () => expectError('{"states": []}', /^cx\.json: -dumpTrace json: unexpected shape/));
});

describe('readTlcDumpTrace fuzz', () => {
  it('never fails other than with TraceFormatError on mutated text', () => {
    fc.assert(
      fc.property(mutatedText(text), (t) => readsOrRejects((x) => read(x, 'f.json'), t, 'f.json')),
      FUZZ,
    );
  });
  it('never fails other than with TraceFormatError on structurally mutated JSON', () => {
    fc.assert(
      fc.property(mutatedJson(text), (t) => readsOrRejects((x) => read(x, 'f.json'), t, 'f.json')),
      FUZZ,
    );
  });
  it('never fails other than with TraceFormatError on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), (t) => readsOrRejects((x) => read(x, 'f.json'), t, 'f.json')),
      FUZZ,
    );
  });
});
