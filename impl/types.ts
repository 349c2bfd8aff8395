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
  'BreakLayoutsScanPaused',
  'BreakLayoutsDelete',
  'BreakLayoutsDeletePaused',
  'TruncateUnmap',
  'DeleteEntry',
  'FreeBlocks',
  'FsPrealloc',
  'FsUnlock',
] as const;

/** The mm's own actions (munmap / mmap of a file), as in MmNext(f): no task takes them. */
const MM_LABELS = ['Munmap', 'Mmap'] as const;

/** The actions a writeback task performs, as in SyncNext(s). */
export const SYNC_LABELS = ['WritebackLockEntry', 'WritebackUnlockEntry'] as const;

type UserLabel = (typeof USER_LABELS)[number];
type FsLabel = (typeof FS_LABELS)[number];
type SyncLabel = (typeof SYNC_LABELS)[number];
export type MmLabel = (typeof MM_LABELS)[number];
/** A step label: the name of the spec action the step performs. */
export type Label = UserLabel | FsLabel | SyncLabel | MmLabel;

/** Every spec action name. */
export const LABELS: readonly Label[] = [...USER_LABELS, ...FS_LABELS, ...SYNC_LABELS, ...MM_LABELS];

/** The spec's BugNames: each switch re-introduces one way the protocol has gone wrong. */
export const BUG_NAMES = [
  'NoBreakLayouts',
  'ScanBeforeUnmap',
  'NoGupFastRecheck',
  'NoRestartAfterWait',
  'LostWakeup',
  'CollapseSkipsBreak',
  'ScanSkipsLocked',
  'RetryOnlyOnSleep',
  'UnpinMissesWake',
  'ReleasePagesMissesWake',
  'SkipScanWhenUnmapped',
  'EvictWithoutBreak',
  'LongtermPinAllowed',
  'WaitSkipsEntry',
  'DeleteWaitSkipsEntry',
] as const;

export type BugName = (typeof BUG_NAMES)[number];
/** The variant switches: exactly the spec's BugNames, each on or off. */
export type BugSwitches = Record<BugName, boolean>;

/** The spec's FeatureNames: optional behaviours (Munmap: the mm may munmap / mmap a file;
 *  TruncWarn: dax_disassociate_entry's reference-based WARN, 4.18 to 6.14; ZeroRangeInPlace:
 *  ext4_zero_range's convert-to-unwritten, which keeps the blocks, instead of XFS's
 *  free-then-allocate; Design2025: the 6.15 rework, 38607c62b34b and its series: refcount 0 at
 *  idle, a reference per PTE, dax_break_layout deleting the entries itself). */
export const FEATURE_NAMES = ['Munmap', 'TruncWarn', 'ZeroRangeInPlace', 'Design2025'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type FeatureSwitches = Record<FeatureName, boolean>;

/** The spec's PutPaths: how DmaComplete drops its pin (put_page, unpin_user_page ->
 *  gup_put_folio, release_pages). */
export const PUT_PATHS = ['put_page', 'gup_put_folio', 'release_pages'] as const;
export type PutPath = (typeof PUT_PATHS)[number];

/** The file-system operations of the spec's AllFsOps. */
export const FS_OP_NAMES = ['Truncate', 'PunchHole', 'CollapseRange', 'ZeroRange', 'InsertRange', 'Evict'] as const;
export type FsOpName = (typeof FS_OP_NAMES)[number];

/** Which file system's code paths run the operations; each produces the spec's labelled steps
 *  (ext2 only for configs with its operations and NoBreakLayouts: impl/fs/profile.ts). */
export const FS_PROFILE_NAMES = ['xfs', 'ext4', 'ext2'] as const;
export type FsProfileName = (typeof FS_PROFILE_NAMES)[number];

/** Is `name` a profile's name (FS_PROFILE_NAMES)? */
export function isFsProfileName(name: unknown): name is FsProfileName {
  return (FS_PROFILE_NAMES as readonly unknown[]).includes(name);
}

/** A user operation: GUP one page of the mmap of `file` at `offset`, then DMA into it. */
export interface UserOp {
  readonly file: FileId;
  readonly offset: number;
  /** FOLL_LONGTERM (pin_user_pages for RDMA): refused on fs-dax unless LongtermPinAllowed. */
  readonly longterm?: boolean;
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
interface SyncOp {
  readonly file: FileId;
  readonly offset: number;
}

/** What `start` accepts: the operation kind follows from the task's kind. */
export type Operation = UserOp | FsOp | SyncOp;

/** The nondeterministic choice a step may take: FaultAllocBlock and FsPrealloc pick the block to
 *  allocate, DmaComplete the put path. */
export interface StepChoice {
  readonly block?: BlockId;
  readonly path?: PutPath;
}

/** The steps that take a choice, and the StepChoice field each takes: FaultAllocBlock and
 *  FsPrealloc the block to allocate (the spec's \E b \in free), DmaComplete the put path
 *  (DmaComplete(u, path)). The one table of them: atChoosing is typed by it, the harness asks
 *  choiceField. */
export const CHOICE_FIELDS = { FaultAllocBlock: 'block', FsPrealloc: 'block', DmaComplete: 'path' } as const satisfies Partial<
  Record<Label, keyof StepChoice>
>;
export type ChoosingLabel = keyof typeof CHOICE_FIELDS;
export type ChoiceField = (typeof CHOICE_FIELDS)[ChoosingLabel];

/** Does a step with this label take a choice (CHOICE_FIELDS)? */
export function isChoosingLabel(label: string): label is ChoosingLabel {
  return Object.hasOwn(CHOICE_FIELDS, label);
}

/** The StepChoice field a step with this label takes, or undefined when it takes none. */
export function choiceField(label: string): ChoiceField | undefined {
  return isChoosingLabel(label) ? CHOICE_FIELDS[label] : undefined;
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
  | { readonly s: TaskId; readonly f?: FileId; readonly o?: number }
  | { readonly f: FileId };

/** What one step did. */
export interface StepRecord {
  /** 0-based position among all steps of the system. */
  readonly index: number;
  readonly task: TaskId;
  /** The spec action performed. */
  readonly label: Label;
  readonly params: StepParams;
  /** FaultAllocBlock's / FsPrealloc's allocated block, DmaComplete's put path. */
  readonly choice?: { readonly block: BlockId } | { readonly path: PutPath };
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
