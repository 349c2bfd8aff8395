// Exit codes of the dax-model command line, distinct for "the model or the code is wrong" and
// "the run itself could not be done".

export const EXIT = {
  /** Every verdict matched its expectation; no divergence. */
  ok: 0,
  /** A verdict did not match, a divergence or an invariant failure was found, a mutant survived. */
  mismatch: 1,
  /** Bad command line or bad input (unknown config, malformed trace, a module or cfg of a checked
   *  config that does not parse, ...). */
  usage: 2,
  /** The run could not be done: missing Java or jar, a spec or config TLC rejects, time-out, crash. */
  runFailed: 3,
  /** Interrupted (Ctrl-C, SIGINT): 128 + 2, as a shell reports it. */
  interrupted: 130,
  /** Terminated (SIGTERM): 128 + 15. */
  terminated: 143,
} as const;
