// The harness catches what it must: an implementation with a variant switch on is caught by
// fast-check executions validated against the merged protocol, and a wrong refinement mapping is
// reported with the variable it gets wrong.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFile, loadManifest } from '../../lib/check/manifest.ts';
import type { TlaState } from '../../lib/values/value.ts';
import { readSavedCounterexample, regressionFiles } from '../replay/counterexample-replay.ts';
import { fastCheckConformance } from '../executions/fast-check-run.ts';
import { DEFAULT_MAX_STEPS } from '../executions/executions.ts';
import { mapToSpec } from '../refinement/mapping.ts';
import { readModelConstants } from '../model/model.ts';
import { GraphOracle } from '../oracle/graph-oracle.ts';
import { StateGraph } from '../oracle/state-graph.ts';
import { replayTrace } from '../replay/replay.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'harness-test-'));

/** The variant config's constants with Bugs = {}: the merged protocol at the same size. */
function mergedVariantOf(config: string): string {
  const file = path.join(dir, `${config}-merged.cfg`);
  writeFileSync(file, readFileSync(configFile(config), 'utf8').replace(/^\s*Bugs = .*$/m, '  Bugs = {}'));
  return file;
}

const variants = loadManifest().configs.filter((c) => c.variant && c.name !== 'lost-wakeup-liveness');

describe('an implementation with a variant switch on', () => {
  it.each(variants.map((c) => [c.variant!, c.name] as const))(
    '%s is caught by fast-check against the merged protocol',
    async (bug, config) => {
      const merged = mergedVariantOf(config);
      const constants = { ...readModelConstants(merged), bugs: [bug] };
      const out = fastCheckConformance({
        constants,
        oracle: new GraphOracle(merged, await StateGraph.load(merged)),
        runs: 3000,
        seed: 7,
        maxSteps: DEFAULT_MAX_STEPS,
      });
      expect(out.failure, `seed 7: ${bug} not caught in ${out.runs} runs`).toBeDefined();
      expect(out.failure!.length).toBeLessThanOrEqual(40);
    },
    60_000,
  );
});

describe('a deliberately wrong refinement mapping', () => {
  const saved = readSavedCounterexample(regressionFiles('no-restart-after-wait').data);
  const constants = readModelConstants('no-restart-after-wait');

  it('that miscounts the GUP budget is reported at the initial state, naming gupsLeft', () => {
    const wrong: typeof mapToSpec = (s) => ({ ...mapToSpec(s), gupsLeft: s.gupsLeft + 1 });
    const r = replayTrace(saved.counterexample.steps, constants, { mapping: wrong });
    expect(r.ok).toBe(false);
    expect(r.divergence!.step).toBe(1);
    expect(r.divergence!.diffs.map((d) => d.path)).toEqual(['gupsLeft']);
  });

  it('that forgets sleeping tasks is reported at the first sleep, naming fpc[t1]', () => {
    const wrong: typeof mapToSpec = (s) => {
      const st = mapToSpec(s) as TlaState;
      const fpc = JSON.parse(JSON.stringify(st.fpc).replace('"sleep"', '"BreakLayoutsWait"'));
      return { ...st, fpc };
    };
    const r = replayTrace(saved.counterexample.steps, constants, { mapping: wrong });
    expect(r.ok).toBe(false);
    expect(saved.counterexample.steps[r.divergence!.step - 1]!.action).toBe('BreakLayoutsWait');
    expect(r.divergence!.diffs.map((d) => d.path)).toEqual(['fpc[t1]']);
  });
});
