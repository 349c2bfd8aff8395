// Judging an equivalent mutant by hand: `mutate --show ID` prints its diff and the declaration its
// function hash covers, with the recorded judgement and whether it is stale; `mutate --judge ID
// --reason "..."` records it with the hash of today's code. No suite runs: a reviewer judges.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { judgeRecord, loadEquivalents, recordEquivalent } from './equivalents.ts';
import type { Mutant } from './mutants.ts';
import { MutateError } from './options.ts';
import { plan } from './select.ts';

/** The mutant of today's code with this id (its file is the id's first field); `cache` keeps
 *  each file's planned mutants for the next id. */
export function findMutant(rootDir: string, id: string, cache = new Map<string, Mutant[]>()): Mutant {
  const file = id.split(':')[0] ?? '';
  if (!/^impl\/.+\.ts$/.test(file)) throw new MutateError(`'${id}' is not a mutant id (impl/…/file.ts:operator:hash)`);
  if (!cache.has(file))
    cache.set(
      file,
      plan(rootDir, { files: [file] }, undefined).map((p) => p.mutant),
    );
  const found = cache.get(file)!.find((m) => m.id === id);
  if (!found) throw new MutateError(`${file} has no mutant ${id} today`);
  return found;
}

/** What --show prints for each of `ids`: the mutant, its diff, its declaration, and the record if any. */
export function showMutants(rootDir: string, equivalentsFile: string, ids: readonly string[]): string {
  const cache = new Map<string, Mutant[]>();
  return ids.map((id) => showOne(rootDir, equivalentsFile, id, cache)).join('\n\n');
}

function showOne(rootDir: string, equivalentsFile: string, id: string, cache: Map<string, Mutant[]>): string {
  const m = findMutant(rootDir, id, cache);
  const lines = readFileSync(path.join(rootDir, m.file), 'utf8').split('\n');
  const [a, b] = m.declarationLines;
  const record = loadEquivalents(equivalentsFile).get(id);
  const verdict = record ? judgeRecord(record, m) : null;
  return [
    `${m.id}  ${m.file}:${m.line} (${m.functionName}) ${m.description}`,
    `function hash ${m.functionHash} (${m.file} lines ${a}-${b})`,
    verdict === null
      ? 'not recorded as equivalent'
      : verdict.kind === 'valid'
        ? `recorded equivalent: ${verdict.reason}`
        : `STALE: ${verdict.note}\n  recorded reason: ${record!.reason}`,
    m.diff.trimEnd(),
    `--- ${m.functionName} as it is today`,
    ...lines.slice(a - 1, b).map((l, i) => `${String(a + i).padStart(5)}  ${l}`),
  ].join('\n');
}

/** Records `id` as equivalent for `reason`, stamped with today's function hash. */
export function judgeMutant(rootDir: string, equivalentsFile: string, id: string, reason: string): Mutant {
  if (reason.trim() === '') throw new MutateError('--judge needs a non-empty --reason naming why no behaviour can tell the mutant apart');
  const m = findMutant(rootDir, id);
  recordEquivalent(equivalentsFile, { id, reason, functionHash: m.functionHash });
  return m;
}
