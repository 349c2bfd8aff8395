// Cooperation with interrupts (SIGINT, SIGTERM) for the libraries: a registry of synchronous
// cleanups (kill a TLC process group, remove a run's temp directory) that a forced exit still runs,
// process-group signalling, and a yield point that lets a pending signal handler run.
import { rmSync } from 'node:fs';

const pending = new Set<() => void>();
let exitHookInstalled = false;

/**
 * Registers `cleanup` to run if the process ends before its owner releases it (a second Ctrl-C,
 * a forced exit, an uncaught error): it must be synchronous and must not throw. Returns the
 * release function, which the owner calls once it has cleaned up itself.
 */
export function registerCleanup(cleanup: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', runCleanups);
  }
  pending.add(cleanup);
  return () => {
    pending.delete(cleanup);
  };
}

/** Runs every registered cleanup now, once, newest first (a process before the directory it runs in). */
export function runCleanups(): void {
  const all = [...pending].reverse();
  pending.clear();
  for (const c of all) {
    try {
      c();
    } catch {
      // A cleanup that fails must not keep the others from running.
    }
  }
}

/** Sends `signal` to the process group led by `pid` (a child spawned `detached`), falling back to
 *  the process alone; a group already gone is not an error. */
export function signalProcessGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Registers the removal of a temporary directory; returns the release function. */
export function removeOnExit(dir: string): () => void {
  // Retried: a process group SIGKILLed just before (cleanups run newest first) may still be
  // writing into the folder, and a removal that meets a new file fails with ENOTEMPTY.
  return registerCleanup(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 }));
}

/** Lets pending I/O and signal handlers run (one turn of the event loop), then throws
 *  InterruptedError if the run was aborted meanwhile. Long synchronous loops call
 *  it between units of work so that Ctrl-C is seen within one unit. */
export async function interruptionPoint(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new InterruptedError();
}

/** The run was interrupted (its AbortSignal fired); commands turn it into exit 130 / 143. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor(message = 'interrupted') {
    super(message);
  }
}
