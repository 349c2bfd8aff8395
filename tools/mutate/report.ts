// What mutation testing reports: each mutant's result (killed, survived, timed out, equivalent),
// the totals and kill rate `dax-model mutate --json` prints, and the whole run's report.
import type { Mutant, NonCompilingMutant } from './mutants.ts';
import type { Outcome, SuiteReport } from './suite-worker.ts';

/** A mutant without its full text: what reports carry. */
export type MutantInfo = Omit<Mutant, 'text'>;

export type MutantStatus = 'killed' | 'survived' | 'timed out' | 'equivalent';

export interface MutantResult {
  mutant: MutantInfo;
  status: MutantStatus;
  /** For a killed mutant, the first check that failed (divergences[0].check), or 'exception'. */
  killedBy?: string;
  /** The first divergence's or the exception's message; the reason for an equivalent one. */
  message?: string;
  seconds: number;
}

/** The figures `dax-model mutate --json` prints, exactly. */
export interface MutationTotals {
  /** Compiling mutants selected (equivalent ones included). */
  mutants: number;
  killed: number;
  survived: number;
  timedOut: number;
  /** Listed in the equivalents file: not run, not in the kill rate. */
  equivalent: number;
  /** (killed + timedOut) / (mutants - equivalent); a mutant that hangs the suite is detected
   *  (the harness would never finish), as in Stryker's mutation score. 1 when nothing ran. */
  killRate: number;
  seconds: number;
}

export interface MutationReport {
  totals: MutationTotals;
  /** Mutants run per minute of the mutant phase (generation and the unmutated run excluded). */
  mutantsPerMinute: number;
  results: MutantResult[];
  /** Skipped because the mutated file does not type-check. */
  notCompiling: NonCompilingMutant[];
  /** Ids in the equivalents file that no mutant of this run has (stale after an edit), when
   *  the run looked at every mutant (no --since, --operators or --limit). */
  staleEquivalents: string[];
  /** The suite's report on the unmutated implementation; null if interrupted before it ended. */
  baseline: SuiteReport | null;
  budgetMs: number;
  /** Aborted (signal or Ctrl-C) before every mutant ran; results hold those that finished. */
  interrupted: boolean;
}

/** A mutant's report entry: everything but its text. */
export function info(m: Mutant): MutantInfo {
  const { text: _text, ...rest } = m;
  return rest;
}

/** A mutant's result from how its run of the suite ended. */
export function resultOf(m: Mutant, o: Outcome, seconds: number): MutantResult {
  if (o.kind === 'timeout') return { mutant: info(m), status: 'timed out', seconds };
  if (o.kind === 'threw') return { mutant: info(m), status: 'killed', killedBy: 'exception', message: o.message, seconds };
  if (o.kind === 'report' && o.report.divergences.length > 0) {
    const d = o.report.divergences[0]!;
    return { mutant: info(m), status: 'killed', killedBy: d.check, message: d.message, seconds };
  }
  return { mutant: info(m), status: 'survived', seconds };
}

/** Totals from results; exported for reports assembled elsewhere (bench). */
export function totalsOf(results: readonly MutantResult[], seconds: number): MutationTotals {
  const count = (s: MutantStatus): number => results.filter((r) => r.status === s).length;
  const [killed, survived, timedOut, equivalent] = [count('killed'), count('survived'), count('timed out'), count('equivalent')];
  const judged = killed + survived + timedOut;
  return {
    mutants: results.length,
    killed,
    survived,
    timedOut,
    equivalent,
    killRate: judged === 0 ? 1 : Math.round(((killed + timedOut) / judged) * 10_000) / 10_000,
    seconds: Math.round(seconds * 10) / 10,
  };
}
