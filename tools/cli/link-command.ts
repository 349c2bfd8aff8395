// `dax-model link`: parses its arguments, runs tools/link/link.ts and prints every spec action
// without an implementation step, every label or switch that is not the spec's, at file:line.
import { parseArgs } from 'node:util';
import { LinkError, linkSpecAndImpl } from '../link/link.ts';
import { SpecNamesError } from '../link/spec-names.ts';
import { KERNEL_REFERENCE } from '../link/switches.ts';
import { EXIT } from './exit-codes.ts';

export const LINK_USAGE = `dax-model link [--json] [--root DIR] [--spec FILE]
  Checks that the spec and impl/ use the same names: every action of spec/DaxDma.tla's Next
  (through UserNext, FsNext, SyncNext) has an implementation step labelled with it, every label
  in impl/ names a spec action, and every switch — the variant switches (BugNames <->
  BugSwitches), the optional behaviours (FeatureNames <-> FeatureSwitches: Munmap, TruncWarn)
  and the idle refcount (CONSTANT IdleRef <-> Machine.idleRef) — exists on both sides, is read on
  both sides, and is commented on both sides (its spec declaration, some read in impl/) with the
  kernel function or the commit it stands for. --root names another checkout, --spec another
  protocol module (relative to it).
  Exit 0 iff they agree; 1 with each missing or extra name at file:line; 2 on bad input.`;

/** Runs the link command; returns the exit code. */
export async function linkCommand(argv: string[], _signal: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: { json: { type: 'boolean', default: false }, root: { type: 'string' }, spec: { type: 'string' } },
  });
  let report;
  try {
    report = linkSpecAndImpl({ rootDir: values.root, spec: values.spec });
  } catch (e) {
    if (e instanceof LinkError || e instanceof SpecNamesError) {
      process.stderr.write(`dax-model link: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const p of report.problems) process.stdout.write(`${p.file}:${p.line}: ${p.message}\n`);
    const stepCount = Object.values(report.steps).reduce((n, l) => n + l.length, 0);
    const withStep = report.actions.filter((a) => report.steps[a.name]).length;
    process.stdout.write(`${withStep} of ${report.actions.length} spec actions have a labelled step (${stepCount} steps in impl/)\n`);
    for (const g of report.switchGroups) {
      if (g.spec.length === 0 && g.impl.length === 0) continue;
      const specSide = `${g.spec.length} in the spec (${g.spec.filter((s) => s.reads > 0).length} read, ${g.spec.filter((s) => KERNEL_REFERENCE.test(s.comment)).length} with a kernel comment)`;
      const implSide = `${g.impl.length} in impl/ (${Object.keys(g.reads).length} read, ${g.documented.length} with a kernel comment)`;
      process.stdout.write(`${`switches ${g.group}:`.padEnd(19)} ${specSide}, ${implSide}\n`);
    }
  }
  return report.problems.length === 0 ? EXIT.ok : EXIT.mismatch;
}
