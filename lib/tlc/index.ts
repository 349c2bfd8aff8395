// Public surface of the TLC adapter: locating Java and tla2tools.jar, running TLC (tlc2.TLC in
// -tool mode) and reading what it prints, as the engine-neutral CheckResult of lib/check.
export { TlcLocateError, findJava, findTlaToolsJar, locateTlc, tlcVersion, type LocateOptions, type TlcLocateErrorKind } from './locate.ts';
export { tlcExit, type TlcExit, type TlcExitMeaning } from './exit.ts';
export { TLC_MSG, TLC_MSG_CLASS, TlcOutputParser, allMessages, parseProgress, parseTlcOutput, type TlcMessage } from './messages.ts';
export {
  TlcTraceSyntaxError,
  paramsOf,
  parseActionHeader,
  parseSimulationTrace,
  parseStateBlock,
  readSimulationBlocks,
  sourceParamNames,
  type GrammarOptions,
  type ParamNameResolver,
  type SimulationBlock,
  type TlcActionHeader,
  type TraceSyntaxLocation,
} from './trace-grammar.ts';
export {
  dumpTraceValueToCanonical,
  errorTraceParts,
  readDumpTrace,
  stepsFromDumpTrace,
  type DumpTrace,
  type DumpTraceTransition,
  type ErrorTracePart,
  type TlcCounterexample,
} from './traces.ts';
export { interpretTlcRun, type TlcInterpretation, type TlcRunRecord } from './interpret.ts';
export { runTlc, runTlcInDir, type TlcCheckResult, type TlcInDirOutcome, type TlcRunOptions } from './run.ts';
export { TlaParseError, parseTlaState, parseTlaValue, parseTlaValueList } from '../values/tlc-text.ts';
