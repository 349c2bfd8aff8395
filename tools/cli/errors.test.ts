// check, conform, main and replay-cex turn bad input into exit 2 with one line naming the file or
// option, and a run that cannot be done into exit 3 with one line: never a stack trace.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { readSavedCounterexample, SavedCounterexampleError } from '../../conformance/replay/counterexample-replay.ts';
import { ConformanceInputError, runConformance } from '../../conformance/index.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { captureOutput } from './capture-output.ts';
import { errorExit } from './errors.ts';
import { EXIT } from './exit-codes.ts';
import { main } from './main.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'dax-errors-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Runs the command line in-process; its exit code and what it wrote on stderr. */
async function run(...argv: string[]): Promise<{ code: number; stderr: string }> {
  const out = captureOutput();
  const code = await main(argv);
  return { code, stderr: out.err() };
}

describe('bad input: exit 2, one line', () => {
  it.each([
    [['conform', '--config', 'nosuch'], /conform: unknown config 'nosuch'/],
    [['conform', '--max-steps', '0'], /conform: --max-steps must be an integer >= 1, not '0'/],
    [['replay-cex', 'nosuch'], /replay-cex: unknown config 'nosuch'/],
    [['check', '--workers', '100000'], /check: --workers must be auto or an integer from 1 to \d+ \(this machine's cores\), not '100000'/],
  ])('%j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a corrupt committed counterexample is named', () => {
    const file = path.join(scratch, 'broken.cex.json');
    writeFileSync(file, '{"config": "lost-wakeup", "counterexample": ');
    expect(() => readSavedCounterexample(file)).toThrow(SavedCounterexampleError);
    expect(() => readSavedCounterexample(file)).toThrow(file);
    const out = captureOutput();
    expect(errorExit('conform', new SavedCounterexampleError(`${file}: not JSON`))).toBe(EXIT.usage);
    expect(out.err()).toBe(`dax-model conform: ${file}: not JSON\n`);
  });

  it('a corrupt corpus manifest or counterexample directory fails the suite naming the file', async () => {
    const corpus = mkdtempSync(path.join(scratch, 'corpus-'));
    writeFileSync(path.join(corpus, 'manifest.json'), '{"traces": [');
    await expect(runConformance({ corpusDir: corpus, fastCheckRuns: 0, variantRuns: 0, cexReplays: false })).rejects.toThrow(
      ConformanceInputError,
    );
    const regressions = mkdtempSync(path.join(scratch, 'regressions-'));
    writeFileSync(path.join(regressions, 'x.cex.json'), '[]');
    await expect(runConformance({ regressionsDir: regressions, corpus: false, fastCheckRuns: 0, variantRuns: 0 })).rejects.toThrow(
      path.join(regressions, 'x.cex.json'),
    );
  });
});

describe('a run that cannot be done: exit 3, one line', () => {
  it('conform with TLA2TOOLS_JAR pointing at a file that is not a jar', async () => {
    const notAJar = path.join(scratch, 'not-a.jar');
    writeFileSync(notAJar, 'not a jar');
    vi.stubEnv('TLA2TOOLS_JAR', notAJar);
    // A config under a new name: its state graph is not cached, so TLC must build it.
    const cfg = path.join(scratch, `not-a-jar-${process.pid}.cfg`);
    copyFileSync(path.join(REPO_ROOT, 'spec', 'models', 'smoke.cfg'), cfg);
    const r = await run('conform', '--engine', 'tlc', '--no-corpus', '--no-cex', '--config', cfg, '--runs', '1');
    expect(r.code, r.stderr).toBe(EXIT.runFailed);
    // After the progress lines, one error line and no stack trace.
    const errors = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !/^(fast-check:|loading the state graph|state graph of)/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^dax-model conform: .*not-a-jar-\d+\.cfg: TLC could not dump the state graph: TLC exited with 1\b/);
  }, 60_000);
});
