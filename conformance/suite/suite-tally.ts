// What the conformance suite's phases add to as they run (suite.ts runs them in order): the
// divergences found, the actions and steps covered, the validation time, the fast-check seeds, and
// the profile each config runs under (suiteProfiles) with what that choice leaves out.
import type { FsProfileName } from '../../impl/index.ts';
import type { ModelConstants } from '../model/model.ts';
import { suiteProfiles, type ReleaseScope } from '../model/release-model.ts';
import type { ShrunkFailure } from '../executions/fast-check-run.ts';
import type { Profile } from './suite-inputs.ts';

/** A fast-check failure, with what reproduces it. */
export interface FastCheckFailure {
  config: string;
  profile: Profile;
  /** fast-check's own seed and path: `conform --config C --profile P --seed S --path PATH`. */
  seed: number;
  path: string;
  maxSteps: number;
  shrunk: ShrunkFailure;
  /** The kernel version the run was built as, if any: the replay commands name it. */
  kernel?: string;
}

/** One thing the suite found wrong. */
export interface SuiteDivergence {
  /** Which check: "corpus", "fast-check", "cex:<config>". */
  check: string;
  /** One line. */
  message: string;
  /** More lines: the per-variable diff, or the shrunk schedule as a counterexample. */
  details?: string[];
  /** For a fast-check failure: the shrunk schedule and how to replay it. */
  fastCheck?: FastCheckFailure;
}

/** The seed one config and profile ran fast-check with. */
export interface FastCheckSeed {
  config: string;
  profile: Profile;
  seed: number;
  variant: boolean;
}

export class SuiteTally {
  readonly divergences: SuiteDivergence[] = [];
  /** Actions of the spec some replay or execution took. */
  readonly covered = new Set<string>();
  steps = 0;
  traces = 0;
  fastCheckRuns = 0;
  readonly fastCheckSeeds: FastCheckSeed[] = [];
  /** The time spent replaying and validating steps (not building graphs, not TLC's batch). */
  validationSeconds = 0;
  private readonly leftOut = new Set<string>();

  constructor(
    /** The kernel version's configs (all of them without one), and what is skipped for it. */
    readonly scope: ReleaseScope,
    /** The profile the run chose (a kernel version's, or `--profile`), if any. */
    readonly chosen: FsProfileName | undefined,
    private readonly failFast: boolean,
    readonly progress: (msg: string) => void,
  ) {}

  /** The profiles a config runs under: once, as suiteProfiles picks; what it leaves out is reported. */
  profilesOf(c: ModelConstants): readonly Profile[] {
    const r = suiteProfiles(c, this.chosen);
    for (const l of r.left) this.leftOut.add(l);
    return r.profiles;
  }

  /** Names the profile in a message only when the run did not choose one. */
  tag(profile: Profile): string {
    return this.chosen ? '' : ` [${profile}]`;
  }

  /** failFast and a divergence found: the remaining checks are not run. */
  stop(): boolean {
    return this.failFast && this.divergences.length > 0;
  }

  /** Runs `work`, its time counted as validation. */
  timed<T>(work: () => T): T {
    const t = performance.now();
    try {
      return work();
    } finally {
      this.validationSeconds += (performance.now() - t) / 1000;
    }
  }

  /** The checks left out: configs not the kernel version's, then profiles suiteProfiles left out. */
  notApplicable(): string[] {
    return [...this.scope.notApplicable(), ...this.leftOut];
  }
}
