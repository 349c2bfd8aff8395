// The -simulate trace-file reader on a file TLC 2.20 wrote: states, actions and parameters come
// out as TLC's own parser in lib/tlc reads them, and a cut-off or garbled file is an error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSimulationTrace } from '../../lib/tlc/index.ts';
import { TraceFormatError } from './spec-trace.ts';
import { FUZZ, fixture, mutatedText, readsOrRejects, schemaFor } from './test-support.ts';
import { readTlcSimulation } from './tlc-simulation.ts';

const schema = schemaFor('no-gup-fast-recheck');
const text = fixture('no-gup-fast-recheck.simulate_0_0');
const read = (t: string, source = 'trace_0_0') => readTlcSimulation(t, { source, schema });
const expectError = (t: string, pattern: RegExp): void => {
  expect(() => read(t)).toThrow(TraceFormatError);
  expect(() => read(t)).toThrow(pattern);
};

describe('readTlcSimulation', () => {
  it('reads the states and actions lib/tlc reads, with parameters named by the spec', () => {
    const t = read(text);
    expect(t.format).toBe('tlc-simulation');
    expect(t.steps).toHaveLength(13);
    const lenient = parseSimulationTrace(text);
    expect(t.steps.map((s) => [s.action, s.state])).toEqual(lenient.map((s) => [s.action, s.state]));
    expect(t.steps[3]).toMatchObject({
      action: 'FsLockIo',
      params: { t: { '#model': 't1' }, op: { op: 'Truncate', file: { '#model': 'f1' }, lo: 0, hi: 0 } },
    });
    expect(t.steps[1]).toMatchObject({ action: 'GupFastReadPte', params: { u: { '#model': 'u1' }, f: { '#model': 'f1' }, o: 0 } });
  });

  it('reports a file cut off between two states, which the lenient parser reads as a shorter trace', () => {
    const cut = text.slice(0, text.indexOf('\\* <', text.indexOf('STATE_5')));
    expect(parseSimulationTrace(cut)).toHaveLength(5);
    expectError(cut, /^trace_0_0: state 5: truncated: no closing "====" line$/);
  });
  it('reports a file cut off inside a state', () =>
    expectError(text.slice(0, text.indexOf('STATE_3') + 60), /^trace_0_0: state 3: variable \w+: (missing|cannot read)/));
  it('reports states out of order', () =>
    expectError(text.replace('STATE_4 ==', 'STATE_5 =='), /^trace_0_0: state 4: states out of order: STATE_5 where STATE_4 belongs$/));
  it('reports a text that is not a trace file', () => expectError('hello\n', /^trace_0_0: not a TLC -simulate trace/));
  it('reports an unknown model value, naming the variable', () =>
    expectError(text.replace('fbusy = (t1 :> None)', 'fbusy = (t1 :> b9)'), /^trace_0_0: state 1: variable fbusy: unknown model value b9/));
  it('reports a wrong type, with where inside the value', () => {
    expectError(
      text.replace('fop = (t1 :> [op |-> "none",', 'fop = (t1 :> [op |-> 7,'),
      /^trace_0_0: state 1: variable fop: wrong type: at \[t1\]\.op: expected a string, found an integer$/,
    );
  });
});

describe('readTlcSimulation fuzz', () => {
  it('never fails other than with TraceFormatError on mutated files', () => {
    fc.assert(
      fc.property(mutatedText(text), (t) => readsOrRejects((x) => read(x, 'f'), t, 'f')),
      FUZZ,
    );
  });
  it('never fails other than with TraceFormatError on arbitrary text after a header', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (t) =>
        readsOrRejects((x) => read(x, 'f'), `---- MODULE m ----\n\\* <Init>\nSTATE_1 ==\n${t}`, 'f'),
      ),
      FUZZ,
    );
  });
});
