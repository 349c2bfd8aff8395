// `dax-model mutate`: parses its arguments, runs tools/mutate/run.ts and prints each survivor
// with its diff, each killed mutant with the kind of check that killed it, timeouts and crashes
// apart, and the kill rate, or with --json exactly {mutants, killed, killedByKind, survived,
// timedOut, crashed, equivalent, stale, killRate, seconds}; --show and --judge for equivalents.
import path from 'node:path';
import { REPO_ROOT } from '../../lib/paths.ts';
import { judgeMutant, showMutants } from '../mutate/judge.ts';
import { EquivalentsError, loadEquivalents } from '../mutate/equivalents.ts';
import { OPERATORS, type OperatorName } from '../mutate/operators.ts';
import { MutateError, runMutation, SCOPES, type MutantResult, type MutationReport, type MutationScope } from '../mutate/run.ts';
import { SinceError } from '../mutate/since.ts';
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { EXIT } from './exit-codes.ts';
import { KERNEL_OPTION, kernelOption } from './kernel-option.ts';
import { ProgressLine } from './progress.ts';

export const MUTATE = defineCommand({
  name: 'mutate',
  usage: ['mutate [options]', 'mutate --show ID | --judge ID --reason "why no behaviour can tell it apart"'],
  summary: 'mutation testing of impl/ against the conformance suite and its unit tests',
  description: `Mutation testing: generates mutants of impl/ (operators: ${OPERATORS.join(', ')}),
runs conformance/index.ts once per mutant on a temp copy of the repository (the work tree is
never written), then, for a mutant the suite passes, the unit tests of impl/ that import the
mutated module (directly or through impl/ modules), and reports the kind of check that killed
each (divergence, enabledness, invariant, counterexample replay, unit test), survivors with
their diffs, timeouts and crashes (not kills), and the kill rate, killed / (mutants -
equivalent). conformance/equivalent-mutants.json lists the equivalent ones, each with the hash
of the function it was judged against: a record whose function changed is STALE, not used (its
mutant runs) and listed for re-judgement.
--scope protocol (the default) mutates only the protocol: impl/mm, impl/fs (xfs/ and ext4/
included), impl/kernel and impl/drivers, less the scheduling policies (kernel/scheduler.ts,
kernel/prandom.ts); not configuration validation, errors, events, snapshot, types, system,
index, reproductions or testing helpers; --scope all mutates every non-test file of impl/.
Exit 0 iff the kill rate is at least --target; 1 if below; 2 on bad arguments; 3 if the suite
fails on the unmutated implementation; 130 if interrupted.
--audit-equivalents checks the equivalents file instead: each mutant it lists runs the same
random schedules as the original (conformance/suite/differential.ts: every small config under
both profiles and every kernel version, picks fair over every task) and must offer the same
moves, reach the same mapped states and snapshots (woken, blockedOn), leave the same tasks
waiting, refuse the same moves with the same messages and log the same events; one that differs
is REFUTED (exit 1); one whose budget ran out before every config was compared is NOT AUDITED
(exit 1). --json then prints {audited, held, refuted, notAudited, seconds}.
--kernel VERSION runs the suite as that kernel version (its history config, the implementation
built from impl/releases.ts); mutants of the other file system's folder (impl/fs/ext4/ under an
XFS version, impl/fs/xfs/ under ext4) are left out.`,
  positionals: false,
  options: {
    since: { type: 'string', value: 'GIT_REF', help: 'mutate only the functions changed since GIT_REF' },
    json: { type: 'boolean', default: false, help: 'print the report as JSON' },
    limit: { type: 'string', value: 'N', help: 'run a sample of N mutants, fixed by --seed' },
    operators: { type: 'string', value: 'a,b', help: 'only these operators' },
    seed: { type: 'string', value: 'S', help: "the sample's seed (default 0); given, it also seeds the suite's fast-check runs" },
    'budget-ms': { type: 'string', value: 'N', help: 'time limit per mutant (default from the unmutated run)' },
    target: { type: 'string', value: 'PERCENT', help: 'the kill rate to reach (default 90)' },
    workers: { type: 'string', value: 'N', help: 'mutants run in parallel (default 2)' },
    suite: { type: 'string', value: 'PATH', help: 'the suite module, relative to --root (default conformance/index.ts)' },
    root: { type: 'string', value: 'DIR', help: 'the repository to mutate (default this one)' },
    scope: { type: 'string', value: 'protocol|all', help: 'which files of impl/ to mutate (default protocol)' },
    quiet: { type: 'boolean', default: false, help: 'no progress line on stderr' },
    'audit-equivalents': { type: 'boolean', default: false, help: 'audit the equivalents file instead of mutation testing' },
    'no-unit-tests': { type: 'boolean', default: false, help: "do not run impl/'s unit tests on the mutants the suite passes" },
    show: { type: 'string', value: 'ID', help: "print a mutant's diff, function and record (equivalents: every record)" },
    judge: { type: 'string', value: 'ID', help: "record a mutant as equivalent, with today's function hash (needs --reason)" },
    reason: { type: 'string', value: 'R', help: 'why no behaviour can tell the judged mutant apart' },
    ...KERNEL_OPTION,
  },
});

function positiveInt(name: string, v: string | undefined): number | undefined | Error {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : new Error(`--${name} must be a positive integer, not '${v}'`);
}

function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n');
}

function where(r: MutantResult): string {
  return `${r.mutant.file}:${r.mutant.line} (${r.mutant.functionName}) ${r.mutant.description}`;
}

/** Runs the mutate command; returns the exit code. */
export async function mutateCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values } = parseCommandLine(MUTATE, argv);
  const usageError = (message: string): number => {
    process.stderr.write(`dax-model mutate: ${message}\n`);
    return EXIT.usage;
  };
  // --show / --judge: a reviewer's look at one mutant; nothing runs.
  if (values.show !== undefined || values.judge !== undefined) {
    const root = path.resolve(values.root ?? REPO_ROOT);
    const file = path.join(root, 'conformance/equivalent-mutants.json');
    try {
      if (values.show !== undefined)
        process.stdout.write(
          `${showMutants(root, file, values.show === 'equivalents' ? [...loadEquivalents(file).keys()] : values.show.split(','))}\n`,
        );
      else {
        if (values.reason === undefined) return usageError('--judge needs --reason "..."');
        const m = judgeMutant(root, file, values.judge!, values.reason);
        process.stdout.write(`recorded ${m.id} as equivalent (function hash ${m.functionHash})\n`);
      }
    } catch (e) {
      if (e instanceof MutateError || e instanceof EquivalentsError) return usageError(e.message);
      throw e;
    }
    return EXIT.ok;
  }
  if (values.reason !== undefined) return usageError('--reason goes with --judge ID');
  const limit = positiveInt('limit', values.limit);
  const budgetMs = positiveInt('budget-ms', values['budget-ms']);
  const workers = positiveInt('workers', values.workers);
  for (const v of [limit, budgetMs, workers]) if (v instanceof Error) return usageError(v.message);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) return usageError(`--seed must be an integer, not '${values.seed}'`);
  const target = values.target === undefined ? 90 : Number(values.target);
  if (!(target >= 0 && target <= 100)) return usageError(`--target must be a percentage from 0 to 100, not '${values.target}'`);
  const scope = values.scope as MutationScope | undefined;
  if (scope !== undefined && !SCOPES.includes(scope))
    return usageError(`--scope must be one of ${SCOPES.join(', ')}, not '${values.scope}'`);
  let operators: OperatorName[] | undefined;
  if (values.operators !== undefined) {
    operators = values.operators
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean) as OperatorName[];
    const unknown = operators.filter((o) => !OPERATORS.includes(o));
    if (unknown.length > 0 || operators.length === 0) {
      return usageError(`unknown operator '${unknown[0] ?? values.operators}' (known: ${OPERATORS.join(', ')})`);
    }
  }

  // --kernel: the suite runs as that version (its history config, bugs, profile, idle refcount
  // and features); mutants of the other file system's files, which it never runs, are left out.
  const kernel = kernelOption('mutate', values.kernel, undefined);
  if ('exit' in kernel) return kernel.exit;
  const progress = new ProgressLine(process.stderr, values.quiet);
  let report;
  try {
    report = await runMutation({
      since: values.since,
      operators,
      scope,
      limit: limit as number | undefined,
      seed,
      budgetMs: budgetMs as number | undefined,
      workers: workers as number | undefined,
      suite: values.suite,
      rootDir: values.root,
      auditEquivalents: values['audit-equivalents'],
      unitTests: !values['no-unit-tests'],
      ...(kernel.kernel ? { suiteOptions: { kernel: kernel.kernel.version } } : {}),
      signal,
      onProgress: (m) => progress.update(m),
    });
  } catch (e) {
    progress.done();
    if (e instanceof SinceError || e instanceof EquivalentsError) return usageError(e.message);
    if (e instanceof MutateError) {
      process.stderr.write(`dax-model mutate: ${e.message}\n`);
      return EXIT.runFailed;
    }
    throw e;
  }
  progress.done();
  const t = report.totals;
  for (const id of report.staleEquivalents) {
    process.stderr.write(`dax-model mutate: conformance/equivalent-mutants.json lists ${id}, which is no longer a mutant\n`);
  }
  for (const note of report.staleRecords) process.stderr.write(`dax-model mutate: STALE equivalent, not used: ${note}\n`);
  for (const line of report.unitTestsLeftOut) process.stderr.write(`dax-model mutate: unit test ${line}\n`);

  if (values['audit-equivalents']) return auditReport(report, values.json, signal);
  if (values.json) {
    const { mutants, killed, killedByKind, survived, timedOut, crashed, equivalent, stale, killRate, seconds } = t;
    process.stdout.write(
      `${JSON.stringify({ mutants, killed, killedByKind, survived, timedOut, crashed, equivalent, stale, killRate, seconds })}\n`,
    );
  } else {
    const out = (s: string): boolean => process.stdout.write(`${s}\n`);
    for (const r of report.results) {
      if (r.status === 'killed')
        out(`killed     ${where(r)}\n           by ${r.killKind} (${r.killedBy})${r.message ? `: ${r.message.split('\n')[0]}` : ''}`);
    }
    // Not kills: the budget ran out, or a worker, the suite or vitest died before any check failed.
    for (const r of report.results)
      if (r.status === 'timed out')
        out(`TIMED OUT  ${r.mutant.id}\n           ${where(r)} (over the budget${r.message ? `, in the ${r.message}` : ''})`);
    for (const r of report.results)
      if (r.status === 'crashed') out(`CRASHED    ${r.mutant.id}\n           ${where(r)}: ${(r.message ?? '').split('\n')[0]}`);
    for (const r of report.results) if (r.status === 'equivalent') out(`equivalent ${where(r)}: ${r.message}`);
    for (const r of report.results) {
      if (r.status === 'survived') out(`SURVIVED   ${r.mutant.id}\n           ${where(r)}\n${indent(r.mutant.diff)}`);
    }
    out(
      `${t.mutants} mutants: ${t.killed} killed (${Object.entries(t.killedByKind)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}), ${t.survived} survived, ` +
        `${t.timedOut} timed out, ${t.crashed} crashed, ${t.equivalent} equivalent (${t.stale} stale records not used); ` +
        `kill rate ${(t.killRate * 100).toFixed(1)}% (target ${target}%)`,
    );
    out(
      `${report.mutantsPerMinute} mutants/minute; ${report.notCompiling.length} more did not compile; ${t.seconds} s${report.interrupted ? '; INTERRUPTED' : ''}`,
    );
  }
  if (signal.aborted || report.interrupted) return EXIT.interrupted;
  return t.killRate * 100 >= target - 1e-9 ? EXIT.ok : EXIT.mismatch;
}

/** --audit-equivalents: a recorded equivalent that the differential suite told apart is refuted. */
function auditReport(report: MutationReport, json: boolean, signal: AbortSignal): number {
  // A timeout or a crash refutes nothing: it is listed apart, as unjudged. conformance/suite/differential.ts
  // reports a budget that ran out before every config was compared as check 'not-audited':
  // neither held nor refuted.
  const notAudited = report.results.filter((r) => r.status === 'killed' && r.killedBy === 'not-audited');
  const refuted = report.results.filter((r) => r.status === 'killed' && r.killedBy !== 'not-audited');
  const unjudged = report.results.filter((r) => r.status === 'timed out' || r.status === 'crashed');
  const held = report.results.filter((r) => r.status === 'survived');
  const seconds = report.totals.seconds;
  if (json)
    process.stdout.write(
      `${JSON.stringify({ audited: report.results.length, held: held.length, refuted: refuted.length, notAudited: notAudited.length, unjudged: unjudged.length, seconds })}\n`,
    );
  else {
    for (const r of refuted)
      process.stdout.write(`REFUTED    ${r.mutant.id}\n           ${where(r)}\n           ${(r.message ?? '').split('\n')[0]}\n`);
    for (const r of notAudited)
      process.stdout.write(`NOT AUDITED ${r.mutant.id}\n           ${where(r)}\n           ${(r.message ?? '').split('\n')[0]}\n`);
    for (const r of unjudged)
      process.stdout.write(
        `UNJUDGED   ${r.mutant.id}\n           ${where(r)}\n           ${r.status}${r.message ? `: ${r.message.split('\n')[0]}` : ''}\n`,
      );
    process.stdout.write(
      `${report.results.length} recorded equivalents audited: ${held.length} behave as the original under every schedule tried, ${refuted.length} refuted, ` +
        `${notAudited.length} not audited (budget ran out), ${unjudged.length} timed out or crashed; ${seconds} s${report.interrupted ? '; INTERRUPTED' : ''}\n`,
    );
  }
  if (signal.aborted || report.interrupted) return EXIT.interrupted;
  return refuted.length === 0 && notAudited.length === 0 && unjudged.length === 0 ? EXIT.ok : EXIT.mismatch;
}
