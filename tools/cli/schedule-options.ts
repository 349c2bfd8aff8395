// The options shared by the commands that run random schedules (conform, diff): how many runs,
// the seed, the step limit and the profile, read and checked once, with one wording for a bad value.
import { FS_PROFILE_NAMES, isFsProfileName, type FsProfileName } from '../../impl/index.ts';
import { DEFAULT_MAX_STEPS } from '../../conformance/executions/executions.ts';

/** An integer option: its default when absent. @throws RangeError naming the option. */
function integerOption(v: string | undefined, name: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new RangeError(`--${name} must be an integer >= ${min}, not '${v}'`);
  return n;
}

export interface ScheduleOptions {
  runs: number;
  seed: number;
  maxSteps: number;
  profile: FsProfileName | undefined;
}

/** --runs, --seed, --max-steps and --profile, with the command's defaults.
 *  @throws RangeError with the one-line message for a bad value. */
export function scheduleOptions(
  values: { runs?: string | undefined; seed?: string | undefined; 'max-steps'?: string | undefined; profile?: string | undefined },
  defaults: { runs: number; minRuns: number; seed: number },
): ScheduleOptions {
  const runs = integerOption(values.runs, 'runs', defaults.runs, defaults.minRuns);
  const seed = integerOption(values.seed, 'seed', defaults.seed, 0);
  const maxSteps = integerOption(values['max-steps'], 'max-steps', DEFAULT_MAX_STEPS, 1);
  if (values.profile !== undefined && !isFsProfileName(values.profile))
    throw new RangeError(`--profile must be ${FS_PROFILE_NAMES.join(' or ')}`);
  return { runs, seed, maxSteps, profile: values.profile };
}
