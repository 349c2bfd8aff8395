// Reader for TLC's `-dumpTrace json FILE` (TLC 2.20): the error trace as JSON, with each
// transition's action name and parameters. Stands for tlc2.tool.TLCTrace's JSON dumper
// (tlc2.util.JsonUtils / the "-dumpTrace json" option).
//
// Shape (verified on TLC 2.20 rev bacd9d2):
//   {"state":  [[1, {"var": value, ...}], [2, {...}], ...],
//    "action": [[[1, {...}], {"name": "GupFastReadPte", "location": {"beginLine": 216, ...,
//                "module": "DaxDma"}, "context": {"u": "u1", "f": "f1", "o": 0},
//                "parameters": ["u", "f", "o"]}, [2, {...}]], ...]}
// The value encoding loses types: sets and sequences are both arrays, model values are strings,
// function keys are strings ("f1", "0"). The schema's shapes restore them (shape.ts retype).
// A lasso's last transition goes back to an earlier state; stuttering is a self-loop on the last
// state, which TLC 2.20 names after the previous action (e.g. "DmaComplete", 16 -> 16).
import type { TraceStep } from '../../lib/result/check-result.ts';
import { readDumpTrace, stepsFromDumpTrace, type DumpTrace, type TlcCounterexample } from '../../lib/tlc/index.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { checkAction, checkTrace } from './schema.ts';
import { retype } from './shape.ts';
import { parseJson } from './json-input.ts';
import { type ReadOptions, type SpecTrace, TraceFormatError, excerpt } from './spec-trace.ts';

/** Reads a -dumpTrace json file. @throws TraceFormatError */
export function readTlcDumpTrace(text: string, opts: ReadOptions): SpecTrace {
  const { source, schema } = opts;
  const doc = parseJson(text, source);
  let dt: DumpTrace;
  let cx: TlcCounterexample;
  try {
    dt = readDumpTrace(doc);
    checkDumpShape(doc, source);
    cx = stepsFromDumpTrace(dt);
  } catch (e) {
    if (e instanceof TraceFormatError) throw e;
    // readDumpTrace / dumpTraceValueToCanonical throw plain Errors on shapes TLC does not write;
    // a RangeError is a value nested deeper than the stack.
    if (e instanceof RangeError) throw new TraceFormatError({ source }, 'values nested too deeply');
    if (e instanceof Error) throw new TraceFormatError({ source }, e.message);
    throw e;
  }
  const names = new Set(schema.modelValues ?? []);
  const steps: TraceStep[] = cx.steps.map((s, i) => {
    const index = i + 1;
    if (s.index !== index) throw new TraceFormatError({ source, step: index }, `states out of order: found state ${s.index}`);
    const state: TlaState = {};
    for (const k of Object.keys(s.state)) {
      try {
        state[k] = retype(s.state[k] as TlaValue, schema.shapes?.[k] ?? { kind: 'unknown' }, names);
      } catch (e) {
        if (e instanceof RangeError) throw new TraceFormatError({ source, step: index, variable: k }, 'value nested too deeply');
        throw e;
      }
    }
    const step: TraceStep = { index, action: index === 1 ? 'Init' : s.action, state };
    if (s.params && index > 1) {
      const params: Record<string, TlaValue> = {};
      for (const [k, v] of Object.entries(s.params)) params[k] = retype(v as TlaValue, { kind: 'unknown' }, names);
      step.params = params;
    }
    return step;
  });
  const trace: SpecTrace = { source, format: 'tlc-dump-json', steps };
  for (const t of dt.transitions) {
    if (t.to === t.from + 1) continue;
    if (t.from !== steps.length)
      throw new TraceFormatError({ source, step: t.from }, `transition ${t.from} -> ${t.to} is neither the next step nor the closing one`);
    // A self-loop is a stuttering step whatever TLC names it; an earlier target closes a lasso.
    trace.ending = t.to === t.from ? 'stuttering' : 'loop';
    trace.loopsBackTo = t.to;
    if (trace.ending === 'loop') {
      trace.loopAction = { action: t.name };
      if (t.context && Object.keys(t.context).length)
        trace.loopAction.params = Object.fromEntries(
          Object.entries(cx.loopAction?.params ?? {}).map(([k, v]) => [k, retype(v as TlaValue, { kind: 'unknown' }, names)]),
        );
      checkAction(
        { index: steps.length + 1, action: t.name, state: {}, ...(trace.loopAction.params ? { params: trace.loopAction.params } : {}) },
        schema,
        source,
      );
    }
  }
  return checkTrace(trace, schema);
}

/** What readDumpTrace lets through but a trace cannot have: a non-object state, non-integer
 *  indices, transitions between states that are not in the trace. */
function checkDumpShape(doc: unknown, source: string): void {
  const d = doc as { state: unknown[]; action?: unknown };
  d.state.forEach((e, i) => {
    const [index, state] = e as [unknown, unknown];
    if (!Number.isInteger(index)) throw new TraceFormatError({ source, step: i + 1 }, `state index ${excerpt(index)} is not an integer`);
    if (!state || typeof state !== 'object' || Array.isArray(state))
      throw new TraceFormatError({ source, step: i + 1 }, 'a state must be an object of variables');
  });
  if (d.action !== undefined && !Array.isArray(d.action)) throw new TraceFormatError({ source }, '"action" must be an array');
  for (const a of (d.action as unknown[] | undefined) ?? []) {
    const [from, act, to] = a as [unknown[], { name?: unknown; context?: unknown }, unknown[]];
    for (const end of [from[0], to[0]]) {
      if (!Number.isInteger(end) || (end as number) < 1 || (end as number) > d.state.length) {
        throw new TraceFormatError({ source }, `transition names state ${excerpt(end)}, which is not in the trace`);
      }
    }
    if (typeof act.name !== 'string' || !act.name)
      throw new TraceFormatError({ source, step: to[0] as number }, 'transition without an action name');
    if (act.context !== undefined && (!act.context || typeof act.context !== 'object' || Array.isArray(act.context))) {
      throw new TraceFormatError({ source, step: to[0] as number }, 'action "context" must be an object of parameters');
    }
  }
}
