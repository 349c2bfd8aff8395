// Worker thread that plans and type-checks the mutants of a run for tools/mutate/plan-thread.ts:
// ts-morph's parsing and type-checking take seconds of synchronous work, which on the main
// thread would keep a Ctrl-C from being seen until they end; a worker is terminated at once.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { rootDir, files, operators, changed, limit, seed } = workerData;
try {
  const { plan, choose } = await import('./select.ts');
  const planned = plan(rootDir, { files, operators }, changed);
  // The caller's filter (a function, which cannot cross threads) is applied over there.
  parentPort.postMessage({ kind: 'planned', infos: planned.map(({ mutant: { text: _text, ...info } }) => info) });
  const keep = await new Promise((resolve) => parentPort.once('message', resolve));
  const kept = keep === null ? planned : keep.map((i) => planned[i]);
  parentPort.postMessage({ kind: 'chosen', set: choose(kept, limit, seed) });
} catch (e) {
  parentPort.postMessage({ kind: 'error', name: e?.name ?? 'Error', message: e instanceof Error ? e.message : String(e) });
}
