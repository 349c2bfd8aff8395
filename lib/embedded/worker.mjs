// Worker thread that runs one tla-checker model check (check_spec_with_options) for engine.ts, or
// its probe of which PROPERTY entries are state predicates (explore_init, explore_eval).
// A thread of its own gives the engine's recursive graph search a large stack and keeps a wasm
// trap (stack overflow, out of memory) from poisoning the main thread's engine instance.
import { readlinkSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

const { module, spec, options, probe, port, signal } = workerData;
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
  reply = { ok: true, raw: probe ? JSON.stringify(statePredicates(tla, probe)) : tla.check_spec_with_options(spec, options) };
} catch (e) {
  reply = { ok: false, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
port.postMessage(reply);
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);

/** The names among `probe.properties` ([name, engine name] pairs) whose value in the first
 *  initial state is a boolean: state predicates, not temporal formulas. */
function statePredicates(tla, { cfg, properties }) {
  const init = JSON.parse(tla.explore_init(spec, cfg, '{}'));
  const first = init.ok ? init.states?.[0] : undefined;
  if (!first) return [];
  const state = JSON.stringify(first.json);
  return properties
    .filter(([, engineName]) => {
      const r = JSON.parse(tla.explore_eval(spec, cfg, '{}', state, engineName));
      return r.ok && typeof r.json === 'boolean';
    })
    .map(([name]) => name);
}
