// The TLC text-trace reader on real TLC 2.20 output: plain stdout and -tool output give the same
// trace, lassos and stuttering are read, and bad input is a one-line TraceFormatError.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTraceSchema } from './schema.ts';
import { TraceFormatError } from './spec-trace.ts';
import { FUZZ, REPO, fixture, mutatedText, readsOrRejects, schemaFor } from './test-support.ts';
import { readTlcText } from './tlc-text.ts';

const schema = schemaFor('no-gup-fast-recheck');
const plain = fixture('no-gup-fast-recheck.stdout.txt');
const tool = fixture('no-gup-fast-recheck.tool.txt');
const read = (t: string, source = 'tlc.out') => readTlcText(t, { source, schema });
const expectError = (t: string, pattern: RegExp): void => {
  expect(() => read(t)).toThrow(TraceFormatError);
  expect(() => read(t)).toThrow(pattern);
};

describe('readTlcText', () => {
  it('reads the same trace from plain stdout and from -tool output', () => {
    const a = read(plain);
    expect(a.steps).toHaveLength(21);
    expect(a.steps.map((s) => s.action).slice(0, 3)).toEqual(['Init', 'GupFastReadPte', 'FaultLockShared']);
    expect(read(tool).steps).toEqual(a.steps);
  });

  it('reads a trace copied out of the output, without the surrounding lines', () => {
    const start = plain.indexOf('State 1:');
    expect(read(plain.slice(start)).steps).toEqual(read(plain).steps);
  });

  it('reads a lasso that ends in stuttering', () => {
    const t = readTlcText(fixture('lost-wakeup-liveness.stdout.txt'), { source: 'l', schema: schemaFor('lost-wakeup-liveness') });
    expect(t).toMatchObject({ ending: 'stuttering', loopsBackTo: 16 });
  });

  it('reads a lasso that loops back, with the closing action and its parameters', () => {
    const dir = path.join(REPO, 'lib', 'tlc', 'fixtures');
    const live = loadTraceSchema({ specFile: path.join(dir, 'Live.tla'), configFile: path.join(dir, 'Live.cfg') });
    const t = readTlcText(fixture('live-loop.stdout.txt'), { source: 'live', schema: live });
    expect(t).toMatchObject({ ending: 'loop', loopsBackTo: 1, loopAction: { action: 'Back', params: { p: { '#model': 'p1' } } } });
    expect(t.steps[1]).toMatchObject({ action: 'Go', params: { p: { '#model': 'p1' }, k: 1 } });
  });

  it('reports output without a trace', () =>
    expectError('Model checking completed. No error has been found.\n', /^tlc\.out: no error trace/));
  it('reports a value that does not parse, naming state and variable', () => {
    expectError(
      plain.replace('/\\ refcount = (b1 :> 2)', '/\\ refcount = (b1 :> 2'),
      /^tlc\.out: state \d+: variable refcount: cannot read the state/,
    );
  });
  it('reports a missing variable', () =>
    expectError(plain.replace(/\/\\ gupsLeft = 1\n/, ''), /^tlc\.out: state \d+: variable gupsLeft: missing$/));
  it('reports an unknown model value', () =>
    expectError(
      plain.replace('uref = (u1 :> None)', 'uref = (u1 :> Nothing)'),
      /^tlc\.out: state 1: variable uref: unknown model value Nothing/,
    ));
  it('reports an unknown action', () =>
    expectError(plain.replace('<FaultLockShared(u1)', '<FaultLockShard(u1)'), /^tlc\.out: state 3: unknown action "FaultLockShard"/));
  it('reports an action given the wrong number of arguments', () => {
    expectError(
      plain.replace('<GupFastReadPte(u1,f1,0)', '<GupFastReadPte(u1,f1)'),
      /^tlc\.out: state 2: GupFastReadPte takes 3 arguments \(u, f, o\), the trace gives 2$/,
    );
  });
  it('reports states out of order', () =>
    expectError(plain.replace('State 3:', 'State 4:'), /^tlc\.out: state 3: states out of order: found state 4$/));
  it('reports -tool output cut off inside a message', () =>
    expectError(tool.slice(0, tool.length / 2), /^tlc\.out: truncated -tool output/));
});

describe('readTlcText fuzz', () => {
  it('never fails other than with TraceFormatError on mutated stdout', () => {
    fc.assert(
      fc.property(mutatedText(plain), (t) => readsOrRejects((x) => read(x, 'f.out'), t, 'f.out')),
      FUZZ,
    );
  });
  it('never fails other than with TraceFormatError on mutated -tool output', () => {
    fc.assert(
      fc.property(mutatedText(tool), (t) => readsOrRejects((x) => read(x, 'f.out'), t, 'f.out')),
      FUZZ,
    );
  });
  it('never fails other than with TraceFormatError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (t) =>
        readsOrRejects((x) => read(x, 'f.out'), `State 1: <Initial predicate>\n${t}`, 'f.out'),
      ),
      FUZZ,
    );
  });
});
