// Public surface of the trace readers: one reader per format (TLC -dumpTrace json, TLC text
// traces, TLC -simulate files, ITF), format detection, and the corpus writer (ITF + "#meta").
// Stands for the trace inputs TLC, Apalache and Quint produce, read into one SpecTrace shape.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { readItf } from './itf.ts';
import { type ReadOptions, type SpecTrace, type TraceFormat, TraceFormatError } from './spec-trace.ts';
import type { TraceSchema } from './schema.ts';
import { readTlcDumpTrace } from './tlc-dump.ts';
import { readTlcSimulation } from './tlc-simulation.ts';
import { readTlcText } from './tlc-text.ts';

export { writeItf } from './itf.ts';
export { type TraceSchema, loadTraceSchema } from './schema.ts';
export { type ReadOptions, type SpecTrace, type TraceFormat, TraceFormatError } from './spec-trace.ts';
/** The reader of each format. */
const READERS: Record<TraceFormat, (text: string, opts: ReadOptions) => SpecTrace> = {
  'tlc-dump-json': readTlcDumpTrace,
  'tlc-text': readTlcText,
  'tlc-simulation': readTlcSimulation,
  itf: readItf,
};

/** Guesses a text's format from its first characters and keys: JSON with "vars"/"states" is
 *  ITF, JSON with "state" is -dumpTrace json, a `---- MODULE` with `STATE_1 ==` is a -simulate
 *  file, anything else is TLC's printed output. Malformed JSON is still told apart by its keys. */
export function detectFormat(text: string): TraceFormat {
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    if (/"(vars|states)"\s*:/.test(t.slice(0, 100_000))) return 'itf';
    if (/"state"\s*:/.test(t.slice(0, 100_000))) return 'tlc-dump-json';
    return 'itf';
  }
  if (/^-{4,}\s*MODULE\b/.test(t) && /^STATE_\d+\s*==/m.test(t)) return 'tlc-simulation';
  return 'tlc-text';
}

/** Reads a trace from text, in the given format or the detected one. @throws TraceFormatError */
export function readTrace(text: string, opts: ReadOptions & { format?: TraceFormat }): SpecTrace {
  return READERS[opts.format ?? detectFormat(text)](text, opts);
}

/** Reads a trace file: a regular file only (a FIFO or device could block or never end).
 *  @throws TraceFormatError, also when the file cannot be read. */
export function readTraceFile(file: string, schema: TraceSchema, format?: TraceFormat): SpecTrace {
  return readTrace(readTraceText(file), { source: file, schema, ...(format ? { format } : {}) });
}

/** A trace file's text. O_NONBLOCK so that opening a FIFO without a writer returns at once;
 *  fstat then refuses anything that is not a regular file. @throws TraceFormatError */
function readTraceText(file: string): string {
  const cannot = (e: unknown): never => {
    throw new TraceFormatError({ source: file }, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  };
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return cannot(e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw new TraceFormatError(
        { source: file },
        `not a regular file (${st.isFIFO() ? 'a FIFO' : st.isDirectory() ? 'a directory' : 'a device or socket'})`,
      );
    return readFileSync(fd, 'utf8');
  } catch (e) {
    if (e instanceof TraceFormatError) throw e;
    return cannot(e);
  } finally {
    closeSync(fd);
  }
}
