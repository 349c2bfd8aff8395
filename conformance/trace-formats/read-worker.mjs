// Worker thread that reads one large trace file for read-in-worker.ts: parsing and checking a
// trace of thousands of states holds a thread for seconds, which on the main thread would keep a
// signal from being seen; a worker is terminated at once.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { file, schemaSource, format } = workerData;
try {
  const { loadTraceSchema, readTraceFile, TraceFormatError } = await import('./index.ts');
  try {
    parentPort.postMessage({ trace: readTraceFile(file, loadTraceSchema(schemaSource), format) });
  } catch (e) {
    if (!(e instanceof TraceFormatError)) throw e;
    parentPort.postMessage({ formatError: { where: { source: e.source, step: e.step, variable: e.variable }, reason: e.reason } });
  }
} catch (e) {
  parentPort.postMessage({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
}
