// `dax-model history`: parses its arguments, runs lib/check/history.ts and prints one line per
// kernel version, then one per historical bug (refuted with its switch, holds without, the fix).
import { resolveEngine, tlcUnavailableReason } from '../../lib/check/check.ts';
import { checkHistory, type BugOutcome, type HistoryReport, type HistoryRun } from '../../lib/check/history.ts';
import { NEVER } from '../../lib/check/history-table.ts';
import { ManifestError } from '../../lib/check/manifest.ts';
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { ENGINE_OPTION, engineOption } from './engine-option.ts';
import { EXIT } from './exit-codes.ts';
import { checkProgressText, ProgressLine } from './progress.ts';

export const HISTORY = defineCommand({
  name: 'history',
  usage: ['history [VERSION...] [options]'],
  summary: "check each kernel version's config and its historical bugs, with the fixing commits",
  description: `Checks the kernel history of spec/models/manifest.json: each version's config against its
expected verdict, and per bug of the version its variant config refuted with the switch on and
holding with it off; prints the fixing commits. Default: every version whose config the engine
runs (all with TLC). Exit 0 iff every row and every fix check matches; 1 if one does not;
2 for an unknown version; 3 if a run failed.`,
  positionals: true,
  options: {
    ...ENGINE_OPTION,
    json: { type: 'boolean', default: false, help: 'print the report as JSON' },
    quiet: { type: 'boolean', default: false, help: 'no progress line on stderr' },
  },
});

const mark = (ok: boolean): string => (ok ? 'ok  ' : 'MISMATCH');

/** A run's verdict as one cell: the verdict, and for a refutation the counterexample length. */
function verdictCell(r: HistoryRun): string {
  if (r.error) return `error (${r.error})`;
  return r.cexLength === null ? r.verdict : `${r.verdict} (${r.cexLength} states)`;
}

/** One line per distinct bug, whichever versions had it (each was checked once). */
function bugLines(report: HistoryReport): string[] {
  const seen = new Map<string, { bug: BugOutcome; versions: string[] }>();
  for (const row of report.rows) {
    for (const bug of row.bugs) {
      const key = `${bug.switch} ${bug.fix.id ?? ''}`;
      const entry = seen.get(key) ?? { bug, versions: [] };
      entry.versions.push(row.version);
      seen.set(key, entry);
    }
  }
  // A bug one file system fixed and another never did (NoBreakLayouts: ext4's 430657b6be89, ext2
  // never) gets one line per fix.
  return [...seen.values()].flatMap(({ bug, versions }) => [
    `${mark(bug.matches)} ${bug.switch.padEnd(22)} in ${versions.join(', ')}`,
    `       with it (${bug.refutedWith.config}): ${verdictCell(bug.refutedWith)}, expected ${bug.refutedWith.expected}`,
    `       without it: ${verdictCell(bug.holdsWithout)}, expected ${bug.holdsWithout.expected} [${bug.holdsWithout.checks}]`,
    bug.fix.id === NEVER
      ? `       never fixed there: ${bug.fix.subject}`
      : `       fixing commit ${bug.fix.id ?? 'not found'}: "${bug.fix.subject}", release ${bug.fix.release}`,
  ]);
}

function printTable(report: HistoryReport): void {
  const out: string[] = [
    `${'    '} ${'version'.padEnd(10)} ${'verdict'.padEnd(22)} ${'expected'.padEnd(22)} ${'cex'.padStart(4)}  fixing commits`,
  ];
  for (const row of report.rows) {
    const r = row.run;
    const fixes = row.bugs.map((b) => `${b.switch} ${b.fix.id ?? 'not found'}`).join(', ') || '-';
    out.push(
      `${mark(row.matches)} ${row.version.padEnd(10)} ${(r.error ? 'error' : r.verdict).padEnd(22)} ${r.expected.padEnd(22)} ${String(r.cexLength ?? '-').padStart(4)}  ${fixes}`,
    );
    if (r.error) out.push(`     ${r.error}`);
  }
  const bugs = bugLines(report);
  if (bugs.length > 0) out.push('', 'historical bugs (variant config with the switch on / off):', ...bugs);
  if (report.hypothetical.length > 0) {
    out.push('', 'hypothetical switches (no release known to have shipped them; not checked here):');
    for (const h of report.hypothetical) out.push(`     ${h.switch.padEnd(22)} ${h.configs.join(', ')}`);
  }
  const bad = report.rows.filter((r) => !r.matches).length;
  out.push('', `${report.rows.length - bad} of ${report.rows.length} versions match (verdict and every fix check) [${report.engine}]`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/** Runs the history command; returns the exit code. */
export async function historyCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(HISTORY, argv);
  const option = engineOption('history', values.engine);
  if ('exit' in option) return option.exit;
  const engine = resolveEngine(option.engine);
  // Said at the first run, so that a bad version gets its one line and nothing else.
  let fallbackNoted = !(option.engine === 'auto' && engine === 'embedded' && !values.json);
  const noteFallback = (): void => {
    if (!fallbackNoted) process.stderr.write(`dax-model history: TLC not found (${tlcUnavailableReason()}); using the embedded engine\n`);
    fallbackNoted = true;
  };
  const progress = new ProgressLine(process.stderr, values.quiet || values.json);
  let report: HistoryReport;
  try {
    report = await checkHistory({
      engine,
      versions: positionals,
      signal,
      workers: 'auto',
      onRunStart: (label, e) => {
        noteFallback();
        progress.update(`[${label}] checking with ${e}…`);
      },
      onProgress: (label, p) => progress.update(checkProgressText(label, p)),
    });
  } catch (e) {
    progress.done();
    if (e instanceof ManifestError) {
      process.stderr.write(`dax-model history: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  progress.done();
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printTable(report);
  if (signal.aborted) return EXIT.interrupted;
  const runs = report.rows.flatMap((r) => [r.run, ...r.bugs.flatMap((b) => [b.refutedWith, b.holdsWithout])]);
  if (runs.some((r) => r.error)) return EXIT.runFailed;
  return report.matches ? EXIT.ok : EXIT.mismatch;
}
