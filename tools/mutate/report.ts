// What mutation testing reports: each mutant's result (killed by a named kind of check, survived,
// timed out, crashed, equivalent), the totals and kill rate `dax-model mutate --json` prints, and
// the whole run's report. Only a check that fails kills: a timeout or a crash (a worker that died,
// ran out of memory, or a suite that threw) says nothing about what the checks see.
import type { Mutant, NonCompilingMutant } from './mutants.ts';
import type { Outcome, WorkerReport } from './suite-worker.ts';
import type { UnitOutcome } from './unit-tests.ts';

/** A mutant without its full text: what reports carry. */
export type MutantInfo = Omit<Mutant, 'text'>;

type MutantStatus = 'killed' | 'survived' | 'timed out' | 'crashed' | 'equivalent';

/**
 * The kinds of check that kill: a mapped step the spec does not allow (trace replay of the corpus,
 * a fast-check step or initial state, TLC's batch), a task the spec lets move that the
 * implementation holds (or the reverse, a deadlock, a refuted liveness property), a broken
 * invariant (or a corruption / WARN event), a committed counterexample not reproduced, a unit test
 * of impl/. 'differential' is --audit-equivalents' own check; 'other' a check name this file does
 * not know (a stub suite's).
 */
const KILL_KINDS = ['divergence', 'enabledness', 'invariant', 'counterexample replay', 'unit test'] as const;
export type KillKind = (typeof KILL_KINDS)[number] | 'differential' | 'other';

export interface MutantResult {
  mutant: MutantInfo;
  status: MutantStatus;
  /** For a killed mutant, the kind of the first check that failed. */
  killKind?: KillKind;
  /** For a killed mutant, that check as named: the suite's divergences[0].check (with the
   *  fast-check failure's own check, `fast-check/enabled`), or `unit` */
  killedBy?: string;
  /** The first divergence's, failing test's, crash's message; the reason for an equivalent one. */
  message?: string;
  seconds: number;
}

/** The figures `dax-model mutate --json` prints, exactly. */
export interface MutationTotals {
  /** Compiling mutants selected (equivalent ones included). */
  mutants: number;
  /** Killed by a check that failed. */
  killed: number;
  /** The killed ones by the kind of check that killed them (the five kinds always listed). */
  killedByKind: Partial<Record<KillKind, number>>;
  survived: number;
  /** Over the per-mutant budget: not a kill. */
  timedOut: number;
  /** The worker died (out of memory, exit), the suite or vitest threw: not a kill. */
  crashed: number;
  /** Listed in the equivalents file with today's function hash: not run, not in the kill rate. */
  equivalent: number;
  /** Equivalent records not used because their function changed (or was never hashed). */
  stale: number;
  /** killed / (mutants - equivalent): timed-out and crashed mutants count against it. 1 when none ran. */
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
  /** Records of mutants of this run whose function changed since they were judged: one line
   *  each, asking for re-judgement; their mutants ran like any other. */
  staleRecords: string[];
  /** Unit test files left out because they fail on the unmutated implementation, one line each. */
  unitTestsLeftOut: string[];
  /** The suite's report on the unmutated implementation; null if interrupted before it ended. */
  baseline: WorkerReport | null;
  budgetMs: number;
  /** Aborted (signal or Ctrl-C) before every mutant ran; results hold those that finished. */
  interrupted: boolean;
}

/** A mutant's report entry: everything but its text. */
export function info(m: Mutant): MutantInfo {
  const { text: _text, ...rest } = m;
  return rest;
}

/** The kind of a suite divergence: by its check name, and for fast-check by the execution check. */
export function killKindOf(check: string, failure?: string): KillKind {
  if (check === 'unit') return 'unit test';
  if (check.startsWith('cex:')) return 'counterexample replay';
  if (check.startsWith('differential:')) return 'differential';
  if (check === 'corpus' || check === 'tlc-batch') return 'divergence';
  if (check === 'fast-check' || check.startsWith('variant:')) {
    if (failure === 'enabled' || failure === 'deadlock' || failure === 'liveness') return 'enabledness';
    if (failure === 'invariant' || failure === 'event') return 'invariant';
    // 'step', 'init', and a failure fast-check raised outside validation (a throw in a step).
    return 'divergence';
  }
  return 'other';
}

/** A mutant's result from how its run of the suite ended; null when it passed (next check). */
export function suiteVerdict(m: Mutant, o: Exclude<Outcome, { kind: 'aborted' }>, seconds: number): MutantResult | null {
  if (o.kind === 'timeout') return { mutant: info(m), status: 'timed out', seconds };
  if (o.kind === 'threw') return { mutant: info(m), status: 'crashed', message: o.message, seconds };
  if (o.report.divergences.length > 0) {
    const d = o.report.divergences[0]!;
    return {
      mutant: info(m),
      status: 'killed',
      killKind: killKindOf(d.check, d.failure),
      killedBy: d.failure ? `${d.check}/${d.failure}` : d.check,
      message: d.message,
      seconds,
    };
  }
  return null;
}

/** A mutant's result from its unit tests' run, after the suite passed it. */
export function unitVerdict(m: Mutant, o: Exclude<UnitOutcome, { kind: 'aborted' }>, seconds: number): MutantResult {
  if (o.kind === 'timeout') return { mutant: info(m), status: 'timed out', message: 'unit tests', seconds };
  if (o.kind === 'crashed') return { mutant: info(m), status: 'crashed', message: o.message, seconds };
  if (o.kind === 'failed')
    return { mutant: info(m), status: 'killed', killKind: 'unit test', killedBy: 'unit', message: `${o.test}: ${o.message}`, seconds };
  return { mutant: info(m), status: 'survived', seconds };
}

/** Totals from results; exported for reports assembled elsewhere (bench). */
export function totalsOf(results: readonly MutantResult[], seconds: number, stale = 0): MutationTotals {
  const count = (s: MutantStatus): number => results.filter((r) => r.status === s).length;
  const [killed, survived, timedOut, crashed, equivalent] = [
    count('killed'),
    count('survived'),
    count('timed out'),
    count('crashed'),
    count('equivalent'),
  ];
  const killedByKind: Partial<Record<KillKind, number>> = Object.fromEntries(KILL_KINDS.map((k) => [k, 0]));
  for (const r of results) if (r.status === 'killed') killedByKind[r.killKind ?? 'other'] = (killedByKind[r.killKind ?? 'other'] ?? 0) + 1;
  const judged = killed + survived + timedOut + crashed;
  return {
    mutants: results.length,
    killed,
    killedByKind,
    survived,
    timedOut,
    crashed,
    equivalent,
    stale,
    killRate: judged === 0 ? 1 : Math.round((killed / judged) * 10_000) / 10_000,
    seconds: Math.round(seconds * 10) / 10,
  };
}
