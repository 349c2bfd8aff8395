// The result of one model-checking run, the same shape whichever engine produced it
// (TLC via lib/tlc, or the tla-checker WebAssembly engine via lib/embedded).
import type { TlaState } from '../values/value.ts';

/** Which model checker ran. */
export type EngineName = 'tlc' | 'embedded';

/** What a run concluded. `error` means the run itself failed (see `error`). */
export type Verdict = 'holds' | 'invariant' | 'property' | 'deadlock' | 'error';

/** One state of a counterexample, with the action that led into it (none for the initial state). */
export interface TraceStep {
  /** 1-based position in the behaviour. */
  index: number;
  /** Spec action name, e.g. "GupFastRecheck"; "Init" for the first state; null where the engine cannot tell. */
  action: string | null;
  /** Action parameters by name, e.g. { u: {"#model": "u1"} }, where the engine reports them. */
  params?: Record<string, unknown>;
  state: TlaState;
}

/** A counterexample: a finite prefix, and for a liveness violation the index where the lasso loops back. */
export interface Counterexample {
  steps: TraceStep[];
  /** For a lasso (liveness): the 1-based index of the state the last state loops back to. */
  loopsBackTo?: number;
  /** "stuttering" when the behaviour ends by stuttering forever (liveness). */
  ending?: 'stuttering' | 'loop';
}

/** Why a run did not reach a verdict. */
export type RunErrorKind =
  | 'missing-java'
  | 'missing-jar'
  | 'parse' // TLC/SANY or the embedded parser rejected the spec (message carries file:line)
  | 'config' // the .cfg was rejected
  | 'eval' // an evaluation error while checking
  | 'timeout'
  | 'interrupted'
  | 'crash'
  | 'unsupported'; // the embedded engine cannot do what the config asks

export interface RunError {
  kind: RunErrorKind;
  message: string;
}

/** Everything one model-checking run reports. */
export interface CheckResult {
  engine: EngineName;
  verdict: Verdict;
  /** Name of the violated invariant or temporal property, if any. */
  property?: string;
  distinctStates: number;
  /** Total states generated, where the engine reports it. */
  statesGenerated?: number;
  /** Depth of the state graph (TLC) or of the longest trace explored, where known. */
  depth?: number;
  seconds: number;
  counterexample?: Counterexample;
  error?: RunError;
  /** Engine version string, e.g. "TLC2 Version 2.20 ... (rev: bacd9d2)". */
  engineVersion?: string;
  /** TLC's exit code, when TLC ran. */
  exitCode?: number;
  /** What the user should know about how far to trust this run (one line each), e.g. where the
   *  embedded engine's semantics or counts differ from TLC's. */
  warnings?: string[];
}

/** Progress reported while a run goes on. */
export interface Progress {
  generated: number;
  distinct: number;
  queue: number;
  seconds: number;
}
