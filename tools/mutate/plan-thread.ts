// The planning of a mutation run (select.ts's plan and choose: ts-morph parsing and type-checking,
// seconds of synchronous work) in a worker thread (plan-worker.mjs), so that the main thread stays
// free to see a signal, and an abort ends the planning at once by terminating the thread.
import { Worker } from 'node:worker_threads';
import type { MutantSet } from './mutants.ts';
import { OPERATORS } from './operators.ts';
import { MutateError } from './options.ts';
import type { MutantInfo } from './report.ts';
import type { ChangedLines } from './since.ts';

const WORKER_SCRIPT = new URL('./plan-worker.mjs', import.meta.url);

/** What a run is to plan: the files already selected, and how to filter and sample their mutants. */
export interface PlanRequest {
  rootDir: string;
  files: readonly string[];
  operators?: readonly string[];
  changed?: ChangedLines;
  /** Keeps a planned mutant (before type-checking and sampling); runs on this thread. */
  only?: (mutant: MutantInfo) => boolean;
  limit?: number;
  seed: number;
}

/** The planned mutants (before filtering: for stale-equivalent detection) and those chosen. */
export interface PlanResult {
  planned: MutantInfo[];
  generated: MutantSet;
}

type Reply =
  { kind: 'planned'; infos: MutantInfo[] } | { kind: 'chosen'; set: MutantSet } | { kind: 'error'; name: string; message: string };

/**
 * Plans, filters, samples and type-checks the mutants of `req.files` in a worker thread.
 * Resolves to 'aborted' as soon as `signal` fires (the thread is terminated).
 * @throws MutateError for a planning that fails.
 */
export function planInWorker(req: PlanRequest, signal: AbortSignal): Promise<PlanResult | 'aborted'> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve('aborted');
    const worker = new Worker(WORKER_SCRIPT, {
      workerData: {
        rootDir: req.rootDir,
        files: req.files,
        operators: req.operators ?? OPERATORS,
        changed: req.changed,
        limit: req.limit,
        seed: req.seed,
      },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    let stderr = '';
    worker.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    let planned: MutantInfo[] = [];
    let settled = false;
    const settle = (then: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      then();
    };
    const onAbort = (): void => settle(() => resolve('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: Reply) => {
      if (m.kind === 'planned') {
        planned = m.infos;
        const only = req.only;
        worker.postMessage(only ? planned.flatMap((info, i) => (only(info) ? [i] : [])) : null);
      } else if (m.kind === 'chosen') settle(() => resolve({ planned, generated: m.set }));
      else
        settle(() =>
          reject(m.name === 'MutateError' ? new MutateError(m.message) : new Error(`planning the mutants failed: ${m.name}: ${m.message}`)),
        );
    });
    worker.once('error', (e) => settle(() => reject(new Error(`planning the mutants failed: ${e.name}: ${e.message}`))));
    worker.once('exit', (code) =>
      settle(() =>
        reject(new Error(`the planning thread exited with code ${code}${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`)),
      ),
    );
  });
}
