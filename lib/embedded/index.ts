// Public surface of the embedded engine adapter: model checking and step-by-step exploration
// with tla-checker (WebAssembly) where TLC's jar is absent, plus the module flattening they need.
export { type AdaptedModel, adaptModel } from './adapt.ts';
export { ModelConfigError } from '../tla/cfg.ts';
export { checkEmbedded, checkEmbeddedAsync, type EmbeddedCheckAsyncOptions, type EmbeddedCheckOptions } from './engine.ts';
export { Explorer, ExplorerError, type ExplorerStats, type InvariantResult, type Transition } from './explorer.ts';
export { type FlatModule, type FlatModuleInfo, FlattenError, flattenModule, originOf } from '../tla/flatten.ts';
export { type BranchTag, buildLabeledModel, GHOST, type LabeledModel, unlabelStep } from './labeled.ts';
export { relabelCounterexample, type RelabelResult, type UnlabeledStep, unlabeledNote } from './relabel.ts';
export { type NextTree, type SpecAction, SpecActionsError, initAndNext, nextActions, specVariables } from '../tla/spec-actions.ts';
export { type EngineJson, EngineJsonError, jsonToState, jsonToTla, stateToJson, tlaToJson } from './json.ts';
export { tlaCheckerVersion } from './wasm.ts';
