// `make bench-conform`: conformance-harness figures. Replay steps/s including mapping and
// comparison; fast-check validation steps/s with the state-graph oracle and with the embedded
// engine (explore_next, cached); and per variant config and seed, how many fast-check runs find
// TLC's violation, and the shrunk length next to TLC's shortest counterexample. Figures only: nothing here asserts a speed.
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

const seed = Number(process.env.BENCH_SEED ?? 42);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

// 1. Replay: every committed counterexample, over and over: the first pass (cold: a corpus
// replayed once), then five 1-second rounds after a 1-second warm-up (steady state), median shown.
const saved = loadManifest()
  .configs.filter((c) => c.variant)
  .map((c) => readSavedCounterexample(regressionFiles(c.name).data));
{
  const constants = saved.map((s) => readModelConstants(s.config));
  const round = (ms: number): number => {
    let steps = 0;
    const t = performance.now();
    do {
      saved.forEach((s, i) => {
        steps += replayTrace(s.counterexample.steps, constants[i]!).steps;
      });
    } while (performance.now() - t < ms);
    return steps / ((performance.now() - t) / 1000);
  };
  const cold = round(0);
  round(1000);
  const rates = Array.from({ length: 5 }, () => round(1000)).sort((a, b) => a - b);
  console.log(
    `replay (map + compare every step):        ${fmt(rates[2]!)} steps/s median of 5 (${fmt(rates[0]!)}-${fmt(rates[4]!)}); first pass ${fmt(cold)} steps/s`,
  );
}

// 2. fast-check validation on smoke, by oracle, beside the bare implementation on smoke's
// constants measured in the same run (random schedules, as bench/impl.ts): the machine may be
// shared, so the ratio is the figure to compare (issue 18's target: >= 10%).
{
  const constants = readModelConstants('smoke');
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
  bare(0.5);
  const implBefore = bare(2);
  const graph = new GraphOracle('smoke', await StateGraph.load('smoke'));
  fastCheckConformance({ constants, oracle: graph, runs: 100, seed: seed + 1 }); // warm-up
  const g = fastCheckConformance({ constants, oracle: graph, runs: 1000, seed });
  const implAfter = bare(2);
  const impl = (implBefore + implAfter) / 2;
  const rate = g.steps / g.seconds;
  console.log(
    `bare implementation (smoke's constants):  ${fmt(impl)} steps/s (mean of 2 s before and 2 s after: ${fmt(implBefore)}, ${fmt(implAfter)})`,
  );
  console.log(
    `fast-check, state-graph oracle (smoke):   ${fmt(rate)} steps/s (${g.runs} runs, ${g.steps} steps; ${graph.stats.fast} of ${graph.stats.steps} checked on vectors), ${((100 * rate) / impl).toFixed(1)}% of the bare implementation`,
  );
  const explorer = new ExplorerOracle('smoke');
  const e = fastCheckConformance({ constants, oracle: explorer, runs: 100, seed });
  const st = explorer.explorer.stats;
  console.log(
    `fast-check, embedded engine (cached):     ${fmt(e.steps / e.seconds)} steps/s (${e.runs} runs, ${e.steps} steps; ${st.engineCalls} engine calls, ${st.cacheHits} cache hits)`,
  );
}

// 3. Finding each variant's bug: runs to the first execution showing the config's expected
// violation (an invariant, a deadlock, a temporal property), its shrunk length vs TLC's shortest
// counterexample, and the check that failed. The project's seed and three more (BENCH_SEEDS).
const findingSeeds = (process.env.BENCH_SEEDS ?? `${DEFAULT_SEED},42,7,1`).split(',').map(Number);
const findings = [];
for (const v of variantConfigs()) findings.push(...(await findVariantBug(v.name, { seeds: findingSeeds, runs: 1000 })));
console.log('');
for (const line of findingTable(findings)) console.log(line);
