// Scheduler weighting: how a pick (one number of a schedule) chooses among the available moves,
// task first and CPU-bound tasks CPU_WEIGHT times as often as a task whose only move ends its DMA,
// and the inverse (the pick that chooses a given move).
import type { Move } from './moves.ts';

/**
 * The move a pick chooses: first a task, pick mod (number of task slots, taskSlots), then one of
 * that task's moves, (pick div number of slots) mod (its number of moves).
 * Choosing among tasks first gives each task its chance whatever its number of moves: picked
 * among all moves at once, a pinned user's DmaComplete (one move per put path) or a fault's block
 * choices would crowd out the other tasks, and a race needing the pin held over a dozen steps of
 * the file-system task would almost never be generated.
 */
export function pickMove(moves: readonly Move[], pick: number): Move {
  // taskSlots without building it (this runs once a step, and allocates nothing): the tasks in
  // name order, each with its weight; the slot pick % total falls in one task's run of slots.
  // One pass over the moves collects each task (kept sorted by insertion), its number of moves
  // and whether all of them end a DMA.
  let n = 0;
  for (const m of moves) {
    let i = 0;
    while (i < n && TASKS[i]! < m.task) i++;
    if (i === n || TASKS[i] !== m.task) {
      if (n === MAX_TASKS) throw new Error(`pickMove: more than ${MAX_TASKS} tasks can move`);
      for (let j = n; j > i; j--) {
        TASKS[j] = TASKS[j - 1]!;
        OWN[j] = OWN[j - 1]!;
        DMA_ONLY[j] = DMA_ONLY[j - 1]!;
      }
      TASKS[i] = m.task;
      OWN[i] = 0;
      DMA_ONLY[i] = 1;
      n++;
    }
    OWN[i]!++;
    if (m.label !== 'DmaComplete') DMA_ONLY[i] = 0;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += DMA_ONLY[i] ? 1 : CPU_WEIGHT;
  let slot = pick % total;
  let k = 0;
  while (slot >= (DMA_ONLY[k] ? 1 : CPU_WEIGHT)) slot -= DMA_ONLY[k++] ? 1 : CPU_WEIGHT;
  const task = TASKS[k]!;
  let nth = Math.floor(pick / total) % OWN[k]!;
  for (const m of moves) if (m.task === task && nth-- === 0) return m;
  throw new Error('pickMove: unreachable');
}

// pickMove's per-task scratch: no schedule has more tasks than these hold (the mm and the
// configured tasks; the largest configs have five).
const MAX_TASKS = 64;
const TASKS: string[] = new Array<string>(MAX_TASKS).fill('');
const OWN = new Int32Array(MAX_TASKS);
const DMA_ONLY = new Uint8Array(MAX_TASKS);

/** How many times more often a task is chosen than one whose only move ends its DMA. */
export const CPU_WEIGHT = 8;

/**
 * The tasks that can move, in the order of their names, each CPU_WEIGHT times, except a task
 * whose only move is DmaComplete, once: a DMA lasts far longer than a kernel path's step, and
 * the races of this protocol are a pin held while other tasks run a dozen steps or more (with
 * equal weights, 4.18's retry flag and the missing restart were not found in 1,000 runs).
 */
function taskSlots(moves: readonly Move[]): string[] {
  const tasks = [...new Set(moves.map((m) => m.task))].sort();
  return tasks.flatMap((t) => Array<string>(moves.every((m) => m.task !== t || m.label === 'DmaComplete') ? 1 : CPU_WEIGHT).fill(t));
}

/** The pick that chooses moves[index] (pickMove's inverse, the smallest such pick). */
export function pickOf(moves: readonly Move[], index: number): number {
  const slots = taskSlots(moves);
  const task = moves[index]!.task;
  const own = moves.filter((m) => m.task === task);
  return slots.indexOf(task) + slots.length * own.indexOf(moves[index]!);
}
