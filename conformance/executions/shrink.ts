// The shrinker: a failing schedule minimised over its moves by identity (delta debugging, then
// relocating single moves), replayed as picks; fast-check's own shrinking of the picks reshuffles
// every later choice.
import type { FsProfileName } from '../../impl/index.ts';
import { systemForModel, type ModelConstants } from '../model/model.ts';
import { availableMoves, sameMove, takeMove, type Move } from './moves.ts';
import { pickMove, pickOf } from './scheduler.ts';
import { runSchedule, type Execution } from './run.ts';

/** The moves an execution took, by identity (task, label, operation, choice). */
function movesOf(ex: Execution, picks: readonly number[], constants: ModelConstants, profile?: FsProfileName): Move[] {
  const sys = systemForModel(constants, profile);
  const out: Move[] = [];
  for (const pick of picks.slice(0, ex.steps.length)) {
    const m = pickMove(availableMoves(sys), pick);
    takeMove(sys, m);
    out.push(m);
  }
  return out;
}

/** Picks that replay a list of moves, skipping moves that are not available when their turn comes. */
function picksFor(moves: readonly Move[], constants: ModelConstants, profile?: FsProfileName): number[] {
  const sys = systemForModel(constants, profile);
  const picks: number[] = [];
  for (const want of moves) {
    const avail = availableMoves(sys);
    const i = avail.findIndex((m) => sameMove(m, want));
    if (i < 0) continue;
    picks.push(pickOf(avail, i));
    takeMove(sys, avail[i]!);
  }
  return picks;
}

/** Tries a list of moves; true when it replays to a shorter schedule that still fails (and is kept). */
type Attempt = (moves: Move[]) => boolean;

/** Delta debugging: drops chunks of moves, halving the chunk size, until no drop still fails. */
function dropChunks(moves: () => Move[], attempt: Attempt, budgetLeft: () => boolean): void {
  for (let chunk = Math.max(1, Math.floor(moves().length / 2)); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    let improved = true;
    while (improved && budgetLeft()) {
      improved = false;
      const ms = moves();
      for (let i = 0; i + chunk <= ms.length && budgetLeft(); i++) {
        if (attempt([...ms.slice(0, i), ...ms.slice(i + chunk)])) {
          improved = true;
          break;
        }
      }
    }
  }
}

/**
 * Moves one move to another position. Dropping alone cannot shorten a race whose step happens
 * too early: e.g. a pin taken before the scan, then released, then a second GUP after the scan
 * (four extra steps) is one pin taken after the scan. Moved there, the moves that only served
 * the detour are no longer available when their turn comes, so picksFor skips them and the
 * replay is shorter. Stops at the first success so that dropping runs again.
 */
function relocateOne(ms: Move[], attempt: Attempt, budgetLeft: () => boolean): boolean {
  for (let i = 0; i < ms.length; i++) {
    for (let j = 0; j < ms.length && budgetLeft(); j++) {
      if (j === i) continue;
      const rest = [...ms.slice(0, i), ...ms.slice(i + 1)];
      if (attempt([...rest.slice(0, j), ms[i]!, ...rest.slice(j)])) return true;
    }
  }
  return false;
}

/**
 * Shrinks a failing schedule over its moves: delta debugging (drop chunks, then single moves),
 * then relocating single moves, repeated until neither helps or maxTries candidates were run.
 * fast-check shrinks the picks, but a smaller pick early on reshuffles every later choice;
 * editing moves by identity keeps the rest of the race intact. Every accepted candidate is
 * strictly shorter, so this terminates, and it is deterministic for a deterministic `fails`.
 */
export function minimizeSchedule(
  constants: ModelConstants,
  picks: readonly number[],
  fails: (picks: number[]) => boolean,
  opts: { maxTries?: number; profile?: FsProfileName } = {},
): number[] {
  let best = [...picks];
  let moves = movesOf(runSchedule(constants, best, opts), best, constants, opts.profile);
  let tries = 0;
  const maxTries = opts.maxTries ?? 2000;
  const budgetLeft = (): boolean => tries < maxTries;
  const attempt: Attempt = (candidate) => {
    tries++;
    const p = picksFor(candidate, constants, opts.profile);
    if (p.length >= best.length || !fails(p)) return false;
    best = p;
    moves = movesOf(runSchedule(constants, best, opts), best, constants, opts.profile);
    return true;
  };
  dropChunks(() => moves, attempt, budgetLeft);
  while (budgetLeft() && relocateOne(moves, attempt, budgetLeft)) dropChunks(() => moves, attempt, budgetLeft);
  return best;
}
