// Worker thread that runs the conformance suite once, for one mutant, for tools/mutate/run.ts: a
// SuiteModule (conformance/suite/contract.ts), its report passed back as a WorkerReport (suite-worker.ts).
// A fresh thread has a fresh ES module graph, so the suite imports the mutated impl/ file of the
// temp copy, never a cached original; tsx is registered here so that the .ts sources load as such.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { suiteUrl, options, startedAt } = workerData;
// The runner's Ctrl-C arrives as an 'abort' message: the suite stops (TLC killed, temp dirs
// removed by the copy's lib/interrupt.ts cleanups) before the runner terminates this thread,
// which would not kill the children the suite started.
const controller = new AbortController();
parentPort.on('message', async (m) => {
  if (m !== 'abort') return;
  controller.abort();
  const { runCleanups } = await import(new URL('../lib/interrupt.ts', suiteUrl).href);
  runCleanups();
  parentPort.postMessage({ ok: false, message: 'interrupted', cleaned: true });
});
let reply;
try {
  // A dynamic import, so that a mutant that breaks loading is reported as a throw, not a hang.
  const suite = await import(suiteUrl);
  if (typeof suite.runConformance !== 'function') throw new Error(`${suiteUrl} does not export runConformance`);
  const r = await suite.runConformance({ ...options, signal: controller.signal });
  reply = {
    ok: true,
    report: {
      traces: r.traces,
      steps: r.steps,
      actionsCovered: r.actionsCovered,
      actionsTotal: r.actionsTotal,
      fastCheckRuns: r.fastCheckRuns,
      // Only the first few: a mutant can diverge on every trace, and the first one names the check.
      // With a fast-check failure's own check (step, enabled, invariant, ...): which kind of check killed.
      divergences: (r.divergences ?? []).slice(0, 5).map((d) => ({
        check: String(d.check),
        message: String(d.message),
        ...(d.fastCheck?.shrunk?.failure?.check ? { failure: String(d.fastCheck.shrunk.failure.check) } : {}),
      })),
      divergenceCount: (r.divergences ?? []).length,
      stepsPerSecond: r.stepsPerSecond,
      seconds: r.seconds,
    },
  };
} catch (e) {
  reply = { ok: false, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
// Time since the parent created this thread: start-up, tsx, loading and the run, measured here
// because the parent may be too busy (generating mutants) to see the reply at once.
parentPort.postMessage({ ...reply, wallSeconds: (Date.now() - startedAt) / 1000 });
parentPort.unref();
