// `dax-model replay-cex CONFIG...`: model-checks variant configs, replays each counterexample on
// the implementation with the same switch, prints what the implementation did, and writes the
// counterexample and a vitest regression test under conformance/regressions/.
import path from 'node:path';
import {
  CounterexampleSearchError,
  findCounterexample,
  reproduce,
  saveRegression,
} from '../../conformance/replay/counterexample-replay.ts';
import { formatDivergence } from '../../conformance/replay/replay.ts';
import { asRelease, releaseConfigName } from '../../conformance/model/release-model.ts';
import { readModelConstants, type ModelConstants } from '../../conformance/model/model.ts';
import { loadManifest, selectConfigs } from '../../lib/check/manifest.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { formatCounterexample } from '../../lib/report/counterexample.ts';
import { writeTraceOutputs } from '../../conformance/explain/outputs.ts';
import { explainCounterexample, formatExplanation } from '../../conformance/explain/why.ts';
import { ENGINE_OPTION, engineOption } from './engine-option.ts';
import { errorExit } from './errors.ts';
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { EXIT } from './exit-codes.ts';
import { KERNEL_OPTION, kernelOption } from './kernel-option.ts';

export const REPLAY_CEX = defineCommand({
  name: 'replay-cex',
  usage: ['replay-cex [CONFIG...] [options]'],
  summary: 'model-check variant configs and reproduce each counterexample on the implementation',
  description: `Model-checks each variant config (default: all), replays its counterexample on the
implementation with the same variant switch, and shows that the implementation reaches the same
violation. Writes conformance/regressions/<config>.cex.json and <config>.test.ts unless
--dry-run. With --kernel, the replay is on the implementation built as that kernel version, by
default on its config history-VERSION; a config whose Bugs, IdleRef or Features are not the
version's is an error (exit 2). Exit 0 iff every counterexample is reproduced.`,
  positionals: true,
  options: {
    ...ENGINE_OPTION,
    ...KERNEL_OPTION,
    'dry-run': { type: 'boolean', default: false, help: 'write nothing into conformance/regressions/' },
    quiet: { type: 'boolean', default: false, help: 'print neither progress nor the counterexamples' },
    html: { type: 'string', value: 'DIR', help: 'also write each counterexample as an HTML timeline into DIR' },
    itf: { type: 'string', value: 'DIR', help: 'also write each counterexample as portable ITF into DIR' },
  },
});

/** Runs the replay-cex command; returns the exit code. */
export async function replayCexCommand(argv: string[], signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(REPLAY_CEX, argv);
  const kernel = kernelOption('replay-cex', values.kernel, undefined);
  if ('exit' in kernel) return kernel.exit;
  const option = engineOption('replay-cex', values.engine);
  if ('exit' in option) return option.exit;
  const engine = option.engine;
  let names: string[];
  const constantsAs = new Map<string, ModelConstants>();
  try {
    const manifest = loadManifest();
    const version = kernel.kernel?.version;
    names =
      positionals.length > 0
        ? positionals
        : version
          ? [releaseConfigName(version)]
          : manifest.configs.filter((c) => c.variant).map((c) => c.name);
    // Every name, and its agreement with --kernel, is checked before the first (long) model check starts.
    selectConfigs(manifest, names);
    if (version) for (const name of names) constantsAs.set(name, asRelease(readModelConstants(name), version));
  } catch (e) {
    return errorExit('replay-cex', e);
  }
  let failures = 0;
  for (const name of names) {
    let found;
    try {
      if (!values.quiet) process.stderr.write(`[${name}] checking with ${engine}…\n`);
      found = await findCounterexample(name, engine, signal);
    } catch (e) {
      if (e instanceof CounterexampleSearchError) {
        process.stderr.write(`dax-model replay-cex: ${e.message}\n`);
        return EXIT.runFailed;
      }
      return errorExit('replay-cex', e);
    }
    const { entry, result } = found;
    const cex = result.counterexample!;
    process.stdout.write(`${name}: ${found.engine} refutes ${entry.expected} in ${cex.steps.length} states\n`);
    if (!values.quiet) process.stdout.write(`${formatCounterexample(cex, { indent: '  ' }).join('\n')}\n`);
    const explanation = explainCounterexample(cex, entry.expected);
    process.stdout.write(`${formatExplanation(explanation).join('\n')}\n`);
    const targets = { ...(values.html ? { html: values.html } : {}), ...(values.itf ? { itf: values.itf } : {}) };
    for (const f of writeTraceOutputs({ config: name, source: `${found.engine} check of ${name}`, cex, explanation }, targets))
      process.stdout.write(`  wrote ${f}\n`);
    const r = reproduce(name, entry.expected, cex, constantsAs.get(name), kernel.profile ? { profile: kernel.profile } : {});
    if (r.divergence)
      process.stdout.write(
        `${formatDivergence(r.divergence)
          .map((l) => `  ${l}`)
          .join('\n')}\n`,
      );
    process.stdout.write(
      `  implementation: ${r.replayed ? `followed all ${r.steps} steps` : `diverged after ${r.steps} steps`}; ${r.reproduced ? 'reached the same violation' : 'did NOT reach the violation'}\n`,
    );
    for (const line of r.evidence) process.stdout.write(`    - ${line}\n`);
    if (!r.reproduced) failures++;
    // Nothing is written once interrupted: a regression from a half-finished run is no regression.
    if (!values['dry-run'] && r.reproduced && !signal?.aborted) {
      const files = saveRegression(entry, result, found.engine);
      process.stdout.write(`  wrote ${path.relative(REPO_ROOT, files.data)} and ${path.relative(REPO_ROOT, files.test)}\n`);
    }
  }
  return failures === 0 ? EXIT.ok : EXIT.mismatch;
}
