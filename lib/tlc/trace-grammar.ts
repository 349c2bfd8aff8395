// The one grammar of TLC's printed traces: action headers (`<Go(p1,2) line 7, col 13 to ... of
// module Live>`), `/\ var = value` state blocks, and the files -simulate writes. Stands for
// tlc2.output.StatePrinter / TLCStateInfo.toString and tlc2.tool.Simulator's trace writer (TLC 2.20).
// Lenient by default (a run's own output: keep what can be read); `strict` rejects what TLC
// would not have written, for readers of trace files from elsewhere (conformance/trace-formats).
import { TlaParseError, parseTlaState, parseTlaValueList } from '../values/tlc-text.ts';
import type { TlaState, TlaValue } from '../values/value.ts';
import type { TraceStep } from '../result/check-result.ts';
import { quote } from '../report/one-line.ts';
import { definitions, type Definition } from '../tla/spec-actions.ts';

/** Where in a trace a syntax error is: the 1-based state, and the variable inside it. */
export interface TraceSyntaxLocation {
  step?: number;
  variable?: string;
}

/** Trace text that does not follow TLC's grammar; `reason` says what is wrong, `where` where. */
export class TlcTraceSyntaxError extends Error {
  override readonly name = 'TlcTraceSyntaxError';
  constructor(
    readonly where: TraceSyntaxLocation,
    readonly reason: string,
    /** The value parser's error, when a state or argument list did not parse. */
    readonly parseError?: TlaParseError,
  ) {
    const at = [
      where.step !== undefined ? `state ${where.step}` : '',
      where.variable !== undefined ? `variable ${where.variable}` : '',
    ].filter((s) => s);
    super([...at, reason].join(': '));
  }
}

/** How to read: `strict` turns what lenient reading skips or drops into a TlcTraceSyntaxError. */
export interface GrammarOptions {
  strict?: boolean;
  /** The state the text belongs to, for error locations. */
  step?: number;
}

/** An action as TLC names it in a trace header: `<Go(p1,2) line 7, col 13 to line 8, col 57 of module Live>`. */
export interface TlcActionHeader {
  /** "Init" for `<Initial predicate>`; otherwise the operator name TLC shows. */
  action: string;
  /** The printed arguments, typed by the TLC text parser (empty when TLC shows none). */
  args: TlaValue[];
  module?: string;
  line?: number;
  col?: number;
}

/** Parses a trace header, `<` and `>` included. Lenient: arguments that do not parse are dropped
 *  and the name is whatever precedes them. @throws TlcTraceSyntaxError (strict only) */
export function parseActionHeader(header: string, opts: GrammarOptions = {}): TlcActionHeader {
  const fail = (reason: string, e?: TlaParseError): never => {
    throw new TlcTraceSyntaxError(opts.step !== undefined ? { step: opts.step } : {}, reason, e);
  };
  const trimmed = header.trim();
  if (opts.strict && !(trimmed.startsWith('<') && trimmed.endsWith('>'))) fail(`expected an action header <...>, found ${quote(trimmed)}`);
  const h = opts.strict ? trimmed.slice(1, -1).trim() : trimmed.replace(/^<|>$/g, '');
  if (h === 'Initial predicate') return { action: 'Init', args: [] };
  const loc = /^(.*) line (\d+), col (\d+) to line \d+, col \d+ of module (\S+)$/s.exec(h);
  const namePart = (loc ? (loc[1] as string) : h).trim();
  const call = (opts.strict ? /^([A-Za-z0-9_]+)(?:\((.*)\))?$/s : /^([^(\s]+)\((.*)\)$/s).exec(namePart);
  if (opts.strict && !call) fail(`cannot read the action name in ${quote(trimmed)}`);
  let args: TlaValue[] = [];
  if (call && call[2] !== undefined) {
    try {
      args = parseTlaValueList(call[2]);
    } catch (e) {
      if (!(e instanceof TlaParseError)) throw e;
      if (opts.strict) fail(`cannot read the arguments of ${call[1]}: ${e.reason}`, e);
    }
  }
  const out: TlcActionHeader = { action: call ? (call[1] as string) : namePart, args };
  if (loc) {
    out.line = Number(loc[2]);
    out.col = Number(loc[3]);
    out.module = loc[4] as string;
  }
  return out;
}

/** Parses a `/\ var = value` state block; the error names the variable it happened in.
 *  @throws TlcTraceSyntaxError with `parseError` set */
export function parseStateBlock(text: string, step: number): TlaState {
  try {
    return parseTlaState(text);
  } catch (e) {
    if (!(e instanceof TlaParseError)) throw e;
    // Name the conjunct the error is in: the last `/\ name =` before the offending offset.
    const vars = [...text.slice(0, e.offset).matchAll(/(?:^|\n)\s*(?:\/\\\s*)?([A-Za-z0-9_]+)\s*=/g)];
    const variable = vars.length ? (vars[vars.length - 1] as RegExpMatchArray)[1] : undefined;
    throw new TlcTraceSyntaxError(
      { step, ...(variable ? { variable } : {}) },
      `cannot read the state (line ${e.line} of its block): ${e.reason}`,
      e,
    );
  }
}

// ---- parameter names ------------------------------------------------------------------------

/** Names of an action's parameters, e.g. ("Live", "Go") → ["p", "k"]; undefined when unknown. */
export type ParamNameResolver = (module: string | undefined, action: string) => string[] | undefined;

/** Resolves parameter names from the module sources TLC parsed (`Name(a, b) ==` definitions). */
export function sourceParamNames(moduleFiles: Map<string, string>, readText: (file: string) => string | undefined): ParamNameResolver {
  const cache = new Map<string, Map<string, Definition> | undefined>();
  return (module, action) => {
    const file = module ? moduleFiles.get(module) : undefined;
    if (!file) return undefined;
    if (!cache.has(file)) {
      const src = readText(file);
      cache.set(file, src === undefined ? undefined : definitions(src));
    }
    const params = cache.get(file)?.get(action)?.params;
    return params && params.length > 0 && params.every((n) => /^[A-Za-z0-9_]+$/.test(n)) ? params : undefined;
  };
}

/** A header's arguments by parameter name; without the names, positions stand in: $1, $2, ...
 *  (never valid TLA+ identifiers). Undefined when the header has no arguments. */
export function paramsOf(h: TlcActionHeader, names: string[] | undefined): Record<string, TlaValue> | undefined {
  if (h.args.length === 0) return undefined;
  const params: Record<string, TlaValue> = {};
  h.args.forEach((v, i) => (params[names && names.length === h.args.length ? (names[i] as string) : `$${i + 1}`] = v));
  return params;
}

// ---- -simulate trace files ------------------------------------------------------------------

/** One state of a -simulate file: its number, the header above it and the state itself. */
export interface SimulationBlock {
  index: number;
  header: TlcActionHeader;
  state: TlaState;
}

/**
 * Reads a trace file TLC -simulate writes (`file=PREFIX` gives PREFIX_<worker>_<n>): a
 * `---- MODULE <path> ----` line, then per state a `\* <header>` comment, `STATE_k ==` and the
 * state, then a `====` footer. Lenient: anything else is skipped and a missing footer is a cut-off
 * file, read as a shorter trace. Strict: it wants the module line, consecutive STATE_k, headers
 * that parse and the footer. @throws TlcTraceSyntaxError (a state that does not parse, in both modes)
 */
export function readSimulationBlocks(text: string, opts: { strict?: boolean } = {}): SimulationBlock[] {
  const strict = opts.strict === true;
  const fail = (where: TraceSyntaxLocation, reason: string): never => {
    throw new TlcTraceSyntaxError(where, reason);
  };
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length && !(lines[i] as string).trim()) i++;
  if (strict && i >= lines.length) fail({}, 'empty file');
  if (/^-{4,}\s*MODULE\s+\S.*?-{4,}\s*$/.test(lines[i] ?? '')) i++;
  else if (strict) fail({}, `not a TLC -simulate trace: expected a "---- MODULE ... ----" line, found ${quote(lines[i] as string)}`);
  const blocks: SimulationBlock[] = [];
  let footer = false;
  for (; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (!line) continue;
    if (/^={4,}$/.test(line)) {
      footer = true;
      i++;
      break;
    }
    const expected = blocks.length + 1;
    const hm = /^\\\*\s*(<.*>)\s*$/.exec(line);
    if (!hm) {
      if (strict) fail({ step: expected }, `expected "\\* <action header>", found ${quote(line)}`);
      continue;
    }
    const header = parseActionHeader(hm[1] as string, { strict, step: expected });
    const def = /^STATE_(\d+)\s*==\s*$/.exec((lines[i + 1] ?? '').trim());
    if (!def) {
      if (strict)
        fail(
          { step: expected },
          `expected "STATE_${expected} ==", found ${lines[i + 1] === undefined ? 'end of file (truncated?)' : quote(lines[i + 1] as string)}`,
        );
      continue;
    }
    const index = strict ? expected : Number(def[1]);
    if (strict && Number(def[1]) !== index) fail({ step: index }, `states out of order: STATE_${def[1]} where STATE_${index} belongs`);
    i += 2;
    const body: string[] = [];
    while (i < lines.length && !/^\s*(\\\*\s*<|={4,})/.test(lines[i] as string)) body.push(lines[i++] as string);
    i--;
    blocks.push({ index, header, state: parseStateBlock(body.join('\n'), index) });
  }
  if (strict) {
    if (!footer) fail(blocks.length ? { step: blocks.length } : {}, 'truncated: no closing "====" line');
    const rest = lines.slice(i).find((l) => l.trim());
    if (rest !== undefined) fail({}, `text after the closing "====" line: ${quote(rest)}`);
  }
  return blocks;
}

/** A -simulate trace file as steps, leniently (see readSimulationBlocks), parameters named by
 *  `names` or by position. @throws TlcTraceSyntaxError when a state does not parse */
export function parseSimulationTrace(text: string, names: ParamNameResolver = () => undefined): TraceStep[] {
  return readSimulationBlocks(text).map(({ index, header, state }) => {
    const step: TraceStep = { index, action: index === 1 ? 'Init' : header.action, state };
    const params = index === 1 ? undefined : paramsOf(header, names(header.module, header.action));
    if (params) step.params = params;
    return step;
  });
}
