// `dax-model traces`: parses its arguments, runs conformance/traces/corpus.ts (TLC -simulate or
// embedded random walks, plus directed BFS traces) and prints what was written and covered.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CorpusError, DEFAULTS, generateCorpus } from '../../conformance/traces/corpus.ts';
import type { Coverage } from '../../conformance/traces/targets.ts';
import { TraceFormatError } from '../../conformance/trace-formats/spec-trace.ts';
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { ENGINE_OPTION, parseEngine } from './engine-option.ts';
import { EXIT } from './exit-codes.ts';
import { ProgressLine } from './progress.ts';

export const TRACES = defineCommand({
  name: 'traces',
  usage: ['traces [CONFIG] [options]'],
  summary: 'generate the conformance trace corpus (random and directed traces, as ITF)',
  description: `Generates the conformance trace corpus of CONFIG (a spec/models config, default ${DEFAULTS.config}): N random
traces of D steps from TLC's -simulate or, without TLC, seeded walks through the embedded
engine; then one directed (shortest) trace per action or branch the random ones missed. Writes
ITF files to DIR/CONFIG/ and DIR/manifest.json atomically: DIR is a new scratch folder (printed)
unless --out names one or --update-corpus replaces the committed corpus (conformance/traces).
Exit 0 when written; 2 on bad arguments; 3 when a run failed.`,
  positionals: true,
  options: {
    count: { type: 'string', value: 'N', help: `random traces (default ${DEFAULTS.count})` },
    depth: { type: 'string', value: 'D', help: `steps per random trace (default ${DEFAULTS.depth})` },
    seed: { type: 'string', value: 'S', help: `the random traces' seed (default ${DEFAULTS.seed})` },
    ...ENGINE_OPTION,
    out: { type: 'string', value: 'DIR', help: 'write the corpus into DIR (default a new scratch folder)' },
    'update-corpus': { type: 'boolean', default: false, help: 'replace the committed corpus, conformance/traces/' },
    'no-directed': { type: 'boolean', default: false, help: 'random traces only, no directed ones for what they miss' },
    timeout: { type: 'string', value: 'S', help: 'time limit per TLC or engine run, in seconds' },
    quiet: { type: 'boolean', default: false, help: 'no progress line on stderr' },
  },
});

function formatCoverage(label: string, c: Coverage): string[] {
  const line = (what: string, x: Coverage['actions']): string =>
    `  ${what} ${x.covered.length}/${x.total}${x.missing.length ? ` (missing: ${x.missing.join(', ')})` : ''}`;
  return [`${label}:`, line('actions ', c.actions), line('branches', c.branches)];
}

/** Runs the traces command; returns the exit code. */
export async function tracesCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(TRACES, argv);
  const usage = (msg: string): number => {
    process.stderr.write(`dax-model traces: ${msg}\n`);
    return EXIT.usage;
  };
  if (positionals.length > 1) return usage(`one CONFIG at a time, got ${positionals.join(' ')}`);
  const parsed = parseEngine(values.engine);
  if ('error' in parsed) return usage(parsed.error);
  const engine = parsed.engine;
  const int = (v: string | undefined, what: string, min: number): number | undefined | string => {
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isInteger(n) && n >= min ? n : `--${what} must be an integer >= ${min}, not '${v}'`;
  };
  const count = int(values.count, 'count', 0);
  const depth = int(values.depth, 'depth', 1);
  const seed = int(values.seed, 'seed', -(2 ** 31));
  const timeout = int(values.timeout, 'timeout', 1);
  for (const x of [count, depth, seed, timeout]) if (typeof x === 'string') return usage(x);
  if (values.out !== undefined && values['update-corpus']) return usage('--out and --update-corpus name two places; give one');
  // The committed corpus is replaced only when asked: a trial run must not overwrite it.
  const outDir = values['update-corpus'] ? undefined : (values.out ?? mkdtempSync(path.join(os.tmpdir(), 'dax-model-traces-')));
  if (outDir !== undefined && values.out === undefined)
    process.stderr.write(`dax-model traces: writing to the scratch folder ${outDir} (--update-corpus replaces the committed corpus)\n`);

  const progress = new ProgressLine(process.stderr, values.quiet);
  try {
    const r = await generateCorpus({
      ...(positionals[0] !== undefined ? { config: positionals[0] } : {}),
      ...(count !== undefined ? { count: count as number } : {}),
      ...(depth !== undefined ? { depth: depth as number } : {}),
      ...(seed !== undefined ? { seed: seed as number } : {}),
      ...(timeout !== undefined ? { timeoutSeconds: timeout as number } : {}),
      ...(outDir !== undefined ? { outDir } : {}),
      engine,
      directed: !values['no-directed'],
      signal,
      onProgress: (l) => progress.update(l),
    });
    progress.done();
    const random = r.traces.filter((t) => t.kind === 'random').length;
    process.stdout.write(
      [
        `wrote ${r.traces.length} traces (${random} random, ${r.traces.length - random} directed) for ${r.config} to ${r.dir}: ${Math.round(r.bytes / 1024)} KiB in ${r.seconds.toFixed(1)} s [${r.engineVersion}]`,
        ...formatCoverage(`coverage of ${r.config}`, r.coverage),
        ...(r.unreachable.length ? [`  not reachable under ${r.config}: ${r.unreachable.join(', ')}`] : []),
        ...formatCoverage('coverage of the whole corpus', r.corpusCoverage),
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  } catch (e) {
    progress.done();
    // What failed because of the interrupt is no news: the interrupt was reported.
    if (signal.aborted) return EXIT.interrupted;
    if (e instanceof CorpusError) {
      process.stderr.write(`dax-model traces: ${e.message}\n`);
      return EXIT.runFailed;
    }
    if (e instanceof TraceFormatError) {
      process.stderr.write(`dax-model traces: ${e.message}\n`);
      return EXIT.runFailed;
    }
    throw e;
  }
}
