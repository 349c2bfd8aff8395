// Calling one exported function of a module in a worker thread that an abort terminates at once:
// work that holds a thread for seconds (reading a large trace, rendering its timeline) would keep a
// SIGINT / SIGTERM handler on the main thread from running. The worker side is in-worker.mjs.
import { Worker } from 'node:worker_threads';
import { InterruptedError } from './interrupt.ts';

const WORKER_SCRIPT = new URL('./in-worker.mjs', import.meta.url);

/** What the called function threw in the worker: its class name, message and own fields. */
export class WorkerCallError extends Error {
  override readonly name = 'WorkerCallError';
  constructor(
    /** The name of the error thrown in the worker (e.g. "TraceFormatError"). */
    readonly errorName: string,
    /** Its message. */
    readonly errorMessage: string,
    /** Its own enumerable fields, as JSON carries them. */
    readonly fields: Record<string, unknown>,
  ) {
    super(`${errorName}: ${errorMessage}`);
  }
}

type Reply = { value: unknown } | { error: { name: string; message: string; fields: Record<string, unknown> } };

/**
 * Calls `exportName` of the module at `moduleUrl` (a .ts module is loaded through tsx) with `args`
 * (structured-cloned both ways) in a new worker thread, and resolves with what it returns. Starting
 * a worker costs about half a second: callers keep small jobs on their own thread.
 * @throws WorkerCallError for what the function threw; InterruptedError at once when `signal` is
 * (or becomes) aborted, the worker being terminated.
 */
export async function callInWorker<T>(moduleUrl: URL, exportName: string, args: unknown[], signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) throw new InterruptedError();
  const worker = new Worker(WORKER_SCRIPT, { workerData: { module: moduleUrl.href, exportName, args }, stdout: true, stderr: true });
  // Its output would interleave with the command's own: dropped.
  worker.stdout.resume();
  worker.stderr.resume();
  let onAbort: (() => void) | undefined;
  try {
    const reply = await new Promise<Reply>((resolve, reject) => {
      onAbort = () => reject(new InterruptedError());
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the worker thread calling ${exportName} exited with code ${code}`)));
    });
    if ('error' in reply) throw new WorkerCallError(reply.error.name, reply.error.message, reply.error.fields);
    return reply.value as T;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    void worker.terminate();
  }
}
