// `make bench-conform`: conformance-harness figures. Replay steps/s including mapping and
// comparison; fast-check validation steps/s with the state-graph oracle and with the embedded
// engine (explore_next, cached); and per variant, how many fast-check runs find its bug and the
// shrunk length next to TLC's shortest counterexample. Figures only: nothing here asserts a speed.
import { loadManifest } from '../lib/check/manifest.ts';
import { readSavedCounterexample, regressionFiles } from '../conformance/counterexample-replay.ts';
import { fastCheckConformance } from '../conformance/fast-check-run.ts';
import { readModelConstants } from '../conformance/model.ts';
import { ExplorerOracle } from '../conformance/oracle/explorer-oracle.ts';
import { GraphOracle } from '../conformance/oracle/graph-oracle.ts';
import { replayTrace } from '../conformance/replay.ts';

const seed = Number(process.env.BENCH_SEED ?? 42);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

// 1. Replay: every committed counterexample, over and over: the first pass (cold: a corpus
// replayed once), then five 1-second rounds after a 1-second warm-up (steady state), median shown.
const saved = loadManifest().configs.filter((c) => c.variant).map((c) => readSavedCounterexample(regressionFiles(c.name).data));
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
  console.log(`replay (map + compare every step):        ${fmt(rates[2]!)} steps/s median of 5 (${fmt(rates[0]!)}-${fmt(rates[4]!)}); first pass ${fmt(cold)} steps/s`);
}

// 2. fast-check validation on smoke, by oracle.
{
  const constants = readModelConstants('smoke');
  const graph = new GraphOracle('smoke');
  const g = fastCheckConformance({ constants, oracle: graph, runs: 300, seed });
  console.log(`fast-check, state-graph oracle (smoke):   ${fmt(g.steps / g.seconds)} steps/s (${g.runs} runs, ${g.steps} steps)`);
  const explorer = new ExplorerOracle('smoke');
  const e = fastCheckConformance({ constants, oracle: explorer, runs: 100, seed });
  const st = explorer.explorer.stats;
  console.log(`fast-check, embedded engine (cached):     ${fmt(e.steps / e.seconds)} steps/s (${e.runs} runs, ${e.steps} steps; ${st.engineCalls} engine calls, ${st.cacheHits} cache hits)`);
}

// 3. Finding each variant's bug: runs to the first failure, shrunk length vs TLC's counterexample.
console.log('\nvariant                    runs to find  shrunk steps  TLC steps  difference');
for (const s of saved) {
  const constants = readModelConstants(s.config);
  const oracle = new GraphOracle(s.config, undefined, true);
  // Invariant failures and deadlocks only (not the WARN event), to compare like with like.
  const out = fastCheckConformance({ constants, oracle, runs: 5000, seed, eventsFail: false });
  const tlc = s.counterexample.steps.length - 1;
  const f = out.failure;
  console.log(
    `${s.config.padEnd(26)} ${String(f ? f.runsToFind : `> ${out.runs}`).padStart(12)}  ${String(f?.length ?? '-').padStart(12)}  ${String(tlc).padStart(9)}  ${f ? `${f.length - tlc >= 0 ? '+' : ''}${f.length - tlc}` : '-'}`,
  );
}
