// The labelled wrapper is sound: projected on the spec's variables its successors are exactly
// the spec's, and its ghost names the action, parameters and branches that targets.ts's
// TypeScript predicates see in the same step.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceStep } from '../../lib/result/check-result.ts';
import { Explorer } from '../../lib/embedded/explorer.ts';
import { valueKey } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { readItf } from '../trace-formats/itf.ts';
import { loadTraceSchema } from '../trace-formats/schema.ts';
import { TRACES_DIR, configPath, loadCorpusManifest, specModuleFile } from './corpus.ts';
import { GHOST, buildLabeledModel, ghostTags, unlabelStep } from '../../lib/embedded/labeled.ts';
import { BRANCHES, stepTargets } from './targets.ts';

const model = buildLabeledModel(specModuleFile(), configPath('traces'), BRANCHES);
afterAll(() => model.dispose());
const wrapper = new Explorer(model.specFile, model.writeCfg('test', []));
const key = (s: TlaState): string => valueKey(s as TlaValue);
const project = (s: TlaState): TlaState => unlabelStep(s, 2, model.actions).state;

describe('labelled wrapper', () => {
  it("has the spec's successors, state for state (first 15 states of a BFS)", () => {
    const spec = new Explorer(specModuleFile(), configPath('traces'));
    const queue = wrapper.initStates();
    expect(queue.map((s) => key(project(s))).sort()).toEqual(spec.initStates().map(key).sort());
    const seen = new Set<string>();
    for (let n = 0; n < 15 && queue.length; n++) {
      const s = queue.shift() as TlaState;
      const mine = new Set(wrapper.successors(s).map((x) => key(project(x))));
      expect([...mine].sort()).toEqual(spec.successors(project(s)).map(key).sort());
      for (const x of wrapper.successors(s)) if (!seen.has(key(x))) (seen.add(key(x)), queue.push(x));
    }
  }, 30_000);

  it('labels the steps of corpus traces with their actions and parameters, and tags branches as targets.ts does', () => {
    const schema = loadTraceSchema({ specFile: specModuleFile(), configFile: configPath('traces'), shapes: false });
    const files = loadCorpusManifest()
      .traces.filter((t) => t.config === 'traces' && t.kind === 'directed')
      .slice(0, 2);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const steps = readItf(readFileSync(path.join(TRACES_DIR, f.file), 'utf8'), { source: f.file, schema }).steps;
      let current = wrapper.initStates().find((s) => key(project(s)) === key(steps[0]?.state as TlaState)) as TlaState;
      for (let i = 1; i < steps.length; i++) {
        const want = steps[i] as TraceStep;
        const matches = wrapper.successors(current).filter((x) => {
          const u = unlabelStep(x, i + 1, model.actions);
          return (
            key(u.state) === key(want.state) &&
            u.action === want.action &&
            valueKey((u.params ?? {}) as TlaValue) === valueKey((want.params ?? {}) as TlaValue)
          );
        });
        expect(matches.length, `${f.file}: state ${i + 1} (${want.action})`).toBe(1);
        current = matches[0] as TlaState;
        const ts = stepTargets(steps[i - 1] as TraceStep, want).filter((t) => t.includes('.'));
        expect(ghostTags(current).sort(), `${f.file}: branches of state ${i + 1}`).toEqual(ts.sort());
        expect(current[GHOST]).toBeDefined();
      }
    }
  }, 30_000);
});
