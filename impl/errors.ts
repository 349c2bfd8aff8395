// The one error type of the public API: a call the model rejects (unknown identity, invalid
// operation, a step that is not enabled, a bad configuration). The state is left unchanged.

/** What kind of call was rejected. */
export type DaxModelErrorCode =
  | 'config' // the configuration violates the spec's ASSUME or names something twice
  | 'unknown-task'
  | 'unknown-file'
  | 'unknown-block'
  | 'bad-offset'
  | 'bad-op' // the operation is not one the spec allows (ValidOp, FsOps, shape)
  | 'task-idle' // stepping a task with no operation in progress
  | 'task-busy' // starting an operation on a task that is running one
  | 'task-blocked' // stepping a task whose next action is not enabled
  | 'task-sleeping' // stepping a task asleep in wait_var_event
  | 'not-enabled' // starting an operation whose first action is not enabled
  | 'bad-choice'; // a choice the step does not take, or an invalid one

/** A call the model rejects; `message` is one line. The system state is unchanged. */
export class DaxModelError extends Error {
  override readonly name = 'DaxModelError';
  constructor(
    readonly code: DaxModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
