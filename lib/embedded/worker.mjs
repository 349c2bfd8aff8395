// Worker thread that runs one tla-checker model check (check_spec_with_options) for engine.ts.
// A thread of its own gives the engine's recursive graph search a large stack and keeps a wasm
// trap (stack overflow, out of memory) from poisoning the main thread's engine instance.
import { readlinkSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

const { module, spec, options, port, signal } = workerData;
// Publish this thread's tid, so that a caller blocked on `signal` can tell a dead worker from a
// slow one (engine.ts waitForAnswer).
try {
  Atomics.store(signal, 1, Number(readlinkSync('/proc/thread-self').split('/').pop()));
} catch {
  Atomics.store(signal, 1, -1);
}
let reply;
try {
  // A dynamic import, so that even a failure to load the package is reported, not left hanging.
  const tla = await import('tla-checker');
  tla.initSync({ module });
  reply = { ok: true, raw: tla.check_spec_with_options(spec, options) };
} catch (e) {
  reply = { ok: false, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
port.postMessage(reply);
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
