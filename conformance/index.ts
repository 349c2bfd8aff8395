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
