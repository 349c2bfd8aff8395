// `dax-model conform --kernel all`: the conformance suite run as every kernel version of
// impl/releases.ts in turn (each on its own history config), one line per version, then the
// divergences of any version in full.
import type { Release } from '../../impl/index.ts';
import { runConformance, type ConformanceOptions, type ConformanceReport } from '../../conformance/index.ts';
import { errorExit } from './errors.ts';
import { EXIT } from './exit-codes.ts';
import { ProgressLine, thousands } from './progress.ts';

/** One version's line: runs, steps, state graph, divergences, time, and its config and seed (and
 *  the TLC batch's verdict when TLC validated the executions too). */
function kernelLine(r: ConformanceReport): string {
  const seeds = r.fastCheckSeeds.map((s) => `${s.config} [${s.profile}] seed ${s.seed}`).join(', ') || 'no fast-check run';
  const graphs = r.stateGraphs.map((g) => `${thousands(g.states)} states`).join(', ') || '-';
  const cols = [
    r.kernel!.padEnd(10),
    `runs ${r.fastCheckRuns}`.padEnd(9),
    `steps ${thousands(r.steps)}`.padEnd(13),
    `graph ${graphs}`.padEnd(20),
    `divergences ${r.divergences.length}`.padEnd(14),
    `${r.seconds.toFixed(1)} s`.padStart(8),
  ];
  const tlc = r.tlcBatch ? `, TLC accepted ${r.tlcBatch.accepted} of ${r.tlcBatch.executions}` : '';
  return `${cols.join('  ')}  (${seeds}${tlc})`;
}

/**
 * Runs the suite as each version (`base` with `kernel` set), printing its line as it ends; with
 * `json` a list of the reports instead, as `jsonOf` writes one. Exit 0 iff no version diverged.
 */
export async function conformEveryKernel(
  versions: readonly Release[],
  base: ConformanceOptions,
  progress: ProgressLine,
  out: { json: boolean; print: (r: ConformanceReport) => void; jsonOf: (r: ConformanceReport) => object },
): Promise<number> {
  const reports: ConformanceReport[] = [];
  for (const v of versions) {
    let r: ConformanceReport;
    try {
      r = await runConformance({ ...base, kernel: v.version, onProgress: (m) => progress.update(`${v.version}: ${m}`) });
    } catch (e) {
      progress.done();
      return errorExit('conform', e);
    }
    progress.done();
    reports.push(r);
    if (!out.json) process.stdout.write(`${kernelLine(r)}\n`);
  }
  if (out.json) process.stdout.write(`${JSON.stringify(reports.map(out.jsonOf), null, 2)}\n`);
  else {
    // What every version left out is the same in kind; the first version's lines say why.
    for (const line of reports[0]?.notApplicable ?? [])
      process.stdout.write(`not applicable (${reports[0]!.kernel}; likewise the others)  ${line}\n`);
    const total = reports.reduce((n, r) => n + r.divergences.length, 0);
    process.stdout.write(
      `${versions.length} versions, ${thousands(reports.reduce((n, r) => n + r.steps, 0))} steps, ${total} divergences, ${reports.reduce((n, r) => n + r.seconds, 0).toFixed(1)} s\n`,
    );
    for (const r of reports)
      if (r.divergences.length > 0) {
        process.stdout.write(`\n=== ${r.kernel} ===\n`);
        out.print(r);
      }
  }
  return reports.every((r) => r.divergences.length === 0) ? EXIT.ok : EXIT.mismatch;
}
