// TLC's batch trace validation accepts a behaviour of the spec and reports how far a tampered
// one gets, in a single TLC start.
import { describe, expect, it } from 'vitest';
import { tlcUnavailableReason } from '../../lib/check/check.ts';
import { skipTitle } from '../../lib/skip-reason.ts';
import { configFile, SPEC_DIR } from '../../lib/check/manifest.ts';
import { runTlc } from '../../lib/tlc/run.ts';
import { readFileSync } from 'node:fs';
import { SPEC_VARIABLES } from '../refinement/mapping.ts';
import { readModelConstants } from '../model/model.ts';
import { batchConfig, toTraceJson, validateBatchWithTlc } from './tlc-batch.ts';

const missing = tlcUnavailableReason();

describe('toTraceJson', () => {
  it('turns offsets-indexed maps into arrays, model values into names and sets into arrays', () => {
    expect(
      toTraceJson({
        '#map': [
          [0, { '#model': 'b1' }],
          [1, { '#model': 'None' }],
        ],
      }),
    ).toEqual(['b1', 'None']);
    expect(toTraceJson({ '#map': [[{ '#model': 'f1' }, { '#set': [{ '#model': 'u1' }] }]] })).toEqual({ f1: ['u1'] });
    expect(toTraceJson([{ '#model': 'f1' }, 0])).toEqual(['f1', 0]);
  });
});

describe('the batch cfg and decoder', () => {
  it("fills every placeholder of spec/TraceDaxDma.cfg with the model's constants", () => {
    const cfg = batchConfig(readModelConstants('smoke'), '/tmp/batch.json', ['TypeOK']);
    expect(cfg).not.toMatch(/\$/);
    expect(cfg).toContain('Files = {"f1", "f2"}');
    expect(cfg).toContain('TraceFile = "/tmp/batch.json"');
    expect(cfg.trimEnd().split('\n').at(-1)).toBe('INVARIANT TypeOK');
    expect(() => batchConfig(readModelConstants('smoke'), 'x', [], 'CONSTANTS Foo = $Foo')).toThrow(/placeholder \$Foo/);
  });

  it("decodes every spec variable in TraceDaxDma.tla's AsVars, in the order of vars", () => {
    const spec = readFileSync(`${SPEC_DIR}/DaxDma.tla`, 'utf8');
    const vars = /^vars == <<([^>]*)>>/m
      .exec(spec)![1]!
      .split(',')
      .map((v) => v.trim());
    const trace = readFileSync(`${SPEC_DIR}/TraceDaxDma.tla`, 'utf8');
    const asVars = /^AsVars\(j\) == <<([\s\S]*?)>>\s*$/m.exec(trace)![1]!;
    const decoded = [...asVars.matchAll(/\bj\.(\w+)/g)].map((m) => m[1]);
    expect(vars).toEqual(SPEC_VARIABLES);
    expect(decoded).toEqual(vars);
  });
});

describe.skipIf(missing !== null)(skipTitle('validateBatchWithTlc', missing), () => {
  it('accepts a TLC counterexample and stops a tampered copy at the tampered state', async () => {
    const cex = await runTlc({ specFile: `${SPEC_DIR}/MCDaxDma.tla`, configFile: configFile('no-gup-fast-recheck'), workers: 1 });
    const states = cex.counterexample!.steps.map((s) => s.state);
    const tampered = structuredClone(states);
    (tampered[4] as Record<string, unknown>).gupsLeft = 99;
    const r = await validateBatchWithTlc([states, tampered], readModelConstants('no-gup-fast-recheck'), { invariants: ['TypeOK'] });
    expect(r.verdicts[0]).toEqual({ trace: 1, states: states.length, reached: states.length, accepted: true });
    expect(r.verdicts[1]).toMatchObject({ trace: 2, reached: 4, accepted: false });
  }, 60_000);
});
