// The mutation runner on a mini repository with a stub suite and one unit test: mutants are killed
// (by the suite's checks or the unit test), survive or time out; a timeout is no kill; equivalents
// with today's function hash are left out of the kill rate, stale ones run; an aborted or Ctrl-C'd
// run and a finished one leave no mutant behind, in the work tree or in the temp directory.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  generateImplMutants,
  isMutableFile,
  isProtocolFile,
  listImplFiles,
  MutateError,
  reachedByKernel,
  runMutation,
  sampleMutants,
} from './run.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { changedLinesSince, parseUnifiedZeroDiff, SinceError } from './since.ts';

const MINI = path.join(REPO_ROOT, 'tools/mutate/fixtures/mini-repo');

/** Every file of the mini repository and its text, to show that a run changed none. */
function snapshot(dir: string): Map<string, string> {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') || f.endsWith('.json'));
  return new Map(files.sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mutate-test-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('mutate --kernel', () => {
  it("leaves out the other file system's mutants, which the version never runs; an unknown version is an error", () => {
    const m = (file: string) => ({ file }) as Parameters<ReturnType<typeof reachedByKernel>>[0];
    const xfs = reachedByKernel('4.18-xfs');
    expect([xfs(m('impl/fs/xfs/file.ts')), xfs(m('impl/fs/ext4/inode.ts')), xfs(m('impl/fs/dax.ts'))]).toEqual([true, false, true]);
    const ext4 = reachedByKernel('4.19-ext4');
    expect([ext4(m('impl/fs/xfs/file.ts')), ext4(m('impl/fs/ext4/inode.ts'))]).toEqual([false, true]);
    expect(() => reachedByKernel('2.6')).toThrow(MutateError);
  });
});

describe('runMutation', () => {
  it('kills by a named kind of check (unit tests after the suite), keeps timeouts apart, uses only current equivalents, and leaves nothing behind', async () => {
    const before = snapshot(MINI);
    const equivalents = path.join(tmp, 'equivalents.json');
    const { mutants } = await generateImplMutants({ rootDir: MINI, scope: 'all' });
    const hashOf = (id: string): string => mutants.find((m) => m.id === id)!.functionHash;
    writeFileSync(
      equivalents,
      JSON.stringify([
        {
          id: 'impl/counter.ts:delete-call:956f7274f0',
          reason: 'trace records nothing',
          functionHash: hashOf('impl/counter.ts:delete-call:956f7274f0'),
        },
        // Judged against another text of drain: stale, so not used, and its mutant runs.
        { id: 'impl/counter.ts:swap-statements:4d95b98dee', reason: 'judged long ago', functionHash: '0123456789' },
        { id: 'impl/counter.ts:boundary:0000000000', reason: 'a mutant that no longer exists' },
      ]),
    );
    const copies = mkdtempSync(path.join(tmp, 'copies-'));
    const r = await runMutation({ rootDir: MINI, scope: 'all', tmpDir: copies, budgetMs: 20_000, equivalents });

    // 8 killed of 12 run: the timed-out one counts against the rate, not as a kill.
    expect(r.totals).toMatchObject({
      mutants: 13,
      killed: 8,
      survived: 3,
      timedOut: 1,
      crashed: 0,
      equivalent: 1,
      stale: 1,
      killRate: 0.6667,
    });
    expect(r.totals.killedByKind).toEqual({ divergence: 3, enabledness: 0, invariant: 4, 'counterexample replay': 0, 'unit test': 1 });
    const by = (desc: string) => r.results.find((x) => x.mutant.description === desc)!;
    expect(by('negate while condition `c.value > 0`')).toMatchObject({ status: 'killed', killKind: 'divergence', killedBy: 'corpus' });
    expect(by('`>=` → `>` in `this.value >= this.max`')).toMatchObject({
      status: 'killed',
      killKind: 'invariant',
      killedBy: 'fast-check/invariant',
    });
    // The stub suite never calls isFull: impl/counter.test.ts, which imports counter.ts, kills it.
    expect(by('`>=` → `>` in `c.value >= c.max`')).toMatchObject({ status: 'killed', killKind: 'unit test', killedBy: 'unit' });
    expect(by('`>=` → `>` in `c.value >= c.max`').message).toMatch(/^impl\/counter\.test\.ts > isFull is true at the bound: /);
    // Drain without its decrement never ends: the worker is stopped at the budget.
    expect(by('delete call `c.decrement();`')).toMatchObject({ status: 'timed out' });
    expect(by('delete call `c.decrement();`').killKind).toBeUndefined();
    expect(by("delete call `trace('drained');`")).toMatchObject({ status: 'equivalent', message: 'trace records nothing' });
    expect(by('swap `c.decrement();` with the next statement `steps++;`').status).toBe('survived');
    expect(r.staleRecords).toEqual([
      expect.stringMatching(
        /^impl\/counter\.ts:swap-statements:4d95b98dee was judged against drain as it was \(hash 0123456789\), which is now [0-9a-f]{10}: re-judge it/,
      ),
    ]);
    const survivors = r.results.filter((x) => x.status === 'survived');
    expect(survivors.map((s) => s.mutant.operator)).toEqual(['swap-statements', 'swap-statements', 'swap-statements']);
    expect(survivors[0]!.mutant.diff).toMatch(/^--- a\/impl\/counter\.ts\n\+\+\+ b\/impl\/counter\.ts\n@@ /);
    expect(r.notCompiling.map((m) => m.error)).toEqual([expect.stringMatching(/^TS2448/)]);
    expect(r.staleEquivalents).toEqual(['impl/counter.ts:boundary:0000000000']);
    expect(r.unitTestsLeftOut).toEqual([]);
    expect(r.baseline?.divergences).toEqual([]);
    expect(r.mutantsPerMinute).toBeGreaterThan(0);
    expect(r.interrupted).toBe(false);
    expect(readdirSync(copies)).toEqual([]);
    expect(snapshot(MINI)).toEqual(before);
  }, 120_000);

  it('leaves out a unit test that fails on the unmutated implementation, naming it, instead of counting every mutant killed', async () => {
    const repo = path.join(tmp, 'repo');
    cpSync(MINI, repo, { recursive: true });
    writeFileSync(
      path.join(repo, 'impl/broken.test.ts'),
      "import { it, expect } from 'vitest';\nimport { drain } from './counter.ts';\nit('always fails', () => expect(typeof drain).toBe('string'));\n",
    );
    const r = await runMutation({ rootDir: repo, scope: 'all', tmpDir: tmp, operators: ['boundary'], budgetMs: 5000 });
    expect(r.unitTestsLeftOut).toEqual([
      expect.stringMatching(/^impl\/broken\.test\.ts: fails unmutated \(impl\/broken\.test\.ts > always fails: AssertionError/),
    ]);
    expect(r.totals).toMatchObject({ mutants: 3, killed: 3 });
    expect(r.totals.killedByKind).toMatchObject({ 'unit test': 1 });
  }, 30_000);

  it('stops at an abort, terminating the running workers, and removes the temp copy', async () => {
    const before = snapshot(MINI);
    const controller = new AbortController();
    const r = await runMutation({
      rootDir: MINI,
      scope: 'all',
      tmpDir: tmp,
      operators: ['negate-condition', 'boundary', 'drop-retry'],
      budgetMs: 30_000,
      signal: controller.signal,
      onResult: () => controller.abort(),
    });
    expect(r.interrupted).toBe(true);
    expect(r.results.length).toBeGreaterThanOrEqual(1);
    expect(r.results.length).toBeLessThan(5);
    expect(readdirSync(tmp)).toEqual([]);
    expect(snapshot(MINI)).toEqual(before);
  }, 120_000);

  it('on Ctrl-C ends the run and leaves no mutant behind', async () => {
    const before = snapshot(MINI);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tools/mutate/fixtures/interrupt-run.ts'), MINI, tmp], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('running\n') && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out.split('\n').filter(Boolean).at(-1)!)).toMatchObject({ interrupted: true });
    expect(readdirSync(tmp)).toEqual([]);
    expect(snapshot(MINI)).toEqual(before);
  }, 30_000);

  it('refuses a suite that fails on the unmutated implementation', async () => {
    await expect(
      runMutation({ rootDir: MINI, scope: 'all', tmpDir: tmp, suite: 'conformance/failing-suite.ts', operators: ['boundary'] }),
    ).rejects.toThrow(/fails on the unmutated implementation, so no mutant can be judged: always: this suite always fails/);
    expect(readdirSync(tmp)).toEqual([]);
    await expect(runMutation({ rootDir: MINI, scope: 'all', suite: 'conformance/nope.ts' })).rejects.toThrow(MutateError);
  }, 30_000);
});

describe('choosing mutants', () => {
  it('mutates neither tests, test support, barrels nor declarations', () => {
    expect(
      ['impl/a.ts', 'impl/a.test.ts', 'impl/a.spec.ts', 'impl/index.ts', 'impl/testing.ts', 'impl/x.d.ts', 'impl/README.md'].filter(
        isMutableFile,
      ),
    ).toEqual(['impl/a.ts']);
  });

  it('by default mutates only protocol code: mm, fs (XFS and ext4), kernel and drivers, not the schedulers or the plumbing', () => {
    const files = listImplFiles(REPO_ROOT, 'protocol');
    expect(files).toContain('impl/mm/gup.ts');
    expect(files).toContain('impl/fs/ext4/file.ts');
    expect(files).toContain('impl/kernel/rwsem.ts');
    expect(files).toContain('impl/drivers/pmem.ts');
    for (const f of files) expect(isProtocolFile(f), f).toBe(true);
    for (const f of [
      'impl/config.ts',
      'impl/errors.ts',
      'impl/snapshot.ts',
      'impl/types.ts',
      'impl/system.ts',
      'impl/reproductions.ts',
      'impl/kernel/scheduler.ts',
      'impl/kernel/prandom.ts',
      'impl/mm/gup.test.ts',
    ]) {
      expect(isProtocolFile(f), f).toBe(false);
    }
    expect(listImplFiles(REPO_ROOT, 'all')).toEqual(expect.arrayContaining([...files, 'impl/config.ts', 'impl/system.ts']));
  });

  it('samples a fixed, spread-out subset in the original order', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const a = sampleMutants(items, 10, 7);
    expect(a).toEqual(sampleMutants(items, 10, 7));
    expect(a).toHaveLength(10);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(a.at(-1)! - a[0]!).toBeGreaterThan(30);
    expect(sampleMutants(items, 10, 8)).not.toEqual(a);
    expect(sampleMutants(items, undefined, 7)).toEqual(items);
  });

  it('with --since mutates only functions changed since the ref, and rejects an unknown ref', async () => {
    const repo = path.join(tmp, 'repo');
    cpSync(MINI, repo, { recursive: true });
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'fixture');
    const file = path.join(repo, 'impl/counter.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  let steps = 0;\n', '  let steps = 0;\n  // changed\n'));
    const { mutants } = await generateImplMutants({ rootDir: repo, scope: 'all', since: 'HEAD' });
    expect(mutants.length).toBeGreaterThan(0);
    expect(new Set(mutants.map((m) => m.functionName))).toEqual(new Set(['drain']));
    await expect(changedLinesSince(repo, 'no-such-ref')).rejects.toThrow(new SinceError("unknown git ref 'no-such-ref'"));
    await expect(generateImplMutants({ rootDir: repo, scope: 'all', since: '--output=x' })).rejects.toThrow(SinceError);
  }, 30_000);

  it('reads changed lines from a zero-context diff, a pure deletion marking the lines around it', () => {
    const diff = [
      'diff --git a/impl/a.ts b/impl/a.ts',
      '--- a/impl/a.ts',
      '+++ b/impl/a.ts',
      '@@ -3 +3 @@ x',
      '@@ -10,2 +9,0 @@',
      '@@ -20,0 +21,3 @@',
      '--- a/impl/gone.ts',
      '+++ /dev/null',
      '@@ -1,5 +0,0 @@',
    ].join('\n');
    expect([...parseUnifiedZeroDiff(diff)]).toEqual([
      [
        'impl/a.ts',
        [
          [3, 3],
          [9, 10],
          [21, 23],
        ],
      ],
    ]);
  });
});
