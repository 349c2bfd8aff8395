// The results writer: `bench/results.ts --quick` writes a RESULTS.md with the header (date,
// versions, cores, load at start and end) and one section per benchmark, each with its command;
// a failing, silent or hung benchmark writes nothing, leaving the old file whole and no temp file.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/paths.ts';
import { benches } from './results-benches.ts';
import { BenchFailed, writeResults, type Bench, type Environment } from './results-writer.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'results-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env: Environment = { date: '2026-01-01T00:00:00Z', commit: 'abc1234', node: 'v20', java: 'openjdk 17', tlc: 'TLC2 2.20', cores: 2 };
const figures = JSON.stringify({
  bench: 'ok',
  quick: true,
  tables: [{ title: 't', columns: ['a', 'n'], rows: [['x|y', 1234]] }],
  notes: ['a note'],
});
const printing: Bench = { name: 'ok', about: 'prints figures', args: ['-e', `console.log(${JSON.stringify(figures)})`] };

describe('writeResults', () => {
  it('writes one section per bench with its command, figures and notes, and no temp file', async () => {
    const out = path.join(dir, 'RESULTS.md');
    await writeResults({ benches: [printing, { ...printing, name: 'second' }], out, quick: true, env, timeoutMs: 30_000 });
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^## ok$/m);
    expect(text).toMatch(/^## second$/m);
    expect(text).toContain("Command: `node -e 'console.log(");
    expect(text).toContain('| x\\|y | 1,234 |');
    expect(text).toContain('- a note');
    expect(readdirSync(dir)).toEqual(['RESULTS.md']);
    expect(text).not.toContain('Not run in this pass');
  });

  it('names the benchmarks a pass left out', async () => {
    const out = path.join(dir, 'RESULTS.md');
    await writeResults({ benches: [printing], out, quick: true, env, timeoutMs: 30_000, notRun: ['check-all', 'mutate'] });
    expect(readFileSync(out, 'utf8')).toContain('**Not run in this pass** (`--skip`/`--only`): `check-all`, `mutate`.');
  });

  const failing: [string, Bench, RegExp][] = [
    ['exits 3', { name: 'bad', about: '', args: ['-e', 'process.exit(3)'] }, /bad: `node -e .*` ended with exit 3/],
    ['prints no JSON', { name: 'prose', about: '', args: ['-e', 'console.log("12 steps/s")'] }, /prose: .* printed no figures/],
    ['hangs', { name: 'slow', about: '', args: ['-e', 'setTimeout(() => {}, 60000)'] }, /slow: .* timed out after 1 s/],
  ];
  it.each(failing)('leaves the previous file whole and nothing else when a bench %s', async (_what, bad, message) => {
    const out = path.join(dir, 'RESULTS.md');
    writeFileSync(out, 'previous figures\n');
    const run = writeResults({ benches: [printing, bad, printing], out, quick: true, env, timeoutMs: 1000 });
    await expect(run).rejects.toThrow(BenchFailed);
    await expect(run).rejects.toThrow(message);
    expect(readFileSync(out, 'utf8')).toBe('previous figures\n');
    expect(readdirSync(dir)).toEqual(['RESULTS.md']);
  });
});

describe('bench/results.ts --quick', () => {
  // Every benchmark at tiny sizes, one after the other: about 40 s on an idle 2-core machine,
  // nearer 2 minutes beside other jobs (load 16), hence the bound.
  it('writes the header and a section with its command for every benchmark', async () => {
    const out = path.join(dir, 'RESULTS.md');
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', 'bench/results.ts', '--quick', '--out', out],
        { cwd: REPO_ROOT, timeout: 280_000 },
        (err, _stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()),
      ),
    );
    const text = readFileSync(out, 'utf8');
    for (const row of ['date', 'commit', 'node', 'java', 'TLC', 'cores', 'load average (1 min) at start', 'load average (1 min) at end'])
      expect(text, `header row ${row}`).toMatch(new RegExp(`^\\| ${row.replace(/[()]/g, '\\$&')} \\| .+ \\|$`, 'm'));
    expect(text).toContain('**Quick mode:**');
    const start = Number(/at start \| ([\d.]+) \|/.exec(text)![1]);
    expect(text.includes('**Warning:** 1-minute load average'), `load ${start} at start`).toBe(start > 1.2);
    const sections = [...text.matchAll(/^## (\S+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(benches(true).map((b) => b.name));
    expect(text.match(/^Command: `.+` \(exit \d+, [\d.]+ s\)$/gm)).toHaveLength(sections.length);
    expect(text.match(/^\| --- \|/gm)!.length).toBeGreaterThan(sections.length);
    expect(readdirSync(dir)).toEqual(['RESULTS.md']);
  }, 300_000);
});
