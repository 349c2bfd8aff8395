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
  // taskSlots without building it (this runs once a step): the tasks in name order, each with its
  // weight; the slot pick % total falls in one task's run of slots. One pass over the moves
  // counts each task's moves and whether all of them end a DMA.
  const tasks: string[] = [];
  const own: number[] = [];
  const dmaOnly: boolean[] = [];
  for (const m of moves) {
    let i = tasks.indexOf(m.task);
    if (i < 0) {
      i = tasks.push(m.task) - 1;
      own.push(0);
      dmaOnly.push(true);
    }
    own[i]!++;
    if (m.label !== 'DmaComplete') dmaOnly[i] = false;
  }
  const order = tasks.map((_, i) => i).sort((a, b) => (tasks[a]! < tasks[b]! ? -1 : tasks[a]! > tasks[b]! ? 1 : 0));
  let total = 0;
  for (const i of order) total += dmaOnly[i] ? 1 : CPU_WEIGHT;
  let slot = pick % total;
  let k = 0;
  while (slot >= (dmaOnly[order[k]!] ? 1 : CPU_WEIGHT)) slot -= dmaOnly[order[k++]!] ? 1 : CPU_WEIGHT;
  const chosen = order[k]!;
  const task = tasks[chosen]!;
  let nth = Math.floor(pick / total) % own[chosen]!;
  for (const m of moves) if (m.task === task && nth-- === 0) return m;
  throw new Error('pickMove: unreachable');
}

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
