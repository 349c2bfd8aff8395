// `make bench-conform`: conformance-harness figures. Replay steps/s including mapping and
// comparison; fast-check validation steps/s with the state-graph oracle and with the embedded
// engine (explore_next, cached); and per variant config and seed, how many fast-check runs find
// TLC's violation, and the shrunk length next to TLC's shortest counterexample. Figures only: nothing here asserts a speed.
// `--json` prints them as one object (bench/figures.ts); `--quick` (the results writer's test)
// takes short rounds, the 124-state `zero-range-skips-break-ext4` for fast-check and one variant.
import { loadManifest } from '../lib/check/manifest.ts';
import { readSavedCounterexample, regressionFiles } from '../conformance/replay/counterexample-replay.ts';
import { fastCheckConformance } from '../conformance/executions/fast-check-run.ts';
import { DEFAULT_SEED } from '../conformance/index.ts';
import { findingTable, findVariantBug, variantConfigs } from '../conformance/suite/variant-finding.ts';
import { readModelConstants, systemForModel } from '../conformance/model/model.ts';
import { randomScheduler } from '../impl/index.ts';
import { ExplorerOracle } from '../conformance/oracle/explorer-oracle.ts';
import { GraphOracle } from '../conformance/oracle/graph-oracle.ts';
import { StateGraph } from '../conformance/oracle/state-graph.ts';
import { replayTrace } from '../conformance/replay/replay.ts';
import { Figures } from './figures.ts';
import { corpusReplays } from './corpus-replays.ts';

const out = new Figures('conform');
const quick = out.quick;
const seed = Number(process.env.BENCH_SEED ?? 42);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

// 1. Replay: every committed counterexample, and the trace corpus (each trace under its config's
// own profile, as the suite replays it), over and over: the first pass (cold: each state's vector
// not yet encoded), then five 1-second rounds after a 1-second warm-up (steady state), median shown.
const saved = loadManifest()
  .configs.filter((c) => c.variant)
  .map((c) => readSavedCounterexample(regressionFiles(c.name).data));
const corpus = corpusReplays(quick);
for (const [what, traces] of [
  [
    'every committed variant counterexample',
    saved.map((s) => ({ steps: s.counterexample.steps, constants: readModelConstants(s.config) })),
  ],
  [`the trace corpus (${corpus.length} trace replays)`, corpus],
] as const) {
  let divergences = 0;
  const round = (ms: number): number => {
    let steps = 0;
    const t = performance.now();
    do {
      for (const r of traces) {
        const result = replayTrace(r.steps, r.constants, 'profile' in r ? { profile: r.profile } : {});
        steps += result.steps;
        if (!result.ok) divergences++;
      }
    } while (performance.now() - t < ms);
    return steps / ((performance.now() - t) / 1000);
  };
  const ms = quick ? 50 : 1000;
  const cold = round(0);
  round(ms);
  const rates = Array.from({ length: 5 }, () => round(ms)).sort((a, b) => a - b);
  out.table(`replay of ${what}, map + compare every step (${ms} ms rounds)`, [
    'median steps/s of 5',
    'lowest',
    'highest',
    'first pass steps/s',
    'divergences',
  ])([Math.round(rates[2]!), Math.round(rates[0]!), Math.round(rates[4]!), Math.round(cold), divergences]);
  out.say(
    `replay of ${what} (map + compare every step): ${fmt(rates[2]!)} steps/s median of 5 (${fmt(rates[0]!)}-${fmt(rates[4]!)}); first pass ${fmt(cold)} steps/s; ${divergences} divergences`,
  );
}

// 2. fast-check validation on smoke, by oracle, beside the bare implementation on smoke's
// constants measured in the same run (random schedules, as bench/impl.ts): the machine may be
// shared, so the ratio is the figure to compare (issue 18's target: >= 10%).
{
  const config = quick ? 'zero-range-skips-break-ext4' : 'smoke';
  const constants = readModelConstants(config);
  const bare = (seconds: number): number => {
    let steps = 0;
    let s = seed;
    const t = performance.now();
    while (performance.now() - t < seconds * 1000)
      steps += systemForModel(constants).runToCompletion(randomScheduler(s++, { starts: Number.MAX_SAFE_INTEGER }), {
        maxSteps: 200_000,
        record: false,
      }).steps;
    return steps / ((performance.now() - t) / 1000);
  };
  const graph = new GraphOracle(config, await StateGraph.load(config));
  // A warm-up (the JIT's, and the graph oracle's caches), then rounds that alternate the bare
  // implementation (1 s) and validation (2,000 runs, about 55,000 steps, a second or two), seeds
  // differing per round: the speed of these machines drifts by tens of percent from one second
  // to the next, so each round's ratio is taken on figures measured side by side, and the median
  // of the rounds is shown with their range.
  bare(quick ? 0.05 : 0.5);
  fastCheckConformance({ constants, oracle: graph, runs: quick ? 5 : 1000, seed: seed + 1 });
  const rounds = Array.from({ length: quick ? 1 : 5 }, (_, i) => {
    const impl = bare(quick ? 0.1 : 1);
    const g = fastCheckConformance({ constants, oracle: graph, runs: quick ? 20 : 2_000, seed: seed + 10 * i });
    return { impl, rate: g.steps / g.seconds, ratio: g.steps / g.seconds / impl, runs: g.runs, steps: g.steps };
  });
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const impl = median(rounds.map((r) => r.impl));
  const rate = median(rounds.map((r) => r.rate));
  const ratio = median(rounds.map((r) => r.ratio));
  const range = (xs: number[], f: (x: number) => string): string => `${f(Math.min(...xs))}-${f(Math.max(...xs))}`;
  const runs = rounds.reduce((n, r) => n + r.runs, 0);
  const steps = rounds.reduce((n, r) => n + r.steps, 0);
  const addRow = out.table(
    `fast-check validation on ${config}, seed ${seed}, beside the bare implementation in the same rounds (median of ${rounds.length})`,
    ['oracle', 'steps/s', '% of bare implementation', 'runs', 'steps'],
  );
  addRow(['bare implementation (median of the rounds)', Math.round(impl), 100, null, null]);
  addRow([
    `state graph (${graph.stats.fast} of ${graph.stats.steps} checks on vectors)`,
    Math.round(rate),
    Number((100 * ratio).toFixed(2)),
    runs,
    steps,
  ]);
  out.say(
    `bare implementation (${config}'s constants):  ${fmt(impl)} steps/s, median of ${rounds.length} 1-s rounds (${range(
      rounds.map((r) => r.impl),
      fmt,
    )})`,
  );
  out.say(
    `fast-check, state-graph oracle (${config}):   ${fmt(rate)} steps/s median (${range(
      rounds.map((r) => r.rate),
      fmt,
    )}; ${runs} runs, ${steps} steps; ${graph.stats.fast} of ${graph.stats.steps} checked on vectors), ${(100 * ratio).toFixed(1)}% of the bare implementation, median of the rounds' ratios (${range(
      rounds.map((r) => 100 * r.ratio),
      (x) => `${x.toFixed(1)}%`,
    )})`,
  );
  const explorer = new ExplorerOracle(config);
  const e = fastCheckConformance({ constants, oracle: explorer, runs: quick ? 5 : 100, seed });
  const st = explorer.explorer.stats;
  addRow([
    `embedded engine, cached (${st.engineCalls} engine calls, ${st.cacheHits} cache hits)`,
    Math.round(e.steps / e.seconds),
    Number(((100 * e.steps) / e.seconds / impl).toFixed(2)),
    e.runs,
    e.steps,
  ]);
  out.say(
    `fast-check, embedded engine (cached):     ${fmt(e.steps / e.seconds)} steps/s (${e.runs} runs, ${e.steps} steps; ${st.engineCalls} engine calls, ${st.cacheHits} cache hits)`,
  );
}

// 3. Finding each variant's bug: runs to the first execution showing the config's expected
// violation (an invariant, a deadlock, a temporal property), its shrunk length vs TLC's shortest
// counterexample, and the check that failed. The project's seed and three more (BENCH_SEEDS).
const findingSeeds = (process.env.BENCH_SEEDS ?? (quick ? `${DEFAULT_SEED}` : `${DEFAULT_SEED},42,7,1`)).split(',').map(Number);
const findings = [];
const variants = quick ? variantConfigs().slice(0, 1) : variantConfigs();
for (const v of variants) findings.push(...(await findVariantBug(v.name, { seeds: findingSeeds, runs: quick ? 100 : 1000 })));
out.say('');
for (const line of findingTable(findings)) out.say(line);
const addFinding = out.table(`finding each variant's bug from the implementation side (seeds ${findingSeeds.join(', ')})`, [
  'variant config',
  'seed',
  'runs to find',
  'shrunk length',
  'TLC length',
  'failing check',
]);
for (const r of findings) {
  const f = r.failure;
  const what = f
    ? `${f.check}${f.property ? ` ${f.property}` : ''}${f.isExpected ? '' : ` (NOT ${r.expected})`}`
    : `none (${r.expected} not found)`;
  addFinding([r.config, r.seed, f ? f.runsToFind : `> ${r.runs}`, f?.length ?? null, r.tlcLength, what]);
}
out.done();
