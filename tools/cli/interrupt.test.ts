// Every command stops cleanly on SIGINT / SIGTERM: real `dax-model` processes are signalled once
// they have started work (after a progress line), and must exit 130 / 143 within a second, leave
// no process behind (TLC runs in a process group of its own: found by an environment marker every
// descendant inherits) and no temp directory in their private TMPDIR.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tlcUnavailableReason } from '../../lib/check/check.ts';
import { REPO_ROOT } from '../../lib/paths.ts';

const tlcMissing = tlcUnavailableReason();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'dax-interrupt-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Interrupted {
  code: number | null;
  /** From the (last) signal to the exit. */
  ms: number;
  /** Processes still carrying the run's marker. */
  left: string[];
  /** What the run left in its TMPDIR (tsx's own cache aside). */
  tempLeft: string[];
  stderr: string;
}

/** Runs `dax-model ARGS`, sends `signal` (twice when `twice`) once stderr matches `started`. */
function interrupt(args: string[], started: RegExp, signal: 'SIGINT' | 'SIGTERM', twice = false): Promise<Interrupted> {
  const tmp = mkdtempSync(path.join(scratch, 'tmp-'));
  const marker = `DAX_INTERRUPT_TEST_${path.basename(tmp).replace(/\W/g, '_')}`;
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'dax-model.mjs'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, TMPDIR: tmp, [marker]: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let sentAt = 0;
  const hardLimit = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const send = (afterMs: number): void => {
    sentAt = Date.now();
    setTimeout(() => {
      sentAt = Date.now();
      child.kill(signal);
      if (twice) setTimeout(() => child.kill(signal), 30);
    }, afterMs);
  };
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    // A moment into the work, not at its first line.
    if (sentAt === 0 && started.test(stderr)) send(300);
  });
  return new Promise((resolve) => {
    child.on('exit', (exitCode, bySignal) => {
      clearTimeout(hardLimit);
      // The status as a shell reports it: a second signal that lands while Node is already tearing
      // down (its handlers gone, every cleanup done) ends the process by that signal, which the
      // shell reports as 128 + n -- the same 130 / 143 the handlers exit with.
      const code = exitCode ?? (bySignal ? 128 + os.constants.signals[bySignal] : null);
      const ms = Date.now() - sentAt;
      // A moment for a killed group to be reaped before looking.
      setTimeout(() => {
        const left = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && environOf(p).includes(marker));
        const tempLeft = readdirSync(tmp).filter((f) => !f.startsWith('tsx-'));
        resolve({ code, ms, left, tempLeft, stderr });
      }, 200);
    });
  });
}

function environOf(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return '';
  }
}

/** A copy of a config under a new name, so that its state graph is not cached and must be built. */
function uncachedConfig(config: string): string {
  const file = path.join(scratch, `interrupt-${config}-${process.pid}-${Date.now()}.cfg`);
  copyFileSync(path.join(REPO_ROOT, 'spec', 'models', `${config}.cfg`), file);
  return file;
}

/**
 * A long behaviour of smoke that replays: the corpus trace random-001 returns to its state 12
 * after state 22, so states 13..22 repeated `rounds` times follow on from state 12.
 */
function longTrace(rounds: number): string {
  const doc = JSON.parse(readFileSync(path.join(REPO_ROOT, 'conformance/traces/smoke/random-001.itf.json'), 'utf8')) as { states: Record<string, unknown>[] };
  const states = doc.states.slice(0, 12);
  for (let r = 0; r < rounds; r++) states.push(...doc.states.slice(12, 22));
  const file = path.join(scratch, `long-${rounds}.itf.json`);
  if (existsSync(file)) return file;
  writeFileSync(file, JSON.stringify({ ...doc, states: states.map((st, index) => ({ ...st, '#meta': { ...(st['#meta'] as object), index } })) }));
  return file;
}

function expectClean(r: Interrupted, code: number, withinMs = 1000): void {
  expect({ code: r.code, left: r.left, tempLeft: r.tempLeft, stack: /\n\s+at /.test(r.stderr) }, r.stderr).toEqual({ code, left: [], tempLeft: [], stack: false });
  expect(r.ms).toBeLessThan(withinMs);
}

const onLinux = process.platform === 'linux';
const withTlc = `${tlcMissing ? ` (skipped: ${tlcMissing})` : ''}`;

describe.skipIf(!onLinux)('every command stops cleanly on a signal', () => {
  it('check --engine embedded: SIGINT ends the engine worker, exit 130', async () => {
    expectClean(await interrupt(['check', 'smoke', '--engine', 'embedded'], /checking with/, 'SIGINT'), 130);
  }, 100_000);

  it('conform --engine embedded: SIGTERM during the state-graph build, exit 143', async () => {
    expectClean(await interrupt(['conform', '--engine', 'embedded', '--no-corpus', '--config', uncachedConfig('duo')], /loading the state graph/, 'SIGTERM'), 143);
  }, 100_000);

  it.skipIf(tlcMissing !== null)(`check --engine tlc: SIGINT kills TLC's group and removes its metadir, exit 130${withTlc}`, async () => {
    expectClean(await interrupt(['check', 'smoke', '--engine', 'tlc'], /checking with/, 'SIGINT'), 130);
  }, 100_000);

  it.skipIf(tlcMissing !== null)(`check --engine tlc: SIGTERM, exit 143${withTlc}`, async () => {
    expectClean(await interrupt(['check', 'smoke', '--engine', 'tlc'], /checking with/, 'SIGTERM'), 143);
  }, 100_000);

  it.skipIf(tlcMissing !== null)(`check --engine tlc: a second Ctrl-C orphans nothing, exit 130${withTlc}`, async () => {
    expectClean(await interrupt(['check', 'smoke', '--engine', 'tlc'], /checking with/, 'SIGINT', true), 130);
  }, 100_000);

  it.skipIf(tlcMissing !== null)(`conform --engine tlc: SIGINT during TLC's state-graph build, exit 130${withTlc}`, async () => {
    expectClean(await interrupt(['conform', '--engine', 'tlc', '--no-corpus', '--config', uncachedConfig('duo')], /loading the state graph/, 'SIGINT'), 130);
  }, 100_000);

  it.skipIf(tlcMissing !== null)(`replay-cex: SIGINT while TLC checks, nothing written, exit 130${withTlc}`, async () => {
    expectClean(await interrupt(['replay-cex', 'lost-wakeup-liveness', '--engine', 'tlc', '--dry-run'], /checking with/, 'SIGINT'), 130);
  }, 100_000);

  it.skipIf(tlcMissing !== null)(`traces: SIGTERM during TLC's simulation, exit 143${withTlc}`, async () => {
    const out = mkdtempSync(path.join(scratch, 'corpus-'));
    expectClean(await interrupt(['traces', 'smoke', '--engine', 'tlc', '--count', '2', '--depth', '10', '--out', out], /directed search/, 'SIGTERM'), 143);
  }, 100_000);

  // A port of this run's own, so that parallel runs do not meet.
  const port = String(20_000 + (process.pid % 20_000));

  it.skipIf(tlcMissing !== null)(`check --distributed: SIGINT kills the waiting TLC server and removes its staging folder, exit 130${withTlc}`, async () => {
    expectClean(await interrupt(['check', 'smoke-safety', '--distributed', '--port', port], /TLC server ready/, 'SIGINT'), 130);
  }, 100_000);

  it.skipIf(tlcMissing !== null)(`worker: SIGTERM while it waits for a server, exit 143${withTlc}`, async () => {
    expectClean(await interrupt(['worker', `127.0.0.1:${Number(port) + 1}`, '--threads', '1'], /unreachable/, 'SIGTERM'), 143);
  }, 100_000);

  it.skipIf(tlcMissing !== null)(`simulate: a second Ctrl-C during TLC's simulation orphans nothing, exit 130${withTlc}`, async () => {
    const out = mkdtempSync(path.join(scratch, 'shard-'));
    expectClean(await interrupt(['simulate', 'smoke', '--shard', '0/1', '--seed', '1', '--depth', '100', '--traces', '100000', '--out', out], /TLC runs/, 'SIGINT', true), 130);
    expect(readdirSync(out)).toEqual([]);
  }, 100_000);

  it('mutate: SIGTERM while the mutants are planned and type-checked (in a worker thread) and the unmutated run goes on, exit 143', async () => {
    expectClean(await interrupt(['mutate'], /generating mutants/, 'SIGTERM'), 143);
  }, 100_000);

  it('mutate: SIGINT while mutants run, exit 130', async () => {
    const mini = path.join(REPO_ROOT, 'tools/mutate/fixtures/mini-repo');
    expectClean(await interrupt(['mutate', '--root', mini, '--scope', 'all', '--budget-ms', '20000'], /unmutated run:/, 'SIGINT'), 130);
  }, 100_000);

  it('replay: SIGTERM while a long trace replays, nothing written, exit 143', async () => {
    const out = mkdtempSync(path.join(scratch, 'replay-out-'));
    expectClean(await interrupt(['replay', longTrace(600), '--config', 'smoke', '--itf', out, '--html', out], /replaying/, 'SIGTERM'), 143);
    expect(readdirSync(out)).toEqual([]);
  }, 100_000);

  it('replay: SIGINT while a large trace is read, exit 130', async () => {
    expectClean(await interrupt(['replay', longTrace(600), '--config', 'smoke'], /reading/, 'SIGINT'), 130);
  }, 100_000);

  it('report: SIGTERM while a large trace is read, neither --html nor --itf written, exit 143', async () => {
    const out = mkdtempSync(path.join(scratch, 'report-out-'));
    const args = ['report', longTrace(600), '--config', 'smoke', '--html', path.join(out, 'long.html'), '--itf', path.join(out, 'long.itf.json')];
    expectClean(await interrupt(args, /reading/, 'SIGTERM'), 143);
    expect(readdirSync(out)).toEqual([]);
  }, 100_000);

  it('main: SIGINT during its check step, exit 130', async () => {
    expectClean(await interrupt(['main', '--engine', 'embedded'], /checking with/, 'SIGINT'), 130);
  }, 100_000);
});
