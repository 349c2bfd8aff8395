// Runs TLC (tlc2.TLC from tla2tools.jar) on a spec + config and turns its -tool output into a
// CheckResult: the @!@!@STARTMSG/ENDMSG message protocol, exit codes (tlc2.output.EC$ExitStatus),
// error traces, -dumpTrace json and -simulate trace files.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeFunction, normalize } from '../values/canonical.ts';
import { TlaParseError, parseTlaState, parseTlaValue, parseTlaValueList } from '../values/tlc-text.ts';
import type { TlaState, TlaValue } from '../values/value.ts';
import type { CheckResult, Counterexample, Progress, RunError, RunErrorKind, TraceStep, Verdict } from '../result/check-result.ts';
import { TlcLocateError, findJava, findTlaToolsJar, type LocateOptions } from './locate.ts';

// ---------------------------------------------------------------------------------------------
// Exit codes

/** What a TLC exit code means (tlc2.output.EC$ExitStatus in TLC 2.20, plus the JVM's own cases). */
export type TlcExitMeaning =
  | 'success' // 0
  | 'usage-error' // 1: TLC rejected its command line (message 1102), not part of EC$ExitStatus
  | 'violation-assumption' // 10
  | 'violation-deadlock' // 11
  | 'violation-safety' // 12: invariant (also a PROPERTY of the form []P)
  | 'violation-liveness' // 13: temporal or action property
  | 'violation-assert' // 14: TLC!Assert failed
  | 'failure-spec-eval' // 75
  | 'failure-safety-eval' // 76
  | 'failure-liveness-eval' // 77
  | 'parse-error' // 150
  | 'config-error' // 151
  | 'statespace-too-large' // 152
  | 'system-error' // 153
  | 'general-error' // 255: "TLC threw an unexpected exception", missing .cfg, bad -simulate file, ...
  | 'killed' // by a signal (ours on timeout/abort, or e.g. the OOM killer)
  | 'unknown';

/** TLC's exit status, typed. `code` is null when the process died from a signal. */
export interface TlcExit {
  code: number | null;
  signal?: string | null;
  meaning: TlcExitMeaning;
}

const EXIT_MEANINGS: Record<number, TlcExitMeaning> = {
  0: 'success',
  1: 'usage-error',
  10: 'violation-assumption',
  11: 'violation-deadlock',
  12: 'violation-safety',
  13: 'violation-liveness',
  14: 'violation-assert',
  75: 'failure-spec-eval',
  76: 'failure-safety-eval',
  77: 'failure-liveness-eval',
  150: 'parse-error',
  151: 'config-error',
  152: 'statespace-too-large',
  153: 'system-error',
  255: 'general-error',
  // The JVM exits 128+n after running its shutdown hooks on SIGTERM / SIGINT.
  143: 'killed',
  130: 'killed',
  137: 'killed',
};

/** Types a process exit as TLC means it. */
export function tlcExit(code: number | null, signal?: string | null): TlcExit {
  if (code === null) return { code, signal: signal ?? null, meaning: 'killed' };
  return { code, signal: signal ?? null, meaning: EXIT_MEANINGS[code] ?? 'unknown' };
}

// ---------------------------------------------------------------------------------------------
// The -tool message protocol

/** Message codes (tlc2.output.EC) this module acts on. */
export const TLC_MSG = {
  GENERAL: 1000,
  OUT_OF_MEMORY: 1001,
  OUT_OF_MEMORY_INIT: 1002,
  OUT_OF_MEMORY_LIVENESS: 1003,
  STACK_OVERFLOW: 1005,
  WRONG_COMMANDLINE_SIMULATOR: 1101,
  WRONG_COMMANDLINE_TLC: 1102,
  NESTED_EXPRESSION: 2103,
  ASSUMPTION_FALSE: 2104,
  ASSUMPTION_EVALUATION_ERROR: 2105,
  INVARIANT_VIOLATED_INITIAL: 2107,
  PROPERTY_VIOLATED_INITIAL: 2108,
  INVARIANT_VIOLATED_BEHAVIOR: 2110,
  ACTION_PROPERTY_VIOLATED_BEHAVIOR: 2112,
  DEADLOCK_REACHED: 2114,
  TEMPORAL_PROPERTY_VIOLATED: 2116,
  BEHAVIOR_UP_TO_THIS_POINT: 2121,
  BACK_TO_STATE: 2122,
  VALUE_ASSERT_FAILED: 2132,
  PARSING_FAILED2: 2171,
  FINISHED: 2186,
  SUCCESS: 2193,
  SEARCH_DEPTH: 2194,
  INIT_GENERATED1: 2190,
  STATS: 2199,
  PROGRESS_STATS: 2200,
  PROGRESS_SIMU: 2209,
  STATS_SIMU: 2210,
  STATE_PRINT1: 2216,
  STATE_PRINT2: 2217,
  STATE_PRINT3: 2218, // "N: Stuttering"
  VERSION: 2262,
  COUNTER_EXAMPLE: 2264,
  PARSING_FAILED: 3002,
} as const;

/** TLC message classes (tlc2.output.MP): the number after the colon in STARTMSG code:class. */
export const TLC_MSG_CLASS = { NONE: 0, ERROR: 1, TLCBUG: 2, WARNING: 3, STATE: 4 } as const;

/** One @!@!@STARTMSG code:class @!@!@ ... @!@!@ENDMSG code @!@!@ block. */
export interface TlcMessage {
  code: number;
  /** Message class (TLC_MSG_CLASS). */
  severity: number;
  /** Text between the markers, nested messages excluded. */
  body: string;
  /** Messages TLC printed inside this one (e.g. a config error 5006 inside a general error 1000). */
  nested: TlcMessage[];
}

const MARKER = /@!@!@(?:STARTMSG (\d+):(\d+)|ENDMSG (-?\d+)) @!@!@/g;

/** Incremental parser for TLC's -tool output. Markers can appear mid-line and nest. */
export class TlcOutputParser {
  readonly messages: TlcMessage[] = [];
  /** Lines printed outside any message (SANY's output, "Parsing file ...", Print output). */
  readonly plain: string[] = [];
  private readonly stack: TlcMessage[] = [];
  private partial = '';
  private plainLine = '';
  private static readonly MAX_PLAIN = 20_000;

  constructor(
    private readonly onMessage?: (m: TlcMessage) => void,
    /** Called for each line printed outside any message, e.g. the output of Print/PrintT. */
    private readonly onPlainLine?: (line: string) => void,
  ) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line.endsWith('\r') ? line.slice(0, -1) : line, true);
  }

  end(): void {
    if (this.partial) this.line(this.partial, true);
    this.partial = '';
    while (this.stack.length) this.close();
  }

  private line(line: string, eol: boolean): void {
    let last = 0;
    let sawMarker = false;
    for (const m of line.matchAll(MARKER)) {
      this.text(line.slice(last, m.index), false);
      if (m[1] !== undefined) {
        this.stack.push({ code: Number(m[1]), severity: Number(m[2]), body: '', nested: [] });
      } else if (this.stack.length) {
        this.close();
      }
      last = (m.index ?? 0) + m[0].length;
      sawMarker = true;
    }
    const rest = line.slice(last);
    // A line that ends right after a marker carries no text of its own.
    if (!sawMarker || rest.length) this.text(rest, eol);
  }

  private text(s: string, eol: boolean): void {
    const top = this.stack[this.stack.length - 1];
    if (top) {
      top.body += eol ? `${s}\n` : s;
      return;
    }
    this.plainLine += s;
    if (eol) {
      this.onPlainLine?.(this.plainLine);
      if (this.plain.length < TlcOutputParser.MAX_PLAIN) this.plain.push(this.plainLine);
      this.plainLine = '';
    }
  }

  private close(): void {
    const msg = this.stack.pop() as TlcMessage;
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.nested.push(msg);
    else this.messages.push(msg);
    this.onMessage?.(msg);
  }
}

/** Parses a complete -tool output. */
export function parseTlcOutput(text: string): { messages: TlcMessage[]; plain: string[] } {
  const p = new TlcOutputParser();
  p.push(text);
  p.end();
  return { messages: p.messages, plain: p.plain };
}

/** A message's text with its nested messages' text, as one line. */
function oneLine(m: TlcMessage): string {
  return flat([m.body, ...m.nested.map(oneLine)].join(' '));
}

function flat(s: string, max = 400): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const int = (s: string): number => Number(s.replace(/,/g, ''));

/** Reads a progress message (2200 model checking, 2209 simulation). Simulation reports -1 for
 *  distinct states and queue, which become 0 (unknown). */
export function parseProgress(body: string, seconds: number): Progress | null {
  const m = /(-?[\d,]+) states generated.*?(-?[\d,]+) distinct states found.*?(-?[\d,]+) states left on queue/s.exec(body);
  if (!m) return null;
  return { generated: Math.max(0, int(m[1] as string)), distinct: Math.max(0, int(m[2] as string)), queue: Math.max(0, int(m[3] as string)), seconds };
}

// ---------------------------------------------------------------------------------------------
// Traces

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

/** Parses the part between `<` and `>` of a trace header. */
export function parseActionHeader(header: string): TlcActionHeader {
  const h = header.trim().replace(/^<|>$/g, '');
  if (h === 'Initial predicate') return { action: 'Init', args: [] };
  const loc = /^(.*) line (\d+), col (\d+) to line \d+, col \d+ of module (\S+)$/s.exec(h);
  const namePart = (loc ? (loc[1] as string) : h).trim();
  const call = /^([^(\s]+)\((.*)\)$/s.exec(namePart);
  let args: TlaValue[] = [];
  if (call) {
    try {
      args = parseTlaValueList(call[2] as string);
    } catch (e) {
      if (!(e instanceof TlaParseError)) throw e;
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

/** Names of an action's parameters, e.g. ("Live", "Go") → ["p", "k"]; undefined when unknown. */
export type ParamNameResolver = (module: string | undefined, action: string) => string[] | undefined;

/** Resolves parameter names from the module sources TLC parsed (`Name(a, b) ==` definitions). */
export function sourceParamNames(moduleFiles: Map<string, string>, readText: (file: string) => string | undefined): ParamNameResolver {
  const cache = new Map<string, string | undefined>();
  return (module, action) => {
    if (!module || !/^[A-Za-z0-9_]+$/.test(action)) return undefined;
    const file = moduleFiles.get(module);
    if (!file) return undefined;
    if (!cache.has(file)) cache.set(file, readText(file));
    const src = cache.get(file);
    if (src === undefined) return undefined;
    const m = new RegExp(`^[ \\t]*(?:LOCAL[ \\t]+)?${action}[ \\t]*\\(([^)]*)\\)[ \\t]*==`, 'm').exec(src);
    if (!m) return undefined;
    const names = (m[1] as string).split(',').map((s) => s.trim());
    return names.every((n) => /^[A-Za-z0-9_]+$/.test(n)) ? names : undefined;
  };
}

function paramsOf(h: TlcActionHeader, names: string[] | undefined): Record<string, TlaValue> | undefined {
  if (h.args.length === 0) return undefined;
  const params: Record<string, TlaValue> = {};
  // Without the names, positions stand in: $1, $2, ... (never valid TLA+ identifiers).
  h.args.forEach((v, i) => (params[names && names.length === h.args.length ? (names[i] as string) : `$${i + 1}`] = v));
  return params;
}

/** A counterexample as TLC reports it; `loopAction` is the step that closes a lasso. */
export interface TlcCounterexample extends Counterexample {
  loopAction?: { action: string | null; params?: Record<string, unknown> };
}

class TraceReadError extends Error {}

function readState(index: number, text: string): TlaState {
  try {
    return parseTlaState(text);
  } catch (e) {
    if (e instanceof TlaParseError) throw new TraceReadError(`state ${index}: ${e.message}`);
    throw e;
  }
}

/** Collects the error trace from the messages: the first trace only (TLC -continue prints more).
 *  @throws TraceReadError when a state does not parse. */
function traceFromMessages(messages: TlcMessage[], names: ParamNameResolver): TlcCounterexample | undefined {
  const steps: TraceStep[] = [];
  const cx: TlcCounterexample = { steps };
  let started = false;
  let done = false;
  for (const m of messages) {
    if (done) break;
    if (m.code === TLC_MSG.BEHAVIOR_UP_TO_THIS_POINT || m.code === TLC_MSG.COUNTER_EXAMPLE) {
      if (started && steps.length) done = true;
      started = true;
      continue;
    }
    if (m.code === TLC_MSG.INVARIANT_VIOLATED_INITIAL || m.code === TLC_MSG.PROPERTY_VIOLATED_INITIAL) {
      // The violating initial state is in the message itself, after the first line.
      const state = readState(1, m.body.slice(m.body.indexOf('\n') + 1));
      if (!steps.length) steps.push({ index: 1, action: 'Init', state });
      done = true;
      continue;
    }
    if (m.code === TLC_MSG.STATE_PRINT1 || m.code === TLC_MSG.STATE_PRINT2) {
      const nl = m.body.indexOf('\n');
      const first = nl < 0 ? m.body : m.body.slice(0, nl);
      const hm = /^\s*(\d+): (.*)$/.exec(first);
      if (!hm) continue;
      const index = Number(hm[1]);
      const state = readState(index, nl < 0 ? '' : m.body.slice(nl + 1));
      const h = parseActionHeader(hm[2] as string);
      const step: TraceStep = { index, action: index === 1 ? 'Init' : h.action, state };
      const params = index === 1 ? undefined : paramsOf(h, names(h.module, h.action));
      if (params) step.params = params;
      steps.push(step);
      continue;
    }
    if (m.code === TLC_MSG.STATE_PRINT3 && /Stuttering/.test(m.body)) {
      cx.ending = 'stuttering';
      if (steps.length) cx.loopsBackTo = (steps[steps.length - 1] as TraceStep).index;
      done = true;
      continue;
    }
    if (m.code === TLC_MSG.BACK_TO_STATE) {
      const bm = /^\s*(\d+): Back to state: (.*)$/m.exec(m.body);
      if (bm) {
        cx.loopsBackTo = Number(bm[1]);
        cx.ending = 'loop';
        const h = parseActionHeader(bm[2] as string);
        cx.loopAction = { action: h.action };
        const params = paramsOf(h, names(h.module, h.action));
        if (params) cx.loopAction.params = params;
      }
      done = true;
    }
  }
  return steps.length ? cx : undefined;
}

// ---- -dumpTrace json ------------------------------------------------------------------------

/** One transition of a -dumpTrace json file. */
export interface DumpTraceTransition {
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
export function dumpTraceValueToCanonical(v: unknown): TlaValue {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`-dumpTrace json: non-integer number ${v}`);
    return v;
  }
  if (Array.isArray(v)) return v.map(dumpTraceValueToCanonical);
  if (v && typeof v === 'object') {
    const pairs = Object.entries(v as Record<string, unknown>).map(([k, x]): [TlaValue, TlaValue] => [jsonKey(k), dumpTraceValueToCanonical(x)]);
    return makeFunction(pairs);
  }
  throw new Error(`-dumpTrace json: unexpected value ${JSON.stringify(v)}`);
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
function dumpTraceNames(dt: DumpTrace): ParamNameResolver {
  const byAction = new Map<string, string[]>();
  for (const t of dt.transitions) if (t.parameters) byAction.set(`${t.module ?? ''}!${t.name}`, t.parameters);
  return (module, action) => byAction.get(`${module ?? ''}!${action}`);
}

// ---- -simulate trace files ------------------------------------------------------------------

/** Parses one trace file TLC -simulate writes (`file=PREFIX` gives PREFIX_<worker>_<n>): a module
 *  with `\* <Action line ... of module M>` comments, each followed by `STATE_k ==` and the state. */
export function parseSimulationTrace(text: string, names: ParamNameResolver = () => undefined): TraceStep[] {
  const steps: TraceStep[] = [];
  const re = /^\\\* (<.*>)[ \t]*\r?\nSTATE_(\d+) ==[ \t]*\r?\n([\s\S]*?)(?=^\\\* <|^={4,}|(?![\s\S]))/gm;
  for (const m of text.matchAll(re)) {
    const index = Number(m[2]);
    const h = parseActionHeader(m[1] as string);
    const step: TraceStep = { index, action: index === 1 ? 'Init' : h.action, state: parseTlaState(m[3] as string) };
    const params = index === 1 ? undefined : paramsOf(h, names(h.module, h.action));
    if (params) step.params = params;
    steps.push(step);
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Interpretation: messages + exit code → verdict

/** The PROPERTY / PROPERTIES names of a TLC config, for naming a temporal violation (TLC's
 *  message 2116 does not say which property failed). */
export function cfgTemporalProperties(cfg: string): string[] {
  const text = cfg.replace(/\(\*[\s\S]*?\*\)/g, ' ').replace(/\\\*.*$/gm, ' ');
  const keywords = new Set([
    'CONSTANT', 'CONSTANTS', 'INIT', 'NEXT', 'SPECIFICATION', 'INVARIANT', 'INVARIANTS', 'PROPERTY', 'PROPERTIES',
    'SYMMETRY', 'CONSTRAINT', 'CONSTRAINTS', 'ACTION_CONSTRAINT', 'ACTION_CONSTRAINTS', 'VIEW', 'ALIAS',
    'POSTCONDITION', 'CHECK_DEADLOCK',
  ]);
  const out: string[] = [];
  let inProps = false;
  for (const w of text.match(/[A-Za-z0-9_!]+/g) ?? []) {
    if (keywords.has(w)) inProps = w === 'PROPERTY' || w === 'PROPERTIES';
    else if (inProps && !out.includes(w)) out.push(w);
  }
  return out;
}

/** Everything interpretTlcRun needs; all of it is plain data, so it is testable without Java. */
export interface TlcRunRecord {
  messages: TlcMessage[];
  plain: string[];
  stderr: string;
  exit: TlcExit;
  configFile: string;
  /** The checked module, to place errors SANY reports without a location. */
  specFile?: string;
  /** Text of the .cfg, for naming temporal properties. */
  cfgText?: string;
  /** Parsed -dumpTrace json, when it was asked for and written. */
  dumpTrace?: DumpTrace;
  /** Parameter names from the module sources (fallback after the -dumpTrace names). */
  sourceNames?: ParamNameResolver;
}

/** What interpretTlcRun derives (the rest of a CheckResult is timing and identity). */
export interface TlcInterpretation {
  verdict: Verdict;
  property?: string;
  propertyCandidates?: string[];
  error?: RunError;
  counterexample?: TlcCounterexample;
  distinctStates: number;
  statesGenerated?: number;
  depth?: number;
  engineVersion?: string;
  /** Why TLC's trace could not be read (the verdict stands; the counterexample may be missing). */
  traceError?: string;
}

const PARSE_CODES = new Set([TLC_MSG.PARSING_FAILED, TLC_MSG.PARSING_FAILED2, 4000, 4001, 4002]);
const CONFIG_CODE = (c: number): boolean => (c >= 5001 && c <= 5006) || (c >= 2222 && c <= 2245) || c === 2280 || c === 2281;
const CRASH_CODES = new Set([1001, 1002, 1003, 1005, 1101, 1102, 2124, 2125, 2126, 2127, 2128, 2129, 2134, 2135, 2137, 2138, 2160, 2161, 2162, 2163, 2174, 2175, 2254, 2270]);
/** Messages that frame a trace or an error rather than being one. */
const CONTEXT_CODES = new Set<number>([TLC_MSG.BEHAVIOR_UP_TO_THIS_POINT, TLC_MSG.COUNTER_EXAMPLE, TLC_MSG.NESTED_EXPRESSION, TLC_MSG.STATE_PRINT1, TLC_MSG.STATE_PRINT2, TLC_MSG.STATE_PRINT3, TLC_MSG.BACK_TO_STATE]);

/** Derives verdict, property, error, counterexample and statistics from one finished TLC run. */
export function interpretTlcRun(rec: TlcRunRecord): TlcInterpretation {
  const all = flatten(rec.messages);
  const first = (code: number): TlcMessage | undefined => all.find((m) => m.code === code);
  const moduleFiles = moduleFilesOf(rec.plain);
  const at = (module: string | undefined, line: string, col?: string): string => {
    const file = module ? moduleFiles.get(module) : undefined;
    return `${file ? displayPath(file) : module ? `module ${module}` : '?'}:${line}${col ? `:${col}` : ''}`;
  };

  const out: TlcInterpretation = { verdict: 'error', distinctStates: 0 };
  const version = first(TLC_MSG.VERSION);
  if (version) out.engineVersion = version.body.trim();

  // Statistics: the final 2199 (or 2210 when simulating), else the last progress report.
  const stats = first(TLC_MSG.STATS);
  const progress = [...all].reverse().find((m) => m.code === TLC_MSG.PROGRESS_STATS || m.code === TLC_MSG.PROGRESS_SIMU);
  const sm = stats && /([\d,]+) states generated, ([\d,]+) distinct states found/.exec(stats.body);
  const pg = progress ? parseProgress(progress.body, 0) : null;
  const simStats = first(TLC_MSG.STATS_SIMU);
  const init = first(TLC_MSG.INIT_GENERATED1);
  if (sm) {
    out.statesGenerated = int(sm[1] as string);
    out.distinctStates = int(sm[2] as string);
  } else if (simStats) {
    const g = /states generated: ([\d,]+)/.exec(simStats.body);
    if (g) out.statesGenerated = int(g[1] as string);
  } else if (pg) {
    out.statesGenerated = pg.generated;
    out.distinctStates = pg.distinct;
  } else if (init) {
    const d = /([\d,]+) distinct states? generated/.exec(init.body);
    if (d) out.distinctStates = int(d[1] as string);
  }
  const depth = first(TLC_MSG.SEARCH_DEPTH);
  const dm = depth && /search is (\d+)/.exec(depth.body);
  if (dm) out.depth = Number(dm[1]);

  // The trace: text messages (exact values), parameter names from -dumpTrace json or the sources.
  const jsonNames = rec.dumpTrace ? dumpTraceNames(rec.dumpTrace) : undefined;
  const names: ParamNameResolver = (mod, act) => jsonNames?.(mod, act) ?? rec.sourceNames?.(mod, act);
  let cx: TlcCounterexample | undefined;
  try {
    cx = traceFromMessages(rec.messages, names);
  } catch (e) {
    if (!(e instanceof TraceReadError)) throw e;
    out.traceError = `cannot read TLC's text trace: ${e.message}`;
  }
  if (!cx && rec.dumpTrace && rec.dumpTrace.states.length) {
    try {
      cx = stepsFromDumpTrace(rec.dumpTrace);
    } catch (e) {
      out.traceError = `${out.traceError ? `${out.traceError}; ` : ''}cannot read -dumpTrace json: ${(e as Error).message}`;
    }
  }

  // The first message that is an error or a violation decides.
  const decisive = rec.messages.find((m) => m.severity === TLC_MSG_CLASS.ERROR && !CONTEXT_CODES.has(m.code));
  const fail = (kind: RunErrorKind, message: string): TlcInterpretation => {
    out.verdict = 'error';
    out.error = { kind, message };
    if (cx) out.counterexample = cx;
    return out;
  };

  if (decisive) {
    const c = decisive.code;
    const body = decisive.body;
    let m: RegExpExecArray | null;
    if (c === TLC_MSG.INVARIANT_VIOLATED_BEHAVIOR || c === TLC_MSG.INVARIANT_VIOLATED_INITIAL) {
      out.verdict = 'invariant';
      m = /Invariant (\S+) is violated/.exec(body);
      if (m) out.property = m[1] as string;
    } else if (c === TLC_MSG.ACTION_PROPERTY_VIOLATED_BEHAVIOR || c === TLC_MSG.PROPERTY_VIOLATED_INITIAL) {
      out.verdict = 'property';
      m = /(?:Action property|Property) (\S+) is violated/.exec(body);
      if (m) out.property = m[1] as string;
    } else if (c === TLC_MSG.TEMPORAL_PROPERTY_VIOLATED) {
      out.verdict = 'property';
      const candidates = cfgTemporalProperties(rec.cfgText ?? '');
      if (candidates.length === 1) out.property = candidates[0] as string;
      else if (candidates.length > 1) out.propertyCandidates = candidates;
    } else if (c === TLC_MSG.DEADLOCK_REACHED) {
      out.verdict = 'deadlock';
    } else {
      return fail(...classifyError(decisive, all, rec, at));
    }
    if (cx) out.counterexample = cx;
    return out;
  }

  // No error message: SANY failures print their diagnostics outside messages.
  const sany = sanyError(rec.plain, moduleFiles, at, rec.specFile);
  if (rec.exit.meaning === 'parse-error' || (sany && rec.exit.code !== 0)) return fail('parse', sany ?? `TLC could not parse the spec (exit ${rec.exit.code})`);
  if (rec.exit.meaning === 'success') {
    out.verdict = 'holds';
    return out;
  }
  const tail = lastLines(rec.stderr) || lastLines(rec.plain.join('\n'));
  return fail('crash', flat(`TLC exited with ${rec.exit.code ?? rec.exit.signal} (${rec.exit.meaning})${tail ? `: ${tail}` : ''}`));
}

function classifyError(
  m: TlcMessage,
  all: TlcMessage[],
  rec: TlcRunRecord,
  at: (module: string | undefined, line: string, col?: string) => string,
): [RunErrorKind, string] {
  const c = m.code;
  const nestedCodes = flatten(m.nested).map((n) => n.code);
  const text = cleanGeneral(oneLine(m));
  if (PARSE_CODES.has(c)) {
    const sany = sanyError(rec.plain, moduleFilesOf(rec.plain), at, rec.specFile);
    return ['parse', sany ?? (text || 'TLC could not parse the spec')];
  }
  if (CONFIG_CODE(c) || nestedCodes.some(CONFIG_CODE) || /ConfigFileException/.test(m.body)) {
    const cfg = displayPath(rec.configFile);
    const line = /configuration file at line (\d+)/.exec(text);
    const msg = text.replace(/^TLC found an error in the configuration file at line \d+\s*/, '').replace(/^TLC encountered the following error when trying to read the configuration file \S+:\s*/, '');
    return ['config', `${cfg}${line ? `:${line[1]}` : ''}: ${msg}`];
  }
  if (CRASH_CODES.has(c) || /OutOfMemoryError|StackOverflowError/.test(m.body)) return ['crash', text || `TLC failed (message ${c})`];
  // Evaluation errors: place them at the innermost expression TLC names, else at a location in the text.
  const nested = all.find((x) => x.code === TLC_MSG.NESTED_EXPRESSION);
  const positions = nested ? [...nested.body.matchAll(/Line (\d+), column (\d+) to line \d+, column \d+ in (\S+)/g)] : [];
  const inner = positions[positions.length - 1];
  const inText = /line (\d+), col (\d+) to line \d+, col \d+ of module (\S+)/.exec(text);
  const where = inner ? at(inner[3], inner[1] as string, inner[2]) : inText ? at(inText[3], inText[1] as string, inText[2]) : undefined;
  const generalCrash = c === TLC_MSG.GENERAL && !/error in the spec or model/.test(m.body) && !['failure-spec-eval', 'failure-safety-eval', 'failure-liveness-eval'].includes(rec.exit.meaning);
  return [generalCrash ? 'crash' : 'eval', where ? `${where}: ${text}` : text || `TLC failed (message ${c})`];
}

/** Drops the boilerplate of TLC's general error (1000) around the actual exception text. */
function cleanGeneral(s: string): string {
  return flat(
    s
      .replace('TLC threw an unexpected exception.', '')
      .replace('This was probably caused by an error in the spec or model.', '')
      .replace('See the User Output or TLC Console for clues to what happened.', '')
      .replace(/The exception was a [\w.$]+ :?/, '')
      .replace(/^\s*:\s*/, ''),
  );
}

function flatten(ms: TlcMessage[]): TlcMessage[] {
  return ms.flatMap((m) => [m, ...flatten(m.nested)]);
}

/** Module name → file, from SANY's "Parsing file /path/M.tla" lines (standard modules included). */
function moduleFilesOf(plain: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const l of plain) {
    const m = /^Parsing file (.+?\.tla)(?: \(.*\))?$/.exec(l);
    if (m) map.set(path.basename(m[1] as string, '.tla'), m[1] as string);
  }
  return map;
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** One line describing SANY's first error, with file:line:col, from its plain-text output. */
function sanyError(
  plain: string[],
  moduleFiles: Map<string, string>,
  at: (module: string | undefined, line: string, col?: string) => string,
  specFile?: string,
): string | undefined {
  let current: string | undefined;
  const fileAt = (l: string, c: string): string => `${current ? displayPath(current) : '?'}:${l}:${c}`;
  const next = (i: number): { text: string; j: number } => {
    let j = i + 1;
    while (j < plain.length && !(plain[j] as string).trim()) j++;
    return { text: (plain[j] ?? '').trim(), j };
  };
  for (let i = 0; i < plain.length; i++) {
    const l = (plain[i] as string).trim();
    const pf = /^Parsing file (.+?\.tla)(?: \(.*\))?$/.exec(l);
    if (pf) {
      current = pf[1] as string;
      continue;
    }
    let m = /^Lexical error at line (\d+), column (\d+)\.\s*(.*)$/.exec(l);
    if (m) return flat(`${fileAt(m[1] as string, m[2] as string)}: lexical error: ${m[3]}`);
    if (l === '***Parse Error***') {
      const { text } = next(i);
      m = /at line (\d+), column (\d+)/.exec(text);
      return flat(m ? `${fileAt(m[1] as string, m[2] as string)}: parse error: ${text}` : `${current ? displayPath(current) : '?'}: parse error: ${text}`);
    }
    m = /^\*\*\* Errors: (\d+)$/.exec(l);
    if (m) {
      const count = Number(m[1]);
      const loc = next(i);
      const lm = /^line (\d+), col (\d+) to line \d+, col \d+ of module (\S+)$/.exec(loc.text);
      const msg = next(loc.j);
      const more = count > 1 ? ` (and ${count - 1} more error${count > 2 ? 's' : ''})` : '';
      return flat(lm ? `${at(lm[3], lm[1] as string, lm[2])}: ${msg.text}${more}` : `${loc.text} ${msg.text}${more}`);
    }
    if (/^\*\*\* Abort messages: \d+$/.test(l)) {
      const loc = next(i);
      const msg = next(loc.j);
      const mod = /^In module (\S+)$/.exec(loc.text);
      // "Unknown location" (e.g. a module that cannot be found): blame the checked module.
      const file = mod ? moduleFiles.get(mod[1] as string) : specFile;
      return flat(`${file ? `${displayPath(file)}: ` : mod ? `module ${mod[1]}: ` : ''}${msg.text}`);
    }
  }
  return undefined;
}

function lastLines(s: string): string {
  return flat(s.trim().split('\n').slice(-3).join(' '), 300);
}

// ---------------------------------------------------------------------------------------------
// Running TLC

/** How to run TLC. Paths may be relative to the current directory. */
export interface TlcRunOptions {
  /** The .tla module to check, e.g. spec/MCDaxDma.tla. */
  specFile: string;
  /** Its .cfg. */
  configFile: string;
  /** TLC worker threads (-workers); TLC's default is 1. */
  workers?: number | 'auto';
  /** Kill TLC after this many seconds: verdict 'error', error.kind 'timeout'. 0 or absent: no limit. */
  timeoutSeconds?: number;
  /** Ask TLC for `-dumpTrace json` too; its parameter names are merged into the text trace. */
  dumpTrace?: boolean;
  /** Random simulation (-simulate num=N,file=PREFIX -depth D [-seed S]) instead of model checking.
   *  The behaviours TLC writes come back in `simulation.traces`; they are kept at `traceFile`
   *  (an absolute or relative path prefix; TLC appends _<worker>_<n>) when given. */
  simulate?: { num: number; depth: number; seed?: number; traceFile?: string };
  /** More TLC options, passed before the spec file. */
  extraArgs?: string[];
  /** More JVM options, e.g. ['-Xmx4g']. */
  jvmArgs?: string[];
  /** Called for every progress report TLC prints (at start, then about once a minute). */
  onProgress?: (p: Progress) => void;
  /** Called for every line TLC prints outside its messages (Print/PrintT output, SANY). */
  onOutputLine?: (line: string) => void;
  /** Aborting kills TLC: verdict 'error', error.kind 'interrupted'. */
  signal?: AbortSignal;
  /** Check for deadlock (default true); false passes -deadlock. */
  deadlock?: boolean;
  /** Explicit java binary / jar, instead of locating them. */
  java?: string;
  jar?: string;
  /** Where to locate java and the jar (environment, repository root). */
  locate?: LocateOptions;
}

/** A CheckResult with TLC-specific detail. */
export interface TlcCheckResult extends CheckResult {
  counterexample?: TlcCounterexample;
  /** When TLC reports a temporal violation without naming it and the config lists several. */
  propertyCandidates?: string[];
  /** The typed exit status (exitCode holds the number). */
  exit?: TlcExit;
  /** Simulation mode: the behaviours TLC generated, one per trace file, in file order. */
  simulation?: { traces: TraceStep[][]; traceFiles: string[] };
  /** Why TLC's trace could not be read, if it could not (the verdict stands). */
  traceError?: string;
  /** Peak resident memory of the JVM in MB, sampled from /proc every 250 ms (Linux only). */
  peakRssMB?: number;
  /** The per-run temporary directory (metadir, java.io.tmpdir, dumps); already removed. */
  workDir?: string;
}

const KILL_GRACE_MS = 2000;

/** Runs TLC once and reports what it found. Run failures (missing Java or jar, parse or config
 *  errors, timeout, abort, crash) resolve to verdict 'error' with `error` set; only invalid
 *  options reject. Each run has its own temporary directory (metadir, JVM temp dir, dumps), cwd
 *  set there, and it is removed before the promise settles, whatever happened. */
export async function runTlc(options: TlcRunOptions): Promise<TlcCheckResult> {
  const started = performance.now();
  const seconds = (): number => Math.round(performance.now() - started) / 1000;
  const errorResult = (kind: RunErrorKind, message: string): TlcCheckResult => ({ engine: 'tlc', verdict: 'error', distinctStates: 0, seconds: seconds(), error: { kind, message } });

  validate(options);
  let java: string;
  let jar: string;
  try {
    jar = options.jar ?? findTlaToolsJar(options.locate);
    java = options.java ?? findJava(options.locate);
  } catch (e) {
    if (e instanceof TlcLocateError) return errorResult(e.kind, e.message);
    throw e;
  }
  if (options.signal?.aborted) return errorResult('interrupted', 'TLC run interrupted before it started');

  const specFile = path.resolve(options.specFile);
  const configFile = path.resolve(options.configFile);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'dax-tlc-'));
  try {
    const metaDir = path.join(workDir, 'meta');
    const javaTmp = path.join(workDir, 'java-tmp');
    await mkdir(javaTmp);
    const dumpFile = path.join(workDir, 'trace.json');
    let simPrefix: string | undefined;
    if (options.simulate) {
      simPrefix = options.simulate.traceFile ? path.resolve(options.simulate.traceFile) : path.join(workDir, 'sim', 'trace');
      // TLC fails with a general error (255) when the prefix's directory does not exist.
      await mkdir(path.dirname(simPrefix), { recursive: true });
    }

    const args = [
      '-XX:+UseParallelGC',
      // TLC unpacks the standard modules into java.io.tmpdir/tlc-<n> and leaves them there.
      `-Djava.io.tmpdir=${javaTmp}`,
      ...(options.jvmArgs ?? []),
      '-cp', jar, 'tlc2.TLC',
      '-tool',
      // -tool alone already writes no *_TTrace_*.tla, but say so explicitly; cwd is workDir anyway.
      '-noGenerateSpecTE',
      '-metadir', metaDir,
      '-config', configFile,
    ];
    if (options.workers !== undefined) args.push('-workers', String(options.workers));
    if (options.deadlock === false) args.push('-deadlock');
    if (options.dumpTrace) args.push('-dumpTrace', 'json', dumpFile);
    if (options.simulate && simPrefix) {
      const s = options.simulate;
      args.push('-simulate', `num=${s.num},file=${simPrefix}`, '-depth', String(s.depth));
      if (s.seed !== undefined) args.push('-seed', String(s.seed));
    }
    args.push(...(options.extraArgs ?? []), specFile);

    const run = await spawnTlc(java, args, workDir, started, options);
    if (run.spawnError) return { ...errorResult('missing-java', `cannot run ${java}: ${run.spawnError}`), workDir };

    const cfgText = await readFile(configFile, 'utf8').catch(() => undefined);
    let dumpTrace: DumpTrace | undefined;
    if (options.dumpTrace) {
      const raw = await readFile(dumpFile, 'utf8').catch(() => undefined);
      if (raw !== undefined) {
        try {
          dumpTrace = readDumpTrace(JSON.parse(raw));
        } catch {
          // The text trace is still there; a dump TLC cut short is not worth failing the run.
        }
      }
    }
    const moduleFiles = moduleFilesOf(run.parser.plain);
    const sources = new Map<string, string | undefined>();
    await Promise.all(
      [...moduleFiles.values()]
        .filter((f) => !f.startsWith(javaTmp))
        .map(async (f) => sources.set(f, await readFile(f, 'utf8').catch(() => undefined))),
    );
    const sourceNames = sourceParamNames(moduleFiles, (f) => sources.get(f));
    const exit = tlcExit(run.code, run.signal);
    const rec: TlcRunRecord = { messages: run.parser.messages, plain: run.parser.plain, stderr: run.stderr, exit, configFile, specFile, sourceNames };
    if (cfgText !== undefined) rec.cfgText = cfgText;
    if (dumpTrace) rec.dumpTrace = dumpTrace;
    const it = interpretTlcRun(rec);

    const result: TlcCheckResult = { engine: 'tlc', verdict: it.verdict, distinctStates: it.distinctStates, seconds: seconds(), exit, workDir };
    if (run.code !== null) result.exitCode = run.code;
    if (run.peakRssMB !== undefined) result.peakRssMB = run.peakRssMB;
    if (it.statesGenerated !== undefined) result.statesGenerated = it.statesGenerated;
    if (it.depth !== undefined) result.depth = it.depth;
    if (it.engineVersion) result.engineVersion = it.engineVersion;
    if (it.property) result.property = it.property;
    if (it.propertyCandidates) result.propertyCandidates = it.propertyCandidates;
    if (it.counterexample) result.counterexample = it.counterexample;
    if (it.error) result.error = it.error;
    if (it.traceError) result.traceError = it.traceError;

    if (run.stoppedBy) {
      // Our kill, not TLC's verdict: keep the statistics seen so far, drop any half-printed trace.
      const timeout = run.stoppedBy === 'timeout';
      result.verdict = 'error';
      result.error = {
        kind: timeout ? 'timeout' : 'interrupted',
        message: timeout ? `TLC did not finish within ${options.timeoutSeconds}s and was stopped` : 'TLC run interrupted',
      };
      delete result.counterexample;
      delete result.property;
      delete result.traceError;
    }

    if (options.simulate && simPrefix) {
      const traceFiles = await simulationFiles(simPrefix);
      const traces: TraceStep[][] = [];
      for (const f of traceFiles) {
        try {
          traces.push(parseSimulationTrace(await readFile(f, 'utf8'), sourceNames));
        } catch (e) {
          if (!(e instanceof TlaParseError)) throw e;
          // A file TLC was still writing when it was stopped.
          if (!run.stoppedBy) throw e;
        }
      }
      result.simulation = { traces, traceFiles: options.simulate.traceFile ? traceFiles : [] };
    }
    return result;
  } finally {
    await rm(workDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

function validate(o: TlcRunOptions): void {
  if (o.workers !== undefined && o.workers !== 'auto' && !(Number.isInteger(o.workers) && o.workers >= 1)) throw new RangeError(`runTlc: workers must be 'auto' or an integer >= 1, got ${o.workers}`);
  if (o.timeoutSeconds !== undefined && !(o.timeoutSeconds >= 0)) throw new RangeError(`runTlc: timeoutSeconds must be >= 0 (0: no limit), got ${o.timeoutSeconds}`);
  const s = o.simulate;
  if (s) {
    if (!(Number.isInteger(s.num) && s.num >= 1)) throw new RangeError(`runTlc: simulate.num must be an integer >= 1, got ${s.num}`);
    if (!(Number.isInteger(s.depth) && s.depth >= 1)) throw new RangeError(`runTlc: simulate.depth must be an integer >= 1, got ${s.depth}`);
    if (s.seed !== undefined && !Number.isInteger(s.seed)) throw new RangeError(`runTlc: simulate.seed must be an integer, got ${s.seed}`);
    // TLC splits the -simulate argument on commas.
    if (s.traceFile !== undefined && /[,=]/.test(path.resolve(s.traceFile))) throw new RangeError(`runTlc: simulate.traceFile must not contain ',' or '=': ${s.traceFile}`);
  }
}

/** Trace files TLC -simulate wrote for a prefix: PREFIX_<worker>_<n>, by worker then n. */
async function simulationFiles(prefix: string): Promise<string[]> {
  const dir = path.dirname(prefix);
  const base = path.basename(prefix);
  const names = await readdir(dir).catch(() => [] as string[]);
  const found: { file: string; w: number; n: number }[] = [];
  for (const name of names) {
    if (!name.startsWith(`${base}_`)) continue;
    const m = /^_(\d+)_(\d+)$/.exec(name.slice(base.length));
    if (m) found.push({ file: path.join(dir, name), w: Number(m[1]), n: Number(m[2]) });
  }
  return found.sort((a, b) => a.w - b.w || a.n - b.n).map((f) => f.file);
}

interface SpawnOutcome {
  parser: TlcOutputParser;
  stderr: string;
  code: number | null;
  signal: string | null;
  stoppedBy?: 'timeout' | 'abort';
  spawnError?: string;
  /** Peak resident memory of the JVM (VmHWM), where /proc shows it. */
  peakRssMB?: number;
}

/** The peak resident set size of a process in MB, from /proc (Linux); undefined elsewhere. */
function readPeakRssMB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

function spawnTlc(java: string, args: string[], cwd: string, started: number, o: TlcRunOptions): Promise<SpawnOutcome> {
  return new Promise((resolve) => {
    const parser = new TlcOutputParser((m) => {
      if (!o.onProgress || (m.code !== TLC_MSG.PROGRESS_STATS && m.code !== TLC_MSG.PROGRESS_SIMU)) return;
      const p = parseProgress(m.body, Math.round(performance.now() - started) / 1000);
      if (p) o.onProgress(p);
    }, o.onOutputLine);
    // Own process group (POSIX), so a timeout or abort can signal TLC and anything it started.
    const child = spawn(java, args, { cwd, shell: false, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stoppedBy: SpawnOutcome['stoppedBy'];
    let killTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let settled = false;
    // VmHWM is only readable while the process lives, so sample it until it exits.
    let peakRssMB: number | undefined;
    const sampleRss = (): void => {
      const v = readPeakRssMB(child.pid);
      if (v !== undefined) peakRssMB = Math.max(peakRssMB ?? 0, v);
    };
    const rssTimer = setInterval(sampleRss, 250);

    const signalTree = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        if (process.platform !== 'win32') process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        child.kill(sig);
      }
    };
    const stop = (why: 'timeout' | 'abort'): void => {
      if (stoppedBy) return;
      stoppedBy = why;
      signalTree('SIGTERM');
      killTimer = setTimeout(() => signalTree('SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = (): void => stop('abort');
    // 0 means no limit; so does anything beyond setTimeout's range (which would fire at once).
    const limitMs = (o.timeoutSeconds ?? 0) * 1000;
    if (limitMs > 0 && limitMs <= 2_147_483_647) timeoutTimer = setTimeout(() => stop('timeout'), limitMs);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    // An abort between the caller's check and the listener above would otherwise be lost.
    if (o.signal?.aborted) stop('abort');

    const finish = (outcome: Omit<SpawnOutcome, 'parser' | 'stderr'>): void => {
      if (settled) return;
      settled = true;
      clearInterval(rssTimer);
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      o.signal?.removeEventListener('abort', onAbort);
      parser.end();
      const r: SpawnOutcome = { parser, stderr, ...outcome };
      if (stoppedBy) r.stoppedBy = stoppedBy;
      if (peakRssMB !== undefined) r.peakRssMB = peakRssMB;
      resolve(r);
    };

    child.stdout.setEncoding('utf8').on('data', (d: string) => parser.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.length > 65_536) stderr = stderr.slice(-32_768);
    });
    child.on('error', (e) => finish({ code: null, signal: null, spawnError: e.message }));
    child.on('exit', sampleRss);
    child.on('close', (code, signal) => finish({ code, signal }));
  });
}

/**
 * Runs TLC synchronously in `dir` (its cwd and java.io.tmpdir, so metadir and outputs land there)
 * with `tlcArgs` after `tlc2.TLC`, for tools that want TLC's files as they are (a -dump, a
 * -dumpTrace, stdout) rather than a CheckResult: the state-graph oracle and the fixture recorder.
 * Status is null when TLC could not run or timed out. @throws TlcLocateError without java or jar.
 */
export function runTlcInDir(dir: string, tlcArgs: string[], timeoutMs: number, locate: LocateOptions = {}): { status: number | null; stdout: string; error?: string } {
  const p = spawnSync(findJava(locate), ['-XX:+UseParallelGC', `-Djava.io.tmpdir=${dir}`, '-cp', findTlaToolsJar(locate), 'tlc2.TLC', ...tlcArgs], {
    cwd: dir,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
    shell: false,
  });
  const error = p.error ? (p.error.message.includes('ETIMEDOUT') ? `timed out after ${timeoutMs} ms` : p.error.message) : undefined;
  return { status: p.error ? null : p.status, stdout: p.stdout ?? '', ...(error ? { error } : {}) };
}
