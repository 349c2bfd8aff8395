// Reader for TLC's printed error traces: TLC's stdout as a person sees it, the same with -tool's
// @!@!@STARTMSG markers, or just the trace copied out of either. Stands for tlc2.output's
// MP.printState / ErrorTraceMessagePrinterRecorder output (messages 2121, 2217, 2218, 2122).
//
// Plain stdout (TLC 2.20):                        With -tool, each state is one message:
//   Error: The behavior up to this point is:        @!@!@STARTMSG 2217:4 @!@!@
//   State 1: <Initial predicate>                    1: <Initial predicate>
//   /\ x = 0                                        /\ x = 0
//                                                   @!@!@ENDMSG 2217 @!@!@
//   State 2: <Go(p1,1) line 9, col 13 to ...>
//   /\ x = 1
//
//   State 3: Stuttering              (2218: "3: Stuttering")
//   Back to state 1: <Back(p1) ...>  (2122: "1: Back to state: <Back(p1) ...>")
//
// An invariant violated by an initial state prints that state after "...violated by the
// initial state:" (2107). Only the first trace is read (TLC -continue prints more).
import type { TraceStep } from '../../lib/result/check-result.ts';
import { TLC_MSG, type TlcMessage, errorTraceParts, parseTlcOutput } from '../../lib/tlc/index.ts';
import { checkAction, checkTrace } from './schema.ts';
import { type ReadOptions, type SpecTrace, TraceFormatError } from './spec-trace.ts';
import { namedParams, readHeader, readState } from './tlc-common.ts';

/** Reads the first error trace in TLC's output. @throws TraceFormatError */
export function readTlcText(text: string, opts: ReadOptions): SpecTrace {
  const output = parseTlcOutput(text);
  const { started, ended } = output.markers;
  if (started === 0) return fromPlain(text, opts);
  if (ended !== started)
    throw new TraceFormatError({ source: opts.source }, `truncated -tool output: ${started} messages started, ${ended} ended`);
  const trace = fromMessages(output.messages, opts);
  // TLC follows a trace with more messages (statistics, "Finished in"); none after the last
  // state means the output was cut off between two messages.
  const last = output.messages.length - 1;
  if (trace.ending === undefined && last >= 0 && TRACE_MESSAGES.has((output.messages[last] as TlcMessage).code)) {
    throw new TraceFormatError(
      { source: opts.source, step: trace.steps.length },
      'truncated -tool output: no message after this state, where TLC prints the end of the trace',
    );
  }
  return trace;
}

const TRACE_MESSAGES: ReadonlySet<number> = new Set([
  TLC_MSG.STATE_PRINT1,
  TLC_MSG.STATE_PRINT2,
  TLC_MSG.STATE_PRINT3,
  TLC_MSG.BACK_TO_STATE,
  TLC_MSG.BEHAVIOR_UP_TO_THIS_POINT,
]);

interface Collected {
  steps: TraceStep[];
  loopsBackTo?: number;
  ending?: 'stuttering' | 'loop';
  loopAction?: SpecTrace['loopAction'];
}

function finish(c: Collected, opts: ReadOptions): SpecTrace {
  if (c.steps.length === 0) throw new TraceFormatError({ source: opts.source }, 'no error trace in this TLC output');
  const t: SpecTrace = { source: opts.source, format: 'tlc-text', steps: c.steps };
  if (c.ending) t.ending = c.ending;
  if (c.loopsBackTo !== undefined) t.loopsBackTo = c.loopsBackTo;
  if (c.loopAction) t.loopAction = c.loopAction;
  return checkTrace(t, opts.schema);
}

function addStep(c: Collected, index: number, headerText: string, body: string, opts: ReadOptions): void {
  const expected = c.steps.length + 1;
  if (index !== expected) throw new TraceFormatError({ source: opts.source, step: expected }, `states out of order: found state ${index}`);
  const header = readHeader(headerText, opts.source, index);
  const state = readState(body, opts.source, index);
  const { action, params } = namedParams(header, opts.schema, opts.source, index);
  const step: TraceStep = { index, action, state };
  if (params) step.params = params;
  c.steps.push(step);
}

function loopBack(c: Collected, to: number, headerText: string, opts: ReadOptions): void {
  if (!(to >= 1 && to <= c.steps.length))
    throw new TraceFormatError({ source: opts.source }, `loops back to state ${to}, which is not in the trace`);
  c.loopsBackTo = to;
  c.ending = 'loop';
  const step = c.steps.length + 1;
  const { action, params } = namedParams(readHeader(headerText, opts.source, step), opts.schema, opts.source, step);
  checkAction({ index: step, action, state: {}, ...(params ? { params } : {}) }, opts.schema, opts.source);
  c.loopAction = params ? { action, params } : { action };
}

function stutter(c: Collected, index: number, opts: ReadOptions): void {
  if (index !== c.steps.length + 1)
    throw new TraceFormatError({ source: opts.source, step: index }, `stuttering after state ${c.steps.length}, numbered ${index}`);
  c.ending = 'stuttering';
  c.loopsBackTo = c.steps.length;
}

// TLC announces a trace with one of these lines, and always prints more after it (statistics,
// "Finished in"): announced output that stops right after a state block was cut off there.
const ANNOUNCED = /^(?:Error: The behavior up to this point is:|.*violated by the initial state:)\s*$/m;

function fromPlain(text: string, opts: ReadOptions): SpecTrace {
  const lines = text.split(/\r?\n/);
  const c: Collected = { steps: [] };
  // Where the last state block ends, while the trace may still go on (a stuttering, "Back to
  // state" or second "State 1" line ends it for sure).
  let openAt: number | undefined;
  // The block of a state: the lines after its header up to the first blank line.
  const block = (from: number): { body: string; next: number } => {
    let j = from;
    while (j < lines.length && (lines[j] as string).trim()) j++;
    return { body: lines.slice(from, j).join('\n'), next: j };
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const init = /violated by the initial state:\s*$/.exec(line);
    if (init && c.steps.length === 0) {
      const { body } = block(i + 1);
      const { next } = block(i + 1);
      addStep(c, 1, '<Initial predicate>', body, opts);
      openAt = next;
      break;
    }
    const sm = /^State (\d+): (.*)$/.exec(line);
    if (sm) {
      const index = Number(sm[1]);
      // A second "State 1" starts another trace (-continue): the first one is complete.
      if (index === 1 && c.steps.length > 0) {
        openAt = undefined;
        break;
      }
      if ((sm[2] as string).trim() === 'Stuttering') {
        stutter(c, index, opts);
        openAt = undefined;
        break;
      }
      const { body, next } = block(i + 1);
      addStep(c, index, sm[2] as string, body, opts);
      i = openAt = next;
      continue;
    }
    const bm = /^Back to state (\d+): (.*)$/.exec(line);
    if (bm && c.steps.length > 0) {
      loopBack(c, Number(bm[1]), bm[2] as string, opts);
      openAt = undefined;
      break;
    }
  }
  if (openAt !== undefined && ANNOUNCED.test(text) && !lines.slice(openAt).some((l) => l.trim())) {
    throw new TraceFormatError(
      { source: opts.source, step: c.steps.length },
      'truncated: the output stops after this state, before the lines TLC prints at the end of a trace',
    );
  }
  return finish(c, opts);
}

function fromMessages(messages: TlcMessage[], opts: ReadOptions): SpecTrace {
  const c: Collected = { steps: [] };
  for (const part of errorTraceParts(messages)) {
    if (part.kind === 'state') addStep(c, part.index, part.header, part.body, opts);
    else if (part.kind === 'unreadable-state')
      throw new TraceFormatError(
        { source: opts.source, step: c.steps.length + 1 },
        `state message ${part.code} does not start with "N: <action>"`,
      );
    else if (c.steps.length === 0) break;
    else if (part.kind === 'stuttering') stutter(c, part.index ?? c.steps.length + 1, opts);
    else if (part.kind === 'back') loopBack(c, part.index, part.header, opts);
    else throw new TraceFormatError({ source: opts.source }, 'cannot read the "Back to state" message');
  }
  return finish(c, opts);
}
