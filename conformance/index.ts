// The conformance harness's entry point: `runConformance` checks the implementation against the
// spec in both directions (suite/suite.ts), and is what `dax-model conform` and `dax-model mutate`
// (each mutant's suite) call. conformance/README.md says which folder answers which question.
export {
  runConformance,
  DEFAULT_SEED,
  ConformanceInputError,
  deriveSeed,
  FAST_CHECK_CONFIGS,
  type ConformanceOptions,
  type ConformanceReport,
  type FastCheckFailure,
  type SuiteDivergence,
  type Profile,
} from './suite/suite.ts';
export type { SuiteModule, SuiteOptions, SuiteReport, SuiteReportDivergence } from './suite/contract.ts';
