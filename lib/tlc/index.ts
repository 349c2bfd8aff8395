// Public surface of the TLC adapter: locating Java and tla2tools.jar, running TLC (tlc2.TLC in
// -tool mode) and reading what it prints, as the engine-neutral CheckResult of lib/check.
export { TlcLocateError, findJava, findTlaToolsJar, tlcVersion } from './locate.ts';
export { TLC_MSG, parseTlcOutput, type TlcMessage } from './messages.ts';
export {
  TlcTraceSyntaxError,
  parseActionHeader,
  parseSimulationTrace,
  parseStateBlock,
  readSimulationBlocks,
  type TlcActionHeader,
} from './trace-grammar.ts';
export { errorTraceParts, readDumpTrace, stepsFromDumpTrace, type DumpTrace, type TlcCounterexample } from './traces.ts';
export { runTlc, type TlcRunOptions } from './run.ts';
