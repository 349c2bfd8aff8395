// The common shape every trace reader returns (SpecTrace), and the one error they all throw
// (TraceFormatError): TLC -dumpTrace json, TLC text traces, TLC -simulate files and ITF JSON.
// Stands for what TLC's trace explorer and Apalache's ITF loader each produce from their format.
import type { TraceStep } from '../../lib/result/check-result.ts';
import type { TlaValue } from '../../lib/values/value.ts';
import { excerpt, oneLine } from '../../lib/report/one-line.ts';
import type { TraceSchema } from './schema.ts';

/** The trace formats this folder reads. */
export type TraceFormat =
  | 'tlc-dump-json' // TLC `-dumpTrace json FILE`
  | 'tlc-text' // a TLC error trace as printed on stdout, with or without -tool message markers
  | 'tlc-simulation' // a file TLC `-simulate num=N,file=PREFIX` writes (PREFIX_<worker>_<n>)
  | 'itf'; // ITF JSON (Apalache, Quint), including this project's corpus files

/** One behaviour of the spec read from a file, whatever the format. */
export interface SpecTrace {
  /** The file it was read from (as given to the reader). */
  source: string;
  format: TraceFormat;
  /** 1-based; states in canonical normal form with exactly the spec's variables; action "Init"
   *  for the first step, the spec action's name for the others, or null where the format does
   *  not say; params by the action's parameter names where the format gives them. */
  steps: TraceStep[];
  /** For a lasso (liveness counterexample): the 1-based index the last state loops back to. */
  loopsBackTo?: number;
  /** How an infinite behaviour ends: by stuttering in its last state, or by looping back. */
  ending?: 'stuttering' | 'loop';
  /** For a loop: the action of the step from the last state back to `loopsBackTo`, where the
   *  format names it. */
  loopAction?: { action: string; params?: Record<string, TlaValue> };
}

/** Options every reader takes. */
export interface ReadOptions {
  /** The file name used in error messages and SpecTrace.source. */
  source: string;
  /** What the trace must contain; every step is checked against it. */
  schema: TraceSchema;
}

/** Where in the input a TraceFormatError was found. */
export interface TraceFormatLocation {
  /** The file (or the name the caller gave the input). */
  source: string;
  /** 1-based index of the state (TraceStep.index), when the error is inside one. */
  step?: number;
  /** The spec variable (or action parameter, as `param u`), when the error is inside one. */
  variable?: string;
}

/**
 * Input that is not a well-formed trace of the spec: malformed or truncated text or JSON, a
 * missing or extra variable, a value of the wrong type, an unknown action or model value.
 * The message is one line: `FILE: state N: variable V: what is wrong` (parts that do not apply
 * are left out).
 */
export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
  readonly source: string;
  readonly step?: number;
  readonly variable?: string;
  constructor(
    where: TraceFormatLocation,
    /** What is wrong, without the location. */
    readonly reason: string,
  ) {
    const parts = [where.source];
    if (where.step !== undefined) parts.push(`state ${where.step}`);
    if (where.variable !== undefined) {
      const param = where.variable.startsWith('param ');
      const name = param ? where.variable.slice(6) : where.variable;
      // A name read from hostile input may hold anything, newlines included: quote it then.
      const shown = /^[A-Za-z0-9_:]+$/.test(name) ? name : excerpt(name, 60);
      parts.push(`${param ? 'param' : 'variable'} ${shown}`);
    }
    super(`${parts.join(': ')}: ${oneLine(reason)}`);
    this.source = where.source;
    if (where.step !== undefined) this.step = where.step;
    if (where.variable !== undefined) this.variable = where.variable;
  }
}

export { excerpt, quote } from '../../lib/report/one-line.ts';
