// `dax-model replay TRACE... --config C`: replays spec behaviours from files (TLC -dumpTrace json,
// TLC's printed error trace, a -simulate file, ITF) on the implementation built with C's constants
// and variant switch, and prints the first divergence as a per-variable diff. For a variant config
// it also says whether the implementation reached the violation the manifest expects.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { reproduce } from '../../conformance/replay/counterexample-replay.ts';
import { checkLoopClosure } from '../../conformance/replay/lasso.ts';
import { ModelConstantsError, readModelConstants } from '../../conformance/model/model.ts';
import { PROFILES } from '../../conformance/suite/suite-inputs.ts';
import { asRelease, profileRefusal } from '../../conformance/model/release-model.ts';
import { formatDivergence, ReplayInputError, replayTraceInterruptibly } from '../../conformance/replay/replay.ts';
import { loadTraceSchema, type TraceFormat, TraceFormatError } from '../../conformance/trace-formats/index.ts';
import { isLarge, readTraceFileInterruptibly } from '../../conformance/trace-formats/read-in-worker.ts';
import { itfMetaConfig } from '../../conformance/trace-formats/itf-meta.ts';
import { type ConfigEntry, configFile, loadManifest, ManifestError, selectConfigs, specFile } from '../../lib/check/manifest.ts';
import { WORKER_RENDER_STATES, writeTraceOutputsInterruptibly } from '../../conformance/explain/outputs.ts';
import type { TraceStep } from '../../lib/result/check-result.ts';
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { EXIT } from './exit-codes.ts';
import { KERNEL_OPTION, kernelOption } from './kernel-option.ts';
import { FS_PROFILE_NAMES, isFsProfileName, type FsProfileName } from '../../impl/index.ts';

export const REPLAY = defineCommand({
  name: 'replay',
  usage: ['replay TRACE... [options]'],
  summary: 'replay trace files (TLC output, ITF) on the implementation, state by state',
  description: `Replays each trace file on the implementation built with CONFIG's constants (a config name from
spec/models/manifest.json, or a .cfg file of spec/MCDaxDma.tla; its Bugs switch included) and
compares the mapped state after every step; the first divergence is printed as a per-variable
diff. Formats (detected unless --format): tlc-dump-json (TLC -dumpTrace json), tlc-text (TLC's
printed error trace), tlc-simulation (a -simulate file), itf. For a variant config, also says
whether the implementation reaches the violation the manifest expects. A lasso's closing step is
checked too (conformance/replay/lasso.ts): from the last state the implementation must step back
to the loop's state (ITF "loop"), unless the behaviour stutters there or its last state already
equals it; a loop it cannot close is refused. Every profile that can run CONFIG (XFS, ext4, and
ext2 for a config of truncate and eviction with NoBreakLayouts) unless --profile names one. With
--kernel, a version whose Bugs, IdleRef or Features are not CONFIG's is an error (exit 2).
A trace that diverges is written, up to the state it diverged at, as portable ITF (--itf DIR)
and as an HTML timeline (--html DIR), the divergence in its metadata.
Exit 0 iff every trace replays (and, for a variant, reaches its violation); 1 on a divergence;
2 on a malformed trace, an unknown action or parameter, or a bad command line.`,
  positionals: true,
  options: {
    config: { type: 'string', value: 'CONFIG', help: 'the config whose constants to build with (optional for ITF whose #meta names it)' },
    format: { type: 'string', value: 'F', help: 'tlc-dump-json, tlc-text, tlc-simulation or itf (default: detected)' },
    profile: {
      type: 'string',
      value: 'xfs|ext4|ext2',
      help: 'replay under this file-system profile only (default: every one that can run the config)',
    },
    ...KERNEL_OPTION,
    json: { type: 'boolean', default: false, help: 'print the reports as one JSON array, a report per trace and profile' },
    itf: { type: 'string', value: 'DIR', help: 'write a diverging trace as portable ITF into DIR' },
    html: { type: 'string', value: 'DIR', help: 'write a diverging trace as an HTML timeline into DIR' },
  },
});

/** From how many states a replay reports its progress. */
const LONG_TRACE = 1000;

const FORMATS: readonly TraceFormat[] = ['tlc-dump-json', 'tlc-text', 'tlc-simulation', 'itf'];

/** One trace under one profile, as --json prints it. */
interface ReplayReport {
  file: string;
  profile: FsProfileName;
  format: TraceFormat;
  states: number;
  /** Actions replayed before the end or the divergence. */
  steps: number;
  ok: boolean;
  divergence?: string[];
  /** For a variant config: did the implementation reach the expected violation, and why. */
  reproduced?: boolean;
  evidence?: string[];
  /** For a lasso: how its closing step was checked. */
  loop?: string;
  /** The diverging prefix as written with --itf / --html. */
  written?: string[];
}

/**
 * Writes the trace up to the state the implementation did not match (ITF and/or HTML), so that a
 * divergence can be looked at in the timeline or taken to Quint's and Apalache's tools.
 */
async function writeDivergence(
  config: string,
  file: string,
  profile: FsProfileName,
  steps: TraceStep[],
  divergence: string[],
  targets: { itf?: string | undefined; html?: string | undefined },
  signal: AbortSignal | undefined,
): Promise<string[]> {
  if (!targets.itf && !targets.html) return [];
  const name = `${path.basename(file).replace(/\.(itf\.json|json|txt)$/, '')}.${profile}.divergence`;
  const out = {
    config,
    source: file,
    cex: { steps },
    meta: [
      ['profile', profile],
      ['divergence', divergence[0] ?? ''],
    ] as [string, string][],
  };
  if (targets.html && steps.length >= WORKER_RENDER_STATES)
    process.stderr.write(`dax-model replay: rendering the HTML timeline of ${steps.length} states…\n`);
  return writeTraceOutputsInterruptibly(
    out,
    {
      ...(targets.itf ? { itf: path.join(targets.itf, `${name}.itf.json`) } : {}),
      ...(targets.html ? { html: path.join(targets.html, `${name}.html`) } : {}),
    },
    signal,
  );
}

/** Runs the replay command; returns the exit code. */
export async function replayCommand(argv: string[], signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(REPLAY, argv);
  const fail = (code: number, message: string): number => {
    process.stderr.write(`dax-model replay: ${message}\n`);
    return code;
  };
  if (positionals.length === 0) return fail(EXIT.usage, 'name at least one trace file');
  if (values.config === undefined) {
    // Files this project wrote say which config they belong to; all of them must agree.
    const named = [...new Set(positionals.map(itfMetaConfig))];
    if (named.length !== 1 || named[0] === undefined) {
      return fail(
        EXIT.usage,
        named.length > 1
          ? `the traces' "#meta" name different configs (${named.map(String).join(', ')}); give --config`
          : '--config is required: the model configuration the traces are behaviours of (no "#meta".config in the trace)',
      );
    }
    values.config = named[0];
  }
  const format = values.format as TraceFormat | undefined;
  if (format !== undefined && !FORMATS.includes(format))
    return fail(EXIT.usage, `--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  if (values.profile !== undefined && !isFsProfileName(values.profile))
    return fail(EXIT.usage, `--profile must be ${FS_PROFILE_NAMES.join(' or ')}`);
  const kernel = kernelOption('replay', values.kernel, values.profile);
  if ('exit' in kernel) return kernel.exit;
  const asked: readonly FsProfileName[] = kernel.profile ? [kernel.profile] : PROFILES;

  // A manifest config (with its expected verdict), or any .cfg of the spec.
  let entry: ConfigEntry | undefined;
  let cfgPath: string;
  if (values.config.endsWith('.cfg')) {
    cfgPath = path.resolve(values.config);
    if (!existsSync(cfgPath)) return fail(EXIT.usage, `${values.config}: no such config file`);
  } else {
    try {
      [entry] = selectConfigs(loadManifest(), [values.config]);
    } catch (e) {
      if (e instanceof ManifestError) return fail(EXIT.usage, e.message);
      throw e;
    }
    cfgPath = configFile(entry!.name);
  }
  const config = entry?.name ?? cfgPath;
  let constants;
  let schema;
  try {
    constants = readModelConstants(cfgPath);
    // A version is a whole profile: it must be what the trace's config says of bugs and features.
    if (kernel.kernel) constants = asRelease(constants, kernel.kernel.version, config);
    schema = loadTraceSchema({ specFile: specFile(loadManifest()), configFile: cfgPath });
  } catch (e) {
    if (e instanceof ModelConstantsError) return fail(EXIT.usage, e.message);
    return fail(EXIT.runFailed, `${config}: cannot read the spec or config: ${(e as Error).message.split('\n')[0]}`);
  }

  // Every profile that can be built for the config (ext2 only for a config of its operations with
  // NoBreakLayouts on); one named by --profile or --kernel that cannot is a usage error.
  const profiles = kernel.profile ? asked : asked.filter((p) => profileRefusal(constants, p) === null);
  const refused = kernel.profile ? profileRefusal(constants, kernel.profile) : null;
  if (refused) return fail(EXIT.usage, refused);

  const reports: ReplayReport[] = [];
  for (const file of positionals) {
    let trace;
    try {
      if (isLarge(file)) process.stderr.write(`dax-model replay: reading ${file}, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB…\n`);
      trace = await readTraceFileInterruptibly(file, { specFile: specFile(loadManifest()), configFile: cfgPath }, format, signal, schema);
    } catch (e) {
      if (e instanceof TraceFormatError) return fail(EXIT.usage, e.message);
      throw e;
    }
    for (const profile of profiles) {
      let r;
      try {
        // A long trace shows that it is moving (a short one keeps stderr for errors).
        if (trace.steps.length >= LONG_TRACE)
          process.stderr.write(`dax-model replay: replaying ${file} [${profile}], ${trace.steps.length} states…\n`);
        r = await replayTraceInterruptibly(trace.steps, constants, { profile, source: file, ...(signal ? { signal } : {}) });
      } catch (e) {
        if (e instanceof ReplayInputError) return fail(EXIT.usage, e.message);
        throw e;
      }
      const report: ReplayReport = { file, profile, format: trace.format, states: trace.steps.length, steps: r.steps, ok: r.ok };
      if (r.ok && trace.loopsBackTo !== undefined) {
        const closure = checkLoopClosure(
          trace.steps,
          { loopsBackTo: trace.loopsBackTo, ...(trace.loopAction ? { loopAction: trace.loopAction } : {}) },
          constants,
          { profile },
        );
        // A lasso whose loop cannot close is no behaviour at all: the trace (its loop index) is wrong.
        if (!closure.closes)
          return fail(
            EXIT.usage,
            `${file}: ${trace.format === 'itf' ? `"loop" ${trace.loopsBackTo - 1}` : `the loop back to state ${trace.loopsBackTo}`}: ${closure.why}`,
          );
        report.loop = closure.how;
      }
      if (r.divergence) {
        report.divergence = formatDivergence(r.divergence);
        const written = await writeDivergence(
          config,
          file,
          profile,
          trace.steps.slice(0, r.divergence.step),
          report.divergence,
          values,
          signal,
        );
        if (written.length > 0) report.written = written;
      }
      if (r.ok && entry?.variant) {
        const cex = {
          steps: trace.steps,
          ...(trace.ending ? { ending: trace.ending } : {}),
          ...(trace.loopsBackTo ? { loopsBackTo: trace.loopsBackTo } : {}),
        };
        const rep = reproduce(config, entry.expected, cex, constants, { profile });
        report.reproduced = rep.reproduced;
        report.evidence = rep.evidence;
      }
      reports.push(report);
      if (!values.json) printReport(report, entry?.expected ?? 'holds');
    }
  }
  if (values.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  return reports.every((r) => r.ok && r.reproduced !== false) ? EXIT.ok : EXIT.mismatch;
}

function printReport(r: ReplayReport, expected: string): void {
  const head = `${r.file} [${r.profile}] (${r.format}, ${r.states} states)`;
  if (!r.ok) {
    process.stdout.write(`${head}: DIVERGES after ${r.steps} steps\n${r.divergence!.map((l) => `  ${l}`).join('\n')}\n`);
    for (const f of r.written ?? []) process.stdout.write(`  written: ${f}\n`);
    return;
  }
  process.stdout.write(`${head}: the implementation follows all ${r.steps} steps\n`);
  if (r.loop) process.stdout.write(`  ${r.loop}\n`);
  if (r.reproduced === undefined) return;
  process.stdout.write(`  ${r.reproduced ? 'reaches' : 'does NOT reach'} the expected violation (${expected})\n`);
  for (const line of r.evidence ?? []) process.stdout.write(`    - ${line}\n`);
}
