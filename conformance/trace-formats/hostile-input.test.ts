// The readers on the hostile inputs fuzzing found: deep nesting, names that clash with
// Object.prototype, TLC output cut between two states, a FIFO, huge values in messages. Each is
// refused with one short line (a TraceFormatError), never a stack trace, a hang or silence.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { excerpt } from '../../lib/report/one-line.ts';
import { skipTitle } from '../../lib/skip-reason.ts';
import { parseTlaState } from '../../lib/values/tlc-text.ts';
import { readTraceFile } from './index.ts';
import { readItf, writeItf } from './itf.ts';
import { TraceFormatError } from './spec-trace.ts';
import { fixture, schemaFor } from './test-support.ts';
import { readTlcDumpTrace } from './tlc-dump.ts';
import { readTlcText } from './tlc-text.ts';

const schema = schemaFor('no-gup-fast-recheck');
const dumpText = fixture('no-gup-fast-recheck.dump.json');
const itfText = writeItf(readTlcDumpTrace(dumpText, { source: 'd', schema }), {}, schema.variables);
const plain = fixture('no-gup-fast-recheck.stdout.txt');
const tool = fixture('no-gup-fast-recheck.tool.txt');

/** Runs `read` and returns its TraceFormatError, failing on success or any other error. */
function refusal(read: () => unknown): TraceFormatError {
  try {
    read();
  } catch (e) {
    if (!(e instanceof TraceFormatError)) throw e;
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeLessThan(600);
    return e;
  }
  throw new Error('accepted');
}

const nested = (open: string, close: string, depth: number, leaf = '0'): string => open.repeat(depth) + leaf + close.repeat(depth);
const itfDoc = (): { vars: string[]; states: Record<string, unknown>[]; loop?: unknown } => JSON.parse(itfText);
const readItfDoc = (d: unknown, raw?: [string, string]): unknown => {
  let t = JSON.stringify(d);
  if (raw) t = t.replace(raw[0], raw[1]);
  return readItf(t, { source: 'h.itf.json', schema });
};

describe('deep nesting', () => {
  for (const [what, open, close] of [
    ['#model', '{"#model":', '}'],
    ['#bigint', '{"#bigint":', '}'],
    ['#unserializable', '{"#unserializable":', '}'],
    ['a sequence', '[', ']'],
  ] as const) {
    it(`refuses an ITF ${what} payload nested 5,000 deep with one line`, () => {
      const d = itfDoc();
      (d.states[1] as Record<string, unknown>)[schema.variables[0] as string] = 'DEEP';
      expect(refusal(() => readItfDoc(d, ['"DEEP"', nested(open, close, 5000)])).message).toMatch(
        /^h\.itf\.json: JSON nested deeper than \d+ levels$/,
      );
    });
  }
  it('refuses "#meta".index and "loop" nested 5,000 deep', () => {
    const d = itfDoc();
    (d.states[0]!['#meta'] as Record<string, unknown>).index = 'DEEP';
    refusal(() => readItfDoc(d, ['"DEEP"', nested('[', ']', 5000)]));
    const l = itfDoc();
    l.loop = 'DEEP';
    refusal(() => readItfDoc(l, ['"DEEP"', nested('{"a":', '}', 5000)]));
  });
  it('refuses a -dumpTrace action parameter nested 2,500 deep', () => {
    const t = dumpText.replace(/"context":\{"u":"u1"/, `"context":{"u":${nested('[', ']', 2500)}`);
    expect(t).not.toBe(dumpText);
    refusal(() => readTlcDumpTrace(t, { source: 'd.json', schema }));
  });
  it('refuses a TLC text value nested 5,000 deep', () => {
    refusal(() => readTlcText(plain.replace('/\\ gupsLeft = 2', `/\\ gupsLeft = ${nested('{', '}', 5000, '1')}`), { source: 'o', schema }));
  });
});

describe('names that clash with Object.prototype', () => {
  for (const name of ['__proto__', 'constructor', 'prototype', 'toString']) {
    it(`refuses an extra ITF state variable named ${name}`, () => {
      const d = itfDoc();
      d.vars.push(name);
      for (const s of d.states) s[name] = 1;
      // JSON.stringify drops nothing: "__proto__" set by assignment is not an own key, so add it as text.
      const t = JSON.stringify(d).replaceAll(`"${schema.variables[0]}":`, `"${name}":1,"${schema.variables[0]}":`);
      expect(refusal(() => readItf(t, { source: 'h', schema })).message).toMatch(/not allowed as a name/);
    });
    it(`refuses ${name} as a TLC variable or record field`, () => {
      expect(() => parseTlaState(`/\\ ${name} = 1`)).toThrow(/not allowed as a name/);
      expect(() => parseTlaState(`/\\ x = [${name} |-> 1]`)).toThrow(/not allowed as a name/);
    });
  }
});

describe('truncation between states', () => {
  it('refuses plain TLC output cut right after a state', () => {
    const cut = plain.slice(0, plain.indexOf('\nState 5:') + 1);
    expect(refusal(() => readTlcText(cut, { source: 'o', schema })).message).toMatch(/^o: state 4: truncated/);
  });
  it('refuses -tool output cut between two state messages', () => {
    const at = tool.indexOf('@!@!@STARTMSG 2217', tool.indexOf('@!@!@STARTMSG 2217') + 1);
    expect(refusal(() => readTlcText(tool.slice(0, at), { source: 'o', schema })).message).toMatch(/^o: state 1: truncated -tool output/);
  });
  it('still reads a trace copied out of the output (nothing says more follows)', () => {
    const start = plain.indexOf('State 1:');
    expect(readTlcText(plain.slice(start, plain.indexOf('\nState 5:') + 1), { source: 'o', schema }).steps).toHaveLength(4);
  });
  it('refuses an ITF loop index out of range', () => {
    const d = itfDoc();
    d.loop = d.states.length;
    expect(refusal(() => readItfDoc(d)).message).toMatch(/"loop" must be the index of a state/);
  });
});

// mkfifo (coreutils) makes the FIFO; where it is missing the test cannot set up its input.
const noMkfifo = spawnSync('mkfifo', ['--version'], { timeout: 5000 }).status === 0 ? null : 'no mkfifo on PATH to make a FIFO';

describe('input that is not a regular file', () => {
  it.skipIf(noMkfifo !== null)(skipTitle('refuses a FIFO without a writer at once', noMkfifo), () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dax-fifo-'));
    try {
      const fifo = path.join(dir, 'trace.itf.json');
      const made = spawnSync('mkfifo', [fifo], { timeout: 5000 });
      expect(made.status, `mkfifo ${fifo}: ${made.stderr}`).toBe(0);
      expect(refusal(() => readTraceFile(fifo, schema)).message).toBe(`${fifo}: not a regular file (a FIFO)`);
      expect(refusal(() => readTraceFile(dir, schema)).message).toBe(`${dir}: not a regular file (a directory)`);
      writeFileSync(path.join(dir, 'ok.itf.json'), itfText);
      expect(readTraceFile(path.join(dir, 'ok.itf.json'), schema).steps.length).toBeGreaterThan(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('messages quoting input', () => {
  it('cap a huge value at 200 characters with an ellipsis, without walking all of it', () => {
    const huge = { a: 'x'.repeat(10_000_000), b: Array.from({ length: 1000 }, (_, i) => i) };
    const e = excerpt(huge);
    expect(e.length).toBe(201);
    expect(e.endsWith('…')).toBe(true);
    expect(excerpt([1, 'a', { k: null }])).toBe('[1,"a",{"k":null}]');
  });
  it('quote a huge #bigint payload in an ITF error in one short line', () => {
    const d = itfDoc();
    (d.states[1] as Record<string, unknown>)[schema.variables[0] as string] = { '#bigint': `1${' x'.repeat(1_000_000)}` };
    expect(refusal(() => readItfDoc(d)).message).toMatch(/#bigint must be a string of digits, found "1 x x.*…$/);
  });
});
