// Benchmark of mutation testing (tools/mutate/run.ts): runs a fixed sample of impl/'s mutants
// (--limit, default 20, drawn by --seed, default 0; a given seed also seeds the suite's
// fast-check runs) against conformance/index.ts and prints
// mutants/minute and the kill rate. Run: npx tsx bench/mutate.ts [--limit N] [--seed S] [--budget-ms N]
import { parseArgs } from 'node:util';
import { runMutation } from '../tools/mutate/run.ts';

const { values } = parseArgs({
  options: {
    limit: { type: 'string', default: '20' },
    seed: { type: 'string' },
    'budget-ms': { type: 'string' },
    suite: { type: 'string' },
    root: { type: 'string' },
  },
});
const limit = Number(values.limit);
const seed = values.seed === undefined ? undefined : Number(values.seed);
const budgetMs = values['budget-ms'] === undefined ? undefined : Number(values['budget-ms']);
const started = performance.now();
const report = await runMutation({
  rootDir: values.root,
  suite: values.suite,
  limit,
  seed,
  budgetMs,
  onProgress: (m) => process.stderr.write(`${m}\n`),
});
const t = report.totals;
const total = (performance.now() - started) / 1000;
process.stdout.write(
  [
    `mutate bench: sample of ${t.mutants} mutants (--limit ${limit}, --seed ${seed ?? 0}), budget ${report.budgetMs} ms each, 2 workers`,
    `  ${report.mutantsPerMinute} mutants/minute (mutant phase), ${t.seconds} s in all (${total.toFixed(1)} s with start-up)`,
    `  kill rate ${(t.killRate * 100).toFixed(1)}%: ${t.killed} killed (${Object.entries(t.killedByKind)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}), ${t.survived} survived, ${t.timedOut} timed out, ${t.crashed} crashed, ${t.equivalent} equivalent`,
    `  unmutated suite run: ${report.baseline ? `${report.baseline.seconds.toFixed(1)} s, ${report.baseline.steps} steps` : 'interrupted'}`,
    ...(report.interrupted ? ['  INTERRUPTED'] : []),
  ].join('\n') + '\n',
);
process.exitCode = report.interrupted ? 130 : 0;
