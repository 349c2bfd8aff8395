// `dax-model diff --base` end to end, in a temp clone of this repository (at this checkout's
// HEAD): a behaviour-preserving commit shows no difference (exit 0), a committed mutant (the
// wake-up of pmem's page_free deleted) shows its first differing schedule, with the spec's
// verdict and a replay command that replays it (exit 1), an unknown ref and a base the harness
// cannot drive are one-line errors (exit 2). Few runs, fixed seed: each case well under 60 s.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/paths.ts';
import { runCaptured } from './capture-output.ts';
import { parseHint, shellWords } from './command-line.ts';
import { diffCommand, implImports } from './diff-command.ts';

const SEED = '20261130';
let tmp = '';
let head = '';
/** The clone the current test works in: one per test, because a module once imported stays in
 *  the module cache by its path, so an impl/ edited in place would not be seen again. */
let clone = '';

const git = (...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=diff test', '-c', 'user.email=diff@test', ...args], {
    cwd: clone,
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();

/** A fresh clone of this checkout's HEAD (branch 'base'), with node_modules linked. */
function freshClone(name: string): void {
  clone = path.join(tmp, name);
  execFileSync('git', ['clone', '--local', '--quiet', '--no-checkout', REPO_ROOT, clone], { timeout: 120_000, stdio: 'ignore' });
  git('checkout', '-q', '-b', 'base', head);
  symlinkSync(realpathSync(path.join(REPO_ROOT, 'node_modules')), path.join(clone, 'node_modules'), 'dir');
}

/** Rewrites a file of the clone and commits it. */
function commitEdit(file: string, edit: (text: string) => string, message: string): void {
  const p = path.join(clone, file);
  const before = readFileSync(p, 'utf8');
  const after = edit(before);
  expect(after, `the edit of ${file} must change it`).not.toBe(before);
  writeFileSync(p, after);
  git('commit', '-q', '-am', message);
}

const diff = (...argv: string[]) => runCaptured(() => diffCommand([...argv, '--quiet'], undefined, { root: clone }));

beforeAll(() => {
  tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'dax-diff-test-')));
  head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, timeout: 30_000 }).toString().trim();
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('dax-model diff --base', () => {
  it('finds no difference after a behaviour-preserving commit (a comment and a renamed local)', async () => {
    freshClone('refactor');
    commitEdit(
      'impl/drivers/pmem.ts',
      (t) =>
        t
          .replace(
            '    pageFree(page: Page): void {',
            '    pageFree(pg: Page): void {\n      // Renamed: page -> pg (no change in behaviour).',
          )
          .replace('wakeUpVar(k.varWait, page);', 'wakeUpVar(k.varWait, pg);'),
      'rename a local',
    );
    const r = await diff('--base', 'HEAD~1', '--runs', '1', '--seed', SEED);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^no difference: \d+ schedules, [\d,]+ steps compared over \d+ units \(base HEAD~1 = [0-9a-f]{12}\)/m);
    expect(r.code).toBe(0);
  }, 60_000);

  it('reports the first differing schedule of a mutant, with both verdicts and a replay that replays it', async () => {
    freshClone('mutant');
    commitEdit(
      'impl/drivers/pmem.ts',
      (t) => t.replace('      wakeUpVar(k.varWait, page);', '      void wakeUpVar;'),
      'mutant: no wake_up_var in page_free',
    );
    const r = await diff('--base', 'HEAD~1', '--runs', '3', '--seed', SEED);
    expect(r.code, r.out + r.err).toBe(1);
    const first = r.out.split('\n').find((l) => l.startsWith('first difference: '));
    expect(first).toMatch(/^first difference: \S+ \[\S+\], seed 20261130, schedule \d+, after step \d+ \(\w+\)$/);
    expect(r.out).toMatch(/^ {2}- HEAD~1: .+\n {2}\+ work tree: .+/m);
    // The truncate sleeps on the pin forever: the work tree leaves the spec, the base does not.
    expect(r.out).toMatch(/^spec verdict: work tree departs from the spec at step \d+ .*; HEAD~1 conforms$/m);
    const replay = r.out
      .split('\n')
      .find((l) => l.startsWith('replay: '))!
      .slice('replay: '.length);
    const hint = parseHint(replay);
    expect(hint.command).toBe('diff');
    const again = await diff(...shellWords(replay).slice(3));
    expect(again.code).toBe(1);
    expect(again.out.split('\n').find((l) => l.startsWith('first difference: '))).toBe(first!.replace(/schedule \d+/, 'schedule 0'));
  }, 60_000);

  it('refuses an unknown ref in one line (exit 2)', async () => {
    freshClone('unknown-ref');
    const r = await diff('--base', 'no-such-ref');
    expect(r.code).toBe(2);
    expect(r.err).toBe("dax-model diff: unknown git ref 'no-such-ref'\n");
    expect(r.out).toBe('');
  });

  it('refuses a base whose impl/ the harness cannot drive in one line (exit 2)', async () => {
    freshClone('old-api');
    git('checkout', '-q', '-b', 'old-api');
    // Wherever the export list puts it (first, middle or last).
    commitEdit('impl/index.ts', (t) => t.replace(/\bMM_TASK,\s*|,\s*MM_TASK\b/, ''), 'an impl/ without the export MM_TASK');
    git('checkout', '-q', 'base');
    const r = await diff('--base', 'old-api');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^dax-model diff: the implementation at old-api \([0-9a-f]{12}\) cannot be driven by this work tree's harness: .*MM_TASK.*\n$/,
    );
  }, 60_000);

  it("collects the impl/ imports of the harness modules through their re-exports (executions.ts's concept files)", () => {
    const imports = implImports(REPO_ROOT);
    expect(imports.get('DaxModelError'), [...imports].join('; ')).toBe('conformance/executions/run.ts');
    expect(imports.get('createSystem')).toBe('conformance/model/model.ts');
  });
});
