// A one-host run of TLC's distributed mode for tests: a server and N local workers (optionally
// killing worker 0 with SIGKILL once the server reports progress), printed as one JSON line.
// Run it inside a loopback-only network namespace (unshare -rn), since RMI binds every interface.
import { checkDistributed } from './distributed.ts';

const [config = 'smoke-safety', workers = '2', killAfter = '0', runTag = 'dist-scenario'] = process.argv.slice(2);
let killed = false;
let registered = 0;
let stopFirst: ((s?: NodeJS.Signals) => void) | undefined;
const o = await checkDistributed(config, {
  localWorkers: Number(workers),
  localWorkerThreads: 1,
  reportMs: 1000,
  timeoutSeconds: 150,
  runTag,
  // Counted so the kill waits for every worker: on a loaded machine worker 0 can register after
  // worker 1 has passed the threshold, and killing it then kills no worker of the run.
  onWorker: () => {
    registered++;
  },
  onLocalWorker: (i, stop) => {
    if (i === 0) stopFirst = stop;
  },
  onProgress: (p) => {
    // Kill mid-run: after the first progress past the threshold, while states remain queued.
    if (Number(killAfter) > 0 && !killed && registered >= Number(workers) && p.distinct >= Number(killAfter) && p.queue > 0 && stopFirst) {
      killed = true;
      stopFirst('SIGKILL');
    }
  },
});
process.stdout.write(
  `${JSON.stringify({ verdict: o.verdict, property: o.property, distinct: o.distinctStates, workersRegistered: o.workersRegistered, steps: o.result.counterexample?.steps.length ?? 0, killed, locals: o.localWorkers, error: o.result.error, seconds: o.seconds })}\n`,
);
