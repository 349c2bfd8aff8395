// The public entry point of the implementation: createSystem builds a system from a
// configuration; everything a caller (tests, conformance harness, bench) needs is exported here.
import type { ResolvedConfig, SystemConfig } from './config.ts';
import { DaxSystem } from './system.ts';

/**
 * Builds a system: files mmapped by one mm, a pmem device whose pages are the blocks, an
 * allocator, and idle tasks (users, file-system tasks, syncers).
 * @throws DaxModelError code 'config' if the configuration violates the spec's ASSUME.
 */
export function createSystem(config: SystemConfig | ResolvedConfig): DaxSystem {
  return new DaxSystem(config);
}

export { DaxSystem, MM_TASK } from './system.ts';
export { findRelease, RELEASE_NAMES, RELEASES, type Release, releaseNamed, unknownRelease } from './releases.ts';
export { type ResolvedConfig, type SystemConfig, bugsFromNames, featuresFromNames } from './config.ts';
export { DaxModelError } from './errors.ts';
export type { DaxEvent } from './events.ts';
export { type Move, type ScheduleEntry, explicitSchedule, randomScheduler, roundRobin } from './kernel/scheduler.ts';
export { profileHasSwitch, profileRefuses } from './fs/profile.ts';
export { snapshotView, taskOrder } from './live-view.ts';
export type { LiveView } from './live-view.ts';
export { deepFreeze, type Snapshot, type TaskSnapshot } from './snapshot.ts';
export {
  BUG_NAMES,
  choiceField,
  isChoosingLabel,
  FS_OP_NAMES,
  FS_PROFILE_NAMES,
  isFsProfileName,
  FS_LABELS,
  PUT_PATHS,
  LABELS,
  SYNC_LABELS,
  USER_LABELS,
  type BugName,
  type BugSwitches,
  type ChoosingLabel,
  type FeatureName,
  type PutPath,
  type FsOp,
  type FsOpName,
  type FsProfileName,
  type Label,
  type Operation,
  type SpecFsOp,
  type StepChoice,
  type StepParams,
  type Startable,
  type StepRecord,
  type TaskId,
} from './types.ts';
/** @public: impl/README.md documents it (a schedule reproducing each variant switch); only its
 *  test reads it today. */
export { REPRODUCTIONS, type Reproduction } from './reproductions.ts';
