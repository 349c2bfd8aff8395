// Pieces the TLC text formats share: the action header TLC prints before each state
// (`<GupFastReadPte(u1,f1,0) line 216, col 5 to line 225, col 57 of module DaxDma>`) and the
// `/\ var = value` state block. Stands for tlc2.output.StatePrinter / TLCStateInfo.toString.
import { TlaParseError, parseTlaState, parseTlaValueList } from '../../lib/values/tlc-text.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import type { TraceSchema } from './schema.ts';
import { TraceFormatError, quote } from './spec-trace.ts';

/** An action header, strictly read: unlike lib/tlc's parseActionHeader, arguments that do not
 *  parse are an error here rather than dropped. */
export interface Header {
  /** "Init" for `<Initial predicate>`; else the operator name TLC shows. */
  action: string;
  args: TlaValue[];
}

/** Reads `<...>` (the angle brackets included). @throws TraceFormatError */
export function readHeader(text: string, source: string, step: number): Header {
  const where = { source, step };
  const h = text.trim();
  if (!h.startsWith('<') || !h.endsWith('>')) throw new TraceFormatError(where, `expected an action header <...>, found ${quote(h)}`);
  const inner = h.slice(1, -1).trim();
  if (inner === 'Initial predicate') return { action: 'Init', args: [] };
  const loc = /^(.*) line \d+, col \d+ to line \d+, col \d+ of module \S+$/s.exec(inner);
  const namePart = (loc ? (loc[1] as string) : inner).trim();
  const call = /^([A-Za-z0-9_]+)(?:\((.*)\))?$/s.exec(namePart);
  if (!call) throw new TraceFormatError(where, `cannot read the action name in ${quote(h)}`);
  let args: TlaValue[] = [];
  if (call[2] !== undefined) {
    try {
      args = parseTlaValueList(call[2]);
    } catch (e) {
      if (!(e instanceof TlaParseError)) throw e;
      throw new TraceFormatError(where, `cannot read the arguments of ${call[1]}: ${e.reason}`);
    }
  }
  return { action: call[1] as string, args };
}

/** Names positional action arguments by the spec action's parameters. For the first state the
 *  action is Init whatever TLC called it. @throws TraceFormatError on an arity mismatch. */
export function namedParams(h: Header, schema: TraceSchema, source: string, step: number): { action: string; params?: Record<string, TlaValue> } {
  if (step === 1) return { action: 'Init' };
  const a = schema.actions.find((x) => x.name === h.action);
  // An unknown action is reported by checkAction, with the same wording for every format.
  if (!a) return { action: h.action };
  if (h.args.length === 0 && a.params.length === 0) return { action: h.action };
  if (h.args.length !== a.params.length) {
    throw new TraceFormatError({ source, step }, `${h.action} takes ${a.params.length} argument${a.params.length === 1 ? '' : 's'} (${a.params.join(', ')}), the trace gives ${h.args.length}`);
  }
  const params: Record<string, TlaValue> = {};
  a.params.forEach((p, i) => (params[p] = h.args[i] as TlaValue));
  return { action: h.action, params };
}

/** Parses a `/\ var = value` block; a parse error names the variable it happened in.
 *  @throws TraceFormatError */
export function readState(text: string, source: string, step: number): TlaState {
  try {
    return parseTlaState(text);
  } catch (e) {
    if (!(e instanceof TlaParseError)) throw e;
    // Name the conjunct the error is in: the last `/\ name =` before the offending offset.
    const before = text.slice(0, e.offset);
    const vars = [...before.matchAll(/(?:^|\n)\s*(?:\/\\\s*)?([A-Za-z0-9_]+)\s*=/g)];
    const variable = vars.length ? (vars[vars.length - 1] as RegExpMatchArray)[1] : undefined;
    throw new TraceFormatError({ source, step, ...(variable ? { variable } : {}) }, `cannot read the state (line ${e.line} of its block): ${e.reason}`);
  }
}
