// Interprets one finished TLC run: its -tool messages, plain output and exit code become a
// verdict, the violated property, a one-line error (file:line:col where TLC or SANY gives one),
// statistics and the counterexample. Plain data in, plain data out: testable without Java.
import path from 'node:path';
import type { RunError, RunErrorKind, Verdict } from '../result/check-result.ts';
import { oneLine } from '../report/one-line.ts';
import { cfgTemporalProperties } from '../tla/cfg.ts';
import type { TlcExit } from './exit.ts';
import { TLC_MSG, TLC_MSG_CLASS, type TlcMessage, allMessages, messageText, parseProgress, tlcInt } from './messages.ts';
import type { ParamNameResolver } from './trace-grammar.ts';
import { type DumpTrace, type TlcCounterexample, TraceReadError, dumpTraceNames, stepsFromDumpTrace, traceFromMessages } from './traces.ts';

/** An error message as one line; TLC's exception texts run longer than a trace reader's. */
const errorLine = (s: string): string => oneLine(s, 400);

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
const CRASH_CODES = new Set([
  1001, 1002, 1003, 1005, 1101, 1102, 2124, 2125, 2126, 2127, 2128, 2129, 2134, 2135, 2137, 2138, 2160, 2161, 2162, 2163, 2174, 2175, 2254,
  2270,
]);
/** Messages that frame a trace or an error rather than being one. */
const CONTEXT_CODES = new Set<number>([
  TLC_MSG.BEHAVIOR_UP_TO_THIS_POINT,
  TLC_MSG.COUNTER_EXAMPLE,
  TLC_MSG.NESTED_EXPRESSION,
  TLC_MSG.STATE_PRINT1,
  TLC_MSG.STATE_PRINT2,
  TLC_MSG.STATE_PRINT3,
  TLC_MSG.BACK_TO_STATE,
]);

/** Derives verdict, property, error, counterexample and statistics from one finished TLC run. */
export function interpretTlcRun(rec: TlcRunRecord): TlcInterpretation {
  const all = allMessages(rec.messages);
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
    out.statesGenerated = tlcInt(sm[1] as string);
    out.distinctStates = tlcInt(sm[2] as string);
  } else if (simStats) {
    const g = /states generated: ([\d,]+)/.exec(simStats.body);
    if (g) out.statesGenerated = tlcInt(g[1] as string);
  } else if (pg) {
    out.statesGenerated = pg.generated;
    out.distinctStates = pg.distinct;
  } else if (init) {
    const d = /([\d,]+) distinct states? generated/.exec(init.body);
    if (d) out.distinctStates = tlcInt(d[1] as string);
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

  // TLC does not name a temporal violation: one PROPERTY in the cfg is it, several are candidates.
  const nameFromCfg = (): void => {
    const candidates = cfgTemporalProperties(rec.cfgText ?? '');
    if (candidates.length === 1) out.property = candidates[0] as string;
    else if (candidates.length > 1) out.propertyCandidates = candidates;
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
      // An instantiated spec's [][A]_v (a refinement's PROPERTY Abs!Spec) is named by its
      // location ("Action property line 54, col 26 to ... of module RefineDaxDma"): name it
      // from the cfg, as a temporal violation is.
      if (m && !/^line$/.test(m[1] as string)) out.property = m[1] as string;
      else nameFromCfg();
    } else if (c === TLC_MSG.TEMPORAL_PROPERTY_VIOLATED) {
      out.verdict = 'property';
      nameFromCfg();
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
  if (rec.exit.meaning === 'parse-error' || (sany && rec.exit.code !== 0))
    return fail('parse', sany ?? `TLC could not parse the spec (exit ${rec.exit.code})`);
  if (rec.exit.meaning === 'success') {
    out.verdict = 'holds';
    return out;
  }
  const tail = lastLines(rec.stderr) || lastLines(rec.plain.join('\n'));
  return fail('crash', errorLine(`TLC exited with ${rec.exit.code ?? rec.exit.signal} (${rec.exit.meaning})${tail ? `: ${tail}` : ''}`));
}

function classifyError(
  m: TlcMessage,
  all: TlcMessage[],
  rec: TlcRunRecord,
  at: (module: string | undefined, line: string, col?: string) => string,
): [RunErrorKind, string] {
  const c = m.code;
  const nestedCodes = allMessages(m.nested).map((n) => n.code);
  const text = cleanGeneral(messageText(m));
  if (PARSE_CODES.has(c)) {
    const sany = sanyError(rec.plain, moduleFilesOf(rec.plain), at, rec.specFile);
    return ['parse', sany ?? (text || 'TLC could not parse the spec')];
  }
  if (CONFIG_CODE(c) || nestedCodes.some(CONFIG_CODE) || /ConfigFileException/.test(m.body)) {
    const cfg = displayPath(rec.configFile);
    const line = /configuration file at line (\d+)/.exec(text);
    const msg = text
      .replace(/^TLC found an error in the configuration file at line \d+\s*/, '')
      .replace(/^TLC encountered the following error when trying to read the configuration file \S+:\s*/, '');
    return ['config', `${cfg}${line ? `:${line[1]}` : ''}: ${msg}`];
  }
  if (CRASH_CODES.has(c) || /OutOfMemoryError|StackOverflowError/.test(m.body)) return ['crash', text || `TLC failed (message ${c})`];
  // Evaluation errors: place them at the innermost expression TLC names, else at a location in the text.
  const nested = all.find((x) => x.code === TLC_MSG.NESTED_EXPRESSION);
  const positions = nested ? [...nested.body.matchAll(/Line (\d+), column (\d+) to line \d+, column \d+ in (\S+)/g)] : [];
  const inner = positions[positions.length - 1];
  const inText = /line (\d+), col (\d+) to line \d+, col \d+ of module (\S+)/.exec(text);
  const where = inner ? at(inner[3], inner[1] as string, inner[2]) : inText ? at(inText[3], inText[1] as string, inText[2]) : undefined;
  const generalCrash =
    c === TLC_MSG.GENERAL &&
    !/error in the spec or model/.test(m.body) &&
    !['failure-spec-eval', 'failure-safety-eval', 'failure-liveness-eval'].includes(rec.exit.meaning);
  return [generalCrash ? 'crash' : 'eval', where ? `${where}: ${text}` : text || `TLC failed (message ${c})`];
}

/** Drops the boilerplate of TLC's general error (1000) around the actual exception text. */
function cleanGeneral(s: string): string {
  return errorLine(
    s
      .replace('TLC threw an unexpected exception.', '')
      .replace('This was probably caused by an error in the spec or model.', '')
      .replace('See the User Output or TLC Console for clues to what happened.', '')
      .replace(/The exception was a [\w.$]+ :?/, '')
      .replace(/^\s*:\s*/, ''),
  );
}

/** SANY's "Parsing file /path/M.tla" line, before each module it reads. */
const PARSING_FILE = /^Parsing file (.+?\.tla)(?: \(.*\))?$/;

/** Module name → file, from SANY's "Parsing file /path/M.tla" lines (standard modules included). */
export function moduleFilesOf(plain: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const l of plain) {
    const m = PARSING_FILE.exec(l);
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
    const pf = PARSING_FILE.exec(l);
    if (pf) {
      current = pf[1] as string;
      continue;
    }
    let m = /^Lexical error at line (\d+), column (\d+)\.\s*(.*)$/.exec(l);
    if (m) return errorLine(`${fileAt(m[1] as string, m[2] as string)}: lexical error: ${m[3]}`);
    if (l === '***Parse Error***') {
      const { text } = next(i);
      m = /at line (\d+), column (\d+)/.exec(text);
      return errorLine(
        m
          ? `${fileAt(m[1] as string, m[2] as string)}: parse error: ${text}`
          : `${current ? displayPath(current) : '?'}: parse error: ${text}`,
      );
    }
    m = /^\*\*\* Errors: (\d+)$/.exec(l);
    if (m) {
      const count = Number(m[1]);
      const loc = next(i);
      const lm = /^line (\d+), col (\d+) to line \d+, col \d+ of module (\S+)$/.exec(loc.text);
      const msg = next(loc.j);
      const more = count > 1 ? ` (and ${count - 1} more error${count > 2 ? 's' : ''})` : '';
      return errorLine(lm ? `${at(lm[3], lm[1] as string, lm[2])}: ${msg.text}${more}` : `${loc.text} ${msg.text}${more}`);
    }
    if (/^\*\*\* Abort messages: \d+$/.test(l)) {
      const loc = next(i);
      const msg = next(loc.j);
      const mod = /^In module (\S+)$/.exec(loc.text);
      // "Unknown location" (e.g. a module that cannot be found): blame the checked module.
      const file = mod ? moduleFiles.get(mod[1] as string) : specFile;
      return errorLine(`${file ? `${displayPath(file)}: ` : mod ? `module ${mod[1]}: ` : ''}${msg.text}`);
    }
  }
  return undefined;
}

function lastLines(s: string): string {
  return oneLine(s.trim().split('\n').slice(-3).join(' '), 300);
}
