// `dax-model diff --base REF`: validates a refactor of impl/ directly. The same random schedules
// run through this work tree's implementation and REF's (materialised by diff-base.ts, driven by
// this work tree's harness), compared step by step (conformance/suite/differential.ts); the first
// schedule where they differ is printed with both sides' lines, each side's spec verdict and the
// command that replays it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  auditUnits,
  compareImplementations,
  describeDifference,
  type AuditUnit,
  type Comparison,
  unitName,
} from '../../conformance/suite/differential.ts';
import { HARNESS_MODULES, harnessModulePath, loadHarness, type Harness } from '../../conformance/suite/differential-observe.ts';
import { specVerdict, verdictLine } from '../../conformance/suite/differential-verdict.ts';
import { DEFAULT_MAX_STEPS } from '../../conformance/executions/executions.ts';
import { FAST_CHECK_CONFIGS, smallConfigs } from '../../conformance/executions/fast-check-configs.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { BaseRefError, materialiseBase } from './diff-base.ts';
import { errorExit } from './errors.ts';
import { EXIT } from './exit-codes.ts';
import { KERNEL_OPTION, kernelOption } from './kernel-option.ts';
import { ProgressLine, thousands } from './progress.ts';
import { scheduleOptions } from './schedule-options.ts';

const DEFAULT_SEED = 20261130;

export const DIFF = defineCommand({
  name: 'diff',
  usage: ['diff --base GIT_REF [options]'],
  summary: "compare this work tree's implementation with GIT_REF's, step by step",
  description: `Runs the same random schedules through this work tree's implementation and GIT_REF's (its impl/
unpacked in a temp folder, driven by this work tree's harness) and compares, at every step, the
mapped spec state, the tasks that can move and how the others wait, the step record, the moves
offered, the whole snapshot (woken and blockedOn included), the refusal of every move not
offered, and the events. Units: every small config (fast-check, feature, variant and history
configs) under both profiles (or --profile), and every kernel version of impl/releases.ts on its
own config; --kernel VERSION runs every config whose constants are the version's, built as it
(all: each version in turn); --config C only that config. Picks are fair over every task. The
first difference is printed with both sides' differing lines, each side's spec verdict (its
execution validated against the config's state graph) and the command that replays it.
Exit 0 if no difference (the schedules and steps compared are printed); 1 on a difference; 2 on
bad input: an unknown ref, or a base whose impl/ this work tree's harness cannot drive.`,
  positionals: false,
  options: {
    base: { type: 'string', value: 'GIT_REF', help: 'the commit (branch, tag) whose implementation to compare with (required)' },
    runs: { type: 'string', value: 'N', help: 'schedules per unit (default 10)' },
    seed: { type: 'string', value: 'S', help: `the seed of the schedules (default ${DEFAULT_SEED})` },
    'max-steps': { type: 'string', value: 'N', help: `picks per schedule (default ${DEFAULT_MAX_STEPS})` },
    kernel: { ...KERNEL_OPTION.kernel, value: 'VERSION|all', help: "compare the configs of this kernel version's constants, built as it" },
    profile: { type: 'string', value: 'xfs|ext4|ext2', help: 'compare under this file-system profile only' },
    config: { type: 'string', value: 'C', help: 'compare this small config only' },
    picks: { type: 'string', value: 'P,P,...', help: 'replay this one schedule (printed with a difference; needs --config)' },
    json: { type: 'boolean', default: false, help: 'print the comparison as JSON' },
    quiet: { type: 'boolean', default: false, help: 'no progress line on stderr' },
  },
});

/** The DaxSystem calls the harness makes (executions.ts, model.ts, differential-observe.ts). */
const DRIVEN = [
  'runnable',
  'startable',
  'choices',
  'putPaths',
  'mmMoves',
  'start',
  'step',
  'munmap',
  'mmap',
  'snapshot',
  'events',
  'selfCheck',
] as const;

/** The harness modules the audit loads (each where its checkout keeps it), from which the impl/
 *  imports are collected. */
const ENTRY_MODULES: readonly (readonly string[])[] = [
  HARNESS_MODULES.executions,
  HARNESS_MODULES.model,
  ['conformance/suite/differential-observe.ts', 'conformance/differential-observe.ts'],
  ['conformance/oracle/graph-oracle.ts'],
];

/**
 * The value imports of impl/index.ts in the harness modules the audit loads (followed through
 * their relative imports within conformance/), each with the first module that imports it. Read
 * from the source: a loader that links ES modules lazily (vitest's) leaves a missing export
 * undefined instead of failing the import.
 */
export function implImports(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (rel: string): void => {
    if (seen.has(rel) || !existsSync(path.join(dir, rel))) return;
    seen.add(rel);
    const text = readFileSync(path.join(dir, rel), 'utf8');
    // Re-exports too: executions/executions.ts, the module the audit loads, re-exports its concept files.
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/gm)) {
      const target = path.posix.join(path.posix.dirname(rel), m[3]!);
      if (target === 'impl/index.ts' && !m[1]) {
        for (const name of m[2]!
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x && !x.startsWith('type ')))
          if (!out.has(name.split(/\s+as\s+/)[0]!)) out.set(name.split(/\s+as\s+/)[0]!, rel);
      } else if (target.startsWith('conformance/')) visit(target);
    }
  };
  for (const candidates of ENTRY_MODULES) visit(harnessModulePath(dir, candidates));
  return out;
}

/** Why the work tree's harness cannot drive the base, or its harness: the base's impl/ lacks an
 *  export the harness imports, its modules do not load, or its system lacks a call the harness
 *  makes. */
async function undrivable(dir: string, probe: AuditUnit): Promise<{ harness: Harness } | { why: string }> {
  let h: Harness;
  try {
    const impl = (await import(pathToFileURL(path.join(dir, 'impl', 'index.ts')).href)) as Record<string, unknown>;
    const missing = [...implImports(dir)].filter(([name]) => impl[name] === undefined);
    if (missing.length > 0)
      return { why: `its impl/index.ts has no export ${missing.map(([n, by]) => `${n} (imported by ${by})`).join(', ')}` };
    h = await loadHarness(dir);
  } catch (e) {
    return { why: (e as Error).message.split('\n')[0]! };
  }
  try {
    const sys = h.model.systemForModel(probe.constants, probe.profile) as unknown as Record<string, unknown>;
    const missing = DRIVEN.filter((m) => typeof sys[m] !== 'function');
    if (missing.length > 0) return { why: `its system has no ${missing.map((m) => `${m}()`).join(', ')}` };
    if (!Array.isArray(sys.taskIds)) return { why: 'its system has no taskIds' };
  } catch (e) {
    return { why: `createSystem refuses ${probe.config}'s configuration: ${(e as Error).message.split('\n')[0]}` };
  }
  return { harness: h };
}

/** The command line that replays one schedule of a difference. */
function replayCommand(base: string, u: AuditUnit, picks: readonly number[]): string {
  const as = u.kernel ? `--kernel ${u.kernel}` : `--profile ${u.profile}`;
  return `npx dax-model diff --base ${base} --config ${u.config} ${as} --picks ${picks.join(',')}`;
}

/** Runs the diff command; `opts.root` is the work tree (default this repository). */
export async function diffCommand(argv: string[], signal?: AbortSignal, opts: { root?: string } = {}): Promise<number> {
  const root = opts.root ?? REPO_ROOT;
  const { values } = parseCommandLine(DIFF, argv);
  const usage = (message: string): number => {
    process.stderr.write(`dax-model diff: ${message}\n`);
    return EXIT.usage;
  };
  if (values.base === undefined) return usage('--base GIT_REF is required');
  let runs: number;
  let seed: number;
  let maxSteps: number;
  try {
    ({ runs, seed, maxSteps } = scheduleOptions(values, { runs: 10, minRuns: 1, seed: DEFAULT_SEED }));
  } catch (e) {
    return usage((e as Error).message);
  }
  const picks = values.picks === undefined ? undefined : values.picks.split(',').map((p) => p.trim());
  if (picks && (picks.length === 0 || picks.some((p) => !/^\d+$/.test(p))))
    return usage(`--picks must be numbers separated by ',', not '${values.picks}'`);
  if (picks && values.config === undefined)
    return usage('--picks replays one schedule: give the --config (and --profile or --kernel) the difference printed');
  const kernel = kernelOption('diff', values.kernel, values.profile, { allowAll: true });
  if ('exit' in kernel) return kernel.exit;
  let units: AuditUnit[];
  try {
    units = auditUnits({
      ...(values.kernel !== undefined ? { kernel: values.kernel } : {}),
      ...(kernel.profile && values.kernel === undefined ? { profile: kernel.profile } : {}),
    });
  } catch (e) {
    return errorExit('diff', e);
  }
  if (values.config !== undefined) {
    const known = new Set([...FAST_CHECK_CONFIGS, ...smallConfigs()]);
    if (!known.has(values.config)) return usage(`unknown config '${values.config}' (small configs: ${[...known].join(', ')})`);
    // A replay without --kernel is of the config as its constants say, not as a kernel version.
    units = units.filter((u) => u.config === values.config && (values.kernel !== undefined || !picks || !u.kernel));
    if (units.length === 0)
      return usage(
        `no unit of config '${values.config}' under ${values.kernel ? `--kernel ${values.kernel}` : `--profile ${values.profile}`}`,
      );
  }

  let base;
  try {
    base = materialiseBase(root, values.base);
  } catch (e) {
    if (e instanceof BaseRefError) return usage(e.message);
    throw e;
  }
  const progress = new ProgressLine(process.stderr, values.quiet || values.json);
  try {
    const mine = await loadHarness(root);
    const theirs = await undrivable(base.dir, units[0]!);
    if ('why' in theirs)
      return usage(
        `the implementation at ${values.base} (${base.commit.slice(0, 12)}) cannot be driven by this work tree's harness: ${theirs.why}`,
      );
    // A base from before a profile or version (ext2, a new history row) cannot build its units:
    // they are left out, said on stderr, rather than reported as a difference.
    const [buildable, unbuilt] = partitionBuildable(theirs.harness, units);
    if (unbuilt.length > 0)
      process.stderr.write(
        `dax-model diff: ${unbuilt.length} units left out, which ${values.base} cannot build (${unbuilt[0]!.why}): ${unbuilt.map((u) => u.name).join(', ')}\n`,
      );
    if (buildable.length === 0) return usage(`${values.base} can build none of the units to compare`);
    const c = await compareImplementations(mine, theirs.harness, {
      units: buildable,
      runs,
      seed,
      maxSteps,
      ...(picks ? { picks: picks.map(Number) } : {}),
      ...(signal ? { signal } : {}),
      onProgress: (m) => progress.update(`diff: ${m}`),
    });
    progress.done();
    const verdict = c.difference ? await verdicts(c, mine, theirs.harness, values.base, signal, progress) : undefined;
    progress.done();
    print(c, values.base, base.commit, verdict, values.json);
    return c.difference ? EXIT.mismatch : EXIT.ok;
  } finally {
    progress.done();
    base.remove();
  }
}

/** The units `h` can build a system for, and those it cannot, each with the first line of why. */
function partitionBuildable(h: Harness, units: readonly AuditUnit[]): [AuditUnit[], { name: string; why: string }[]] {
  const ok: AuditUnit[] = [];
  const not: { name: string; why: string }[] = [];
  for (const u of units) {
    try {
      h.model.systemForModel(u.constants, u.profile);
      ok.push(u);
    } catch (e) {
      not.push({ name: unitName(u), why: (e as Error).message.split('\n')[0]! });
    }
  }
  return [ok, not];
}

/** Each side's spec verdict on the differing schedule, as one line. */
async function verdicts(
  c: Comparison,
  mine: Harness,
  theirs: Harness,
  ref: string,
  signal: AbortSignal | undefined,
  progress: ProgressLine,
): Promise<string> {
  const d = c.difference!;
  const o = { ...(signal ? { signal } : {}), onProgress: (m: string) => progress.update(`diff: ${m}`) };
  const judge = async (h: Harness) => {
    try {
      return { failure: await specVerdict(h, d.unit, d.schedule, o) };
    } catch (e) {
      return { error: (e as Error).message.split('\n')[0]! };
    }
  };
  const [a, b] = [await judge(mine), await judge(theirs)];
  if ('error' in a || 'error' in b) return `spec verdict: not available (${'error' in a ? a.error : (b as { error: string }).error})`;
  return verdictLine(a.failure, b.failure, { mine: 'work tree', theirs: ref });
}

function print(c: Comparison, ref: string, commit: string, verdict: string | undefined, json: boolean): void {
  const d = c.difference;
  if (json) {
    const difference = d
      ? {
          unit: unitName(d.unit),
          config: d.unit.config,
          profile: d.unit.profile,
          kernel: d.unit.kernel ?? null,
          seed: d.seed,
          run: d.run,
          picks: d.picks,
          step: d.step,
          kind: d.kind,
          workTree: d.mine,
          base: d.theirs,
          verdict,
          replay: replayCommand(ref, d.unit, d.picks),
        }
      : null;
    process.stdout.write(
      `${JSON.stringify({ base: ref, commit, schedules: c.schedules, steps: c.steps, seconds: Math.round(c.seconds * 10) / 10, units: c.audited.length, notAudited: c.notAudited, unmoved: c.unmoved, difference }, null, 2)}\n`,
    );
    return;
  }
  const out = (s: string): boolean => process.stdout.write(`${s}\n`);
  for (const u of c.unmoved) out(`never moved in ${u.unit}: ${u.tasks.join(', ')}`);
  if (d) {
    for (const line of describeDifference(d, { mine: 'work tree', theirs: `${ref}` })) out(line);
    if (verdict) out(verdict);
    out(`replay: ${replayCommand(ref, d.unit, d.picks)}`);
    out(
      `${thousands(c.schedules)} schedules, ${thousands(c.steps)} steps compared before it (base ${ref} = ${commit.slice(0, 12)}); ${c.seconds.toFixed(1)} s`,
    );
    return;
  }
  out(
    `no difference: ${thousands(c.schedules)} schedules, ${thousands(c.steps)} steps compared over ${c.audited.length} units (base ${ref} = ${commit.slice(0, 12)}); ${c.seconds.toFixed(1)} s`,
  );
}
