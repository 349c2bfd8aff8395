// `dax-model link`: parses its arguments, runs tools/link/link.ts and prints every spec action
// without an implementation step, every label or switch that is not the spec's, at file:line.
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { LinkError, linkSpecAndImpl } from '../link/link.ts';
import { SpecNamesError } from '../link/spec-names.ts';
import { KERNEL_REFERENCE } from '../link/switches.ts';
import { EXIT } from './exit-codes.ts';

export const LINK = defineCommand({
  name: 'link',
  usage: ['link [options]'],
  summary: 'check that spec actions, implementation step labels and switches agree',
  description: `Checks that the spec and impl/ use the same names: every action of spec/DaxDma.tla's Next
(through UserNext, FsNext, SyncNext) has an implementation step labelled with it, every label
in impl/ names a spec action, and every switch — the variant switches (BugNames <->
BugSwitches), the optional behaviours (FeatureNames <-> FeatureSwitches: Munmap, TruncWarn, ZeroRangeInPlace)
and the idle refcount (CONSTANT IdleRef <-> Machine.idleRef) — exists on both sides, is read on
both sides, and is commented on both sides (its spec declaration, some read in impl/) with the
kernel function or the commit it stands for.
Exit 0 iff they agree; 1 with each missing or extra name at file:line; 2 on bad input.`,
  positionals: false,
  options: {
    json: { type: 'boolean', default: false, help: 'print the report (actions, steps, switches, problems) as JSON' },
    root: { type: 'string', value: 'DIR', help: 'check another checkout (default this one)' },
    spec: { type: 'string', value: 'FILE', help: 'another protocol module, relative to the root (default spec/DaxDma.tla)' },
  },
});

/** Runs the link command; returns the exit code. */
export async function linkCommand(argv: string[], _signal: AbortSignal): Promise<number> {
  const { values } = parseCommandLine(LINK, argv);
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
