// conformance/equivalent-mutants.json: the mutants a reviewer judged equivalent (no behaviour of
// the implementation can tell them from the original), each with the reason and the hash of the
// function the reason argues from, kept out of the kill rate. Committed, so that the judgement is
// reviewed like code; a record whose function has changed since is stale and not used.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** One reviewed equivalent mutant. */
export interface EquivalentMutant {
  /** The mutant's id as `dax-model mutate` prints it (file:operator:hash). */
  id: string;
  /** Why no behaviour can distinguish it, naming the code it argues from. */
  reason: string;
  /** The mutant's functionHash (the enclosing declaration's text) when it was judged; a record
   *  without one was never judged against a text, and is stale. */
  functionHash?: string;
}

/** A malformed equivalents file. */
export class EquivalentsError extends Error {
  override name = 'EquivalentsError';
}

/**
 * Reads the equivalents file: a JSON array of {id, reason, functionHash}. A missing file means none.
 * @throws EquivalentsError on malformed JSON, a missing or empty id or reason, a functionHash that
 *   is not a string, or a repeated id.
 */
export function loadEquivalents(file: string): Map<string, EquivalentMutant> {
  const out = new Map<string, EquivalentMutant>();
  if (!existsSync(file)) return out;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new EquivalentsError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw new EquivalentsError(`${file}: expected an array of {"id", "reason", "functionHash"}`);
  data.forEach((entry: unknown, i) => {
    const e = entry as Partial<EquivalentMutant> | null;
    if (!e || typeof e.id !== 'string' || e.id === '' || typeof e.reason !== 'string' || e.reason.trim() === '') {
      throw new EquivalentsError(`${file}: entry ${i} needs a non-empty "id" and "reason"`);
    }
    if (e.functionHash !== undefined && typeof e.functionHash !== 'string')
      throw new EquivalentsError(`${file}: entry ${i}'s "functionHash" must be a string`);
    if (out.has(e.id)) throw new EquivalentsError(`${file}: id '${e.id}' is listed twice`);
    out.set(e.id, { id: e.id, reason: e.reason, ...(e.functionHash === undefined ? {} : { functionHash: e.functionHash }) });
  });
  return out;
}

/** A record the run may use (its function is as judged), or why it may not. */
export type EquivalentVerdict = { kind: 'valid'; reason: string } | { kind: 'stale'; note: string };

/**
 * Whether a record still holds for a mutant of today's code: only if it was judged against the
 * text its function has now. A stale record is not used: the mutant runs like any other.
 */
export function judgeRecord(
  record: EquivalentMutant,
  mutant: { id: string; functionHash: string; functionName: string },
): EquivalentVerdict {
  if (record.functionHash === mutant.functionHash) return { kind: 'valid', reason: record.reason };
  const why =
    record.functionHash === undefined
      ? 'was never judged against a function hash'
      : `was judged against ${mutant.functionName} as it was (hash ${record.functionHash}), which is now ${mutant.functionHash}`;
  return {
    kind: 'stale',
    note: `${record.id} ${why}: re-judge it (dax-model mutate --show ${record.id}) and record it with --judge ${record.id} --reason "..." or remove it`,
  };
}

/**
 * Records (or re-records) a judged equivalent with the function hash of today's code, in place if
 * the id is listed, else at the end; the file keeps its two-space JSON layout.
 */
export function recordEquivalent(file: string, record: Required<EquivalentMutant>): void {
  const list = [...loadEquivalents(file).values()];
  const at = list.findIndex((e) => e.id === record.id);
  const entry = { id: record.id, reason: record.reason.trim(), functionHash: record.functionHash };
  if (at >= 0) list[at] = entry;
  else list.push(entry);
  writeFileSync(file, `${JSON.stringify(list, null, 2)}\n`);
}
