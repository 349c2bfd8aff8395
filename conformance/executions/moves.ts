// The move vocabulary of an implementation execution: what the system can do now (step a task,
// with a block or put-path choice; start an operation; the mm's munmap/mmap), taking one, and a
// move's identity (what the shrinker replays by).
import {
  deepFreeze,
  MM_TASK,
  type DaxSystem,
  type Operation,
  type PutPath,
  type Startable,
  type StepChoice,
  type StepRecord,
} from '../../impl/index.ts';

/** One thing the system can do now: step a started task, or start an operation on an idle one. */
export interface Move {
  /** 'mm': the mm's munmap / mmap of `file` (task MM_TASK). */
  kind: 'step' | 'start' | 'mm';
  task: string;
  label: string;
  op?: Operation;
  file?: string;
  choice?: StepChoice;
  /** The choice the step takes, as the implementation offers it (sys.putPaths, sys.choices). */
  takes?: 'block' | 'path';
  /** A FaultAllocBlock step taken without a choice: the block the allocator must then take (the
   *  first free one in configured order), so that the default path is checked too. */
  defaultBlock?: string;
}

/** Every move available now, in a fixed order (runnable steps, one per block choice, then starts). */
export function availableMoves(sys: DaxSystem): Move[] {
  const moves: Move[] = [];
  const known = knownMoves(sys);
  for (const r of sys.runnable()) {
    // The implementation says which steps take a choice (impl/types.ts CHOICE_FIELDS): the others
    // have no put paths and no blocks to choose. Asking it, rather than naming the labels here,
    // keeps the table in one place and this harness able to drive an impl/ from before it.
    const paths = sys.putPaths(r.task);
    const choices = paths.length > 0 ? [] : sys.choices(r.task);
    if (paths.length > 0) {
      // The default (no choice) is put_page, the first path: one move per path covers it.
      for (const path of paths) moves.push(known.get(pathMove, r.task, r.label, path));
    } else if (choices.length === 0) moves.push(known.get(stepMove, r.task, r.label, ''));
    else {
      for (const block of choices) moves.push(known.get(blockMove, r.task, r.label, block));
      moves.push(known.get(defaultBlockMove, r.task, r.label, choices[0]!));
    }
  }
  for (const s of sys.startable()) moves.push(known.ofStart(s));
  for (const m of sys.mmMoves()) moves.push(known.get(mmMove, MM_TASK, m.label, m.file));
  return moves;
}

type MakeMove = (task: string, label: string, arg: string) => Move;
const stepMove: MakeMove = (task, label) => ({ kind: 'step', task, label });
const pathMove: MakeMove = (task, label, path) => ({
  kind: 'step',
  task,
  label,
  takes: 'path',
  ...(path === 'put_page' ? {} : { choice: { path: path as PutPath } }),
});
const blockMove: MakeMove = (task, label, block) => ({ kind: 'step', task, label, takes: 'block', choice: { block } });
const defaultBlockMove: MakeMove = (task, label, block) => ({ kind: 'step', task, label, takes: 'block', defaultBlock: block });
const mmMove: MakeMove = (task, label, file) => ({ kind: 'mm', task, label, file });

/**
 * The moves of one configuration, each built once and frozen: the harness asks for the moves
 * after every step, and the same few recur (a task's next step, the operations it may start).
 */
class KnownMoves {
  private readonly byName = new Map<MakeMove, Map<string, Map<string, Map<string, Move>>>>();
  private readonly byStart = new WeakMap<Startable, Move>();

  /** make(task, label, arg), built once: by maker, task, label and argument (no key strings). */
  get(make: MakeMove, task: string, label: string, arg: string): Move {
    let byTask = this.byName.get(make);
    if (byTask === undefined) this.byName.set(make, (byTask = new Map()));
    let byLabel = byTask.get(task);
    if (byLabel === undefined) byTask.set(task, (byLabel = new Map()));
    let byArg = byLabel.get(label);
    if (byArg === undefined) byLabel.set(label, (byArg = new Map()));
    let m = byArg.get(arg);
    if (m === undefined) byArg.set(arg, (m = deepFreeze(make(task, label, arg))));
    return m;
  }

  /** A start's move, by the implementation's Startable where it is shared (frozen: impl/startable.ts). */
  ofStart(s: Startable): Move {
    if (!Object.isFrozen(s)) return { kind: 'start', task: s.task, label: s.label, op: s.op };
    let m = this.byStart.get(s);
    if (m === undefined) this.byStart.set(s, (m = Object.freeze<Move>({ kind: 'start', task: s.task, label: s.label, op: s.op })));
    return m;
  }
}

const knownByConfig = new WeakMap<object, KnownMoves>();

function knownMoves(sys: DaxSystem): KnownMoves {
  let k = knownByConfig.get(sys.config);
  if (k === undefined) knownByConfig.set(sys.config, (k = new KnownMoves()));
  return k;
}

/** Takes a move on the system. */
export function takeMove(sys: DaxSystem, m: Move): StepRecord {
  if (m.kind === 'mm') return m.label === 'Munmap' ? sys.munmap(m.file!) : sys.mmap(m.file!);
  return m.kind === 'start' ? sys.start(m.task, m.op!) : sys.step(m.task, m.choice);
}

/** Are two moves the same move (task, label, operation, file, choice), whatever their pick? */
export function sameMove(a: Move, b: Move): boolean {
  return (
    a.kind === b.kind &&
    a.task === b.task &&
    a.label === b.label &&
    (a.file ?? null) === (b.file ?? null) &&
    JSON.stringify(a.op ?? null) === JSON.stringify(b.op ?? null) &&
    (a.choice?.block ?? null) === (b.choice?.block ?? null) &&
    (a.choice?.path ?? null) === (b.choice?.path ?? null)
  );
}
