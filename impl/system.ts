// A whole system: the machine (mm, pmem pages, allocator, inodes) plus the tasks that run the
// kernel paths, stepped one atomic step at a time. The public surface is createSystem in index.ts.
import { type ResolvedConfig, type SystemConfig, resolveConfig } from './config.ts';
import { dmaToUserPage, judgeDmaInFlight } from './drivers/dma.ts';
import { DaxModelError } from './errors.ts';
import type { DaxEvent } from './events.ts';
import { daxIsEmptyEntry, daxWritebackOne } from './fs/dax.ts';
import { type Inode, daxIsLocked } from './fs/inode.ts';
import { type FsProfile, fsProfile, fsSyscall } from './fs/profile.ts';
import { type Step, Task, settle } from './kernel/sched.ts';
import type { Scheduler, SchedulerView } from './kernel/scheduler.ts';
import {
  type AnyTask,
  type FsLocals,
  type FsTask,
  type SyncLocals,
  type SyncTask,
  type UserLocals,
  type UserTask,
  specFsOp,
} from './locals.ts';
import { type Machine, buildMachine } from './machine.ts';
import { type Operands, resolveFsOp, resolveInode, resolveTarget } from './operation.ts';
import type { VmArea } from './mm/pgtable.ts';
import { type RunOptions, type RunResult, runToCompletion } from './run.ts';
import { type LiveView, makeLiveView } from './live-view.ts';
import { type Snapshot, type SystemState, deepFreeze, takeSnapshot } from './snapshot.ts';
import { startableOps } from './startable.ts';
import { NO_CHOICES, runnableOf, stepParamsOf } from './config-memo.ts';
import type {
  BlockId,
  FileId,
  Label,
  MmLabel,
  Operation,
  PutPath,
  Runnable,
  Startable,
  StepChoice,
  StepParams,
  StepRecord,
  TaskId,
  UserOp,
} from './types.ts';
import { USER_LABELS } from './types.ts';

export type { RunOptions, RunResult } from './run.ts';

/** The task name of the mm's own steps (Munmap, Mmap) in step records and events. */
export const MM_TASK = 'mm';

/** Where a user holds the mm's mmap_lock (read): the spec's SlowGupPcs, by next step. */
const SLOW_GUP_LABELS: ReadonlySet<Label> = new Set<Label>(
  USER_LABELS.slice(USER_LABELS.indexOf('FaultLockShared'), USER_LABELS.indexOf('GupSlowPin') + 1),
);

function bad(code: ConstructorParameters<typeof DaxModelError>[0], message: string): never {
  throw new DaxModelError(code, message);
}

/** The configurations systems resolved (and deep-froze) themselves. */
const RESOLVED = new WeakSet<object>();

/** A running model of the fs-dax DMA vs truncate protocol. See impl/README.md. */
export class DaxSystem implements SchedulerView {
  readonly config: ResolvedConfig;
  readonly taskIds: readonly TaskId[];
  private readonly k: Machine;
  private readonly fs: FsProfile;
  private readonly tasks: AnyTask[];
  private readonly byId = new Map<TaskId, AnyTask>();
  private readonly inodeByName = new Map<string, Inode>();
  private readonly vmas: VmArea[];
  private gupsLeft: number;
  private stepCount = 0;
  private dmaSeq = 0;
  /** What the live view and snapshots read. */
  private readonly state: SystemState;
  private liveView: LiveView | undefined;

  /** `config` as given, or another system's `config`: a resolved one is taken as it is (deep
   *  frozen, it cannot have changed), which spares a harness that builds a system per run
   *  resolving and freezing the same configuration each time. */
  constructor(config: SystemConfig | ResolvedConfig) {
    this.config = RESOLVED.has(config) ? (config as ResolvedConfig) : deepFreeze(resolveConfig(config as SystemConfig));
    RESOLVED.add(this.config);
    const c = this.config;
    this.fs = fsProfile(c.profile);
    const { k, vmas } = buildMachine(c, this.fs);
    this.k = k;
    this.vmas = vmas;
    for (const ip of k.inodes) this.inodeByName.set(ip.name, ip);
    this.tasks = [
      ...c.users.map((id) => new Task<UserLocals>(id, 'user', { target: null, ref: null, longterm: false })),
      ...c.fsTasks.map((id) => new Task<FsLocals>(id, 'fs', { op: null, scanIndex: 0, busyPage: null, didUnlock: false })),
      ...c.syncers.map((id) => new Task<SyncLocals>(id, 'syncer', { target: null })),
    ] as AnyTask[];
    for (const t of this.tasks) this.byId.set(t.id, t);
    this.taskIds = this.tasks.map((t) => t.id);
    this.gupsLeft = c.maxGups;
    const sys = this;
    this.state = {
      config: this.config,
      k,
      vmas,
      tasks: this.tasks,
      get gupsLeft() {
        return sys.gupsLeft;
      },
      get steps() {
        return sys.stepCount;
      },
    };
  }

  // ---- lookups and validation (no state changes) ----

  private task(id: TaskId): AnyTask {
    const t = typeof id === 'string' ? this.byId.get(id) : undefined;
    if (!t) bad('unknown-task', `unknown task '${String(id)}' (tasks: ${this.taskIds.join(', ') || 'none'})`);
    return t;
  }

  /** What operation arguments are checked against. */
  private get operands(): Operands {
    return { config: this.config, maxOffset: this.k.maxOffset, inodeByName: this.inodeByName };
  }

  // ---- moves ----

  /**
   * Starts an operation on an idle task and takes its first step, which is the spec action that
   * chooses it: GupFastReadPte(u, f, o) for a user ({ file, offset }; uses one GUP of the budget),
   * FsLockIo(t, op) for a file-system task ({ op, file, lo, hi }), WritebackLockEntry(s, f, o) for
   * a syncer ({ file, offset }).
   * @throws DaxModelError (state unchanged) if the task is unknown or busy, the operation invalid,
   * or its first action not enabled (budget spent, I/O lock held, no entry or entry locked).
   */
  start(task: TaskId, op: Operation): StepRecord {
    const t = this.task(task);
    if (t.state !== 'idle') bad('task-busy', `${t.id} is already running an operation (next step ${t.point?.label})`);
    let body: Step;
    let params: StepParams;
    let commit: () => void;
    if (t.kind === 'user') {
      const { inode, offset } = resolveTarget(this.operands, op, t.id);
      if (this.gupsLeft === 0) bad('not-enabled', `${t.id} cannot start a GUP: the budget (MaxGups = ${this.config.maxGups}) is spent`);
      if (!this.vmas[inode.ino]!.mapped) bad('not-enabled', `${t.id} cannot GUP ${inode.name}: no VMA maps it (munmap)`);
      const longterm = (op as UserOp).longterm ?? false;
      if (typeof longterm !== 'boolean') bad('bad-op', `${t.id}: longterm must be a boolean`);
      // check_vma_flags: FOLL_LONGTERM on an fs-dax VMA is -EOPNOTSUPP (e5cb23256347 and before
      // it get_user_pages_longterm), unless LongtermPinAllowed.
      if (longterm && !this.k.bugs.LongtermPinAllowed)
        bad('not-enabled', `${t.id}: a FOLL_LONGTERM pin of an fs-dax page is refused (-EOPNOTSUPP)`);
      const u = t as UserTask;
      body = dmaToUserPage(this.k, u, this.vmas[inode.ino]!, offset, this.dmaSeq);
      params = { u: t.id, f: inode.name, o: offset };
      commit = () => {
        this.gupsLeft--;
        this.dmaSeq++;
        u.locals.longterm = longterm;
      };
    } else if (t.kind === 'fs') {
      const rop = resolveFsOp(this.operands, op, t.id);
      if (rop.inode.freeing) bad('not-enabled', `${t.id} cannot start ${rop.op} on ${rop.inode.name}: it is being evicted (I_FREEING)`);
      if (rop.op === 'Evict' && this.vmas[rop.inode.ino]!.mapped)
        bad('not-enabled', `${t.id} cannot evict ${rop.inode.name}: a VMA still maps it`);
      const holder = rop.inode.ioLock.owner;
      if (holder) bad('not-enabled', `${t.id} cannot start ${rop.op} on ${rop.inode.name}: its I/O lock is held by ${holder.id}`);
      const ft = t as FsTask;
      body = fsSyscall(this.k, this.fs, ft, rop);
      params = { t: t.id, op: specFsOp(rop) };
      commit = () => {
        ft.locals.op = rop;
      };
    } else {
      const { inode, offset } = resolveTarget(this.operands, op, t.id);
      const entry = inode.mapping.xa[offset]!;
      if (entry === 0 || daxIsEmptyEntry(entry))
        bad('not-enabled', `${t.id} cannot write back ${inode.name}:${offset}: no DAX entry holds a block there`);
      if (daxIsLocked(entry)) bad('not-enabled', `${t.id} cannot write back ${inode.name}:${offset}: the entry is locked`);
      body = daxWritebackOne(t as SyncTask, inode.mapping, offset);
      params = { s: t.id, f: inode.name, o: offset };
      commit = () => {};
    }
    // Every kernel path begins with a yield, so reaching the first point changes nothing.
    const first = body.next();
    if (first.done) throw new Error(`${t.id}: operation ended before its first step`);
    if (first.value.blocker?.blocked()) throw new Error(`${t.id}: first step ${first.value.label} is not enabled`);
    commit();
    t.body = body;
    t.point = first.value;
    t.state = 'running';
    return this.run(t, undefined, params);
  }

  /**
   * Takes the next step of a started task. `choice.block` picks FaultAllocBlock's block (default:
   * the first free block in configured order) and is refused on any other step.
   * @throws DaxModelError (state unchanged) if the task is unknown, idle, blocked or asleep, or
   * the choice is invalid.
   */
  step(task: TaskId, choice?: StepChoice): StepRecord {
    const t = this.task(task);
    const p = t.point;
    if (t.state === 'idle' || !p) bad('task-idle', `${t.id} has no operation in progress; start one first`);
    if (t.state === 'blocked') bad('task-blocked', `${t.id} is blocked at ${p.label}: waiting for ${p.blocker?.describe() ?? '?'}`);
    if (t.state === 'sleeping') bad('task-sleeping', `${t.id} is asleep in wait_var_event until its busy page is idle (next: ${p.label})`);
    if (choice !== undefined) {
      if (choice === null || typeof choice !== 'object') bad('bad-choice', `a choice is an object { block }`);
      const keys = Object.keys(choice).filter((key) => (choice as Record<string, unknown>)[key] !== undefined);
      const extra = keys.filter((key) => key !== 'block' && key !== 'path');
      if (extra.length > 0) bad('bad-choice', `unknown choice field(s) ${extra.join(', ')}; only 'block' and 'path' exist`);
      for (const field of ['block', 'path'] as const) {
        if (choice[field] === undefined) continue;
        if (!p.choice || p.choice.field !== field) bad('bad-choice', `${t.id}'s next step ${p.label} takes no ${field} choice`);
        const why = p.choice.check(choice);
        if (why) bad('bad-choice', `${t.id} ${p.label}: ${why}`);
      }
    }
    return this.run(t, choice, stepParamsOf(this.config, t));
  }

  private run(t: AnyTask, choice: StepChoice | undefined, params: StepParams): StepRecord {
    const label = t.point!.label;
    const index = this.stepCount;
    this.k.log.step = index;
    this.k.log.task = t.id;
    t.chose = null;
    const r = t.body!.next(choice);
    t.woken = false;
    if (r.done) {
      t.state = 'idle';
      t.point = null;
      t.body = null;
    } else {
      t.point = r.value;
    }
    settle(this.tasks);
    // The state after every step must satisfy NoDmaIntoForeignBlock, not only the one DmaComplete
    // sees: a block freed and given back to the same offset meanwhile was written while foreign.
    if (this.k.dmaInFlight.size > 0) judgeDmaInFlight(this.k);
    this.stepCount++;
    return t.chose === null ? { index, task: t.id, label, params } : { index, task: t.id, label, params, choice: t.chose };
  }

  // ---- queries ----

  /** Tasks that can step now, with the label of their next step, in configured task order. */
  runnable(): Runnable[] {
    const out: Runnable[] = [];
    for (const t of this.tasks) if (t.state === 'running') out.push(runnableOf(this.config, t, t.point!.label));
    return out;
  }

  /** Tasks with no operation in progress. */
  idle(): TaskId[] {
    const out: TaskId[] = [];
    for (const t of this.tasks) if (t.state === 'idle') out.push(t.id);
    return out;
  }

  /** Operations that could start now: each is one enabled first action of an idle task. */
  startable(task?: TaskId): Startable[] {
    return startableOps(this.state, task === undefined ? this.tasks : [this.task(task)]);
  }

  /** Valid block choices for the task's next step: the free blocks if it is FaultAllocBlock on a
   *  hole, else []. */
  choices(task: TaskId): readonly BlockId[] {
    const t = this.task(task);
    return t.state === 'running' && t.point?.choice?.field === 'block' ? [...t.point.choice.options()] : NO_CHOICES;
  }

  /** Valid put paths for the task's next step: the spec's PutPaths if it is DmaComplete (and the
   *  pin is not FOLL_LONGTERM), else []. */
  putPaths(task: TaskId): readonly PutPath[] {
    const t = this.task(task);
    return t.state === 'running' && t.point?.choice?.field === 'path' ? ([...t.point.choice.options()] as PutPath[]) : NO_CHOICES;
  }

  // ---- the mm: munmap / mmap (MmNext(f)), taken by no task ----

  /** The mm moves enabled now: Munmap of a mapped file with no slow GUP on it in progress (munmap
   *  takes the mmap_lock for write), Mmap of an unmapped file not being evicted. Both need
   *  features.Munmap. */
  mmMoves(): { readonly label: MmLabel; readonly file: FileId }[] {
    if (!this.config.features.Munmap) return [];
    const out: { label: MmLabel; file: FileId }[] = [];
    for (const ip of this.k.inodes) {
      if (this.vmas[ip.ino]!.mapped) {
        if (!this.slowGupOn(ip)) out.push({ label: 'Munmap', file: ip.name });
      } else if (!ip.freeing) out.push({ label: 'Mmap', file: ip.name });
    }
    return out;
  }

  /** Is a user between its fault and its slow-GUP pin on `ip` (holding the mm's mmap_lock)? */
  private slowGupOn(ip: Inode): boolean {
    return this.tasks.some(
      (t) => t.kind === 'user' && t.state !== 'idle' && (t as UserTask).locals.target?.inode === ip && SLOW_GUP_LABELS.has(t.point!.label),
    );
  }

  /**
   * munmap(2) of the whole mmap of `file` (mm/mmap.c: __do_munmap -> unmap_region): the PTEs go,
   * the VMA leaves i_mmap (mapping_mapped turns false); pins taken through it stay.
   * @throws DaxModelError (state unchanged) if the feature is off, the file unmapped, or a slow
   * GUP on it holds the mmap_lock.
   */
  munmap(file: FileId): StepRecord {
    const ip = resolveInode(this.operands, file);
    if (!this.config.features.Munmap) bad('not-enabled', `munmap is not enabled (features.Munmap)`);
    if (!this.vmas[ip.ino]!.mapped) bad('not-enabled', `${ip.name} is not mapped`);
    if (this.slowGupOn(ip)) bad('not-enabled', `munmap of ${ip.name} waits for the mmap_lock: a slow GUP on it is in progress`);
    return this.mmStep('Munmap', ip, () => this.k.mm.munmap(ip));
  }

  /**
   * mmap(2) of `file` again (a new VMA, no PTEs yet).
   * @throws DaxModelError (state unchanged) if the feature is off, the file mapped, or evicted.
   */
  mmap(file: FileId): StepRecord {
    const ip = resolveInode(this.operands, file);
    if (!this.config.features.Munmap) bad('not-enabled', `mmap is not enabled (features.Munmap)`);
    if (this.vmas[ip.ino]!.mapped) bad('not-enabled', `${ip.name} is already mapped`);
    if (ip.freeing) bad('not-enabled', `${ip.name} is being evicted: it cannot be opened and mapped`);
    return this.mmStep('Mmap', ip, () => this.k.mm.remap(ip));
  }

  private mmStep(label: MmLabel, ip: Inode, body: () => void): StepRecord {
    const index = this.stepCount;
    this.k.log.step = index;
    this.k.log.task = MM_TASK;
    body();
    settle(this.tasks);
    if (this.k.dmaInFlight.size > 0) judgeDmaInFlight(this.k);
    this.stepCount++;
    return { index, task: MM_TASK, label, params: { f: ip.name } };
  }

  /** Every event so far (WARNs, corruption), oldest first. */
  events(): DaxEvent[] {
    return [...this.k.log.events];
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.stepCount;
  }

  /** Are all tasks idle? */
  quiescent(): boolean {
    return this.tasks.every((t) => t.state === 'idle');
  }

  /**
   * Runs moves chosen by `scheduler` until it returns nothing or nothing can move.
   * @throws DaxModelError if the scheduler proposes a move the system rejects.
   */
  runToCompletion(scheduler: Scheduler, opts: RunOptions = {}): RunResult {
    return runToCompletion(this, scheduler, opts);
  }

  /**
   * The scheduler's own bookkeeping, checked: a running task's next step is enabled, a blocked
   * task's is not and it sits on the wait queue that will wake it, a sleeping task sits on its
   * page's var queue. Returns the violations (empty when consistent); for tests.
   */
  selfCheck(): string[] {
    const out: string[] = [];
    for (const t of this.tasks) {
      const b = t.point?.blocker;
      if (t.state === 'running' && b?.blocked()) out.push(`${t.id} is running but ${t.point!.label} is blocked on ${b.describe()}`);
      if (t.state === 'blocked') {
        if (!b || !b.blocked()) out.push(`${t.id} is blocked at ${t.point?.label} but nothing holds it back`);
        else if (t.waitingOn !== b.waitQueue()) out.push(`${t.id} sleeps on a queue that ${b.describe()} does not wake`);
      }
      if (t.state === 'sleeping' && !t.waitingOn) out.push(`${t.id} is asleep on no queue`);
    }
    return out;
  }

  // ---- views ----

  /** Live, read-only access to the mapped state, without copying (see LiveView). */
  get live(): LiveView {
    return (this.liveView ??= makeLiveView(this.state));
  }

  /** A deep-frozen copy of the state, by model-value name (see snapshot.ts). */
  snapshot(): Snapshot {
    return takeSnapshot(this.state);
  }
}
