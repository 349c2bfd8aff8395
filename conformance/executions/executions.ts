// The harness module a checkout's executions are driven through (`HARNESS_MODULES.executions`:
// `dax-model diff --base` and the equivalence audit load it by this path from other checkouts):
// re-exports what code outside executions/ imports; each concept lives in its own file.
export { availableMoves, takeMove } from './moves.ts';
export { pickMove, CPU_WEIGHT } from './scheduler.ts';
export { runSchedule, DEFAULT_MAX_STEPS, type Execution } from './run.ts';
export { validateExecution, type ExecutionFailure } from './validate.ts';
