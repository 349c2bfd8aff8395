// Reading a trace file without holding the calling thread: a file of a megabyte or more (thousands
// of states, seconds of parsing and checking) is read in a worker thread (lib/in-worker.ts) that an
// abort terminates at once; a smaller one is read here, as readTraceFile does.
import { statSync } from 'node:fs';
import { callInWorker, WorkerCallError } from '../../lib/in-worker.ts';
import { readTraceFile } from './index.ts';
import { loadTraceSchema, type SchemaSource, type TraceSchema } from './schema.ts';
import { type SpecTrace, type TraceFormat, TraceFormatError, type TraceFormatLocation } from './spec-trace.ts';

/** From this size on a file is read in a worker (starting one costs about half a second). */
const WORKER_READ_BYTES = 1 << 20;

/** Whether `file` is large enough to be read in a worker (a file that cannot be stat'ed is not). */
export function isLarge(file: string): boolean {
  try {
    return statSync(file).size >= WORKER_READ_BYTES;
  } catch {
    return false;
  }
}

/**
 * What the worker runs: readTraceFile with the schema loaded there (a schema does not cross threads).
 * @public: called by name in the worker (callInWorker below), which knip cannot follow.
 */
export function readTraceFileWithSchemaOf(file: string, schemaSource: SchemaSource, format: TraceFormat | undefined): SpecTrace {
  return readTraceFile(file, loadTraceSchema(schemaSource), format);
}

/**
 * readTraceFile for a command that must stay interruptible: the schema is loaded from
 * `schemaSource` (here, or in the worker for a large file).
 * @throws TraceFormatError as readTraceFile does; InterruptedError once `signal` is aborted.
 */
export async function readTraceFileInterruptibly(
  file: string,
  schemaSource: SchemaSource,
  format: TraceFormat | undefined,
  signal: AbortSignal | undefined,
  schema?: TraceSchema,
): Promise<SpecTrace> {
  // A file that cannot be stat'ed goes the usual way too: readTraceFile says why it cannot be read.
  if (!isLarge(file)) return readTraceFile(file, schema ?? loadTraceSchema(schemaSource), format);
  try {
    return await callInWorker<SpecTrace>(new URL(import.meta.url), 'readTraceFileWithSchemaOf', [file, schemaSource, format], signal);
  } catch (e) {
    if (!(e instanceof WorkerCallError)) throw e;
    if (e.errorName === 'TraceFormatError') {
      const { source, step, variable, reason } = e.fields as unknown as TraceFormatLocation & { reason: string };
      throw new TraceFormatError(
        { source, ...(step !== undefined ? { step } : {}), ...(variable !== undefined ? { variable } : {}) },
        reason,
      );
    }
    throw new Error(`reading ${file} failed: ${e.message}`);
  }
}
