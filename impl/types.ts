// The vocabulary shared by every layer of the implementation: identities, step labels and the
// variant switches, spelled exactly as in spec/DaxDma.tla so that one search finds both sides.

/** A file (inode): a model value of the spec's Files, e.g. 'f1'. */
export type FileId = string;
/** A persistent-memory block = ZONE_DEVICE page: a model value of Blocks, e.g. 'b1'. */
export type BlockId = string;
/** A task: a model value of Users ('u1'), FsTasks ('t1') or Syncers ('s1'). */
export type TaskId = string;

/** The actions a user thread performs (GUP-fast, fault, slow GUP, DMA), as in UserNext(u). */
export const USER_LABELS = [
  'GupFastReadPte',
  'GupFastGetRef',
  'GupFastRecheck',
  'FaultLockShared',
  'FaultGrabEntry',
  'FaultAllocBlock',
  'FaultInsertEntry',
  'FaultInstallPte',
  'FaultUnlockEntry',
  'FaultUnlockShared',
  'GupSlowPin',
  'DmaComplete',
] as const;

/** The actions a file-system task performs (truncate, fallocate), as in FsNext(t). */
export const FS_LABELS = [
  'FsLockIo',
  'FsLockMmap',
  'BreakLayoutsUnmap',
  'BreakLayoutsScan',
  'BreakLayoutsWait',
  'BreakLayoutsRelock',
  'DeleteEntries',
  'FreeBlocks',
  'FsUnlock',
] as const;

/** The actions a writeback task performs, as in SyncNext(s). */
export const SYNC_LABELS = ['WritebackLockEntry', 'WritebackUnlockEntry'] as const;

export type UserLabel = (typeof USER_LABELS)[number];
export type FsLabel = (typeof FS_LABELS)[number];
export type SyncLabel = (typeof SYNC_LABELS)[number];
/** A step label: the name of the spec action the step performs. */
export type Label = UserLabel | FsLabel | SyncLabel;

/** Every spec action name. */
export const LABELS: readonly Label[] = [...USER_LABELS, ...FS_LABELS, ...SYNC_LABELS];

/** The spec's BugNames: each switch re-introduces one way the protocol has gone wrong. */
export const BUG_NAMES = [
  'NoBreakLayouts',
  'ScanBeforeUnmap',
  'NoGupFastRecheck',
  'NoRestartAfterWait',
  'LostWakeup',
  'CollapseSkipsBreak',
  'ScanSkipsLocked',
] as const;

export type BugName = (typeof BUG_NAMES)[number];
/** The variant switches: exactly the spec's BugNames, each on or off. */
export type BugSwitches = Record<BugName, boolean>;

/** The file-system operations of the spec's AllFsOps. */
export const FS_OP_NAMES = ['Truncate', 'PunchHole', 'CollapseRange'] as const;
export type FsOpName = (typeof FS_OP_NAMES)[number];

/** Which file system's code paths run the operations; both produce the same labelled steps. */
export type FsProfileName = 'xfs' | 'ext4';

/** A user operation: GUP one page of the mmap of `file` at `offset`, then DMA into it. */
export interface UserOp {
  readonly file: FileId;
  readonly offset: number;
}

/** A file-system operation, the spec's [op, file, lo, hi]. Truncate removes lo..last offset,
 *  so its `hi` may be omitted (it is always the last offset). */
export interface FsOp {
  readonly op: FsOpName;
  readonly file: FileId;
  readonly lo: number;
  readonly hi?: number;
}

/** A writeback operation: lock, flush and unlock the DAX entry of `file` at `offset`. */
export interface SyncOp {
  readonly file: FileId;
  readonly offset: number;
}

/** What `start` accepts: the operation kind follows from the task's kind. */
export type Operation = UserOp | FsOp | SyncOp;

/** The nondeterministic choice a step may take: FaultAllocBlock picks the block to allocate. */
export interface StepChoice {
  readonly block?: BlockId;
}

/** The spec's FsOp record [op, file, lo, hi], with hi filled in. */
export interface SpecFsOp {
  readonly op: FsOpName;
  readonly file: FileId;
  readonly lo: number;
  readonly hi: number;
}

/** The spec parameters of a step's action: u / t / s, plus f and o for GupFastReadPte and
 *  WritebackLockEntry, and op for FsLockIo. */
export type StepParams =
  | { readonly u: TaskId; readonly f?: FileId; readonly o?: number }
  | { readonly t: TaskId; readonly op?: SpecFsOp }
  | { readonly s: TaskId; readonly f?: FileId; readonly o?: number };

/** What one step did. */
export interface StepRecord {
  /** 0-based position among all steps of the system. */
  readonly index: number;
  readonly task: TaskId;
  /** The spec action performed. */
  readonly label: Label;
  readonly params: StepParams;
  /** FaultAllocBlock's allocated block, when it allocated one. */
  readonly choice?: { readonly block: BlockId };
}

/** A task that can step now, and its next step's label. */
export interface Runnable {
  readonly task: TaskId;
  readonly label: Label;
}

/** An operation an idle task could start now (its first action is enabled). */
export interface Startable {
  readonly task: TaskId;
  readonly label: Label;
  readonly op: Operation;
  readonly params: StepParams;
}
