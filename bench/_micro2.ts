import { loadManifest } from '../tools/check/manifest.ts';
import { readSavedCounterexample, regressionFiles } from '../conformance/counterexample-replay.ts';
import { readModelConstants } from '../conformance/model-constants.ts';
import { replayTrace } from '../conformance/replay.ts';
const saved = loadManifest().configs.filter((c) => c.variant).map((c) => readSavedCounterexample(regressionFiles(c.name).data));
const constants = saved.map((s) => readModelConstants(s.config));
let n = 0; const t = performance.now(); while (performance.now() - t < 8000) n += saved.reduce((a, s, i) => a + replayTrace(s.counterexample.steps, constants[i]!).steps, 0);
console.log(Math.round(n / ((performance.now() - t) / 1000)));
