// The move vocabulary of an implementation execution: what the system can do now (step a task,
// with a block or put-path choice; start an operation; the mm's munmap/mmap), taking one, and a
// move's identity (what the shrinker replays by).
import { MM_TASK, type DaxSystem, type Operation, type StepChoice, type StepRecord } from '../../impl/index.ts';

/** One thing the system can do now: step a started task, or start an operation on an idle one. */
export interface Move {
  /** 'mm': the mm's munmap / mmap of `file` (task MM_TASK). */
  kind: 'step' | 'start' | 'mm';
  task: string;
  label: string;
  op?: Operation;
  file?: string;
  choice?: StepChoice;
  /** A FaultAllocBlock step taken without a choice: the block the allocator must then take (the
   *  first free one in configured order), so that the default path is checked too. */
  defaultBlock?: string;
}

/** Every move available now, in a fixed order (runnable steps, one per block choice, then starts). */
export function availableMoves(sys: DaxSystem): Move[] {
  const moves: Move[] = [];
  for (const r of sys.runnable()) {
    const choices = r.label === 'FaultAllocBlock' || r.label === 'FsPrealloc' ? sys.choices(r.task) : [];
    const paths = r.label === 'DmaComplete' ? sys.putPaths(r.task) : [];
    if (paths.length > 0) {
      // The default (no choice) is put_page, the first path: one move per path covers it.
      for (const path of paths)
        moves.push({ kind: 'step', task: r.task, label: r.label, ...(path === 'put_page' ? {} : { choice: { path } }) });
    } else if (choices.length === 0) moves.push({ kind: 'step', task: r.task, label: r.label });
    else {
      for (const block of choices) moves.push({ kind: 'step', task: r.task, label: r.label, choice: { block } });
      moves.push({ kind: 'step', task: r.task, label: r.label, defaultBlock: choices[0]! });
    }
  }
  for (const s of sys.startable()) moves.push({ kind: 'start', task: s.task, label: s.label, op: s.op });
  for (const m of sys.mmMoves()) moves.push({ kind: 'mm', task: MM_TASK, label: m.label, file: m.file });
  return moves;
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
