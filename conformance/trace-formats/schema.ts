// What a trace of the spec must look like: its variables, its actions with their parameters,
// the model values of the config and the shape of each variable's value; and the check of a
// trace against it. Stands for what TLC's -dumpTrace / Apalache's ITF loader take from the spec.
import { readFileSync } from 'node:fs';
import type { TraceStep } from '../../lib/result/check-result.ts';
import { parseCfg } from '../../lib/tla/cfg.ts';
import { Explorer } from '../../lib/embedded/explorer.ts';
import { flattenModule } from '../../lib/tla/flatten.ts';
import { TlaParseError, parseTlaValue } from '../../lib/values/tlc-text.ts';
import type { TlaRecord, TlaState, TlaValue } from '../../lib/values/value.ts';
import { type Shape, inferShapes, shapeMismatch, tagOf } from './shape.ts';
import { type SpecAction, initAndNext, nextActions, specVariables } from '../../lib/tla/spec-actions.ts';
import { type SpecTrace, TraceFormatError, excerpt } from './spec-trace.ts';

/** What a trace of one spec under one config may contain. Readers check every step against it. */
export interface TraceSchema {
  /** The spec's variables; every state has exactly these. */
  variables: string[];
  /** The spec's actions (the leaves of Next) with their parameter names. */
  actions: SpecAction[];
  /** The config's model values; when given, any other model value is an error. */
  modelValues?: string[];
  /** Per-variable value shapes; when given, values are checked against them (and lossy
   *  encodings such as -dumpTrace json are restored with them). */
  shapes?: Record<string, Shape>;
}

/** Where to read a schema from. */
export interface SchemaSource {
  /** The module TLC checks, e.g. spec/MCDaxDma.tla (EXTENDS are read from its folder). */
  specFile: string;
  /** The config, e.g. spec/models/smoke.cfg: its model values and the shapes of its initial states. */
  configFile: string;
  /** Infer value shapes from the initial states, computed by the embedded engine (default true). */
  shapes?: boolean;
}

/**
 * Reads the spec's variables (VARIABLES declarations), actions (Next's tree of \/ and \E, see
 * lib/tla/spec-actions.ts), the config's model values and, unless `shapes: false`, the
 * value shapes of its initial states (one explore_init call of the embedded engine, ~0.1 s).
 * @throws FlattenError, ModelConfigError, SpecActionsError or ExplorerError when the spec or
 * config cannot be read.
 */
export function loadTraceSchema(src: SchemaSource): TraceSchema {
  const flat = flattenModule(src.specFile);
  const cfg = parseCfg(readFileSync(src.configFile, 'utf8'));
  const { next } = initAndNext(flat.source, cfg);
  const schema: TraceSchema = {
    variables: specVariables(flat.source),
    actions: nextActions(flat.source, next).actions,
    modelValues: cfgModelValues(cfg.constants.map((c) => c.value ?? '')),
  };
  if (src.shapes !== false) schema.shapes = inferShapes(new Explorer(src.specFile, src.configFile).initStates());
  return schema;
}

/** The model values named in a cfg's constant values (`Files = {f1, f2}`, `None = None`). */
function cfgModelValues(values: string[]): string[] {
  const out = new Set<string>();
  for (const text of values) {
    try {
      for (const m of modelValuesIn(parseTlaValue(text))) out.add(m);
    } catch (e) {
      if (!(e instanceof TlaParseError)) throw e;
    }
  }
  return [...out].sort();
}

/** Every model value name occurring in a canonical value. */
function modelValuesIn(v: TlaValue, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => modelValuesIn(x, out));
  else if (typeof v === 'object' && v !== null) {
    const tag = tagOf(v);
    if (tag === '#model') out.add((v as { '#model': string })['#model']);
    else if (tag === '#set') (v as { '#set': TlaValue[] })['#set'].forEach((x) => modelValuesIn(x, out));
    else if (tag === '#map')
      (v as { '#map': [TlaValue, TlaValue][] })['#map'].forEach(([k, x]) => (modelValuesIn(k, out), modelValuesIn(x, out)));
    else if (tag === undefined) Object.values(v as TlaRecord).forEach((x) => modelValuesIn(x, out));
  }
  return out;
}

/** Checks one state: exactly the spec's variables, known model values, values of the right shape.
 *  @throws TraceFormatError naming the state and the variable. */
function checkState(state: TlaState, schema: TraceSchema, source: string, step: number): void {
  const keys = Object.keys(state);
  const missing = schema.variables.filter((v) => !keys.includes(v));
  if (missing.length)
    throw new TraceFormatError(
      { source, step, variable: missing[0] as string },
      `missing${missing.length > 1 ? ` (and ${missing.slice(1).join(', ')})` : ''}`,
    );
  const extra = keys.filter((k) => !schema.variables.includes(k));
  if (extra.length) throw new TraceFormatError({ source, step, variable: extra[0] as string }, 'not a variable of the spec');
  for (const v of schema.variables) checkValue(state[v] as TlaValue, schema, { source, step, variable: v }, schema.shapes?.[v]);
}

function checkValue(
  value: TlaValue,
  schema: TraceSchema,
  where: { source: string; step: number; variable: string },
  shape: Shape | undefined,
): void {
  if (schema.modelValues) {
    const unknown = [...modelValuesIn(value)].filter((m) => !(schema.modelValues as string[]).includes(m));
    if (unknown.length)
      throw new TraceFormatError(where, `unknown model value ${unknown[0]} (the config's are ${schema.modelValues.join(', ') || 'none'})`);
  }
  if (shape) {
    const m = shapeMismatch(value, shape);
    if (m) throw new TraceFormatError(where, `wrong type: ${m}`);
  }
}

/** Checks a step's action and parameters: "Init" (or null) first, then actions of the spec, with
 *  exactly their parameters. @throws TraceFormatError */
export function checkAction(step: TraceStep, schema: TraceSchema, source: string): void {
  const where = { source, step: step.index };
  if (step.index === 1) {
    if (step.action !== null && step.action !== 'Init')
      throw new TraceFormatError(where, `the first state must come from Init, not ${step.action}`);
    if (step.params && Object.keys(step.params).length) throw new TraceFormatError(where, 'the initial state has no action parameters');
    return;
  }
  if (step.action === null) {
    if (step.params && Object.keys(step.params).length) throw new TraceFormatError(where, 'action parameters without an action name');
    return;
  }
  const action = schema.actions.find((a) => a.name === step.action);
  if (!action) throw new TraceFormatError(where, `unknown action ${excerpt(step.action)}: not an action of the spec's Next`);
  if (!step.params) return;
  for (const p of Object.keys(step.params)) {
    if (!action.params.includes(p))
      throw new TraceFormatError(
        { ...where, variable: `param ${p}` },
        `${action.name} has no parameter ${p} (its parameters: ${action.params.join(', ') || 'none'})`,
      );
  }
  for (const p of action.params) {
    if (!(p in step.params)) throw new TraceFormatError({ ...where, variable: `param ${p}` }, `missing parameter of ${action.name}`);
    checkValue(step.params[p] as TlaValue, schema, { ...where, variable: `param ${p}` }, undefined);
  }
}

/** Checks every step of a trace against the schema and that steps are numbered 1, 2, ...; puts
 *  each state's variables in name order, as normalizeState does, so that states compare by key.
 *  @throws TraceFormatError on the first problem. */
export function checkTrace(trace: SpecTrace, schema: TraceSchema): SpecTrace {
  if (trace.steps.length === 0) throw new TraceFormatError({ source: trace.source }, 'no states');
  trace.steps.forEach((s, i) => {
    if (s.index !== i + 1) throw new TraceFormatError({ source: trace.source, step: i + 1 }, `states out of order: found state ${s.index}`);
    checkState(s.state, schema, trace.source, s.index);
    checkAction(s, schema, trace.source);
    const sorted: TlaState = {};
    for (const k of Object.keys(s.state).sort()) sorted[k] = s.state[k] as TlaValue;
    s.state = sorted;
  });
  if (trace.loopsBackTo !== undefined && !(trace.loopsBackTo >= 1 && trace.loopsBackTo <= trace.steps.length)) {
    throw new TraceFormatError({ source: trace.source }, `loops back to state ${trace.loopsBackTo}, which is not in the trace`);
  }
  return trace;
}
