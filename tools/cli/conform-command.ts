// `dax-model conform`: the command a refactor of impl/ runs. Replays the trace corpus, runs
// fast-check executions validated against the spec, replays every variant's counterexample, and
// prints what it covered and any divergence as a readable diff, with the commands that replay it.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeTraceOutputs } from '../../conformance/explain/outputs.ts';
import {
  DEFAULT_SEED,
  runConformance,
  type ConformanceOptions,
  type ConformanceReport,
  type FastCheckFailure,
} from '../../conformance/index.ts';
import { loadManifest, selectConfigs } from '../../lib/check/manifest.ts';
import { formatCounterexample } from '../../lib/report/counterexample.ts';
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { DETAIL_OPTIONS, readDetail, type Detail } from './detail-options.ts';
import { errorExit } from './errors.ts';
import { ENGINE_OPTION, engineOption } from './engine-option.ts';
import { ALL_KERNELS, KERNEL_OPTION, kernelOption } from './kernel-option.ts';
import { conformEveryKernel } from './conform-kernels.ts';
import { EXIT } from './exit-codes.ts';
import { ProgressLine, thousands } from './progress.ts';
import { DEFAULT_MAX_STEPS } from '../../conformance/executions/executions.ts';
import { scheduleOptions } from './schedule-options.ts';

export const CONFORM = defineCommand({
  name: 'conform',
  usage: ['conform [options]'],
  summary: 'check the implementation against the spec: corpus, fast-check executions, counterexamples',
  description: `Replays conformance/traces/ through the implementation, runs N fast-check executions
validated step by step against the spec's state graph of config C (default smoke, rich and duo)
— and, when TLC is found, by TLC too, as one batch per config — runs 25 on each small config
against its own graph (fallocate-modes, munmap-evict, every variant, trunc-warn, every
history-VERSION), and replays conformance/regressions/*.cex.json; each config under one profile
unless --profile names one: its kernel's for a history-VERSION config, ext4 where the config
needs a switch only ext4 has (ZeroRangeInPlace), XFS elsewhere; a profile lacking one of a
config's switches is listed as not applicable. Each config and profile runs with its own seed
derived from S (printed). --engine picks who builds the state graphs and whether TLC validates
the batch (embedded: no TLC at all). A fast-check failure is written as portable ITF and, with
--html, as an HTML timeline, with the replay command that reproduces it on the implementation
and the conform --path one that replays the execution.
--kernel VERSION runs everything as that kernel: the implementation is built from the version's
table (its bugs, file-system profile, idle refcount and features) and checked against the spec
with the constants of its config (spec/models/history-VERSION.cfg, which must agree): N
fast-check executions on that config's state graph (and the TLC batch), 25 on each other small
config whose constants are the version's, and the replay of
conformance/regressions/history-VERSION.cex.json; the corpus, the other small configs and the
other counterexamples were made with other constants and are listed as not applicable.
--kernel all runs every version in turn, each with its own seed (printed), one line per version.
--json prints {traces, steps, actionsCovered, actionsTotal, fastCheckRuns, fastCheckSeeds,
divergences, stepsPerSecond, validationSeconds, seconds, kernel, notApplicable, stateGraphs}.
Exit 0 iff no divergence and no invariant failure; 1 otherwise; 2 on bad arguments.`,
  positionals: false,
  options: {
    runs: { type: 'string', value: 'N', help: 'fast-check executions on the main configs (default 100)' },
    kernel: {
      ...KERNEL_OPTION.kernel,
      value: 'VERSION|all',
      help: 'run everything as this kernel version (impl/releases.ts), or each in turn',
    },
    seed: { type: 'string', value: 'S', help: `the seed every config's own is derived from (default ${DEFAULT_SEED})` },
    'max-steps': { type: 'string', value: 'N', help: `steps per execution at most (default ${DEFAULT_MAX_STEPS})` },
    config: { type: 'string', value: 'C', help: 'run the executions on this config only (a manifest name or a .cfg file)' },
    profile: { type: 'string', value: 'xfs|ext4|ext2', help: 'run under this file-system profile only' },
    path: { type: 'string', value: 'P', help: "replay one execution: a failure's fast-check path (with its --config and --seed)" },
    itf: { type: 'string', value: 'DIR', help: 'write fast-check failures as portable ITF into DIR (default a scratch folder)' },
    html: { type: 'string', value: 'DIR', help: 'write fast-check failures as HTML timelines into DIR' },
    ...ENGINE_OPTION,
    ...DETAIL_OPTIONS,
    'no-corpus': { type: 'boolean', default: false, help: 'do not replay the trace corpus' },
    'no-cex': { type: 'boolean', default: false, help: 'do not replay the committed counterexamples' },
    'no-tlc': { type: 'boolean', default: false, help: 'no TLC batch (the state graphs still validate every step)' },
    json: { type: 'boolean', default: false, help: 'print the report as JSON (a list of reports with --kernel all)' },
    quiet: { type: 'boolean', default: false, help: 'no progress line on stderr' },
  },
});

/** A path as fast-check writes it: run index, then shrink steps, colon-separated. */
const PATH_RE = /^\d+(:\d+)*$/;

/** The conform command line that replays one fast-check failure. */
export function replayPathCommand(f: Pick<FastCheckFailure, 'config' | 'profile' | 'seed' | 'path' | 'maxSteps' | 'kernel'>): string {
  const steps = f.maxSteps !== DEFAULT_MAX_STEPS ? ` --max-steps ${f.maxSteps}` : '';
  const as = f.kernel ? `--kernel ${f.kernel}` : `--profile ${f.profile}`;
  return `npx dax-model conform --config ${f.config} ${as} --seed ${f.seed} --path ${f.path}${steps}`;
}

/** Runs the conform command; returns the exit code. */
export async function conformCommand(argv: string[], signal?: AbortSignal): Promise<number> {
  const { values } = parseCommandLine(CONFORM, argv);
  const usage = (message: string): number => {
    process.stderr.write(`dax-model conform: ${message}\n`);
    return EXIT.usage;
  };
  let runs: number;
  let seed: number;
  let maxSteps: number;
  try {
    ({ runs, seed, maxSteps } = scheduleOptions(values, { runs: 100, minRuns: 0, seed: DEFAULT_SEED }));
  } catch (e) {
    return usage((e as Error).message);
  }
  if (values.path !== undefined) {
    if (!PATH_RE.test(values.path)) return usage(`--path must be fast-check's path (numbers separated by ':'), not '${values.path}'`);
    if (values.config === undefined || values.seed === undefined)
      return usage('--path replays one execution: give the --config and the --seed its failure printed');
  }
  const detail = readDetail(values);
  if ('error' in detail) return usage(detail.error);
  const kernel = kernelOption('conform', values.kernel, values.profile, { allowAll: true });
  if ('exit' in kernel) return kernel.exit;
  const every = kernel.kernels.length > 1;
  if (every && (values.config !== undefined || values.path !== undefined))
    return usage(`--kernel ${ALL_KERNELS} runs each version on its own config: --config and --path name one run`);
  const option = engineOption('conform', values.engine);
  if ('exit' in option) return option.exit;
  try {
    // An unknown config is bad input, said before any work starts; a .cfg path is taken as it is.
    if (values.config !== undefined && !values.config.endsWith('.cfg')) selectConfigs(loadManifest(), [values.config]);
  } catch (e) {
    return errorExit('conform', e);
  }
  const progress = new ProgressLine(process.stderr, values.quiet);
  const base: ConformanceOptions = {
    fastCheckRuns: runs,
    seed,
    maxSteps,
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(kernel.profile !== undefined && !every ? { profile: kernel.profile } : {}),
    ...(kernel.kernel ? { kernel: kernel.kernel.version } : {}),
    ...(values.path !== undefined ? { replayPath: values.path } : {}),
    engine: option.engine,
    corpus: !values['no-corpus'],
    cexReplays: !values['no-cex'],
    ...(values['no-tlc'] ? { tlcBatch: false } : {}),
    onProgress: (m) => progress.update(m),
    ...(signal ? { signal } : {}),
  };
  if (every) {
    return conformEveryKernel(kernel.kernels, base, progress, {
      json: values.json,
      print: (r) => printSummary(r, detail, writeFailures(r, values.itf, values.html)),
      jsonOf: (r) => jsonReport(r, writeFailures(r, values.itf, values.html)),
    });
  }
  let r: ConformanceReport;
  try {
    r = await runConformance(base);
  } catch (e) {
    progress.done();
    return errorExit('conform', e);
  }
  progress.done();
  const written = writeFailures(r, values.itf, values.html);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(jsonReport(r, written), null, 2)}\n`);
  } else if (values.path !== undefined) {
    printReplay(r, values.path, detail, written);
  } else {
    printSummary(r, detail, written);
  }
  return r.divergences.length === 0 ? EXIT.ok : EXIT.mismatch;
}

/** The report as --json prints it: the divergences with the commands and files that replay them. */
function jsonReport(r: ConformanceReport, written: string[][]): object {
  const {
    traces,
    steps,
    actionsCovered,
    actionsTotal,
    fastCheckRuns,
    fastCheckSeeds,
    divergences,
    stepsPerSecond,
    validationSeconds,
    seconds,
    kernel,
    notApplicable,
    stateGraphs,
  } = r;
  const shown = divergences.map(({ fastCheck, ...d }, i) => ({
    ...d,
    ...(fastCheck ? { replay: replayPathCommand(fastCheck), files: written[i] } : {}),
  }));
  return {
    traces,
    steps,
    actionsCovered,
    actionsTotal,
    fastCheckRuns,
    fastCheckSeeds,
    divergences: shown,
    stepsPerSecond,
    validationSeconds,
    seconds,
    kernel,
    notApplicable,
    stateGraphs,
  };
}

/** Each fast-check failure's shrunk schedule as portable ITF (and HTML), by divergence index. */
function writeFailures(r: ConformanceReport, itfDir: string | undefined, htmlDir: string | undefined): string[][] {
  let scratch: string | undefined;
  return r.divergences.map((d) => {
    const f = d.fastCheck;
    if (!f) return [];
    const dir = itfDir ?? (scratch ??= mkdtempSync(path.join(os.tmpdir(), 'dax-model-conform-')));
    const name = `${f.config}-${f.profile}`;
    const out = {
      config: f.config,
      source: `fast-check run of ${f.config} [${f.profile}], seed ${f.seed}, path ${f.path}`,
      cex: f.shrunk.counterexample,
      meta: [
        ['profile', f.profile],
        ['seed', String(f.seed)],
        ['path', f.path],
        ['failure', d.message],
      ] as [string, string][],
    };
    return writeTraceOutputs(out, {
      itf: path.join(dir, `${name}.itf.json`),
      ...(htmlDir ? { html: path.join(htmlDir, `${name}.html`) } : {}),
    });
  });
}

/** A divergence: its message, the shrunk schedule (as --only / --full-init say) or the diff, and
 *  for a fast-check failure the files written and the commands that replay it. */
function printDivergence(d: ConformanceReport['divergences'][number], detail: Detail, files: string[]): void {
  process.stdout.write(`\n[${d.check}] ${d.message}\n`);
  const f = d.fastCheck;
  const lines = f
    ? [d.details![0]!, ...formatCounterexample(f.shrunk.counterexample, { ...detail.format, indent: '  ' })]
    : (d.details ?? []);
  for (const l of lines) process.stdout.write(`  ${l}\n`);
  if (!f) return;
  for (const file of files) process.stdout.write(`  wrote ${file}\n`);
  const itf = files.find((x) => x.endsWith('.itf.json'));
  if (itf)
    process.stdout.write(
      `  replay on the implementation:  npx dax-model replay ${itf} --config ${f.config} ${f.kernel ? `--kernel ${f.kernel}` : `--profile ${f.profile}`}\n`,
    );
  process.stdout.write(`  replay this execution:          ${replayPathCommand(f)}\n`);
}

function printReplay(r: ConformanceReport, fcPath: string, detail: Detail, written: string[][]): void {
  const round = r.fastCheckSeeds.map((s) => `${s.config} [${s.profile}]`).join(', ');
  process.stdout.write(
    `replayed fast-check path ${fcPath} (seed ${r.fastCheckSeed}) on ${round}: ${r.divergences.length === 0 ? 'passes' : 'FAILS'}\n`,
  );
  r.divergences.forEach((d, i) => printDivergence(d, detail, written[i]!));
}

function printSummary(r: ConformanceReport, detail: Detail, written: string[][]): void {
  if (r.kernel)
    process.stdout.write(
      `kernel              ${r.kernel}: ${r.stateGraphs.map((g) => `${g.config} (state graph ${thousands(g.states)} states, ${thousands(g.edges)} steps)`).join(', ') || 'no fast-check run'}\n`,
    );
  for (const line of r.notApplicable) process.stdout.write(`not applicable      ${line}\n`);
  // Under a kernel version its own config comes first and is shown, buggy or not.
  const main = r.fastCheckSeeds.filter((s, i) => !s.variant || (r.kernel !== null && i === 0));
  const byConfig = new Map<string, string[]>();
  for (const s of detail.verbose ? r.fastCheckSeeds : main)
    byConfig.set(s.config, [...(byConfig.get(s.config) ?? []), `${s.profile} ${s.seed}`]);
  process.stdout.write(`traces replayed     ${thousands(r.traces)}\n`);
  process.stdout.write(`steps checked       ${thousands(r.steps)}\n`);
  process.stdout.write(
    `actions covered     ${r.actionsCovered} of ${r.actionsTotal}${r.actionsMissing.length ? ` (missing: ${r.actionsMissing.join(', ')})` : ''}\n`,
  );
  process.stdout.write(`fast-check runs     ${r.fastCheckRuns} (seed ${r.fastCheckSeed})\n`);
  process.stdout.write(
    `fast-check seeds    ${[...byConfig].map(([c, s]) => `${c}: ${s.join(', ')}`).join('; ')}${detail.verbose || main.length === r.fastCheckSeeds.length ? '' : '; small configs: --verbose'}\n`,
  );
  process.stdout.write(
    `TLC batch           ${r.tlcBatch ? `${r.tlcBatch.accepted} of ${r.tlcBatch.executions} executions accepted by TLC, one run per config (${r.tlcBatch.seconds.toFixed(1)} s)` : 'not run (no TLC, or --no-tlc)'}\n`,
  );
  process.stdout.write(`divergences         ${r.divergences.length}\n`);
  process.stdout.write(
    `seconds             ${r.seconds.toFixed(1)}  (validation ${r.validationSeconds.toFixed(1)} s: ${thousands(r.stepsPerSecond)} steps/s)\n`,
  );
  r.divergences.forEach((d, i) => printDivergence(d, detail, written[i]!));
}
