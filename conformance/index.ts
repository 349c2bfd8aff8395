// The conformance harness's entry point: `runConformance` checks the implementation against the
// spec in both directions (suite/suite.ts), and is what `dax-model conform` and `dax-model mutate`
// (each mutant's suite) call. conformance/README.md says which folder answers which question.
export {
  runConformance,
  DEFAULT_SEED,
  ConformanceInputError,
  type ConformanceOptions,
  type ConformanceReport,
  type FastCheckFailure,
} from './suite/suite.ts';
export type {
  /** @public: the contract a suite module given to `dax-model mutate --suite` must meet. */
  SuiteModule,
  SuiteOptions,
  SuiteReport,
} from './suite/contract.ts';
