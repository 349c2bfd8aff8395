// What a mutation run is asked to do (MutationOptions, the scope of impl/ files) and the error
// for a run that cannot be done; shared by the selection (select.ts) and the runner (run.ts).
import type { OperatorName } from './operators.ts';
import type { MutantInfo, MutantResult } from './report.ts';
import type { SuiteOptions } from './suite-worker.ts';

/** 'protocol': the files isProtocolFile accepts; 'all': every mutable file under impl/. */
export type MutationScope = 'protocol' | 'all';
export const SCOPES: readonly MutationScope[] = ['protocol', 'all'];

export interface MutationOptions {
  /** Repository root (default: this repository). impl/ and the suite are found under it. */
  rootDir?: string;
  /** The suite module, relative to rootDir (default conformance/index.ts): a SuiteModule
   *  (conformance/suite/contract.ts), exporting runConformance. */
  suite?: string;
  /** Mutate only functions changed since this git ref (and untracked files). */
  since?: string;
  operators?: readonly OperatorName[];
  /** Run at most this many mutants: a sample fixed by `seed`. */
  limit?: number;
  /** Seeds the `limit` sample (default 0) and, when given, the suite's fast-check runs. */
  seed?: number;
  /** Wall-clock limit per mutant, worker start-up included; past it the mutant is 'timed out'.
   *  Default: three times the unmutated run plus 5 s, at least 20 s. */
  budgetMs?: number;
  /** Passed to every run of the suite (`seed`, when given, overrides theirs). Its budgetMs
   *  defaults, for mutant runs, to half the per-mutant budget. */
  suiteOptions?: SuiteOptions;
  /** Options added for one mutant's run (default defaultSuiteOptionsFor); the suite must pass
   *  unmutated with each distinct set too. */
  suiteOptionsFor?: (mutant: MutantInfo) => SuiteOptions;
  /** Worker threads run in parallel (default 2, one per core of the target machines). */
  workers?: number;
  /** The equivalents file, relative to rootDir or absolute (default conformance/equivalent-mutants.json). */
  equivalents?: string;
  /** Which impl files: 'protocol' (default) those isProtocolFile accepts, 'all' every mutable
   *  file under impl/. Ignored when `files` is given. */
  scope?: MutationScope;
  /** Only these impl files (relative to rootDir); default the files of `scope`. */
  files?: readonly string[];
  /** Only the mutants this accepts (before type-checking and sampling). */
  only?: (mutant: MutantInfo) => boolean;
  /**
   * Audit the equivalents file instead: run only the mutants it lists, each through the
   * differential suite (conformance/suite/differential.ts) against the unmutated checkout. A mutant
   * then 'killed' behaves differently from the original: its record is wrong.
   */
  auditEquivalents?: boolean;
  /** Run the unit tests of impl/ that import a mutant's module when the suite passes it
   *  (default true). */
  unitTests?: boolean;
  /** Where the temp copy is made (default the OS temp directory). */
  tmpDir?: string;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Called as each mutant's outcome is known. */
  onResult?: (result: MutantResult) => void;
}

/** A run that cannot be done: no mutable files, a suite that fails unmutated, a bad option. */
export class MutateError extends Error {
  override name = 'MutateError';
}
