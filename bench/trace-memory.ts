// Peak memory of reading a large ITF trace: writes a trace of --mb megabytes (a corpus trace's
// states repeated, renumbered) to a temporary file, reads it with readTraceFile in a fresh process
// and prints the peak RSS beside the file size. Run: npx tsx bench/trace-memory.ts [--mb 50]
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../lib/paths.ts';
import { readTraceFile } from '../conformance/trace-formats/index.ts';
import { schemaOf } from '../conformance/trace-formats/fuzz.ts';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '50' }, read: { type: 'string' }, config: { type: 'string' } } });

if (values.read !== undefined) {
  // Child: the schema first (its engine call has its own footprint), then the trace.
  const schema = schemaOf(values.config as string);
  const before = process.memoryUsage().rss;
  const t = performance.now();
  const trace = readTraceFile(values.read, schema);
  const ms = performance.now() - t;
  process.stdout.write(
    JSON.stringify({ steps: trace.steps.length, ms: Math.round(ms), rssBefore: before, peakRss: process.resourceUsage().maxRSS * 1024 }),
  );
} else {
  const mb = Number(values.mb);
  const source = path.join(REPO_ROOT, 'conformance', 'traces', 'traces', 'random-002.itf.json');
  const doc = JSON.parse(readFileSync(source, 'utf8')) as {
    '#meta': { config: string };
    vars: string[];
    states: Record<string, unknown>[];
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'dax-trace-memory-'));
  const file = path.join(dir, 'large.itf.json');
  try {
    const fd = openSync(file, 'w');
    writeSync(fd, `{"#meta": ${JSON.stringify(doc['#meta'])},\n "vars": ${JSON.stringify(doc.vars)},\n "states": [\n`);
    let bytes = 0;
    let index = 0;
    // Repeat states 2..n after the first: every step keeps a valid action and parameters.
    for (let round = 0; bytes < mb * 1e6; round++) {
      for (const s of round === 0 ? doc.states : doc.states.slice(1)) {
        const line = `${index ? ',\n' : ''}  ${JSON.stringify({ ...s, '#meta': { ...(s['#meta'] as object), index } })}`;
        writeSync(fd, line);
        bytes += line.length;
        index++;
      }
    }
    writeSync(fd, '\n ]\n}\n');
    closeSync(fd);
    const size = statSync(file).size;
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--read', file, '--config', doc['#meta'].config],
      { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) throw new Error(`reader process failed (${child.status ?? child.signal}): ${child.stderr.slice(-500)}`);
    const r = JSON.parse(child.stdout) as { steps: number; ms: number; rssBefore: number; peakRss: number };
    const mib = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MiB`;
    process.stdout.write(
      `trace-memory: ${mib(size)} ITF trace, ${r.steps} states, read in ${(r.ms / 1000).toFixed(1)} s; peak RSS ${mib(r.peakRss)} ` +
        `(${(r.peakRss / size).toFixed(1)}x the file; ${mib(r.rssBefore)} before reading, ${((r.peakRss - r.rssBefore) / size).toFixed(1)}x for the read itself)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
