// `make results` (`npx tsx bench/results.ts [--quick] [--out FILE] [--timeout S] [--only N,..|--skip N,..]`): runs every
// benchmark and command of bench/results-benches.ts one after the other and writes
// bench/RESULTS.md (results-writer.ts: atomically, and only if all of them succeeded). Run it on
// an idle machine: the file says the load average at start and end, and warns above 1.2.
// --quick: tiny sizes, for the writer's test; --timeout: per benchmark (default 2 h; quick 120 s);
// --only / --skip: a pass over some benchmarks (the file names the others as not run).
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../lib/paths.ts';
import { findJava, tlcVersion } from '../lib/tlc/locate.ts';
import { benches } from './results-benches.ts';
import { BenchFailed, killRunning, LOAD_LIMIT, writeResults, type Environment } from './results-writer.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    timeout: { type: 'string' },
    only: { type: 'string' },
    skip: { type: 'string' },
  },
});
const quick = values.quick;
const out = path.resolve(values.out ?? path.join(REPO_ROOT, 'bench', 'RESULTS.md'));
const timeoutMs = Number(values.timeout ?? (quick ? 120 : 7200)) * 1000;

const run = (cmd: string, args: string[]): string =>
  execFileSync(cmd, args, { cwd: REPO_ROOT, timeout: 30_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function javaVersion(): string {
  try {
    // `java -version` prints on stderr.
    const r = spawnSync(findJava(), ['-version'], { timeout: 30_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return r.stderr.trim().split('\n')[0] || `printed nothing (${r.error?.message ?? `exit ${r.status}`})`;
  } catch (e) {
    return `not found (${(e as Error).message.split('\n')[0]})`;
  }
}

async function environment(): Promise<Environment> {
  let commit = 'unknown (not a git checkout)';
  try {
    commit = run('git', ['rev-parse', '--short', 'HEAD']).trim();
    if (run('git', ['status', '--porcelain']).trim() !== '') commit += ' with uncommitted changes';
  } catch {
    // keep 'unknown'
  }
  let tlc: string;
  try {
    tlc = await tlcVersion();
  } catch (e) {
    tlc = `not found (${(e as Error).message.split('\n')[0]})`;
  }
  return { date: new Date().toISOString(), commit, node: process.version, java: javaVersion(), tlc, cores: os.cpus().length };
}

for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    killRunning('SIGTERM');
    process.stderr.write(`results: ${sig}; ${path.relative(REPO_ROOT, out)} left as it was\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });

const load = os.loadavg()[0]!;
if (load > LOAD_LIMIT) process.stderr.write(`results: load average ${load.toFixed(2)} > ${LOAD_LIMIT}: the figures will say so\n`);
try {
  const all = benches(quick);
  const names = (v: string | undefined): string[] => (v ?? '').split(',').filter((n) => n !== '');
  const only = names(values.only);
  const skip = names(values.skip);
  const unknown = [...only, ...skip].find((n) => !all.some((b) => b.name === n));
  if (unknown !== undefined) {
    process.stderr.write(`results: unknown benchmark '${unknown}' (known: ${all.map((b) => b.name).join(', ')})\n`);
    process.exit(2);
  }
  const list = all.filter((b) => (only.length === 0 || only.includes(b.name)) && !skip.includes(b.name));
  const notRun = all.filter((b) => !list.includes(b)).map((b) => b.name);
  await writeResults({
    benches: list,
    out,
    quick,
    env: await environment(),
    timeoutMs,
    notRun,
    echoStderr: !quick,
    onBench: (name) => process.stderr.write(`results: ${name} (${list.findIndex((b) => b.name === name) + 1}/${list.length})\n`),
  });
  process.stderr.write(`results: wrote ${path.relative(REPO_ROOT, out) || out}\n`);
} catch (e) {
  if (!(e instanceof BenchFailed)) throw e;
  process.stderr.write(`results: ${e.message}; ${path.relative(REPO_ROOT, out)} left as it was\n`);
  process.exitCode = 1;
}
