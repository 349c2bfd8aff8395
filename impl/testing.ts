// Helpers for unit tests that drive kernel paths directly, below the system's API: a booted
// machine, bare tasks, and a driver that resumes one kernel path step by step.
import { resolveConfig, type SystemConfig } from './config.ts';
import type { Inode } from './fs/inode.ts';
import { fsProfile } from './fs/profile.ts';
import { type Point, type Step, Task, settle } from './kernel/sched.ts';
import type { FsLocals, SyncLocals, UserLocals } from './locals.ts';
import { type Machine, buildMachine } from './machine.ts';
import type { VmArea } from './mm/pgtable.ts';
import type { ScheduleEntry } from './kernel/scheduler.ts';
import type { Label, Operation, StepChoice } from './types.ts';

/** A booted machine with lookups by name. */
export interface TestMachine {
  k: Machine;
  inode(name: string): Inode;
  vma(name: string): VmArea;
}

/** Boots a machine (defaults: f1, f2 with 2 offsets, blocks b1..b4, XFS). */
export function testMachine(c: Partial<SystemConfig> = {}): TestMachine {
  const cfg = resolveConfig({ files: ['f1', 'f2'], offsets: 2, blocks: ['b1', 'b2', 'b3', 'b4'], ...c });
  const { k, vmas } = buildMachine(cfg, fsProfile(cfg.profile));
  const ino = (name: string): number => {
    const i = cfg.files.indexOf(name);
    if (i < 0) throw new Error(`no file ${name}`);
    return i;
  };
  return { k, inode: (n) => k.inodes[ino(n)]!, vma: (n) => vmas[ino(n)]! };
}

export const userTask = (id = 'u1'): Task<UserLocals> => new Task<UserLocals>(id, 'user', { target: null, ref: null, longterm: false });
export const fsTask = (id = 't1'): Task<FsLocals> =>
  new Task<FsLocals>(id, 'fs', { op: null, scanIndex: 0, busyPage: null, didUnlock: false });
export const syncTask = (id = 's1'): Task<SyncLocals> => new Task<SyncLocals>(id, 'syncer', { target: null });

/** Resumes one task's kernel path a step at a time, as the system does. */
export class Driver<R = void> {
  result: R | undefined;
  done = false;

  constructor(
    readonly task: Task,
    body: Step<R>,
    private readonly all: Task[] = [task],
  ) {
    task.body = body as Step;
    const r = body.next();
    if (r.done) throw new Error('kernel path without a step');
    task.point = r.value;
    task.state = 'running';
    settle(all);
  }

  /** The label of the next step. */
  get next(): Label | null {
    return this.task.point?.label ?? null;
  }

  get point(): Point | null {
    return this.task.point;
  }

  /** Runs the next step; throws if the task cannot run. Returns the label run. */
  step(choice?: StepChoice): Label {
    const t = this.task;
    if (t.state !== 'running' || !t.point) throw new Error(`${t.id} cannot step: ${t.state}`);
    const label = t.point.label;
    const r = (t.body as Step<R>).next(choice);
    t.woken = false;
    if (r.done) {
      this.done = true;
      this.result = r.value;
      t.state = 'idle';
      t.point = null;
    } else {
      t.point = r.value;
    }
    settle(this.all);
    return label;
  }

  /** Steps until the next label is `label` (not run), the path ends, or the task cannot run. */
  until(label: Label | null): Label[] {
    const out: Label[] = [];
    while (!this.done && this.next !== label && this.task.state === 'running') out.push(this.step());
    return out;
  }
}

/** The subset of the system API the helpers below use. */
interface Steppable {
  step(task: string, choice?: StepChoice): { label: Label };
  start(task: string, op: Operation): { label: Label };
  munmap(file: string): { label: Label };
  mmap(file: string): { label: Label };
  snapshot(): { tasks: Readonly<Record<string, { next: Label | null; state: string }>> };
}

/** Steps `task` until its next step is `label` (not run), or it goes idle, blocks or sleeps;
 *  returns the labels run. */
export function stepUntil(sys: Steppable, task: string, label: Label | null): Label[] {
  const out: Label[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = sys.snapshot().tasks[task]!;
    if (t.next === label || t.state !== 'running') return out;
    out.push(sys.step(task).label);
  }
  throw new Error(`${task} never reached ${label}`);
}

/** Plays the moves of `schedule` that the system accepts and skips those it refuses (a task
 *  blocked or asleep there): the same moves under a protocol that makes tasks wait. */
export function playAllowedMoves(sys: Steppable, schedule: readonly ScheduleEntry[]): void {
  for (const e of schedule) {
    try {
      if (typeof e === 'string') sys.step(e);
      else if ('mm' in e) {
        if (e.mm === 'Munmap') sys.munmap(e.file);
        else sys.mmap(e.file);
      } else if ('start' in e) sys.start(e.task, e.start);
      else sys.step(e.task, e.choice);
    } catch (err) {
      if (!(err instanceof Error) || err.name !== 'DaxModelError') throw err;
    }
  }
}
