// The inputs of the conformance suite (suite.ts): the profiles, the committed trace corpus and
// counterexamples, each config's fast-check seed, and the error for an input file the suite cannot
// use. Which configs fast-check runs on is fast-check-configs.ts's.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ManifestError } from '../../lib/check/manifest.ts';
import { TlaParseError } from '../../lib/values/tlc-text.ts';
import { MappingError } from '../refinement/mapping.ts';
import { ModelConstantsError } from '../model/model.ts';
import { ReplayInputError } from '../replay/replay.ts';
import { FS_PROFILE_NAMES, type FsProfileName } from '../../impl/index.ts';
import { CorpusError, corpusFiles, TRACES_DIR } from '../traces/corpus-manifest.ts';

/** A corpus or counterexample file the suite cannot use; the message names the file. */
export class ConformanceInputError extends Error {
  override readonly name = 'ConformanceInputError';
}

/** Runs `read` on the contents of `file`, turning an error in them into a ConformanceInputError
 *  that names the file. */
export function namingFile<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (
      e instanceof ReplayInputError ||
      e instanceof MappingError ||
      e instanceof ModelConstantsError ||
      e instanceof ManifestError ||
      e instanceof TlaParseError
    ) {
      throw new ConformanceInputError(`${file}: ${e.message}`);
    }
    throw e;
  }
}

/**
 * The fast-check seed of one config and profile: a 31-bit FNV-1a hash of the run's seed, the config
 * and the profile, so that every round explores its own schedules (one seed for all made every
 * config report the same step count) while one printed number still reproduces the whole run.
 */
export function deriveSeed(seed: number, config: string, profile: Profile): number {
  let h = 0x811c9dc5;
  for (const c of `${seed}/${path.basename(config, '.cfg')}/${profile}`) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

export type Profile = FsProfileName;
/** Every profile, in the order the suite runs them (impl's FS_PROFILE_NAMES). */
export const PROFILES: readonly Profile[] = FS_PROFILE_NAMES;

/** The committed corpus: conformance/traces/manifest.json and its ITF files. */
export { TRACES_DIR };

export interface CorpusTrace {
  file: string;
  config: string;
}

/** The traces of a corpus folder, read by the corpus's own reader (traces/corpus-manifest.ts);
 *  a manifest it rejects is an input the suite cannot use. */
export function corpusTraces(dir: string): CorpusTrace[] {
  try {
    return corpusFiles(dir);
  } catch (e) {
    if (e instanceof CorpusError) throw new ConformanceInputError(`cannot read the corpus manifest: ${e.message}`);
    throw e;
  }
}

export function savedCounterexamples(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cex.json'))
    .sort()
    .map((f) => path.join(dir, f));
}
