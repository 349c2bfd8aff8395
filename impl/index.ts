// The public entry point of the implementation: createSystem builds a system from a
// configuration; everything a caller (tests, conformance harness, bench) needs is exported here.
import type { SystemConfig } from './config.ts';
import { DaxSystem } from './system.ts';

/**
 * Builds a system: files mmapped by one mm, a pmem device whose pages are the blocks, an
 * allocator, and idle tasks (users, file-system tasks, syncers).
 * @throws DaxModelError code 'config' if the configuration violates the spec's ASSUME.
 */
export function createSystem(config: SystemConfig): DaxSystem {
  return new DaxSystem(config);
}

export { DaxSystem, MM_TASK, type RunOptions, type RunOutcome, type RunResult } from './system.ts';
export { findRelease, RELEASE_NAMES, RELEASES, type Release, releaseNamed, unknownRelease } from './releases.ts';
export { type ResolvedConfig, type SystemConfig, bugsFromNames, featuresFromNames, noBugs, noFeatures, resolveConfig } from './config.ts';
export { DaxModelError, type DaxModelErrorCode } from './errors.ts';
export type { CorruptionEvent, DaxEvent, WarnEvent } from './events.ts';
export {
  type AnyMove,
  type MmMove,
  type Move,
  type RandomSchedulerOptions,
  type ScheduleEntry,
  type Scheduler,
  type SchedulerView,
  explicitSchedule,
  randomScheduler,
  roundRobin,
} from './kernel/scheduler.ts';
export { Prandom } from './kernel/prandom.ts';
export { profileHasSwitch } from './fs/profile.ts';
export type { TaskKind, TaskState } from './kernel/sched.ts';
export { snapshotView, taskOrder } from './snapshot.ts';
export type {
  EntrySnapshot,
  FileSnapshot,
  FsTaskSnapshot,
  LiveView,
  LockSnapshot,
  PageSnapshot,
  Snapshot,
  SyncTaskSnapshot,
  TargetSnapshot,
  TaskSnapshot,
  UserTaskSnapshot,
} from './snapshot.ts';
export {
  BUG_NAMES,
  CHOICE_FIELDS,
  choiceField,
  isChoosingLabel,
  FEATURE_NAMES,
  FS_PROFILE_NAMES,
  isFsProfileName,
  FS_LABELS,
  MM_LABELS,
  PUT_PATHS,
  FS_OP_NAMES,
  LABELS,
  SYNC_LABELS,
  USER_LABELS,
  type BlockId,
  type BugName,
  type BugSwitches,
  type ChoiceField,
  type ChoosingLabel,
  type FeatureName,
  type FeatureSwitches,
  type MmLabel,
  type PutPath,
  type FileId,
  type FsLabel,
  type FsOp,
  type FsOpName,
  type FsProfileName,
  type Label,
  type Operation,
  type Runnable,
  type SpecFsOp,
  type StepChoice,
  type StepParams,
  type StepRecord,
  type Startable,
  type SyncLabel,
  type SyncOp,
  type TaskId,
  type UserLabel,
  type UserOp,
} from './types.ts';
export { REPRODUCTIONS, type Reproduction } from './reproductions.ts';
