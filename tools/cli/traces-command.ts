// `dax-model traces`: parses its arguments, runs conformance/traces/corpus.ts (TLC -simulate or
// embedded random walks, plus directed BFS traces) and prints what was written and covered.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CorpusError, DEFAULTS, generateCorpus } from '../../conformance/traces/corpus.ts';
import type { Coverage } from '../../conformance/traces/targets.ts';
import { TraceFormatError } from '../../conformance/trace-formats/spec-trace.ts';
import { ENGINE_OPTION, parseEngine } from './engine-option.ts';
import { EXIT } from './exit-codes.ts';
import { ProgressLine } from './progress.ts';

export const TRACES_USAGE = `dax-model traces [CONFIG] [--count N] [--depth D] [--seed S] [--engine tlc|embedded|auto] [--out DIR | --update-corpus] [--no-directed]
  Generates the conformance trace corpus of CONFIG (a spec/models config, default ${DEFAULTS.config}): N random
  traces of D steps (default ${DEFAULTS.count} x ${DEFAULTS.depth}, seed ${DEFAULTS.seed}) from TLC's -simulate or, without TLC, seeded
  walks through the embedded engine; then one directed (shortest) trace per action or branch
  the random ones missed. Writes ITF files to DIR/CONFIG/ and DIR/manifest.json atomically: DIR is
  a new scratch folder (printed) unless --out names one or --update-corpus replaces the committed
  corpus (conformance/traces). Exit 0 when written; 2 on bad arguments; 3 when a run failed.`;

/** The options as parseArgs declares them (the hint test parses command lines with them). */
export const TRACES_OPTIONS = {
  count: { type: 'string' },
  depth: { type: 'string' },
  seed: { type: 'string' },
  ...ENGINE_OPTION,
  out: { type: 'string' },
  'update-corpus': { type: 'boolean', default: false },
  'no-directed': { type: 'boolean', default: false },
  timeout: { type: 'string' },
  quiet: { type: 'boolean', default: false },
} as const;

function formatCoverage(label: string, c: Coverage): string[] {
  const line = (what: string, x: Coverage['actions']): string =>
    `  ${what} ${x.covered.length}/${x.total}${x.missing.length ? ` (missing: ${x.missing.join(', ')})` : ''}`;
  return [`${label}:`, line('actions ', c.actions), line('branches', c.branches)];
}

/** Runs the traces command; returns the exit code. */
export async function tracesCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: TRACES_OPTIONS,
  });
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
