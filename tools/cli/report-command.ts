// `dax-model report TRACE`: reads a committed counterexample (.cex.json) or any trace file
// `dax-model replay` reads, prints why it fails, and writes it as an HTML timeline (--html) and/or
// portable ITF (--itf).
import { readFileSync, statSync } from 'node:fs';
import { WORKER_RENDER_STATES, writeTraceOutputsInterruptibly } from '../../conformance/explain/outputs.ts';
import { explainCounterexample, formatExplanation } from '../../conformance/explain/why.ts';
import { type SavedCounterexample } from '../../conformance/replay/counterexample-replay.ts';
import { TraceFormatError } from '../../conformance/trace-formats/index.ts';
import { isLarge, readTraceFileInterruptibly } from '../../conformance/trace-formats/read-in-worker.ts';
import { configFile, loadManifest, ManifestError, selectConfigs, specFile } from '../../lib/check/manifest.ts';
import type { Counterexample } from '../../lib/result/check-result.ts';
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { EXIT } from './exit-codes.ts';

export const REPORT = defineCommand({
  name: 'report',
  usage: ['report TRACE [options]'],
  summary: 'explain a counterexample; write it as an HTML timeline or portable ITF',
  description: `Explains a counterexample: a .cex.json of conformance/regressions/, or any trace file replay
reads (then --config names its config). Prints why it fails.`,
  positionals: true,
  options: {
    config: { type: 'string', value: 'CONFIG', help: 'the config of a trace file that is not a .cex.json' },
    property: { type: 'string', value: 'P', help: "the property it violates (default the config's expected verdict)" },
    html: { type: 'string', value: 'FILE', help: 'write a self-contained HTML timeline' },
    itf: { type: 'string', value: 'FILE', help: 'write portable ITF' },
  },
});

/** Runs the report command; returns the exit code. */
export async function reportCommand(argv: string[], signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(REPORT, argv);
  const fail = (code: number, message: string): number => {
    process.stderr.write(`dax-model report: ${message}\n`);
    return code;
  };
  if (positionals.length !== 1) return fail(EXIT.usage, 'name exactly one trace file');
  const file = positionals[0]!;
  let config = values.config;
  let property = values.property;
  let cex: Counterexample;
  try {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      doc = undefined;
    }
    const saved = doc as SavedCounterexample | undefined;
    if (saved && typeof saved === 'object' && Array.isArray(saved.counterexample?.steps)) {
      config ??= saved.config;
      property ??= saved.expected;
      cex = saved.counterexample;
    } else {
      if (!config) return fail(EXIT.usage, `${file}: not a .cex.json; --config is required for a trace file`);
      const cfg = config.endsWith('.cfg') ? config : configFile(selectConfigs(loadManifest(), [config])[0]!.name);
      if (isLarge(file)) process.stderr.write(`dax-model report: reading ${file}, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB…\n`);
      const trace = await readTraceFileInterruptibly(file, { specFile: specFile(loadManifest()), configFile: cfg }, undefined, signal);
      cex = {
        steps: trace.steps,
        ...(trace.ending ? { ending: trace.ending } : {}),
        ...(trace.loopsBackTo !== undefined ? { loopsBackTo: trace.loopsBackTo } : {}),
      };
      if (!property && !config.endsWith('.cfg')) {
        const expected = selectConfigs(loadManifest(), [config])[0]!.expected;
        if (expected !== 'holds') property = expected;
      }
    }
  } catch (e) {
    if (e instanceof TraceFormatError || e instanceof ManifestError) return fail(EXIT.usage, e.message);
    throw e;
  }
  const explanation = property ? explainCounterexample(cex, property) : undefined;
  process.stdout.write(`${file}: ${cex.steps.length} states of ${config}\n`);
  if (explanation) process.stdout.write(`${formatExplanation(explanation).join('\n')}\n`);
  const targets = { ...(values.html ? { html: values.html } : {}), ...(values.itf ? { itf: values.itf } : {}) };
  // A long trace's timeline takes seconds (in a worker): say so, as reading it does.
  if (values.html && cex.steps.length >= WORKER_RENDER_STATES)
    process.stderr.write(`dax-model report: rendering the HTML timeline of ${cex.steps.length} states…\n`);
  for (const f of await writeTraceOutputsInterruptibly(
    { config: config!, source: file, cex, ...(explanation ? { explanation } : {}) },
    targets,
    signal,
  ))
    process.stdout.write(`  wrote ${f}\n`);
  return EXIT.ok;
}
