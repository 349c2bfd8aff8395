// `dax-model traces`: bad arguments are refused before any work; a corpus is written (random
// walks, directed traces) with its manifest, and a second run replaces a config's traces
// without leaving staging files; with TLC, -simulate traces are written the same way.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tlcUnavailableReason } from '../../lib/check/check.ts';
import { skipTitle } from '../../lib/skip-reason.ts';
import { configPath, loadCorpusManifest, specModuleFile, TRACES_DIR } from '../../conformance/traces/corpus.ts';
import { readItf } from '../../conformance/trace-formats/itf.ts';
import { loadTraceSchema } from '../../conformance/trace-formats/schema.ts';
import { runCaptured } from './capture-output.ts';
import { EXIT } from './exit-codes.ts';
import { tracesCommand } from './traces-command.ts';

const signal = new AbortController().signal;
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'dax-traces-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs the command, capturing what it prints. */
function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCaptured(() => tracesCommand(args, signal));
}

function readCorpus(dir: string, config: string): number {
  const schema = loadTraceSchema({ specFile: specModuleFile(), configFile: configPath(config) });
  const m = loadCorpusManifest(dir);
  for (const t of m.traces) readItf(readFileSync(path.join(dir, t.file), 'utf8'), { source: t.file, schema });
  return m.traces.length;
}

describe('dax-model traces', () => {
  it.each([
    [['--engine', 'java'], /--engine must be tlc, embedded or auto/],
    [['--count', 'x'], /--count must be an integer >= 0, not 'x'/],
    [['--depth', '0'], /--depth must be an integer >= 1/],
    [['smoke', 'standard'], /one CONFIG at a time/],
    [['smoke', '--out', '/tmp/x', '--update-corpus'], /--out and --update-corpus name two places/],
  ])('refuses %j', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(message);
  });

  it('refuses an unknown config as a failed run, naming the file it looked for', async () => {
    const r = await run(['no-such-config', '--engine', 'embedded', '--out', tmp()]);
    expect(r.code).toBe(EXIT.runFailed);
    expect(r.err).toMatch(/no config .*no-such-config\.cfg/);
  });

  it('writes embedded random walks and directed traces, then replaces them on a second run', async () => {
    const out = tmp();
    const first = await run(['lost-wakeup', '--engine', 'embedded', '--count', '2', '--depth', '6', '--out', out, '--quiet']);
    expect(first.code, first.err).toBe(EXIT.ok);
    expect(first.out).toMatch(/wrote \d+ traces \(2 random, \d+ directed\) for lost-wakeup/);
    expect(first.out).toMatch(/not reachable under lost-wakeup: .*WritebackLockEntry/);
    const n = readCorpus(out, 'lost-wakeup');
    expect(n).toBeGreaterThan(2);

    const second = await run([
      'lost-wakeup',
      '--engine',
      'embedded',
      '--count',
      '1',
      '--depth',
      '3',
      '--no-directed',
      '--out',
      out,
      '--quiet',
    ]);
    expect(second.code, second.err).toBe(EXIT.ok);
    expect(readCorpus(out, 'lost-wakeup')).toBe(1);
    expect(readdirSync(path.join(out, 'lost-wakeup'))).toEqual(['random-001.itf.json']);
    expect(readdirSync(out).sort()).toEqual(['lost-wakeup', 'manifest.json']);
    expect(loadCorpusManifest(out).configs['lost-wakeup']?.command).toBe(
      'npx dax-model traces lost-wakeup --engine embedded --count 1 --depth 3 --seed 1 --update-corpus',
    );
  }, 60_000);

  it('without --out or --update-corpus, writes to a scratch folder it names and leaves the committed corpus alone', async () => {
    const committed = readFileSync(path.join(TRACES_DIR, 'manifest.json'), 'utf8');
    const r = await run(['lost-wakeup', '--engine', 'embedded', '--count', '1', '--depth', '3', '--no-directed', '--quiet']);
    expect(r.code, r.err).toBe(EXIT.ok);
    const scratch = /writing to the scratch folder (\S+)/.exec(r.err)?.[1];
    expect(scratch).toBeDefined();
    dirs.push(scratch!);
    expect(path.relative(TRACES_DIR, scratch!).startsWith('..')).toBe(true);
    expect(readCorpus(scratch!, 'lost-wakeup')).toBe(1);
    expect(readFileSync(path.join(TRACES_DIR, 'manifest.json'), 'utf8')).toBe(committed);
  }, 60_000);

  it.skipIf(tlcUnavailableReason() !== null)(
    skipTitle('writes TLC -simulate traces with the TLC version and seed', tlcUnavailableReason()),
    async () => {
      const out = tmp();
      const r = await run([
        'smoke',
        '--engine',
        'tlc',
        '--count',
        '2',
        '--depth',
        '5',
        '--seed',
        '7',
        '--no-directed',
        '--out',
        out,
        '--quiet',
      ]);
      expect(r.code, r.err).toBe(EXIT.ok);
      expect(readCorpus(out, 'smoke')).toBe(2);
      const m = loadCorpusManifest(out);
      expect(m.traces.every((t) => t.engine === 'tlc' && /^TLC2 Version/.test(t.engineVersion) && t.seed === 7 && t.depth === 5)).toBe(
        true,
      );
    },
    60_000,
  );
});
