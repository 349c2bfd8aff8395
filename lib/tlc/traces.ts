// The error trace of a TLC run, read from what TLC prints: the state messages of -tool output
// (2121/2217/2218/2122, tlc2.output.ErrorTraceMessagePrinterRecorder) and the file
// -dumpTrace json writes (tlc2.tool.TLCTrace's JSON printer in TLC 2.20).
import { makeFunction, normalize } from '../values/canonical.ts';
import { TlaParseError, parseTlaValue } from '../values/tlc-text.ts';
import type { TlaState, TlaValue } from '../values/value.ts';
import { excerpt } from '../report/one-line.ts';
import type { Counterexample, TraceStep } from '../result/check-result.ts';
import { TLC_MSG, type TlcMessage, allMessages } from './messages.ts';
import { type ParamNameResolver, TlcTraceSyntaxError, paramsOf, parseActionHeader, parseStateBlock } from './trace-grammar.ts';

/** A counterexample as TLC reports it; `loopAction` is the step that closes a lasso. */
export interface TlcCounterexample extends Counterexample {
  loopAction?: { action: string | null; params?: Record<string, unknown> };
}

/** TLC's text trace could not be read: `state N: what the value parser said`. */
export class TraceReadError extends Error {}

function readState(index: number, text: string): TlaState {
  try {
    return parseStateBlock(text, index);
  } catch (e) {
    if (e instanceof TlcTraceSyntaxError && e.parseError) throw new TraceReadError(`state ${index}: ${e.parseError.message}`);
    throw e;
  }
}

/** One piece of the first error trace in TLC's -tool messages, as TLC printed it. */
export type ErrorTracePart =
  /** A state (2216/2217 `N: <header>` then the state; or the initial state 2107/2108 names). */
  | { kind: 'state'; index: number; header: string; body: string }
  /** A state message whose first line is not `N: <header>`. */
  | { kind: 'unreadable-state'; code: number }
  /** 2218 `N: Stuttering`: the behaviour ends by stuttering. */
  | { kind: 'stuttering'; index?: number }
  /** 2122 `N: Back to state: <header>`: the lasso's last step, back to state N. */
  | { kind: 'back'; index: number; header: string }
  /** A 2122 message that does not say where it goes back to. */
  | { kind: 'unreadable-back' };

/** The first error trace in the messages (TLC -continue prints more), piece by piece: the one
 *  reading of TLC's trace messages that lenient and strict readers share. */
export function errorTraceParts(messages: TlcMessage[]): ErrorTracePart[] {
  const parts: ErrorTracePart[] = [];
  const states = (): number => parts.filter((p) => p.kind === 'state').length;
  const afterFirstLine = (body: string): string => {
    const nl = body.indexOf('\n');
    return nl < 0 ? '' : body.slice(nl + 1);
  };
  let started = false;
  for (const m of allMessages(messages)) {
    if (m.code === TLC_MSG.BEHAVIOR_UP_TO_THIS_POINT || m.code === TLC_MSG.COUNTER_EXAMPLE) {
      if (started && states() > 0) break;
      started = true;
    } else if (m.code === TLC_MSG.INVARIANT_VIOLATED_INITIAL || m.code === TLC_MSG.PROPERTY_VIOLATED_INITIAL) {
      // The violating initial state is in the message itself, after the first line.
      if (states() === 0) parts.push({ kind: 'state', index: 1, header: '<Initial predicate>', body: afterFirstLine(m.body) });
      break;
    } else if (m.code === TLC_MSG.STATE_PRINT1 || m.code === TLC_MSG.STATE_PRINT2) {
      const hm = /^\s*(\d+): (.*)$/.exec(m.body.split('\n', 1)[0] as string);
      parts.push(
        hm
          ? { kind: 'state', index: Number(hm[1]), header: hm[2] as string, body: afterFirstLine(m.body) }
          : { kind: 'unreadable-state', code: m.code },
      );
    } else if (m.code === TLC_MSG.STATE_PRINT3 && /Stuttering/.test(m.body)) {
      const sm = /^\s*(\d+): Stuttering/.exec(m.body);
      parts.push(sm ? { kind: 'stuttering', index: Number(sm[1]) } : { kind: 'stuttering' });
      break;
    } else if (m.code === TLC_MSG.BACK_TO_STATE) {
      const bm = /^\s*(\d+): Back to state: (.*)$/m.exec(m.body);
      parts.push(bm ? { kind: 'back', index: Number(bm[1]), header: bm[2] as string } : { kind: 'unreadable-back' });
      break;
    }
  }
  return parts;
}

/** Collects the error trace from the messages, leniently: a state message that cannot be read
 *  is skipped. @throws TraceReadError when a state does not parse. */
export function traceFromMessages(messages: TlcMessage[], names: ParamNameResolver): TlcCounterexample | undefined {
  const steps: TraceStep[] = [];
  const cx: TlcCounterexample = { steps };
  for (const part of errorTraceParts(messages)) {
    if (part.kind === 'state') {
      const { index } = part;
      const state = readState(index, part.body);
      const h = parseActionHeader(part.header);
      const step: TraceStep = { index, action: index === 1 ? 'Init' : h.action, state };
      const params = index === 1 ? undefined : paramsOf(h, names(h.module, h.action));
      if (params) step.params = params;
      steps.push(step);
    } else if (part.kind === 'stuttering') {
      cx.ending = 'stuttering';
      if (steps.length) cx.loopsBackTo = (steps[steps.length - 1] as TraceStep).index;
    } else if (part.kind === 'back') {
      cx.loopsBackTo = part.index;
      cx.ending = 'loop';
      const h = parseActionHeader(part.header);
      cx.loopAction = { action: h.action };
      const params = paramsOf(h, names(h.module, h.action));
      if (params) cx.loopAction.params = params;
    }
  }
  return steps.length ? cx : undefined;
}

// ---- -dumpTrace json ------------------------------------------------------------------------

/** One transition of a -dumpTrace json file. */
interface DumpTraceTransition {
  from: number;
  to: number;
  name: string;
  module?: string;
  line?: number;
  parameters?: string[];
  context?: Record<string, unknown>;
}

/** What TLC 2.20's `-dumpTrace json FILE` writes:
 *  `{"state": [[i, {var: json}]...], "action": [[[i, s], {"name", "location": {beginLine, ..., module},
 *  "context"?: {param: json}, "parameters"?: [names]}, [j, s']]...]}`. A lasso's last transition
 *  goes back to an earlier index; stuttering is an "UnnamedAction" from a state to itself. */
export interface DumpTrace {
  states: { index: number; state: unknown }[];
  transitions: DumpTraceTransition[];
}

/** Reads a -dumpTrace json document. @throws Error when the shape is not TLC's. */
export function readDumpTrace(doc: unknown): DumpTrace {
  const bad = (what: string): never => {
    throw new Error(`-dumpTrace json: unexpected shape (${what})`);
  };
  if (!doc || typeof doc !== 'object') bad('not an object');
  const d = doc as { state?: unknown; action?: unknown };
  if (!Array.isArray(d.state)) bad('no "state" array');
  const states = (d.state as unknown[]).map((e) => {
    if (!Array.isArray(e) || typeof e[0] !== 'number') return bad('state entry');
    return { index: e[0] as number, state: e[1] };
  });
  const transitions = (Array.isArray(d.action) ? (d.action as unknown[]) : []).map((e): DumpTraceTransition => {
    if (!Array.isArray(e) || e.length !== 3) return bad('action entry');
    const [from, act, to] = e as [unknown, unknown, unknown];
    if (!Array.isArray(from) || !Array.isArray(to) || !act || typeof act !== 'object') return bad('action entry');
    const a = act as { name?: unknown; location?: { beginLine?: unknown; module?: unknown }; context?: unknown; parameters?: unknown };
    const t: DumpTraceTransition = { from: Number(from[0]), to: Number(to[0]), name: String(a.name ?? '') };
    if (typeof a.location?.module === 'string') t.module = a.location.module;
    if (typeof a.location?.beginLine === 'number') t.line = a.location.beginLine;
    if (Array.isArray(a.parameters)) t.parameters = a.parameters.map(String);
    if (a.context && typeof a.context === 'object') t.context = a.context as Record<string, unknown>;
    return t;
  });
  return { states, transitions };
}

/** Converts a value from -dumpTrace json to canonical form, as well as that encoding allows: it
 *  is lossy (sets and sequences are both arrays; model values and strings are both strings;
 *  function keys are TLA+ text), so arrays become sequences and strings stay strings. Exact
 *  values come from the text trace; this is the fallback when there is none.
 *  @throws Error on null or non-integer numbers, which TLC does not write. */
function dumpTraceValueToCanonical(v: unknown): TlaValue {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`-dumpTrace json: non-integer number ${v}`);
    return v;
  }
  if (Array.isArray(v)) return v.map(dumpTraceValueToCanonical);
  if (v && typeof v === 'object') {
    const pairs = Object.entries(v as Record<string, unknown>).map(([k, x]): [TlaValue, TlaValue] => [
      jsonKey(k),
      dumpTraceValueToCanonical(x),
    ]);
    return makeFunction(pairs);
  }
  throw new Error(`-dumpTrace json: unexpected value ${excerpt(v)}`);
}

function jsonKey(k: string): TlaValue {
  if (/^-?\d+$/.test(k)) return normalize(parseTlaValue(k));
  if (/^(<<|\{|\[|\(|")/.test(k)) {
    try {
      return parseTlaValue(k);
    } catch (e) {
      if (!(e instanceof TlaParseError)) throw e;
    }
  }
  return k;
}

/** Builds steps from a -dumpTrace json document alone (lossy values; see dumpTraceValueToCanonical). */
export function stepsFromDumpTrace(dt: DumpTrace): TlcCounterexample {
  const steps: TraceStep[] = dt.states.map((s) => {
    const state: TlaState = {};
    const obj = (s.state ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(obj).sort()) state[k] = dumpTraceValueToCanonical(obj[k]);
    return { index: s.index, action: s.index === 1 ? 'Init' : null, state };
  });
  const cx: TlcCounterexample = { steps };
  for (const t of dt.transitions) {
    const params = t.context ? Object.fromEntries(Object.entries(t.context).map(([k, x]) => [k, dumpTraceValueToCanonical(x)])) : undefined;
    if (t.to === t.from + 1) {
      const step = steps.find((s) => s.index === t.to);
      if (step) {
        step.action = t.name;
        if (params) step.params = params;
      }
    } else if (t.to === t.from && t.name === 'UnnamedAction') {
      cx.ending = 'stuttering';
      cx.loopsBackTo = t.from;
    } else if (t.to <= t.from) {
      cx.ending = 'loop';
      cx.loopsBackTo = t.to;
      cx.loopAction = { action: t.name };
      if (params) cx.loopAction.params = params;
    }
  }
  return cx;
}

/** Parameter names recorded in a -dumpTrace json, keyed like a ParamNameResolver. */
export function dumpTraceNames(dt: DumpTrace): ParamNameResolver {
  const byAction = new Map<string, string[]>();
  for (const t of dt.transitions) if (t.parameters) byAction.set(`${t.module ?? ''}!${t.name}`, t.parameters);
  return (module, action) => byAction.get(`${module ?? ''}!${action}`);
}
