// Writes bench/RESULTS.md, the one home of the README's measured figures: runs each benchmark (and
// the commands whose output the README quotes) with --json, one after the other, and renders one
// section per benchmark with its exact command, its figures and notes, under a header that says
// where and when they were taken (versions, cores, load). The file is written only when every
// benchmark succeeded, to a temp file beside it then renamed over it, so a failing or interrupted
// run leaves the previous RESULTS.md whole and no partial file behind.
import { spawn } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../lib/paths.ts';
import type { BenchFigures, FigureTable } from './figures.ts';

/** One section of RESULTS.md: a command and how to read its --json output. */
export interface Bench {
  /** The section name (a README reference says "bench/RESULTS.md, section NAME"). */
  name: string;
  /** What the figures are, one line. */
  about: string;
  /** Argument vector after `node`, run in the repository root without a shell. */
  args: string[];
  /** Exit codes that still give figures (e.g. 1 = a verdict mismatch, shown in the section). */
  okExits?: number[];
  /** Reads the command's stdout; default: a BenchFigures object (bench/figures.ts). */
  parse?: (stdout: string) => BenchFigures;
}

export interface Environment {
  date: string;
  commit: string;
  node: string;
  java: string;
  tlc: string;
  cores: number;
}

/** A bench run's outcome. */
export interface BenchRun {
  bench: Bench;
  figures: BenchFigures;
  exit: number;
  seconds: number;
}

export class BenchFailed extends Error {}

/** Above this 1-minute load average the figures were taken beside other work. */
export const LOAD_LIMIT = 1.2;

/** The command line as a user would type it: `node --import tsx X` is `npx tsx X`. */
export function commandText(args: string[]): string {
  const shown = args[0] === '--import' && args[1] === 'tsx' ? ['npx', 'tsx', ...args.slice(2)] : ['node', ...args];
  return shown.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The process groups of the benches running now, for killRunning. */
const running = new Set<number>();

/** Ends every running bench's process group (the writer was interrupted). */
export function killRunning(signal: NodeJS.Signals): void {
  for (const pid of running) {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Runs one bench in a process group of its own (TLC and workers die with it on a timeout). */
export function runBench(bench: Bench, timeoutMs: number, echoStderr: boolean): Promise<BenchRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, bench.args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid !== undefined) running.add(child.pid);
    const out: Buffer[] = [];
    let err = '';
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      if (echoStderr) process.stderr.write(d);
      err = (err + d.toString()).slice(-2000);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new BenchFailed(`${bench.name}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      const cmd = commandText(bench.args);
      const tail = err.trim().split('\n').slice(-3).join(' / ');
      if (timedOut) return reject(new BenchFailed(`${bench.name}: \`${cmd}\` timed out after ${timeoutMs / 1000} s`));
      const exit = code ?? 128;
      if (signal || !(bench.okExits ?? [0]).includes(exit))
        return reject(new BenchFailed(`${bench.name}: \`${cmd}\` ended with ${signal ?? `exit ${exit}`}${tail ? `: ${tail}` : ''}`));
      try {
        const text = Buffer.concat(out).toString('utf8');
        const figures = bench.parse ? bench.parse(text) : (JSON.parse(text) as BenchFigures);
        if (!Array.isArray(figures.tables)) throw new Error('no tables in its output');
        resolve({ bench, figures, exit, seconds: (performance.now() - started) / 1000 });
      } catch (e) {
        reject(new BenchFailed(`${bench.name}: \`${cmd}\` printed no figures: ${(e as Error).message}`));
      }
    });
  });
}

const cell = (v: string | number | null, column: string): string => {
  if (v === null) return '-';
  const s = typeof v === 'number' && !/seed/i.test(column) ? v.toLocaleString('en-US') : String(v);
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
};

function tableLines(t: FigureTable): string[] {
  return [
    `**${t.title}**`,
    '',
    `| ${t.columns.join(' | ')} |`,
    `| ${t.columns.map(() => '---').join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map((v, i) => cell(v, t.columns[i] ?? '')).join(' | ')} |`),
    '',
  ];
}

/** RESULTS.md's text. */
export function renderResults(
  env: Environment,
  load: { start: number; end: number },
  quick: boolean,
  runs: BenchRun[],
  notRun: readonly string[] = [],
): string {
  const lines = [
    '# Measured figures',
    '',
    `Written by \`make results\` (\`npx tsx bench/results.ts\`${quick ? ' --quick' : ''}); do not edit by hand: run it again on an idle machine. The README points here for every timing, rate, kill rate and size it does not hold in a test.`,
    '',
  ];
  if (quick) lines.push("> **Quick mode:** tiny sizes for the writer's own test; these figures mean nothing.", '');
  if (notRun.length > 0)
    lines.push(
      `> **Not run in this pass** (\`--skip\`/\`--only\`): ${notRun.map((n) => `\`${n}\``).join(', ')}. Their figures are not here; \`make results\` runs every benchmark.`,
      '',
    );
  if (load.start > LOAD_LIMIT)
    lines.push(
      `> **Warning:** 1-minute load average ${load.start.toFixed(2)} at start (> ${LOAD_LIMIT}): other work ran beside these benchmarks, so their figures are not comparable.`,
      '',
    );
  if (load.end > LOAD_LIMIT && load.start <= LOAD_LIMIT)
    lines.push(
      `> **Warning:** 1-minute load average ${load.end.toFixed(2)} at the end (> ${LOAD_LIMIT}): other work started during the run.`,
      '',
    );
  lines.push(
    '| | |',
    '| --- | --- |',
    `| date | ${env.date} |`,
    `| commit | ${env.commit} |`,
    `| node | ${env.node} |`,
    `| java | ${env.java} |`,
    `| TLC | ${env.tlc} |`,
    `| cores | ${env.cores} |`,
    `| load average (1 min) at start | ${load.start.toFixed(2)} |`,
    `| load average (1 min) at end | ${load.end.toFixed(2)} |`,
    '',
  );
  for (const r of runs) {
    lines.push(
      `## ${r.bench.name}`,
      '',
      r.bench.about,
      '',
      `Command: \`${commandText(r.bench.args)}\` (exit ${r.exit}, ${r.seconds.toFixed(1)} s)`,
      '',
    );
    for (const t of r.figures.tables) lines.push(...tableLines(t));
    for (const n of r.figures.notes) lines.push(`- ${n}`);
    if (r.figures.notes.length > 0) lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Writes `text` to `file` atomically: a temp file in the same folder, renamed over it. */
export function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

export interface WriteOptions {
  benches: Bench[];
  out: string;
  quick: boolean;
  env: Environment;
  /** Per bench. */
  timeoutMs: number;
  echoStderr?: boolean;
  onBench?: (name: string) => void;
  /** The benchmarks left out of this pass (--skip, --only), named in the file. */
  notRun?: readonly string[];
}

/** Runs every bench in turn, then writes the file; throws BenchFailed (writing nothing) when one fails. */
export async function writeResults(opts: WriteOptions): Promise<BenchRun[]> {
  const start = os.loadavg()[0]!;
  const runs: BenchRun[] = [];
  for (const b of opts.benches) {
    opts.onBench?.(b.name);
    runs.push(await runBench(b, opts.timeoutMs, opts.echoStderr ?? false));
  }
  writeAtomically(opts.out, renderResults(opts.env, { start, end: os.loadavg()[0]! }, opts.quick, runs, opts.notRun));
  return runs;
}
