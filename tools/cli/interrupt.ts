// The one signal story of every dax-model command: SIGINT and SIGTERM abort the run's AbortSignal
// (libraries kill TLC's process group, terminate engine workers, remove their temp directories),
// and the process exits 130 / 143 within a second; a second signal exits at once, after the same cleanups.
import { InterruptedError, runCleanups } from '../../lib/interrupt.ts';
import { EXIT } from './exit-codes.ts';

/** How long an aborted run has to wind down before its cleanups are run for it and the process exits. */
const WIND_DOWN_MS = 800;

/** How long an interrupted run that has returned may take to let the process end on its own. */
const AFTER_RUN_MS = 100;

const EXIT_CODE: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated };

/**
 * Runs `run` with an AbortSignal that SIGINT or SIGTERM aborts, and resolves to its exit code, or
 * to 130 (SIGINT) / 143 (SIGTERM) once it was interrupted, whatever it returned or threw
 * (InterruptedError is the usual way out). A run that has not returned WIND_DOWN_MS after the
 * signal, or a second signal, ends the process: registered cleanups (lib/interrupt.ts) run first.
 */
export async function runInterruptibly(command: string, run: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  let exitCode: number | undefined;
  const forceExit = (): never => {
    runCleanups();
    process.exit(exitCode);
  };
  const onSignal = (sig: 'SIGINT' | 'SIGTERM'): void => {
    if (exitCode !== undefined) forceExit();
    exitCode = EXIT_CODE[sig];
    process.stderr.write(`\ndax-model ${command}: ${sig === 'SIGINT' ? 'interrupted' : 'terminated'}, stopping\n`);
    controller.abort(new InterruptedError());
    // Unreferenced: a run that winds down in time lets the process end on its own.
    setTimeout(forceExit, WIND_DOWN_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const code = await run(controller.signal);
    return exitCode ?? code;
  } catch (e) {
    if (exitCode !== undefined) return exitCode;
    if (e instanceof InterruptedError) return EXIT.interrupted;
    throw e;
  } finally {
    // An interrupted run has cleaned up; what may still hold the event loop (a worker thread
    // being terminated, a child's pipes closing) must not hold the exit too.
    if (exitCode !== undefined) setTimeout(forceExit, AFTER_RUN_MS).unref();
    // Signals after the run are still ours until the process ends: a second Ctrl-C while the
    // last output is written exits at once instead of killing the process without cleanups.
    if (exitCode === undefined) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
