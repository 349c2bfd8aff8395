// What the strict TLC text readers (tlc-text.ts, tlc-simulation.ts) add to lib/tlc's one trace
// grammar (lib/tlc/trace-grammar.ts): its syntax errors as TraceFormatError naming the file, and
// an action's positional arguments named by the spec's parameters.
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { type TlcActionHeader, TlcTraceSyntaxError, parseActionHeader, parseStateBlock } from '../../lib/tlc/index.ts';
import type { TraceSchema } from './schema.ts';
import { TraceFormatError } from './spec-trace.ts';

/** Runs a lib/tlc grammar function, turning its syntax error into a TraceFormatError of `source`. */
export function inSource<T>(source: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof TlcTraceSyntaxError) throw new TraceFormatError({ source, ...e.where }, e.reason);
    throw e;
  }
}

/** Reads `<...>` (the angle brackets included) strictly: arguments that do not parse are an
 *  error, not dropped. @throws TraceFormatError */
export function readHeader(text: string, source: string, step: number): TlcActionHeader {
  return inSource(source, () => parseActionHeader(text, { strict: true, step }));
}

/** Names positional action arguments by the spec action's parameters. For the first state the
 *  action is Init whatever TLC called it. @throws TraceFormatError on an arity mismatch. */
export function namedParams(
  h: TlcActionHeader,
  schema: TraceSchema,
  source: string,
  step: number,
): { action: string; params?: Record<string, TlaValue> } {
  if (step === 1) return { action: 'Init' };
  const a = schema.actions.find((x) => x.name === h.action);
  // An unknown action is reported by checkAction, with the same wording for every format.
  if (!a) return { action: h.action };
  if (h.args.length === 0 && a.params.length === 0) return { action: h.action };
  if (h.args.length !== a.params.length) {
    throw new TraceFormatError(
      { source, step },
      `${h.action} takes ${a.params.length} argument${a.params.length === 1 ? '' : 's'} (${a.params.join(', ')}), the trace gives ${h.args.length}`,
    );
  }
  const params: Record<string, TlaValue> = {};
  a.params.forEach((p, i) => (params[p] = h.args[i] as TlaValue));
  return { action: h.action, params };
}

/** Parses a `/\ var = value` block; a parse error names the variable it happened in.
 *  @throws TraceFormatError */
export function readState(text: string, source: string, step: number): TlaState {
  return inSource(source, () => parseStateBlock(text, step));
}
