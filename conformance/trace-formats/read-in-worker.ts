// Reading a trace file without holding the calling thread: a file of a megabyte or more (thousands
// of states, seconds of parsing and checking) is read in a worker thread (read-worker.mjs) that an
// abort terminates at once; a smaller one is read here, as readTraceFile does.
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { InterruptedError } from '../../lib/interrupt.ts';
import { readTraceFile } from './index.ts';
import { loadTraceSchema, type SchemaSource, type TraceSchema } from './schema.ts';
import { type SpecTrace, type TraceFormat, TraceFormatError, type TraceFormatLocation } from './spec-trace.ts';

const WORKER_SCRIPT = new URL('./read-worker.mjs', import.meta.url);

/** From this size on a file is read in a worker (starting one costs about half a second). */
export const WORKER_READ_BYTES = 1 << 20;

/** Whether `file` is large enough to be read in a worker (a file that cannot be stat'ed is not). */
export function isLarge(file: string): boolean {
  try {
    return statSync(file).size >= WORKER_READ_BYTES;
  } catch {
    return false;
  }
}

type Reply = { trace: SpecTrace } | { formatError: { where: TraceFormatLocation; reason: string } } | { error: string };

/**
 * readTraceFile for a command that must stay interruptible: the schema is loaded from
 * `schemaSource` (here, or in the worker for a large file).
 * @throws TraceFormatError as readTraceFile does; InterruptedError once `signal` is aborted.
 */
export async function readTraceFileInterruptibly(file: string, schemaSource: SchemaSource, format: TraceFormat | undefined, signal: AbortSignal | undefined, schema?: TraceSchema): Promise<SpecTrace> {
  // A file that cannot be stat'ed goes the usual way too: readTraceFile says why it cannot be read.
  if (!isLarge(file)) return readTraceFile(file, schema ?? loadTraceSchema(schemaSource), format);
  if (signal?.aborted) throw new InterruptedError();
  const worker = new Worker(WORKER_SCRIPT, { workerData: { file, schemaSource, format }, stdout: true, stderr: true });
  worker.stdout.resume();
  worker.stderr.resume();
  try {
    const reply = await new Promise<Reply>((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(new InterruptedError()), { once: true });
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the trace reader's thread exited with code ${code}`)));
    });
    if ('formatError' in reply) throw new TraceFormatError(reply.formatError.where, reply.formatError.reason);
    if ('error' in reply) throw new Error(`reading ${file} failed: ${reply.error}`);
    return reply.trace;
  } finally {
    void worker.terminate();
  }
}
