// Differential runs of this checkout's implementation against a reference checkout's, for
// `dax-model mutate --audit-equivalents`: a mutant recorded as equivalent must behave exactly as
// the original under the same schedules, in everything the harness can look at (moves offered,
// mapped states, tasks that can move and how the others wait, events, errors), on every config
// small enough to explore (variants, kernel versions and feature configs included), both
// profiles. A difference refutes the record.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { normalizeState, valueKey } from '../lib/values/canonical.ts';
import { seededRandom } from '../lib/values/seeded-random.ts';
import { availableMoves, type Execution, runSchedule } from './executions.ts';
import { readModelConstants, systemForModel } from './model.ts';
import { FAST_CHECK_CONFIGS, smallConfigs } from './fast-check-configs.ts';

export interface DifferentialOptions {
  /** The checkout whose implementation is the reference (the original, unmutated). */
  referenceRoot: string;
  /** Random schedules per config and profile. Default 30 (about 12 s over every config). */
  runs?: number;
  seed?: number;
  maxSteps?: number;
  budgetMs?: number;
  profile?: 'xfs' | 'ext4';
}

type RunSchedule = typeof runSchedule;

/** What one side did under a schedule, as comparable text. */
function observe(run: () => Execution): string[] {
  let ex: Execution;
  try {
    ex = run();
  } catch (e) {
    return [`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`];
  }
  const tasks = (s: ReadonlySet<string>): string => [...s].sort().join(',');
  const out = [`init ${valueKey(normalizeState(ex.init) as never)} moves ${tasks(ex.enabledInit)} waiting ${ex.waitingInit.join('; ')}`];
  for (const s of ex.steps) {
    out.push(`${s.task} ${s.label} ${JSON.stringify(s.params)} -> ${valueKey(normalizeState(s.after) as never)} moves ${tasks(s.enabledAfter)} waiting ${s.waitingAfter.join('; ')}${s.implError ? ` error ${s.implError}` : ''}`);
  }
  out.push(`events ${JSON.stringify(ex.events)} stuck ${ex.stuck}`);
  return out;
}

/**
 * Runs the same random schedules on this checkout's implementation and the reference's, and
 * reports the first difference of each config and profile. Shaped like the conformance suite's
 * runConformance so that the mutation runner can run it in a worker per mutant.
 */
export async function runConformance(o: DifferentialOptions): Promise<{ traces: number; steps: number; actionsCovered: number; actionsTotal: number; fastCheckRuns: number; divergences: { check: string; message: string }[]; stepsPerSecond: number; seconds: number }> {
  const started = performance.now();
  const reference = (await import(pathToFileURL(path.join(o.referenceRoot, 'conformance', 'executions.ts')).href)) as { runSchedule: RunSchedule };
  const configs = [...FAST_CHECK_CONFIGS, ...smallConfigs()];
  const profiles = o.profile ? [o.profile] : (['xfs', 'ext4'] as const);
  const runs = o.runs ?? 30;
  const maxSteps = o.maxSteps ?? 60;
  const random = seededRandom(o.seed ?? 20261130);
  const divergences: { check: string; message: string }[] = [];
  let steps = 0;
  outer: for (const config of configs) {
    const constants = readModelConstants(config);
    for (const profile of profiles) {
      for (let r = 0; r < runs; r++) {
        if (o.budgetMs !== undefined && performance.now() - started > o.budgetMs) break outer;
        // Picks scaled to the moves offered, so that small and large pick values both occur.
        const width = Math.max(1, availableMoves(systemForModel(constants, profile)).length * 4);
        const picks = Array.from({ length: maxSteps }, () => Math.floor(random() * width));
        const mine = observe(() => runSchedule(constants, picks, { profile }));
        const theirs = observe(() => reference.runSchedule(constants, picks, { profile }));
        steps += mine.length;
        const i = mine.findIndex((line, k) => line !== theirs[k]);
        if (i >= 0 || mine.length !== theirs.length) {
          const at = i >= 0 ? i : Math.min(mine.length, theirs.length);
          divergences.push({ check: `differential:${config}`, message: `[${profile}] picks [${picks.join(', ')}]: at line ${at}: mutant ${(mine[at] ?? '(ends)').slice(0, 900)} | original ${(theirs[at] ?? '(ends)').slice(0, 900)}`.slice(0, 2400) });
          break outer;
        }
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { traces: 0, steps, actionsCovered: 0, actionsTotal: 0, fastCheckRuns: runs, divergences, stepsPerSecond: steps / seconds, seconds };
}
