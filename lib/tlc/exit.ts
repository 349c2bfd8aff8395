// TLC's exit codes, typed: tlc2.output.EC$ExitStatus in TLC 2.20, plus what the JVM reports
// when it is killed by a signal.

/** What a TLC exit code means (tlc2.output.EC$ExitStatus in TLC 2.20, plus the JVM's own cases). */
type TlcExitMeaning =
  | 'success' // 0
  | 'usage-error' // 1: TLC rejected its command line (message 1102), not part of EC$ExitStatus
  | 'violation-assumption' // 10
  | 'violation-deadlock' // 11
  | 'violation-safety' // 12: invariant (also a PROPERTY of the form []P)
  | 'violation-liveness' // 13: temporal or action property
  | 'violation-assert' // 14: TLC!Assert failed
  | 'failure-spec-eval' // 75
  | 'failure-safety-eval' // 76
  | 'failure-liveness-eval' // 77
  | 'parse-error' // 150
  | 'config-error' // 151
  | 'statespace-too-large' // 152
  | 'system-error' // 153
  | 'general-error' // 255: "TLC threw an unexpected exception", missing .cfg, bad -simulate file, ...
  | 'killed' // by a signal (ours on timeout/abort, or e.g. the OOM killer)
  | 'unknown';

/** TLC's exit status, typed. `code` is null when the process died from a signal. */
export interface TlcExit {
  code: number | null;
  signal?: string | null;
  meaning: TlcExitMeaning;
}

const EXIT_MEANINGS: Record<number, TlcExitMeaning> = {
  0: 'success',
  1: 'usage-error',
  10: 'violation-assumption',
  11: 'violation-deadlock',
  12: 'violation-safety',
  13: 'violation-liveness',
  14: 'violation-assert',
  75: 'failure-spec-eval',
  76: 'failure-safety-eval',
  77: 'failure-liveness-eval',
  150: 'parse-error',
  151: 'config-error',
  152: 'statespace-too-large',
  153: 'system-error',
  255: 'general-error',
  // The JVM exits 128+n after running its shutdown hooks on SIGTERM / SIGINT.
  143: 'killed',
  130: 'killed',
  137: 'killed',
};

/** Types a process exit as TLC means it. */
export function tlcExit(code: number | null, signal?: string | null): TlcExit {
  if (code === null) return { code, signal: signal ?? null, meaning: 'killed' };
  return { code, signal: signal ?? null, meaning: EXIT_MEANINGS[code] ?? 'unknown' };
}
