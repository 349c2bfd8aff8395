// conformance/equivalent-mutants.json: the mutants a reviewer judged equivalent (no behaviour of
// the implementation can tell them from the original), each with the reason, kept out of the
// kill rate. Committed, so that the judgement is reviewed like code.
import { existsSync, readFileSync } from 'node:fs';

/** One reviewed equivalent mutant. */
export interface EquivalentMutant {
  /** The mutant's id as `dax-model mutate` prints it (file:operator:hash). */
  id: string;
  /** Why no behaviour can distinguish it, e.g. "log message only". */
  reason: string;
}

/** A malformed equivalents file. */
export class EquivalentsError extends Error {
  override name = 'EquivalentsError';
}

/**
 * Reads the equivalents file: a JSON array of {id, reason}. A missing file means none.
 * @throws EquivalentsError on malformed JSON, a missing or empty id or reason, or a repeated id.
 */
export function loadEquivalents(file: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(file)) return out;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new EquivalentsError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw new EquivalentsError(`${file}: expected an array of {"id", "reason"}`);
  data.forEach((entry: unknown, i) => {
    const e = entry as Partial<EquivalentMutant> | null;
    if (!e || typeof e.id !== 'string' || e.id === '' || typeof e.reason !== 'string' || e.reason.trim() === '') {
      throw new EquivalentsError(`${file}: entry ${i} needs a non-empty "id" and "reason"`);
    }
    if (out.has(e.id)) throw new EquivalentsError(`${file}: id '${e.id}' is listed twice`);
    out.set(e.id, e.reason);
  });
  return out;
}
