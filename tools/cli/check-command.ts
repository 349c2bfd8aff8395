// `dax-model check`: parses its arguments, runs lib/check/check.ts and prints verdicts against
// expectations, counterexamples as numbered actions with variable diffs, or one JSON array.
import { checkConfigs, type ConfigOutcome, resolveEngine, tlcUnavailableReason } from '../../lib/check/check.ts';
import os from 'node:os';
import { formatCounterexample } from '../../lib/report/counterexample.ts';
import { writeTraceOutputs } from '../../conformance/explain/outputs.ts';
import { explainCounterexample, formatExplanation } from '../../conformance/explain/why.ts';
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { explainRefinementCounterexample } from '../../conformance/promise/promise-counterexample.ts';
import { loadManifest } from '../../lib/check/manifest.ts';
import { DETAIL_OPTIONS, readDetail } from './detail-options.ts';
import { ENGINE_OPTION, engineOption } from './engine-option.ts';
import { checkDistributedCommand } from './distributed-command.ts';
import { errorExit } from './errors.ts';
import { EXIT } from './exit-codes.ts';
import { checkProgressText, ProgressLine, thousands } from './progress.ts';

export const CHECK = defineCommand({
  name: 'check',
  usage: ['check [CONFIG...] [options]', 'check CONFIG --distributed [options]   (dax-model check --distributed --help)'],
  summary: "model-check spec/models configs against the manifest's expected verdicts",
  description: `Model-checks the named configs of spec/models/ (default: every config for the engine: all with
TLC; smoke and the variant configs with the embedded engine) and compares each verdict with
spec/models/manifest.json; each counterexample is explained ("why"), and written as an HTML
timeline (--html DIR) and portable ITF (--itf DIR), one file per config. Counterexamples are
printed for a verdict that does not match (all of them with --verbose).
Exit 0 iff every verdict matches; 1 if one does not; 2 on bad arguments or a spec, mapping or config that does not parse (every failed run a parse error); 3 if a run failed otherwise.`,
  positionals: true,
  options: {
    ...ENGINE_OPTION,
    workers: { type: 'string', value: 'N|auto', help: "TLC's worker threads, at most this machine's cores (default auto)" },
    timeout: { type: 'string', value: 'S', help: 'time limit per config, in seconds (a config that runs out fails: exit 3)' },
    json: { type: 'boolean', default: false, help: 'print one JSON array, a row per config, instead of the table' },
    quiet: { type: 'boolean', default: false, help: 'no progress line on stderr' },
    html: { type: 'string', value: 'DIR', help: 'write each counterexample as an HTML timeline into DIR' },
    itf: { type: 'string', value: 'DIR', help: 'write each counterexample as portable ITF into DIR' },
    ...DETAIL_OPTIONS,
    distributed: { type: 'boolean', help: "run one config on TLC's distributed mode (options: check --distributed --help)" },
  },
});

/** Runs the check command; returns the exit code. */
export async function checkCommand(argv: string[], signal: AbortSignal): Promise<number> {
  if (argv.includes('--distributed')) return checkDistributedCommand(argv, signal);
  const { values, positionals } = parseCommandLine(CHECK, argv);
  const detail = readDetail(values);
  if ('error' in detail) {
    process.stderr.write(`dax-model check: ${detail.error}\n`);
    return EXIT.usage;
  }
  const option = engineOption('check', values.engine);
  if ('exit' in option) return option.exit;
  const engineChoice = option.engine;
  const workers = values.workers === undefined ? 'auto' : values.workers === 'auto' ? 'auto' : Number(values.workers);
  // TLC starts a thread and a share of the heap per worker: beyond the cores it only costs memory.
  const cores = os.availableParallelism();
  if (workers !== 'auto' && !(Number.isInteger(workers) && workers > 0 && workers <= cores)) {
    process.stderr.write(
      `dax-model check: --workers must be auto or an integer from 1 to ${cores} (this machine's cores), not '${values.workers}'\n`,
    );
    return EXIT.usage;
  }
  const timeoutSeconds = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0)) {
    process.stderr.write(`dax-model check: --timeout must be a positive number of seconds\n`);
    return EXIT.usage;
  }
  const engine = resolveEngine(engineChoice);
  if (engineChoice === 'auto' && engine === 'embedded' && !values.json) {
    process.stderr.write(`dax-model check: TLC not found (${tlcUnavailableReason()}); using the embedded engine\n`);
  }

  const progress = new ProgressLine(process.stderr, values.quiet);
  let outcomes;
  try {
    outcomes = await checkConfigs(positionals, {
      engine,
      workers,
      timeoutSeconds,
      signal,
      onStart: (c, e) => progress.update(`[${c.name}] checking with ${e}…`),
      onSkip: (c, why) => process.stderr.write(`dax-model check: skipping ${c.name}: ${why}\n`),
      onProgress: (name, p) => progress.update(checkProgressText(name, p)),
    });
  } catch (e) {
    progress.done();
    return errorExit('check', e);
  }
  progress.done();
  // A config cut short by Ctrl-C has no verdict to show: only those that finished are printed.
  outcomes = outcomes.filter((o) => o.result.error?.kind !== 'interrupted');

  // Why each counterexample fails, and the files --html / --itf ask for.
  const explained = outcomes.map((o) => {
    const cex = o.verdict !== 'holds' ? o.result.counterexample : undefined;
    if (!cex) return { o };
    const explanation = explainCounterexample(cex, o.result.verdict === 'deadlock' ? 'deadlock' : (o.result.property ?? o.verdict));
    const targets = { ...(values.html ? { html: values.html } : {}), ...(values.itf ? { itf: values.itf } : {}) };
    const files = writeTraceOutputs(
      {
        config: o.config,
        source: `${o.engine} check of ${o.config}`,
        cex,
        explanation,
        meta: [['engine', o.result.engineVersion ?? o.engine]],
      },
      targets,
    );
    return { o, cex, explanation, files };
  });
  if (values.json) {
    const rows = explained.map(
      ({ o: { config, engine: en, expected, verdict, property, distinctStates, depth, seconds }, cex, explanation, files }) => ({
        config,
        engine: en,
        expected,
        verdict,
        property,
        distinctStates,
        depth,
        seconds,
        ...(cex ? { counterexample: cex, explanation, files } : {}),
      }),
    );
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    const refinementConfigs = new Set(
      loadManifest()
        .configs.filter((c) => c.refines)
        .map((c) => c.name),
    );
    for (const { o, explanation, files } of explained) {
      const mark = o.matches ? 'ok  ' : o.result.verdict === 'error' ? 'FAIL' : 'MISMATCH';
      process.stdout.write(
        `${mark} ${o.config.padEnd(24)} expected ${o.expected.padEnd(22)} got ${o.verdict.padEnd(22)} ` +
          `${thousands(o.distinctStates).padStart(11)} states  depth ${String(o.depth ?? '-').padStart(3)}  ${o.seconds.toFixed(1).padStart(7)} s  [${o.engine}]\n`,
      );
      if (o.result.error) process.stdout.write(`     ${o.result.error.kind}: ${o.result.error.message}\n`);
      // An expected counterexample (a variant refuted as it should be) is news only when asked for.
      const show = !o.matches || detail.verbose;
      if (show && o.result.counterexample && o.verdict !== 'holds') {
        process.stdout.write(`     counterexample (${o.result.counterexample.steps.length} states):\n`);
        process.stdout.write(`${formatCounterexample(o.result.counterexample, { ...detail.format, indent: '     ' }).join('\n')}\n`);
      }
      if (show && explanation) process.stdout.write(`${formatExplanation(explanation, '     ').join('\n')}\n`);
      // A refinement config's counterexample: what it breaks in the promise, in its words.
      if (show && o.result.counterexample && refinementConfigs.has(o.config) && (o.verdict === 'AbsSafety' || o.verdict === 'AbsFairness'))
        for (const line of explainRefinementCounterexample(o.config, o.result.counterexample, o.verdict))
          process.stdout.write(`     promise: ${line}\n`);
      for (const f of files ?? []) process.stdout.write(`     wrote ${f}\n`);
    }
    const bad = outcomes.filter((o) => !o.matches).length;
    const hidden = detail.verbose ? 0 : outcomes.filter((o) => o.matches && o.verdict !== 'holds' && o.result.counterexample).length;
    if (!signal.aborted)
      process.stdout.write(
        `${outcomes.length - bad} of ${outcomes.length} configs match their expected verdict${hidden ? ` (${hidden} expected counterexamples not shown: --verbose)` : ''}\n`,
      );
  }
  return checkExitCode(outcomes, signal.aborted);
}

/** The exit code of a check: a module or cfg that does not parse (TLC's or SANY's message names
 *  the file and line: an unknown variable in a refinement mapping, an abstract module with a
 *  syntax error) is bad input, 2; any other run that could not be done, 3. */
export function checkExitCode(outcomes: readonly Pick<ConfigOutcome, 'matches' | 'result'>[], aborted: boolean): number {
  if (aborted) return EXIT.interrupted;
  const errors = outcomes.filter((o) => o.result.verdict === 'error');
  if (errors.length > 0) return errors.every((o) => o.result.error?.kind === 'parse') ? EXIT.usage : EXIT.runFailed;
  return outcomes.every((o) => o.matches) ? EXIT.ok : EXIT.mismatch;
}
