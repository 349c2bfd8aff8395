// `dax-model conform`: the command a refactor of impl/ runs. Replays the trace corpus, runs
// fast-check executions validated against the spec, replays every variant's counterexample, and
// prints what it covered and any divergence as a readable diff.
import { parseArgs } from 'node:util';
import { runConformance } from '../../conformance/suite.ts';
import { ENGINE_OPTION, engineOption } from './engine-option.ts';
import { KERNEL_OPTION, kernelOption } from './kernel-option.ts';
import { EXIT } from './exit-codes.ts';
import { ProgressLine, thousands } from './progress.ts';

export const CONFORM_USAGE = `dax-model conform [--runs N] [--seed S] [--max-steps N] [--config C] [--profile xfs|ext4] [--kernel VERSION] [--engine tlc|embedded|auto] [--no-corpus] [--no-cex] [--no-tlc] [--json]
  Replays conformance/traces/ through the implementation, runs N fast-check executions (default
  100, seed printed) validated step by step against the spec's state graph of config C (default
  smoke, rich and duo) — and, when TLC is found, by TLC too, as one batch per config — runs 25
  on each variant config against its own graph, and replays conformance/regressions/*.cex.json;
  all under the XFS and the ext4 profile unless --profile or --kernel (a version of impl/kernels.ts,
  whose file-system profile it takes) names one. --engine picks who builds the
  state graphs and whether TLC validates the batch (embedded: no TLC at all). Exit 0 iff no divergence and no
  invariant failure. --json prints {traces, steps, actionsCovered, actionsTotal, fastCheckRuns,
  divergences, stepsPerSecond, seconds}.`;

function positiveInt(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`--${name} must be a non-negative integer, not '${v}'`);
  return n;
}

/** Runs the conform command; returns the exit code. */
export async function conformCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      'max-steps': { type: 'string' },
      config: { type: 'string' },
      profile: { type: 'string' },
      ...KERNEL_OPTION,
      ...ENGINE_OPTION,
      'no-corpus': { type: 'boolean', default: false },
      'no-cex': { type: 'boolean', default: false },
      'no-tlc': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  let runs: number;
  let seed: number;
  let maxSteps: number;
  try {
    runs = positiveInt(values.runs, 'runs', 100);
    seed = positiveInt(values.seed, 'seed', 20260425);
    maxSteps = positiveInt(values['max-steps'], 'max-steps', 60);
  } catch (e) {
    process.stderr.write(`dax-model conform: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  if (values.profile !== undefined && values.profile !== 'xfs' && values.profile !== 'ext4') {
    process.stderr.write(`dax-model conform: --profile must be xfs or ext4\n`);
    return EXIT.usage;
  }
  const kernel = kernelOption('conform', values.kernel, values.profile);
  if ('exit' in kernel) return kernel.exit;
  const option = engineOption('conform', values.engine);
  if ('exit' in option) return option.exit;
  const progress = new ProgressLine(process.stderr, values.quiet);
  const r = await runConformance({
    fastCheckRuns: runs,
    seed,
    maxSteps,
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(kernel.profile !== undefined ? { profile: kernel.profile } : {}),
    engine: option.engine,
    corpus: !values['no-corpus'],
    cexReplays: !values['no-cex'],
    ...(values['no-tlc'] ? { tlcBatch: false } : {}),
    onProgress: (m) => progress.update(m),
  });
  progress.done();
  if (values.json) {
    const { traces, steps, actionsCovered, actionsTotal, fastCheckRuns, divergences, stepsPerSecond, seconds } = r;
    process.stdout.write(`${JSON.stringify({ traces, steps, actionsCovered, actionsTotal, fastCheckRuns, divergences, stepsPerSecond, seconds }, null, 2)}\n`);
  } else {
    process.stdout.write(`traces replayed     ${thousands(r.traces)}\n`);
    process.stdout.write(`steps checked       ${thousands(r.steps)}\n`);
    process.stdout.write(`actions covered     ${r.actionsCovered} of ${r.actionsTotal}${r.actionsMissing.length ? ` (missing: ${r.actionsMissing.join(', ')})` : ''}\n`);
    process.stdout.write(`fast-check runs     ${r.fastCheckRuns} (seed ${r.fastCheckSeed})\n`);
    process.stdout.write(`TLC batch           ${r.tlcBatch ? `${r.tlcBatch.accepted} of ${r.tlcBatch.executions} executions accepted by TLC, one run per config (${r.tlcBatch.seconds.toFixed(1)} s)` : 'not run (no TLC, or --no-tlc)'}\n`);
    process.stdout.write(`divergences         ${r.divergences.length}\n`);
    process.stdout.write(`seconds             ${r.seconds.toFixed(1)}  (${thousands(r.stepsPerSecond)} steps/s)\n`);
    for (const d of r.divergences) {
      process.stdout.write(`\n[${d.check}] ${d.message}\n`);
      for (const l of d.details ?? []) process.stdout.write(`  ${l}\n`);
    }
  }
  return r.divergences.length === 0 ? EXIT.ok : EXIT.mismatch;
}
