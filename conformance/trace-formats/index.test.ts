// Format detection and the file-level entry point: each fixture is recognised as the format it
// is, and a file that cannot be read is a TraceFormatError like any other bad input.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, readTraceFile, writeItf } from './index.ts';
import { TraceFormatError } from './spec-trace.ts';
import { FIXTURES, fixture, schemaFor } from './test-support.ts';

describe('trace formats', () => {
  it.each([
    ['no-gup-fast-recheck.dump.json', 'tlc-dump-json'],
    ['no-gup-fast-recheck.stdout.txt', 'tlc-text'],
    ['no-gup-fast-recheck.tool.txt', 'tlc-text'],
    ['no-gup-fast-recheck.simulate_0_0', 'tlc-simulation'],
  ])('detects %s as %s', (file, format) => {
    expect(detectFormat(fixture(file))).toBe(format);
    expect(readTraceFile(path.join(FIXTURES, file), schemaFor('no-gup-fast-recheck')).format).toBe(format);
  });

  it('detects ITF, also when it is cut off', () => {
    const schema = schemaFor('no-gup-fast-recheck');
    const itf = writeItf(readTraceFile(path.join(FIXTURES, 'no-gup-fast-recheck.dump.json'), schema), {}, schema.variables);
    expect(detectFormat(itf)).toBe('itf');
    expect(detectFormat(itf.slice(0, 400))).toBe('itf');
  });

  it('reports a file that cannot be read as a TraceFormatError naming it', () => {
    expect(() => readTraceFile('/no/such/trace.json', schemaFor('no-gup-fast-recheck'))).toThrow(TraceFormatError);
    expect(() => readTraceFile('/no/such/trace.json', schemaFor('no-gup-fast-recheck'))).toThrow(
      /^\/no\/such\/trace\.json: cannot read \(ENOENT\)$/,
    );
  });
});
