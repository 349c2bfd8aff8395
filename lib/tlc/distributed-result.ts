// How a TLC distributed server's run is read (tlc2.tool.distributed.TLCServer's -tool output):
// statistics as tlc2.TLC's, a printed trace as a violation, and a run that ended unfinished, timed
// out or was interrupted as an error. distributed.ts starts the server; this reads what it printed.
import { readFileSync } from 'node:fs';
import type { DistributedServerResult } from './distributed.ts';
import { tlcExit } from './exit.ts';
import { interpretTlcRun, moduleFilesOf } from './interpret.ts';
import { TLC_MSG, type TlcMessage, type TlcOutputParser } from './messages.ts';
import { sourceParamNames } from './trace-grammar.ts';
import { TraceReadError, traceFromMessages } from './traces.ts';

/** How the server's process ended, and what it ran. */
export interface ServerEnd {
  code: number | null;
  signal: string | null;
  stderr: string;
  spec: string;
  cfg: string;
  workers: number;
  seconds: number;
  stoppedBy?: 'timeout' | 'abort';
  timeoutSeconds?: number;
}

/** Reads the server's output: statistics as tlc2.TLC's, a printed trace (EC 2121 + states) as a
 *  violation, since the server prints neither "Invariant X is violated" nor "Deadlock reached". */
export function interpretServerRun(parser: TlcOutputParser, end: ServerEnd): DistributedServerResult {
  const read = (f: string): string | undefined => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return undefined;
    }
  };
  const names = sourceParamNames(moduleFilesOf(parser.plain), read);
  const exit = tlcExit(end.code, end.signal);
  const cfgText = read(end.cfg);
  const it = interpretTlcRun({
    messages: parser.messages,
    plain: parser.plain,
    stderr: end.stderr,
    exit,
    configFile: end.cfg,
    specFile: end.spec,
    sourceNames: names,
    ...(cfgText !== undefined ? { cfgText } : {}),
  });
  const out: DistributedServerResult = {
    engine: 'tlc',
    verdict: it.verdict,
    distinctStates: it.distinctStates,
    seconds: end.seconds,
    exit,
    workersRegistered: end.workers,
  };
  if (end.code !== null) out.exitCode = end.code;
  if (it.statesGenerated !== undefined) out.statesGenerated = it.statesGenerated;
  // The server's depth varies from run to run (37-39 for one config): keep it, but do not trust it.
  if (it.depth !== undefined) out.depth = it.depth;
  if (it.engineVersion) out.engineVersion = it.engineVersion;
  if (it.error) out.error = it.error;
  const finished = parser.messages.some((m) => m.code === TLC_MSG.SUCCESS || m.code === TLC_MSG.FINISHED);
  if (end.stoppedBy) {
    const waiting = end.workers === 0 ? ' (no worker joined)' : '';
    out.verdict = 'error';
    out.error =
      end.stoppedBy === 'timeout'
        ? { kind: 'timeout', message: `the TLC server did not finish within ${end.timeoutSeconds}s and was stopped${waiting}` }
        : { kind: 'interrupted', message: 'TLC server interrupted' };
    return out;
  }
  try {
    const cx = traceFromMessages(firstTrace(parser.messages), names);
    if (cx && it.verdict !== 'error') {
      out.verdict = 'invariant';
      out.counterexample = cx;
    }
  } catch (e) {
    if (!(e instanceof TraceReadError)) throw e;
    out.verdict = 'error';
    out.error = { kind: 'crash', message: `the server printed a trace that cannot be read: ${e.message}` };
  }
  if (out.verdict === 'holds' && !finished) {
    out.verdict = 'error';
    out.error = { kind: 'crash', message: `the TLC server ended (exit ${end.code ?? end.signal}) without finishing the model` };
  }
  return out;
}

/** Two workers can hit violations at once and the server then prints two traces: keep the first. */
function firstTrace(messages: TlcMessage[]): TlcMessage[] {
  const starts = messages.flatMap((m, i) => (m.code === TLC_MSG.BEHAVIOR_UP_TO_THIS_POINT ? [i] : []));
  return starts.length > 1 ? messages.slice(0, starts[1]) : messages;
}
