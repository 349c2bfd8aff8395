// The typed errors a command turns into an exit code and one line on stderr: bad input (exit 2,
// the message names the file or option) or a run that could not be done (exit 3). Shared by
// check, conform, main and replay-cex, so that the same failure reads and exits alike everywhere.
import { ManifestError } from '../../lib/check/manifest.ts';
import { ExplorerError } from '../../lib/embedded/explorer.ts';
import { InterruptedError } from '../../lib/interrupt.ts';
import { ModelConfigError } from '../../lib/tla/cfg.ts';
import { FlattenError } from '../../lib/tla/flatten.ts';
import { TlcLocateError } from '../../lib/tlc/locate.ts';
import { SavedCounterexampleError } from '../../conformance/replay/counterexample-replay.ts';
import { ModelConstantsError } from '../../conformance/model/model.ts';
import { StateGraphError } from '../../conformance/oracle/state-graph.ts';
import { ConformanceInputError } from '../../conformance/index.ts';
import { TraceFormatError } from '../../conformance/trace-formats/index.ts';
import { EXIT } from './exit-codes.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

/** Errors in what the user gave: a config, a corpus file, a counterexample file, a manifest. */
const BAD_INPUT: ErrorClass[] = [
  ManifestError,
  ModelConfigError,
  ModelConstantsError,
  TraceFormatError,
  SavedCounterexampleError,
  ConformanceInputError,
];
/** The run could not be done: no TLC, a graph TLC or the engine could not build, a spec that does not parse. */
const RUN_FAILED: ErrorClass[] = [StateGraphError, TlcLocateError, ExplorerError, FlattenError];

/** The exit code for `e`, after printing `dax-model COMMAND: message` (first line only); rethrows
 *  InterruptedError and anything unexpected (a bug deserves its stack trace). */
export function errorExit(command: string, e: unknown): number {
  if (e instanceof InterruptedError) throw e;
  const code = BAD_INPUT.some((c) => e instanceof c) ? EXIT.usage : RUN_FAILED.some((c) => e instanceof c) ? EXIT.runFailed : undefined;
  if (code === undefined) throw e;
  process.stderr.write(`dax-model ${command}: ${(e as Error).message.split('\n')[0]}\n`);
  return code;
}
