// Interrupting real `dax-model` processes: each scenario starts a command, waits until it has
// started work (a progress line on stderr), sends SIGINT or SIGTERM (twice for a double Ctrl-C),
// and reports the exit status, the time from the (last) signal to the exit, the processes left
// (found by an environment marker every descendant, TLC's process group included, inherits) and
// the files left in the run's private TMPDIR. interrupt.test.ts checks them; bench/interrupt.ts
// prints the exit times (the one-second target is a benchmark figure, not a timed test).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/paths.ts';

/** What an interrupted run did. */
export interface Interrupted {
  code: number | null;
  /** From the (last) signal to the exit. */
  ms: number;
  /** Processes still carrying the run's marker. */
  left: string[];
  /** What the run left in its TMPDIR (tsx's own cache aside). */
  tempLeft: string[];
  stderr: string;
}

/** Runs `dax-model ARGS` with a TMPDIR of its own under `scratch`, sends `signal` (twice, 30 ms
 *  apart, when `twice`) `delayMs` after stderr matches `started`. */
function interrupt(
  scratch: string,
  args: string[],
  started: RegExp,
  signal: 'SIGINT' | 'SIGTERM',
  twice = false,
  delayMs = 300,
): Promise<Interrupted> {
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
    if (sentAt === 0 && started.test(stderr)) send(delayMs);
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
function uncachedConfig(scratch: string, config: string): string {
  const file = path.join(scratch, `interrupt-${config}-${process.pid}-${Date.now()}.cfg`);
  copyFileSync(path.join(REPO_ROOT, 'spec', 'models', `${config}.cfg`), file);
  return file;
}

/**
 * A long behaviour of smoke that replays: the corpus trace random-009 returns to its state 12
 * after state 22, so states 13..22 repeated `rounds` times follow on from state 12.
 */
function longTrace(scratch: string, rounds: number): string {
  const doc = JSON.parse(readFileSync(path.join(REPO_ROOT, 'conformance/traces/smoke/random-009.itf.json'), 'utf8')) as {
    states: Record<string, unknown>[];
  };
  const states = doc.states.slice(0, 12);
  for (let r = 0; r < rounds; r++) states.push(...doc.states.slice(12, 22));
  const file = path.join(scratch, `long-${rounds}.itf.json`);
  if (existsSync(file)) return file;
  writeFileSync(
    file,
    JSON.stringify({ ...doc, states: states.map((st, index) => ({ ...st, '#meta': { ...(st['#meta'] as object), index } })) }),
  );
  return file;
}

/** One command interrupted mid-run, and what it must do. */
export interface InterruptScenario {
  name: string;
  /** The command line, given a scratch folder for its inputs and outputs. */
  args: (scratch: string) => string[];
  /** The stderr line that says the work has started. */
  started: RegExp;
  signal: 'SIGINT' | 'SIGTERM';
  twice?: boolean;
  /** How long after `started` the signal goes (default 300 ms: a moment into the work). */
  delayMs?: number;
  needsTlc?: boolean;
  /** An output folder (from args) that must stay empty: nothing half-written. */
  outputs?: (scratch: string) => string;
}

const out = (scratch: string, name: string): string => {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true }); // a fixed name per scratch: args and outputs agree
  return dir;
};

/** A port of this process's own, so that parallel runs do not meet. */
const port = String(20_000 + (process.pid % 20_000));

/** Every command, interrupted where its work runs: TLC, the embedded engine, fast-check, reading, rendering. */
export const INTERRUPT_SCENARIOS: readonly InterruptScenario[] = [
  {
    name: 'check --engine embedded: SIGINT ends the engine worker, exit 130',
    args: () => ['check', 'smoke', '--engine', 'embedded'],
    started: /checking with/,
    signal: 'SIGINT',
  },
  {
    name: 'conform --engine embedded: SIGTERM during the state-graph build, exit 143',
    args: (s) => ['conform', '--engine', 'embedded', '--no-corpus', '--config', uncachedConfig(s, 'duo')],
    started: /loading the state graph/,
    signal: 'SIGTERM',
  },
  {
    name: "check --engine tlc: SIGINT kills TLC's group and removes its metadir, exit 130",
    args: () => ['check', 'smoke', '--engine', 'tlc'],
    started: /checking with/,
    signal: 'SIGINT',
    needsTlc: true,
  },
  {
    name: 'check --engine tlc: SIGTERM, exit 143',
    args: () => ['check', 'smoke', '--engine', 'tlc'],
    started: /checking with/,
    signal: 'SIGTERM',
    needsTlc: true,
  },
  {
    name: 'check --engine tlc: a second Ctrl-C orphans nothing, exit 130',
    args: () => ['check', 'smoke', '--engine', 'tlc'],
    started: /checking with/,
    signal: 'SIGINT',
    twice: true,
    needsTlc: true,
  },
  {
    name: "conform --engine tlc: SIGINT during TLC's state-graph build, exit 130",
    args: (s) => ['conform', '--engine', 'tlc', '--no-corpus', '--config', uncachedConfig(s, 'duo')],
    started: /loading the state graph/,
    signal: 'SIGINT',
    needsTlc: true,
  },
  {
    name: 'replay-cex: SIGINT while TLC checks, nothing written, exit 130',
    args: () => ['replay-cex', 'lost-wakeup-liveness', '--engine', 'tlc', '--dry-run'],
    started: /checking with/,
    signal: 'SIGINT',
    needsTlc: true,
  },
  {
    name: "traces: SIGTERM during TLC's simulation, exit 143",
    args: (s) => ['traces', 'smoke', '--engine', 'tlc', '--count', '2', '--depth', '10', '--out', out(s, 'corpus')],
    started: /directed search/,
    signal: 'SIGTERM',
    needsTlc: true,
  },
  {
    name: 'check --distributed: SIGINT kills the waiting TLC server and removes its staging folder, exit 130',
    args: () => ['check', 'smoke-safety', '--distributed', '--port', port],
    started: /TLC server ready/,
    signal: 'SIGINT',
    needsTlc: true,
  },
  {
    name: 'worker: SIGTERM while it waits for a server, exit 143',
    args: () => ['worker', `127.0.0.1:${Number(port) + 1}`, '--threads', '1'],
    started: /unreachable/,
    signal: 'SIGTERM',
    needsTlc: true,
  },
  {
    name: "simulate: a second Ctrl-C during TLC's simulation orphans nothing, exit 130",
    args: (s) => ['simulate', 'smoke', '--shard', '0/1', '--seed', '1', '--depth', '100', '--traces', '100000', '--out', out(s, 'shard')],
    started: /TLC runs/,
    signal: 'SIGINT',
    twice: true,
    needsTlc: true,
    outputs: (s) => out(s, 'shard'),
  },
  {
    name: 'mutate: SIGTERM while the mutants are planned and type-checked (in a worker thread) and the unmutated run goes on, exit 143',
    args: () => ['mutate'],
    started: /generating mutants/,
    signal: 'SIGTERM',
  },
  {
    name: 'mutate: SIGINT while mutants run, exit 130',
    args: () => ['mutate', '--root', path.join(REPO_ROOT, 'tools/mutate/fixtures/mini-repo'), '--scope', 'all', '--budget-ms', '20000'],
    started: /unmutated run:/,
    signal: 'SIGINT',
  },
  // Replaying 6,000 states takes about 0.1 s per profile on an idle machine: the signal goes as soon
  // as replaying starts, and four copies keep the run going (read, replay, in turn) should it miss.
  {
    name: 'replay: SIGTERM while long traces replay, nothing written, exit 143',
    args: (s) => [
      'replay',
      ...Array.from({ length: 4 }, () => longTrace(s, 600)),
      '--config',
      'smoke',
      '--itf',
      out(s, 'replay-out'),
      '--html',
      out(s, 'replay-out'),
    ],
    started: /replaying/,
    delayMs: 0,
    signal: 'SIGTERM',
    outputs: (s) => out(s, 'replay-out'),
  },
  {
    name: 'replay: SIGINT while a large trace is read, exit 130',
    args: (s) => ['replay', longTrace(s, 600), '--config', 'smoke'],
    started: /reading/,
    signal: 'SIGINT',
  },
  {
    name: 'report: SIGTERM while a large trace is read, neither --html nor --itf written, exit 143',
    args: (s) => [
      'report',
      longTrace(s, 600),
      '--config',
      'smoke',
      '--html',
      path.join(out(s, 'report-out'), 'long.html'),
      '--itf',
      path.join(out(s, 'report-out'), 'long.itf.json'),
    ],
    started: /reading/,
    signal: 'SIGTERM',
    outputs: (s) => out(s, 'report-out'),
  },
  {
    name: "report: SIGTERM while a large trace's HTML timeline is rendered, nothing written, exit 143",
    args: (s) => [
      'report',
      longTrace(s, 600),
      '--config',
      'smoke',
      '--html',
      path.join(out(s, 'render-out'), 'long.html'),
      '--itf',
      path.join(out(s, 'render-out'), 'long.itf.json'),
    ],
    started: /rendering the HTML timeline/,
    signal: 'SIGTERM',
    outputs: (s) => out(s, 'render-out'),
  },
  {
    name: 'main: SIGINT during its check step, exit 130',
    args: () => ['main', '--engine', 'embedded'],
    started: /checking with/,
    signal: 'SIGINT',
  },
];

/** The exit code a scenario must end with. */
export const expectedExit = (s: InterruptScenario): number => (s.signal === 'SIGINT' ? 130 : 143);

/** Runs one scenario in its own scratch folder under `scratch`. */
export async function runScenario(scratch: string, s: InterruptScenario): Promise<Interrupted & { dir: string }> {
  const dir = mkdtempSync(path.join(scratch, 'scenario-'));
  return { ...(await interrupt(dir, s.args(dir), s.started, s.signal, s.twice, s.delayMs)), dir };
}
