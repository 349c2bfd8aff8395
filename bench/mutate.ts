// Benchmark of mutation testing (tools/mutate/run.ts): runs a fixed sample of impl/'s mutants
// (--limit, default 20, drawn by --seed, default 0; a given seed also seeds the suite's
// fast-check runs) against conformance/index.ts and prints
// mutants/minute and the kill rate. Run: npx tsx bench/mutate.ts [--limit N] [--seed S] [--budget-ms N] [--json]
// `--quick` (the results writer's test) mutates tools/mutate/fixtures/mini-repo, a mutant of its
// stub suite (one mutant), instead: its figures say nothing of impl/.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../lib/paths.ts';
import { runMutation } from '../tools/mutate/run.ts';
import { Figures } from './figures.ts';

const { values } = parseArgs({
  options: {
    limit: { type: 'string', default: '20' },
    seed: { type: 'string' },
    'budget-ms': { type: 'string' },
    suite: { type: 'string' },
    root: { type: 'string' },
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
  },
});
const out = new Figures('mutate');
const limit = out.quick ? 1 : Number(values.limit);
const seed = values.seed === undefined ? undefined : Number(values.seed);
const budgetMs = values['budget-ms'] === undefined ? (out.quick ? 20_000 : undefined) : Number(values['budget-ms']);
const started = performance.now();
const report = await runMutation({
  rootDir: out.quick ? path.join(REPO_ROOT, 'tools/mutate/fixtures/mini-repo') : values.root,
  suite: values.suite,
  ...(out.quick ? { scope: 'all' as const } : {}),
  limit,
  seed,
  budgetMs,
  onProgress: (m) => process.stderr.write(`${m}\n`),
});
const t = report.totals;
const total = (performance.now() - started) / 1000;
const kinds = Object.entries(t.killedByKind)
  .map(([k, n]) => `${n} ${k}`)
  .join(', ');
out.table(
  `sample of ${t.mutants} mutants (--limit ${limit}, --seed ${seed ?? 0}${out.quick ? ', mini repository' : ''}), budget ${report.budgetMs} ms each, 2 workers`,
  ['mutants/minute', 'seconds', 'seconds with start-up', 'kill rate %', 'killed', 'survived', 'timed out', 'crashed', 'equivalent'],
)([
  report.mutantsPerMinute,
  t.seconds,
  Number(total.toFixed(1)),
  Number((t.killRate * 100).toFixed(1)),
  t.killed,
  t.survived,
  t.timedOut,
  t.crashed,
  t.equivalent,
]);
out.note(`killed by: ${kinds || 'none'}`);
out.note(
  `unmutated suite run: ${report.baseline ? `${report.baseline.seconds.toFixed(1)} s, ${report.baseline.steps} steps` : 'interrupted'}`,
);
if (report.interrupted) out.note('INTERRUPTED');
out.say(
  [
    `mutate bench: sample of ${t.mutants} mutants (--limit ${limit}, --seed ${seed ?? 0}), budget ${report.budgetMs} ms each, 2 workers`,
    `  ${report.mutantsPerMinute} mutants/minute (mutant phase), ${t.seconds} s in all (${total.toFixed(1)} s with start-up)`,
    `  kill rate ${(t.killRate * 100).toFixed(1)}%: ${t.killed} killed (${kinds}), ${t.survived} survived, ${t.timedOut} timed out, ${t.crashed} crashed, ${t.equivalent} equivalent`,
    `  unmutated suite run: ${report.baseline ? `${report.baseline.seconds.toFixed(1)} s, ${report.baseline.steps} steps` : 'interrupted'}`,
    ...(report.interrupted ? ['  INTERRUPTED'] : []),
  ].join('\n'),
);
out.done();
process.exitCode = report.interrupted ? 130 : 0;
