// TLC's -tool message protocol: the @!@!@STARTMSG code:class @!@!@ ... @!@!@ENDMSG code @!@!@
// blocks TLC prints in -tool mode (tlc2.output.MP), their codes (tlc2.output.EC) and classes.
import type { Progress } from '../result/check-result.ts';
import { oneLine } from '../report/one-line.ts';

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
  /** STARTMSG and ENDMSG markers seen: unequal in output cut off mid-message. */
  readonly markers = { started: 0, ended: 0 };
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
      if (m[1] !== undefined) this.markers.started++;
      else this.markers.ended++;
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
export function parseTlcOutput(text: string): { messages: TlcMessage[]; plain: string[]; markers: { started: number; ended: number } } {
  const p = new TlcOutputParser();
  p.push(text);
  p.end();
  return { messages: p.messages, plain: p.plain, markers: p.markers };
}

/** Every message with the messages nested in it, depth first. */
export function allMessages(ms: TlcMessage[]): TlcMessage[] {
  return ms.flatMap((m) => [m, ...allMessages(m.nested)]);
}

/** A message's text with its nested messages' text, as one line of at most 400 characters. */
export function messageText(m: TlcMessage): string {
  return oneLine([m.body, ...m.nested.map(messageText)].join(' '), 400);
}

/** A number as TLC prints it, with thousands separators. */
export const tlcInt = (s: string): number => Number(s.replace(/,/g, ''));

/** Reads a progress message (2200 model checking, 2209 simulation). Simulation reports -1 for
 *  distinct states and queue, which become 0 (unknown). */
export function parseProgress(body: string, seconds: number): Progress | null {
  const m = /(-?[\d,]+) states generated.*?(-?[\d,]+) distinct states found.*?(-?[\d,]+) states left on queue/s.exec(body);
  if (!m) return null;
  return {
    generated: Math.max(0, tlcInt(m[1] as string)),
    distinct: Math.max(0, tlcInt(m[2] as string)),
    queue: Math.max(0, tlcInt(m[3] as string)),
    seconds,
  };
}
