// Tests for checkEmbedded on small fixture specs whose verdicts and distinct-state counts were
// checked against TLC: verdicts, property names, counterexample shapes, errors, JSON round trips.
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../result/check-result.ts';
import { makeFunction, makeSet, normalize, valueKey } from '../values/canonical.ts';
import type { TlaValue } from '../values/value.ts';
import { checkEmbedded, checkEmbeddedAsync, jsonToTla, tlaToJson } from './engine.ts';
import { Explorer } from './explorer.ts';
import type { EngineJson } from './json.ts';
import { tlaCheckerApi } from './wasm.ts';

const FIX = fileURLToPath(new URL('./fixtures/', import.meta.url));
const check = (spec: string, cfg: string, extra: object = {}): CheckResult =>
  checkEmbedded({ specFile: `${FIX}${spec}`, configFile: `${FIX}${cfg}`, ...extra });
const model = (name: string): TlaValue => ({ '#model': name });
const counters = (p1: number, p2: number): TlaValue =>
  makeFunction([
    [model('p1'), p1],
    [model('p2'), p2],
  ]);

// Distinct-state counts below are TLC's (TLC 2.20, -workers 1) on the same fixtures.
describe('checkEmbedded verdicts', () => {
  it("reports holds with TLC's distinct-state count", () => {
    const r = check('Counter.tla', 'counter.cfg');
    expect(r).toMatchObject({ engine: 'embedded', verdict: 'holds', distinctStates: 9, engineVersion: 'tla-checker 0.9.0' });
    expect(r.error).toBeUndefined();
    expect(r.seconds).toBeGreaterThan(0);
  });

  it('checks no invariant when the cfg lists none, although one is named InvSmall', () => {
    expect(check('Counter.tla', 'counter-noinv.cfg')).toMatchObject({ verdict: 'holds', distinctStates: 9 });
  });

  it('names the violated invariant and replays the trace with its actions', () => {
    const r = check('Counter.tla', 'counter-inv.cfg');
    expect(r).toMatchObject({ verdict: 'invariant', property: 'Small', distinctStates: 7 });
    const steps = r.counterexample?.steps ?? [];
    expect(steps.map((s) => s.index)).toEqual([1, 2, 3, 4]);
    expect(steps.map((s) => s.action)).toEqual(['Init', 'Inc', 'Inc', 'Inc']);
    expect(steps.map((s) => s.state.total)).toEqual([0, 1, 2, 3]);
    expect(steps[0]?.state.x).toEqual(counters(0, 0));
    expect(r.counterexample?.loopsBackTo).toBeUndefined();
  });

  it('reports a deadlock with the path to the stuck state, unless deadlock checking is off', () => {
    const r = check('Counter.tla', 'counter-deadlock.cfg');
    expect(r).toMatchObject({ verdict: 'deadlock', distinctStates: 9 });
    expect(r.counterexample?.steps).toHaveLength(5);
    expect(r.counterexample?.steps[4]?.state).toEqual({ total: 4, x: counters(2, 2) });
    expect(check('Counter.tla', 'counter-deadlock.cfg', { deadlock: false })).toMatchObject({ verdict: 'holds', distinctStates: 9 });
    expect(check('Counter.tla', 'counter-nodeadlock.cfg')).toMatchObject({ verdict: 'holds', distinctStates: 9 });
  });

  it('warns that counts under SYMMETRY need not match TLC (they do here: 10)', () => {
    const r = check('Counter.tla', 'counter-sym.cfg');
    expect(r).toMatchObject({ verdict: 'holds', distinctStates: 10 });
    expect(r.warnings?.[0]).toMatch(/^SYMMETRY Sym/);
  });

  it("holds for leads-to properties under fairness, warning of the engine's leads-to blind spot", () => {
    const r = check('Live.tla', 'live-ok.cfg');
    expect(r).toMatchObject({ verdict: 'holds', distinctStates: 34 });
    expect(r.warnings?.[0]).toMatch(/^Unpins, Completes: tla-checker 0\.9\.0 finds a P ~> Q violation only if/);
  });

  it('names the violated one of two properties and gives a looping lasso without repeated states', () => {
    const r = check('Live.tla', 'live-lost.cfg');
    expect(r).toMatchObject({ verdict: 'property', property: 'Completes', distinctStates: 38 });
    const cx = r.counterexample;
    expect(cx?.ending).toBe('loop');
    expect(cx?.steps).toHaveLength(8);
    expect(cx?.loopsBackTo).toBe(7);
    expect(cx?.steps.slice(6).map((s) => [s.action, s.state.pc, s.state.tick])).toEqual([
      ['Unpin', 'sleep', 0],
      ['Tick', 'sleep', 1],
    ]);
    expect(new Set(cx?.steps.map((s) => valueKey(s.state as TlaValue))).size).toBe(8);
    // Every step, and the loop back, is a step of the spec.
    const ex = new Explorer(`${FIX}Live.tla`, `${FIX}live-lost.cfg`);
    const steps = cx?.steps ?? [];
    const keys = (xs: object[]): string[] => xs.map((s) => valueKey(s as TlaValue));
    expect(keys(ex.initStates())).toContain(valueKey(steps[0]?.state as TlaValue));
    for (let i = 1; i < steps.length; i++) {
      expect(keys(ex.successors(steps[i - 1]?.state ?? {}))).toContain(valueKey(steps[i]?.state as TlaValue));
    }
    expect(keys(ex.successors(steps[7]?.state ?? {}))).toContain(valueKey(steps[6]?.state as TlaValue));
  });

  it('ends a lasso in stuttering when nothing else can run', () => {
    const r = check('Live.tla', 'live-stutter.cfg');
    expect(r).toMatchObject({ verdict: 'property', property: 'Completes', distinctStates: 19 });
    expect(r.counterexample?.ending).toBe('stuttering');
    expect(r.counterexample?.loopsBackTo).toBeUndefined();
    expect(r.counterexample?.steps.at(-1)?.state).toMatchObject({ pc: 'sleep', ref: 0 });
  });

  it("does not let FairSpec's fairness leak into Spec (TLC: Completes violated)", () => {
    expect(check('Live.tla', 'live-unfair.cfg')).toMatchObject({ verdict: 'property', property: 'Completes', distinctStates: 34 });
  });

  it('finds the violated property when it is not the first listed', () => {
    const r = check('Live.tla', 'live-ticks.cfg');
    expect(r).toMatchObject({ verdict: 'property', property: 'Ticks', distinctStates: 17 });
    expect(r.counterexample?.ending).toBe('loop');
  });

  it('checks a flattened module tree', () => {
    expect(check('../../tla/fixtures/flat/MCTop.tla', '../../tla/fixtures/flat/mctop.cfg')).toMatchObject({
      verdict: 'holds',
      distinctStates: 5,
    });
  });
});

describe('checkEmbedded errors', () => {
  const error = (spec: string, cfg: string, extra: object = {}): { kind: string; message: string } => {
    const r = check(spec, cfg, extra);
    expect(r.verdict).toBe('error');
    expect(r.error?.message).not.toContain('\n');
    return r.error as { kind: string; message: string };
  };

  it('locates a syntax error in its file', () => {
    expect(error('Syntax.tla', 'syntax.cfg')).toEqual({
      kind: 'parse',
      message: expect.stringMatching(/fixtures\/Syntax\.tla:8:7: unexpected `==` \(expected definition or declaration\)$/),
    });
  });

  it('says which definition the engine dropped because it could not parse it', () => {
    const e = error('Dropped.tla', 'dropped.cfg');
    expect(e.kind).toBe('parse');
    expect(e.message).toMatch(
      /fixtures\/Dropped\.tla:7: tla-checker could not parse the definition of Init and dropped it \(parse error: unexpected `,`\)$/,
    );
  });

  it('reports evaluation errors, false assumptions and missing constants', () => {
    expect(error('Errors.tla', 'errors-div.cfg')).toEqual({ kind: 'eval', message: 'computing successor states: division by zero' });
    expect(error('Errors.tla', 'errors-assume.cfg')).toEqual({
      kind: 'config',
      message: expect.stringMatching(/ASSUME at .*fixtures\/Errors\.tla:5 is false for the cfg's constants$/),
    });
    expect(error('Errors.tla', 'errors-missing.cfg')).toEqual({ kind: 'config', message: 'the cfg gives no value to constant(s) D' });
    expect(error('Errors.tla', 'errors-noinv.cfg')).toEqual({
      kind: 'config',
      message: 'INVARIANT Missing: no such definition in the spec',
    });
    expect(check('Errors.tla', 'errors-ok.cfg')).toMatchObject({ verdict: 'holds', distinctStates: 4 });
    // TLC does not count the state x = 2 that violates the CONSTRAINT; neither does the engine.
    expect(check('Errors.tla', 'errors-constraint.cfg')).toMatchObject({ verdict: 'holds', distinctStates: 2 });
  });

  it('refuses what the engine cannot check as TLC would', () => {
    expect(error('Errors.tla', 'errors-subst.cfg')).toMatchObject({ kind: 'unsupported', message: expect.stringContaining("'D <- One'") });
    expect(error('Errors.tla', 'errors-view.cfg')).toMatchObject({ kind: 'unsupported', message: expect.stringContaining('VIEW One') });
    expect(error('Errors.tla', 'errors-stateprop.cfg')).toMatchObject({
      kind: 'unsupported',
      message: expect.stringContaining('PROPERTY StartsAtZero: a state predicate'),
    });
  });

  it('treats hitting maxStates or maxDepth as an error, never as holds', () => {
    const r = check('Counter.tla', 'counter.cfg', { maxStates: 3 });
    expect(r).toMatchObject({ verdict: 'error', error: { kind: 'timeout' } });
    expect(r.distinctStates).toBeGreaterThan(0);
    expect(check('Counter.tla', 'counter.cfg', { maxDepth: 2 })).toMatchObject({ verdict: 'error', error: { kind: 'timeout' } });
    expect(error('Counter.tla', 'counter.cfg', { maxStates: 0 }).kind).toBe('config');
  });

  it('gives up at timeoutSeconds', () => {
    expect(check('Counter.tla', 'counter.cfg', { timeoutSeconds: 0.001 })).toMatchObject({ verdict: 'error', error: { kind: 'timeout' } });
  });

  it('reports unreadable files', () => {
    expect(error('Nope.tla', 'counter.cfg')).toMatchObject({ kind: 'parse', message: expect.stringContaining('ENOENT') });
    expect(error('Counter.tla', 'nope.cfg')).toMatchObject({ kind: 'config', message: expect.stringContaining('ENOENT') });
  });
});

describe('checkEmbeddedAsync', () => {
  it('reaches the same result as the blocking variant', async () => {
    const opts = { specFile: `${FIX}Live.tla`, configFile: `${FIX}live-lost.cfg` };
    const [a, b] = [await checkEmbeddedAsync(opts), checkEmbedded(opts)];
    expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
  });

  it('stops when aborted or out of time', async () => {
    const opts = { specFile: `${FIX}Counter.tla`, configFile: `${FIX}counter.cfg` };
    const ctl = new AbortController();
    const pending = checkEmbeddedAsync({ ...opts, signal: ctl.signal });
    ctl.abort();
    expect(await pending).toMatchObject({ verdict: 'error', error: { kind: 'interrupted' } });
    expect(await checkEmbeddedAsync({ ...opts, timeoutSeconds: 0.001 })).toMatchObject({ verdict: 'error', error: { kind: 'timeout' } });
  });
});

describe('jsonToTla / tlaToJson', () => {
  it('convert each kind of value', () => {
    const json: EngineJson = {
      __fn: [
        [{ __model: 'p1' }, { a: [1, 2], b: { __tuple: ['s', true] } }],
        [{ __model: 'p2' }, { a: [], b: { __tuple: [] } }],
      ],
    };
    const tla = makeFunction([
      [model('p1'), { a: makeSet([1, 2]), b: ['s', true] }],
      [model('p2'), { a: makeSet([]), b: [] }],
    ]);
    expect(jsonToTla(json)).toEqual(tla);
    expect(tlaToJson(tla)).toEqual(json);
    expect(
      jsonToTla({
        __fn: [
          [1, 'a'],
          [2, 'b'],
        ],
      }),
    ).toEqual(['a', 'b']);
    expect(jsonToTla({ __fn: [[0, 'a']] })).toEqual({ '#map': [[0, 'a']] });
    expect(tlaToJson({ '#bigint': '12' })).toBe(12);
    expect(() => tlaToJson({ '#bigint': '123456789012345678901' })).toThrow(/exactly/);
    expect(() => jsonToTla(2 ** 62)).toThrow(/representable/);
  });

  const leaf: fc.Arbitrary<TlaValue> = fc.oneof(
    fc.boolean(),
    fc.integer({ min: -1000, max: 1000 }),
    fc.string({ maxLength: 4 }).filter((s) => !s.startsWith('#')),
    fc.constantFrom('m1', 'm2').map(model),
  );
  const value: fc.Arbitrary<TlaValue> = fc.letrec<{ v: TlaValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('v'), { maxLength: 3 }).map((xs) => makeSet(xs)),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('v'), { minKeys: 1, maxKeys: 3 }).map((r) => normalize(r)),
      fc.array(fc.tuple(leaf, tie('v')), { minLength: 1, maxLength: 3 }).map((ps) => makeFunction(ps)),
    ),
  })).v;

  it('round-trip every normal-form value', () => {
    fc.assert(
      fc.property(value, (v) => {
        const n = normalize(v);
        expect(jsonToTla(JSON.parse(JSON.stringify(tlaToJson(n))) as EngineJson)).toEqual(n);
      }),
      { numRuns: 300 },
    );
  });

  it('agree with the engine: a value sent in comes back unchanged', () => {
    const spec = "---- MODULE J ----\nVARIABLE v\nInit == v = 0\nNext == v' = v\n====\n";
    fc.assert(
      fc.property(value, (v) => {
        const n = normalize(v);
        const out = JSON.parse(tlaCheckerApi().explore_next(spec, 'INIT Init\nNEXT Next\n', '{}', JSON.stringify({ v: tlaToJson(n) }))) as {
          transitions: { state: { json: { v: EngineJson } } }[];
        };
        expect(jsonToTla(out.transitions[0]?.state.json.v as EngineJson)).toEqual(n);
      }),
      { numRuns: 60 },
    );
  });
});

// A model large enough to pass through the engine's batching: about 2 s each. Its speed is a
// figure of bench/check.ts, not a test.
describe('a model of 38,880 states', () => {
  it.each([
    ['perf.cfg', 'holds'],
    ['perf-live.cfg', 'property'],
  ])(
    '%s is counted exactly',
    (cfg, verdict) => {
      expect(check('Perf.tla', cfg)).toMatchObject({ verdict, distinctStates: 38880 });
    },
    60_000,
  );
});
