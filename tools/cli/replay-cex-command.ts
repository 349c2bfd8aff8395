// `dax-model replay-cex CONFIG...`: model-checks variant configs, replays each counterexample on
// the implementation with the same switch, prints what the implementation did, and writes the
// counterexample and a vitest regression test under conformance/regressions/.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findCounterexample, reproduce, saveRegression } from '../../conformance/counterexample-replay.ts';
import { formatDivergence } from '../../conformance/replay.ts';
import { loadManifest, ManifestError } from '../../lib/check/manifest.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { formatCounterexample } from '../../lib/report/counterexample.ts';
import { writeTraceOutputs } from '../../conformance/explain/outputs.ts';
import { explainCounterexample, formatExplanation } from '../../conformance/explain/why.ts';
import { ENGINE_OPTION, engineOption } from './engine-option.ts';
import { EXIT } from './exit-codes.ts';
import { KERNEL_OPTION, kernelOption } from './kernel-option.ts';

export const REPLAY_CEX_USAGE = `dax-model replay-cex [CONFIG...] [--engine tlc|embedded|auto] [--kernel VERSION] [--dry-run] [--quiet]
  Model-checks each variant config (default: all), replays its counterexample on the
  implementation with the same variant switch, and shows that the implementation reaches the same
  violation. Writes conformance/regressions/<config>.cex.json and <config>.test.ts unless
  --dry-run; --html DIR and --itf DIR also write each counterexample as an HTML timeline and as
  portable ITF. Exit 0 iff every counterexample is reproduced.`;

/** Runs the replay-cex command; returns the exit code. */
export async function replayCexCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...ENGINE_OPTION, ...KERNEL_OPTION, 'dry-run': { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false }, html: { type: 'string' }, itf: { type: 'string' } },
  });
  const kernel = kernelOption('replay-cex', values.kernel, undefined);
  if ('exit' in kernel) return kernel.exit;
  const option = engineOption('replay-cex', values.engine);
  if ('exit' in option) return option.exit;
  const engine = option.engine;
  const manifest = loadManifest();
  const names = positionals.length > 0 ? positionals : manifest.configs.filter((c) => c.variant).map((c) => c.name);
  let failures = 0;
  for (const name of names) {
    let found;
    try {
      found = await findCounterexample(name, engine);
    } catch (e) {
      if (e instanceof ManifestError) {
        process.stderr.write(`dax-model replay-cex: ${e.message}\n`);
        return EXIT.usage;
      }
      process.stderr.write(`dax-model replay-cex: ${(e as Error).message}\n`);
      return EXIT.runFailed;
    }
    const { entry, result } = found;
    const cex = result.counterexample!;
    process.stdout.write(`${name}: ${found.engine} refutes ${entry.expected} in ${cex.steps.length} states\n`);
    if (!values.quiet) process.stdout.write(`${formatCounterexample(cex, { indent: '  ' }).join('\n')}\n`);
    const explanation = explainCounterexample(cex, entry.expected);
    process.stdout.write(`${formatExplanation(explanation).join('\n')}\n`);
    const targets = { ...(values.html ? { html: values.html } : {}), ...(values.itf ? { itf: values.itf } : {}) };
    for (const f of writeTraceOutputs({ config: name, source: `${found.engine} check of ${name}`, cex, explanation }, targets)) process.stdout.write(`  wrote ${f}\n`);
    const r = reproduce(name, entry.expected, cex, undefined, kernel.profile ? { profile: kernel.profile } : {});
    if (r.divergence) process.stdout.write(`${formatDivergence(r.divergence).map((l) => `  ${l}`).join('\n')}\n`);
    process.stdout.write(`  implementation: ${r.replayed ? `followed all ${r.steps} steps` : `diverged after ${r.steps} steps`}; ${r.reproduced ? 'reached the same violation' : 'did NOT reach the violation'}\n`);
    for (const line of r.evidence) process.stdout.write(`    - ${line}\n`);
    if (!r.reproduced) failures++;
    if (!values['dry-run'] && r.reproduced) {
      const files = saveRegression(entry, result, found.engine);
      process.stdout.write(`  wrote ${path.relative(REPO_ROOT, files.data)} and ${path.relative(REPO_ROOT, files.test)}\n`);
    }
  }
  return failures === 0 ? EXIT.ok : EXIT.mismatch;
}
