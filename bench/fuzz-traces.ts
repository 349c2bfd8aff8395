// `make fuzz SEED=7 COUNT=20000`: feeds COUNT mutants of the committed traces (conformance/
// trace-formats/fuzz.ts) to the trace readers and prints counts by outcome: accepted, each error
// kind, uncaught, and hangs (a mutant not done within --per-file-ms is killed and counted).
// Run: npx tsx bench/fuzz-traces.ts [--seed S] [--count N] [--per-file-ms MS] [--huge-bytes B]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fuzzSeeds, makeMutant, readMutant } from '../conformance/trace-formats/fuzz.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '20000' },
    'per-file-ms': { type: 'string', default: '10000' },
    'huge-bytes': { type: 'string', default: String(4 << 20) },
    child: { type: 'string' },
  },
});
const seed = Number(values.seed);
const count = Number(values.count);
const perFileMs = Number(values['per-file-ms']);
const hugeBytes = Number(values['huge-bytes']);
for (const [name, v] of [
  ['--seed', seed],
  ['--count', count],
  ['--per-file-ms', perFileMs],
  ['--huge-bytes', hugeBytes],
] as const) {
  if (!Number.isSafeInteger(v) || v < 0) {
    process.stderr.write(`fuzz-traces: ${name} must be a non-negative integer\n`);
    process.exit(2);
  }
}

if (values.child !== undefined) {
  // Child: reads mutants from --child FROM on, one result line each: index, outcome, detail.
  const seeds = fuzzSeeds();
  for (let i = Number(values.child); i < count; i++) {
    const m = makeMutant(seeds, seed, i, hugeBytes);
    const o = readMutant(m);
    const detail =
      o.outcome === 'rejected' ? reasonKind(o.message) : o.outcome === 'uncaught' ? `${m.mutation} of ${m.seed.name}: ${o.error}` : '';
    process.stdout.write(`${i}\t${o.outcome === 'rejected' ? o.kind : o.outcome}\t${detail}\n`);
  }
} else {
  await runAll();
}

/** The reason of a one-line error without its location and quoted input: "truncated JSON", ... */
function reasonKind(message: string): string {
  const reason = message.replace(/^fuzz\/\S+?: (state \d+: )?((variable|param) \S+: )?/, '');
  return reason
    .replace(/"(?:[^"\\]|\\.)*"…?/g, '"…"')
    .replace(/-?\d+/g, 'N')
    .split(/[:(,]/)[0]!
    .trim()
    .slice(0, 60);
}

async function runAll(): Promise<void> {
  const started = performance.now();
  const byOutcome = new Map<string, number>();
  const byReason = new Map<string, number>();
  const uncaught: string[] = [];
  const hangs: number[] = [];
  let next = 0;
  while (next < count) {
    // One child reads mutants from `next` on; killed when one takes longer than perFileMs.
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        '--child',
        String(next),
        '--seed',
        String(seed),
        '--count',
        String(count),
        '--huge-bytes',
        String(hugeBytes),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let timer: NodeJS.Timeout | undefined;
    let hung = false;
    // The first mutant also pays for start-up and loading the schemas.
    const arm = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => ((hung = true), child.kill('SIGKILL')), ms);
    };
    arm(perFileMs + 60_000);
    const lines = createInterface({ input: child.stdout });
    for await (const line of lines) {
      const [index, outcome, detail] = line.split('\t') as [string, string, string];
      next = Number(index) + 1;
      byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
      if (outcome === 'uncaught') uncaught.push(`mutant ${index}: ${detail}`);
      else if (detail) byReason.set(detail, (byReason.get(detail) ?? 0) + 1);
      if (next % 1000 === 0) process.stderr.write(`fuzz: ${next}/${count}\n`);
      arm(perFileMs);
    }
    const code = await new Promise<number | null>((resolve) =>
      child.exitCode !== null ? resolve(child.exitCode) : child.on('close', resolve),
    );
    clearTimeout(timer);
    if (next >= count) break;
    // The child died or was killed on mutant `next`: count it and go on with the one after.
    if (hung) hangs.push(next);
    else uncaught.push(`mutant ${next}: reader process exited with ${code}`);
    byOutcome.set(hung ? 'hang' : 'uncaught', (byOutcome.get(hung ? 'hang' : 'uncaught') ?? 0) + 1);
    next++;
  }
  const seconds = (performance.now() - started) / 1000;
  const out = [
    `fuzz-traces: seed ${seed}, ${count} mutants, ${seconds.toFixed(0)} s, per-file bound ${perFileMs} ms, huge strings up to ${hugeBytes} bytes`,
    ...['accepted', 'TraceFormatError', 'uncaught', 'hang'].map((k) => `  ${k}: ${byOutcome.get(k) ?? 0}`),
    ...[...byOutcome].filter(([k]) => !['accepted', 'TraceFormatError', 'uncaught', 'hang'].includes(k)).map(([k, n]) => `  ${k}: ${n}`),
    '  rejections by reason:',
    ...[...byReason].sort((a, b) => b[1] - a[1]).map(([k, n]) => `    ${String(n).padStart(6)}  ${k}`),
    ...uncaught.slice(0, 50).map((u) => `  UNCAUGHT ${u}`),
    ...hangs.slice(0, 50).map((h) => `  HANG mutant ${h}`),
    ...(uncaught.length || hangs.length ? [`  reproduce: make fuzz SEED=${seed} COUNT=${count}`] : []),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  process.exitCode = uncaught.length || hangs.length ? 1 : 0;
}
