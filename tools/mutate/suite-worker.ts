// The conformance suite as mutation testing runs it: its options and report (the contract with
// conformance/index.ts), the temp copies of the repository it runs in, and one run of it in a
// fresh worker thread (worker.mjs), bounded in time and abortable.
import { existsSync } from 'node:fs';
import { cp, symlink } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { REPO_ROOT } from '../../lib/paths.ts';

const WORKER_SCRIPT = new URL('./worker.mjs', import.meta.url);

/** What the temp copy holds: what the suite may import, and what tsx needs to load it. */
export const COPIED = ['spec', 'lib', 'impl', 'conformance', 'tools', 'bench', 'package.json', 'tsconfig.json'];

/** Options of the conformance suite, as conformance/index.ts takes them (callbacks excepted). */
export interface SuiteOptions {
  fastCheckRuns?: number;
  seed?: number;
  budgetMs?: number;
  corpus?: boolean;
  cexReplays?: boolean;
  /** Whose code paths the implementation runs ('xfs' or 'ext4'); default both. */
  profile?: string;
  /** Run the suite as this kernel version of impl/kernels.ts (conformance/index.ts `kernel`). */
  kernel?: string;
  /** The configs of the fast-check executions (default the suite's FAST_CHECK_CONFIGS). */
  configs?: readonly string[];
  /** Stop at the first divergence. The runner sets it: one divergence kills a mutant. */
  failFast?: boolean;
  /** Also validate executions with TLC as a batch; the runner turns it off (see runMutation). */
  tlcBatch?: boolean;
  /** For the differential suite of --audit-equivalents: the unmutated checkout, and the random
   *  schedules per config and profile. */
  referenceRoot?: string;
  runs?: number;
}

/** The report of one conformance run, as conformance/index.ts returns it. */
export interface SuiteReport {
  traces: number;
  steps: number;
  actionsCovered: number;
  actionsTotal: number;
  fastCheckRuns: number;
  /** `failure`: for a fast-check divergence, the execution check that failed (conformance/
   *  executions/validate.ts ExecutionFailure.check: init, step, invariant, enabled, event, deadlock, liveness). */
  divergences: { check: string; message: string; failure?: string }[];
  stepsPerSecond: number;
  seconds: number;
}

/** A temp copy of the repository and the worker running the suite on it, if any. */
export interface Slot {
  dir: string;
  busy: Worker | null;
}

/**
 * Copies what the suite needs of `rootDir` to `dest`, node_modules as a symlink. Asynchronous (a
 * copy takes a second or two), and cut short once `signal` fires: what is left is only removed.
 */
export async function makeCopy(rootDir: string, dest: string, signal?: AbortSignal): Promise<void> {
  await Promise.all(
    COPIED.filter((entry) => existsSync(path.join(rootDir, entry))).map((entry) =>
      cp(path.join(rootDir, entry), path.join(dest, entry), {
        recursive: true,
        // Installed packages come through the symlink below; git-ignored TLC state is not needed.
        filter: (src) => !signal?.aborted && !src.split(path.sep).includes('node_modules') && !/[\\/](states|\.tlc-meta[^\\/]*)$/.test(src),
      }),
    ),
  );
  const ownModules = path.join(rootDir, 'node_modules');
  await symlink(existsSync(ownModules) ? ownModules : path.join(REPO_ROOT, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

/** How one run of the suite in a worker ended. */
export type Outcome =
  | { kind: 'report'; report: SuiteReport; wallSeconds: number }
  | { kind: 'threw'; message: string }
  | { kind: 'timeout' }
  | { kind: 'aborted' };

/** How long a worker has to stop its suite and clean up after an abort before it is terminated. */
const ABORT_GRACE_MS = 300;

/** Runs the suite of the copy in `slot` in a fresh worker; never rejects. */
export function runSuiteInWorker(
  slot: Slot,
  suiteRel: string,
  options: SuiteOptions,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Outcome> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ kind: 'aborted' });
    const worker = new Worker(WORKER_SCRIPT, {
      workerData: { suiteUrl: pathToFileURL(path.join(slot.dir, suiteRel)).href, options, startedAt: Date.now() },
      // The suite's own output must not mix with `--json`; keep the end of stderr for messages.
      stdout: true,
      stderr: true,
      // A mutant that allocates without bound fails its worker, not the runner.
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
    });
    slot.busy = worker;
    let stderr = '';
    worker.stdout.resume();
    worker.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    let settled = false;
    const finish = (o: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      slot.busy = null;
      // Terminate even after a reply: a suite may leave timers that keep its thread alive.
      void worker.terminate().finally(() => resolve(o));
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    // The worker stops its suite and runs its cleanups (TLC's process group, temp dirs) on an
    // 'abort' message; terminate() alone would leave the children the suite started.
    const onAbort = (): void => {
      worker.postMessage('abort');
      setTimeout(() => finish({ kind: 'aborted' }), ABORT_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: { ok: boolean; report?: SuiteReport; message?: string; wallSeconds: number }) =>
      finish(
        signal.aborted
          ? { kind: 'aborted' }
          : m.ok
            ? { kind: 'report', report: m.report!, wallSeconds: m.wallSeconds }
            : { kind: 'threw', message: m.message ?? 'unknown error' },
      ),
    );
    worker.once('error', (e) => finish({ kind: 'threw', message: `${e.name}: ${e.message}` }));
    worker.once('exit', (code) =>
      finish({
        kind: 'threw',
        message: `worker exited with code ${code} before reporting${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`,
      }),
    );
  });
}
