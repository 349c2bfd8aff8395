// `dax-model replay`: a TLC counterexample (real TLC 2.20 output, the reader fixtures) replays on
// the implementation with the same switch and reaches the violation, in every format TLC writes;
// the same trace on the merged protocol diverges with a per-variable diff; bad input is one line
// naming the file (and state and variable where there is one), exit 2.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { configFile } from '../../lib/check/manifest.ts';
import { FIXTURES_DIR } from '../../conformance/trace-formats/record-fixtures.ts';
import { runCaptured } from './capture-output.ts';
import { EXIT } from './exit-codes.ts';
import { replayCommand } from './replay-command.ts';
import { reportCommand } from './report-command.ts';
import { REPO_ROOT } from '../../lib/paths.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-replay-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
const fixture = (name: string): string => path.join(FIXTURES_DIR, name);

function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCaptured(() => replayCommand(args));
}

describe('dax-model replay', () => {
  it.each(['no-gup-fast-recheck.dump.json', 'no-gup-fast-recheck.stdout.txt', 'no-gup-fast-recheck.tool.txt'])(
    '%s: the implementation with the switch follows it and reaches the violation, under both profiles',
    async (file) => {
      const r = await run([fixture(file), '--config', 'no-gup-fast-recheck', '--json']);
      expect(r.err).toBe('');
      expect(r.code).toBe(EXIT.ok);
      const reports = JSON.parse(r.out) as { profile: string; ok: boolean; steps: number; reproduced: boolean; evidence: string[] }[];
      expect(reports.map((x) => x.profile)).toEqual(['xfs', 'ext4']);
      for (const x of reports) {
        expect(x).toMatchObject({ ok: true, steps: 20, reproduced: true });
        expect(x.evidence.join('\n')).toMatch(/corruption: u1's DMA wrote/);
      }
    },
    30_000,
  );

  it('on the merged protocol (the same config with Bugs = {}) the trace diverges, with a per-variable diff', async () => {
    const merged = path.join(dir, 'merged.cfg');
    writeFileSync(merged, readFileSync(configFile('no-gup-fast-recheck'), 'utf8').replace(/^\s*Bugs = .*$/m, '  Bugs = {}'));
    const r = await run([fixture('no-gup-fast-recheck.dump.json'), '--config', merged, '--profile', 'xfs']);
    expect(r.code).toBe(EXIT.mismatch);
    expect(r.out).toMatch(/DIVERGES after \d+ steps/);
    expect(r.out).toMatch(/^ {4}\w+\[\w+\]: implementation .*, trace .*$/m);
  }, 30_000);

  it('writes a diverging trace, up to the state it diverged at, as portable ITF and an HTML timeline', async () => {
    const merged = path.join(dir, 'merged-out.cfg');
    writeFileSync(merged, readFileSync(configFile('no-gup-fast-recheck'), 'utf8').replace(/^\s*Bugs = .*$/m, '  Bugs = {}'));
    const out = path.join(dir, 'divergences');
    const r = await run([
      fixture('no-gup-fast-recheck.dump.json'),
      '--config',
      merged,
      '--profile',
      'xfs',
      '--itf',
      out,
      '--html',
      out,
      '--json',
    ]);
    expect(r.code).toBe(EXIT.mismatch);
    const [report] = JSON.parse(r.out) as { steps: number; written: string[] }[];
    const itf = report!.written.find((f) => f.endsWith('.itf.json'))!;
    expect(report!.written.some((f) => f.endsWith('.html'))).toBe(true);
    const doc = JSON.parse(readFileSync(itf, 'utf8')) as { '#meta': Record<string, string>; states: unknown[] };
    // The states up to and including the one the implementation did not match.
    const at = Number(/^divergence at state (\d+)/.exec(doc['#meta'].divergence!)?.[1]);
    expect(at).toBeGreaterThan(1);
    expect(doc.states).toHaveLength(at);
    expect(doc['#meta'].config).toBe(merged);
  }, 30_000);

  it.each([
    [['--config', 'smoke'], /name at least one trace file/],
    [[fixture('no-gup-fast-recheck.dump.json')], /--config is required/],
    [[fixture('no-gup-fast-recheck.dump.json'), '--config', 'nope'], /unknown config 'nope'/],
    [[fixture('no-gup-fast-recheck.dump.json'), '--config', 'smoke', '--format', 'xml'], /--format must be one of/],
  ])('refuses %j', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it.each([
    ['truncated', (t: string) => t.slice(0, 3000), /^dax-model replay: \S+truncated\.json: truncated JSON/],
    ['with a model value the config lacks', (t: string) => t.replaceAll('"b1"', '"b7"'), /: state 1: variable \w+: unknown model value b7/],
    ['with a variable renamed', (t: string) => t.replaceAll('"fscan"', '"fscann"'), /: state 1: variable fscan: missing/],
    [
      'naming an action the spec lacks',
      (t: string) => t.replaceAll('"GupFastRecheck"', '"GupFastRecheckX"'),
      /: state \d+: unknown action "GupFastRecheckX"/,
    ],
  ])('a trace %s is one line naming the file, exit 2', async (what, edit, message) => {
    const file = path.join(dir, `${what.split(' ')[0]}.json`);
    writeFileSync(file, edit(readFileSync(fixture('no-gup-fast-recheck.dump.json'), 'utf8')));
    const r = await run([file, '--config', 'no-gup-fast-recheck']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });
});

describe('dax-model replay: the loop of a lasso', () => {
  it.each(['lost-wakeup-liveness', 'longterm-pin', 'release-pages-misses-wake'])(
    '%s: the committed lasso, as ITF (report --itf), closes its loop; a tampered "loop" is refused in one line',
    async (name) => {
      const itf = path.join(dir, `${name}.itf.json`);
      const made = await runCaptured(() =>
        reportCommand([path.join(REPO_ROOT, 'conformance/regressions', `${name}.cex.json`), '--itf', itf]),
      );
      expect(made.code, made.err).toBe(EXIT.ok);
      const doc = JSON.parse(readFileSync(itf, 'utf8')) as { states: unknown[]; loop: number };
      expect(doc.loop).toBe(doc.states.length - 1);
      const r = await run([itf, '--profile', 'xfs']);
      expect(r.code, r.err).toBe(EXIT.ok);
      expect(r.out).toContain(`the behaviour stutters in its last state (${doc.states.length})`);

      const tampered = path.join(dir, `${name}.tampered.itf.json`);
      writeFileSync(tampered, JSON.stringify({ ...doc, loop: 2 }));
      const t = await run([tampered, '--profile', 'xfs']);
      expect(t.code).toBe(EXIT.usage);
      expect(t.err.trimEnd().split('\n')).toHaveLength(1);
      expect(t.err).toContain(
        `${tampered}: "loop" 2: the implementation has no step from the last state (${doc.states.length}) back to state 3`,
      );
    },
    60_000,
  );
});
