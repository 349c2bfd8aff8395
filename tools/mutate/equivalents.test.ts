// Equivalent records hold only for the function text they were judged against: a record without a
// hash or with another one is stale (not used); --show prints a mutant with its function and
// record, --judge records it with today's hash, on a copy of the mini repository.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/paths.ts';
import { EquivalentsError, judgeRecord, loadEquivalents, recordEquivalent } from './equivalents.ts';
import { findMutant, judgeMutant, showMutants } from './judge.ts';
import { MutateError } from './options.ts';

const MINI = path.join(REPO_ROOT, 'tools/mutate/fixtures/mini-repo');
const TRACE = 'impl/counter.ts:delete-call:956f7274f0';
const m = { id: 'impl/a.ts:boundary:1', functionHash: 'aaaaaaaaaa', functionName: 'f' };

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'equivalents-test-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe("judging a record against today's code", () => {
  it('uses a record only with the function hash of today', () => {
    expect(judgeRecord({ id: m.id, reason: 'r', functionHash: 'aaaaaaaaaa' }, m)).toEqual({ kind: 'valid', reason: 'r' });
    const changed = judgeRecord({ id: m.id, reason: 'r', functionHash: 'bbbbbbbbbb' }, m);
    expect(changed.kind).toBe('stale');
    expect(changed.kind === 'stale' && changed.note).toBe(
      `${m.id} was judged against f as it was (hash bbbbbbbbbb), which is now aaaaaaaaaa: re-judge it (dax-model mutate --show ${m.id}) and record it with --judge ${m.id} --reason "..." or remove it`,
    );
    const never = judgeRecord({ id: m.id, reason: 'r' }, m);
    expect(never.kind === 'stale' && never.note).toMatch(/^impl\/a\.ts:boundary:1 was never judged against a function hash: re-judge it/);
  });

  it('reads and rewrites the file, refusing malformed records', () => {
    const file = path.join(tmp, 'eq.json');
    writeFileSync(
      file,
      JSON.stringify([
        { id: 'a', reason: 'old' },
        { id: 'b', reason: 'kept', functionHash: 'h' },
      ]),
    );
    recordEquivalent(file, { id: 'a', reason: ' new ', functionHash: 'x' });
    recordEquivalent(file, { id: 'c', reason: 'added', functionHash: 'y' });
    expect([...loadEquivalents(file).values()]).toEqual([
      { id: 'a', reason: 'new', functionHash: 'x' },
      { id: 'b', reason: 'kept', functionHash: 'h' },
      { id: 'c', reason: 'added', functionHash: 'y' },
    ]);
    writeFileSync(file, JSON.stringify([{ id: 'a', reason: 'r', functionHash: 7 }]));
    expect(() => loadEquivalents(file)).toThrow(new EquivalentsError(`${file}: entry 0's "functionHash" must be a string`));
    writeFileSync(
      file,
      JSON.stringify([
        { id: 'a', reason: 'r' },
        { id: 'a', reason: 's' },
      ]),
    );
    expect(() => loadEquivalents(file)).toThrow(/listed twice/);
  });
});

describe('mutate --show and --judge', () => {
  it("shows the diff and function, records with today's hash, and goes stale when the function changes", () => {
    const root = path.join(tmp, 'repo');
    cpSync(MINI, root, { recursive: true });
    const file = path.join(root, 'conformance/equivalent-mutants.json');
    expect(showMutants(root, file, [TRACE])).toMatch(
      /^impl\/counter\.ts:delete-call:956f7274f0 {2}impl\/counter\.ts:31 \(drain\)[^\n]*\nfunction hash [0-9a-f]{10} \(impl\/counter\.ts lines 25-33\)\nnot recorded as equivalent\n/,
    );
    const judged = judgeMutant(root, file, TRACE, 'trace records nothing');
    expect(loadEquivalents(file).get(TRACE)).toEqual({ id: TRACE, reason: 'trace records nothing', functionHash: judged.functionHash });
    expect(showMutants(root, file, [TRACE])).toContain('\nrecorded equivalent: trace records nothing\n');
    // Layout is not code: a comment and a re-wrapped line (what the formatter does) keep the
    // judgement; an edit of drain's code makes it stale, and the id stays.
    const src = path.join(root, 'impl/counter.ts');
    writeFileSync(src, readFileSync(src, 'utf8').replace('  let steps = 0;\n', '  let steps =\n    0; // counted\n'));
    expect(findMutant(root, TRACE).functionHash).toBe(judged.functionHash);
    writeFileSync(src, readFileSync(src, 'utf8').replace('  let steps =\n    0; // counted\n', '  let steps = 1 - 1;\n'));
    const now = findMutant(root, TRACE);
    expect(now.functionHash).not.toBe(judged.functionHash);
    expect(showMutants(root, file, [TRACE])).toContain(
      `\nSTALE: ${TRACE} was judged against drain as it was (hash ${judged.functionHash}), which is now ${now.functionHash}`,
    );
    expect(() => judgeMutant(root, file, TRACE, '  ')).toThrow(MutateError);
    expect(() => findMutant(root, 'impl/counter.ts:boundary:0000000000')).toThrow(
      new MutateError('impl/counter.ts has no mutant impl/counter.ts:boundary:0000000000 today'),
    );
  }, 30_000);
});
