// Tests for the TLC runner: locating java and the jar (always run) and real TLC runs on the tiny
// specs in fixtures/ (only when tla2tools.jar is found; counts checked by hand). The output
// parsing it relies on is tested beside each part: messages, exit, trace-grammar, traces, interpret.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { skipTitle } from '../skip-reason.ts';
import { normalize } from '../values/canonical.ts';
import type { TlaValue } from '../values/value.ts';
import type { Progress } from '../result/check-result.ts';
import { TlcLocateError, findJava, findTlaToolsJar, runTlc, tlcVersion, type TlcRunOptions } from './index.ts';

const FIX = fileURLToPath(new URL('./fixtures/', import.meta.url));
const m = (name: string): TlaValue => ({ '#model': name });

describe('locating java and the jar', () => {
  it('missing jar: a TLA2TOOLS_JAR that points nowhere, or no jar in the repository', () => {
    expect(() => findTlaToolsJar({ env: { TLA2TOOLS_JAR: '/nonexistent/tla2tools.jar' } })).toThrow(
      /TLA2TOOLS_JAR=\/nonexistent\/tla2tools.jar is not a file/,
    );
    const empty = mkdtempSync(path.join(os.tmpdir(), 'dax-locate-'));
    try {
      let err: unknown;
      try {
        findTlaToolsJar({ env: {}, repoRoot: empty });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TlcLocateError);
      expect((err as TlcLocateError).kind).toBe('missing-jar');
      expect((err as Error).message).toMatch(/set TLA2TOOLS_JAR=.*or run `make tlc`$/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('missing java', () => {
    expect(() => findJava({ env: { PATH: '' } })).toThrow(expect.objectContaining({ kind: 'missing-java' }));
    expect(() => findJava({ env: { JAVA: '/nonexistent/java' } })).toThrow(/JAVA=\/nonexistent\/java is not an executable/);
    expect(() => findJava({ env: { JAVA_HOME: '/nonexistent', PATH: '' } })).toThrow(
      /^java not found on PATH \(JAVA_HOME=\/nonexistent has no bin\/java\); install Java/,
    );
  });

  it('runTlc resolves a missing jar to verdict error / missing-jar', async () => {
    const r = await runTlc({
      specFile: path.join(FIX, 'Holds.tla'),
      configFile: path.join(FIX, 'Holds.cfg'),
      locate: { env: { TLA2TOOLS_JAR: '/nonexistent/tla2tools.jar', PATH: process.env.PATH } },
    });
    expect(r.verdict).toBe('error');
    expect(r.error?.kind).toBe('missing-jar');
    expect(r.error?.message).not.toContain('\n');
  });
});

// ---- with TLC -------------------------------------------------------------------------------

/** Why TLC cannot run here (the locator's one-line message), or null; as check.ts's
 *  tlcUnavailableReason, which this layer sits below. */
function tlcMissingReason(): string | null {
  try {
    findJava();
    findTlaToolsJar();
    return null;
  } catch (e) {
    if (e instanceof TlcLocateError) return e.message;
    throw e;
  }
}
const tlcMissing = tlcMissingReason();

/** Runs a fixture; C1 JIT only, which starts these tiny models ~15% faster. */
function tlc(spec: string, cfg: string, extra: Partial<TlcRunOptions> = {}) {
  return runTlc({
    specFile: path.join(FIX, `${spec}.tla`),
    configFile: path.join(FIX, `${cfg}.cfg`),
    jvmArgs: ['-XX:TieredStopAtLevel=1'],
    ...extra,
  });
}

// Each test starts one or two JVMs (~1 s each); running them side by side can slow one down.
describe.skipIf(tlcMissing !== null).concurrent(skipTitle('TLC runs on fixtures', tlcMissing), { timeout: 30_000 }, () => {
  afterAll(() => {
    // TLC must leave nothing next to the specs: no states/ metadir, no *_TTrace_* modules.
    expect(readdirSync(FIX).filter((f) => !/\.(tla|cfg)$/.test(f))).toEqual([]);
  });

  it('holds: counts, depth, version, progress, metadir removed', async () => {
    const progress: Progress[] = [];
    const r = await tlc('Holds', 'Holds', { onProgress: (p) => progress.push(p) });
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ engine: 'tlc', verdict: 'holds', distinctStates: 4, statesGenerated: 5, depth: 4, exitCode: 0 });
    expect(r.exit?.meaning).toBe('success');
    expect(r.engineVersion).toMatch(/^TLC2 Version 2\./);
    expect(progress.at(-1)).toMatchObject({ generated: 5, distinct: 4, queue: 0 });
    expect(r.workDir && existsSync(r.workDir)).toBe(false);
  });

  it('invariant: name, trace with actions and params, -dumpTrace json merged', async () => {
    const r = await tlc('Inv', 'Inv', { dumpTrace: true });
    expect(r).toMatchObject({ verdict: 'invariant', property: 'Small', distinctStates: 4, exitCode: 12 });
    const steps = r.counterexample?.steps ?? [];
    expect(steps.map((s) => [s.index, s.action, s.params])).toEqual([
      [1, 'Init', undefined],
      [2, 'Step', { p: m('p1') }],
      [3, 'Step', { p: m('p1') }],
    ]);
    expect(steps[2]?.state).toEqual({
      f: normalize({
        '#map': [
          [m('p1'), 'busy'],
          [m('p2'), 'idle'],
        ],
      }),
      s: [
        [m('p1'), 0],
        [m('p1'), 1],
      ],
      x: 2,
    });
    expect(r.workDir && existsSync(r.workDir)).toBe(false);
  });

  it('deadlock, and -deadlock turns the check off (with 2 workers)', async () => {
    const r = await tlc('Deadlock', 'Deadlock');
    expect(r).toMatchObject({ verdict: 'deadlock', distinctStates: 3, exitCode: 11 });
    expect(r.counterexample?.steps.map((s) => s.action)).toEqual(['Init', 'Next', 'Next']);
    const off = await tlc('Deadlock', 'Deadlock', { deadlock: false, workers: 2 });
    expect(off).toMatchObject({ verdict: 'holds', distinctStates: 3 });
  });

  it('liveness under fairness: a lasso back to state 1', async () => {
    const r = await tlc('Live', 'Live');
    expect(r).toMatchObject({ verdict: 'property', property: 'Done', distinctStates: 9, exitCode: 13 });
    // Which lasso TLC's liveness checker reports depends on its random fingerprint function (-fp),
    // so only its shape is fixed: Go(p, k) from the initial state, then Back(p) to state 1.
    const cx = r.counterexample;
    expect(cx?.steps.map((s) => s.action)).toEqual(['Init', 'Go']);
    const go = cx?.steps[1]?.params as { p: TlaValue; k: TlaValue };
    expect([m('p1'), m('p2')]).toContainEqual(go.p);
    expect([1, 2]).toContain(go.k);
    expect(cx).toMatchObject({ loopsBackTo: 1, ending: 'loop', loopAction: { action: 'Back', params: { p: go.p } } });
  });

  it('liveness without fairness: stuttering', async () => {
    const r = await tlc('Live', 'LiveStutter');
    expect(r).toMatchObject({ verdict: 'property', property: 'Done', counterexample: { ending: 'stuttering', loopsBackTo: 1 } });
    expect(r.counterexample?.steps).toHaveLength(1);
  });

  it('parse error with file:line:col', async () => {
    const r = await tlc('Syntax', 'Syntax');
    expect(r).toMatchObject({ verdict: 'error', exitCode: 150, error: { kind: 'parse' } });
    expect(r.error?.message).toMatch(/Syntax\.tla:6:14: parse error: Encountered "Beginning of definition"/);
    expect(r.error?.message).not.toContain('\n');
  });

  it('config errors: undeclared constant substituted, constant not assigned', async () => {
    const unknown = await tlc('Const', 'UnknownConst');
    expect(unknown).toMatchObject({ verdict: 'error', exitCode: 151, error: { kind: 'config' } });
    expect(unknown.error?.message).toMatch(
      /UnknownConst\.cfg: In the configuration file, the identifier Nope does not appear in the specification\.$/,
    );
    const missing = await tlc('Const', 'MissingConst');
    expect(missing.error?.message).toMatch(/MissingConst\.cfg: The constant parameter N is not assigned a value/);
  });

  it('TLC 2.20 ignores an undeclared constant given a value (`Nope = 3`)', async () => {
    const r = await tlc('Const', 'UnknownConstValue');
    expect(r).toMatchObject({ verdict: 'holds', distinctStates: 3 });
  });

  it('evaluation error at the innermost expression, with the trace so far', async () => {
    const r = await tlc('Eval', 'Eval');
    expect(r).toMatchObject({ verdict: 'error', exitCode: 75, error: { kind: 'eval' } });
    expect(r.error?.message).toBe(
      `${path.relative(process.cwd(), path.join(FIX, 'Eval.tla'))}:6:45: Attempted to apply function: (0 :> 1 @@ 1 :> 1) to argument 2, which is not in the domain of the function.`,
    );
    expect(r.counterexample?.steps).toHaveLength(2);
  });

  it('initial-state violation: every printed value form comes back canonical', async () => {
    const r = await tlc('Values', 'Values', { dumpTrace: true });
    expect(r).toMatchObject({ verdict: 'invariant', property: 'Inv' });
    expect(r.counterexample?.steps).toHaveLength(1);
    expect(r.counterexample?.steps[0]?.state).toEqual({
      v: normalize({
        st: { '#set': [m('A'), m('B')] },
        neg: -3,
        str: 'a"b\\c\nd',
        tup: [1, 'x', m('A')],
        es: { '#set': [] },
        eseq: [],
        fi: {
          '#map': [
            [0, 0],
            [2, 4],
          ],
        },
        ft: { '#map': [[[1, 2], true]] },
        one: { '#map': [[m('A'), 1]] },
        fm: {
          '#map': [
            [m('p1'), { '#set': [] }],
            [m('p2'), { '#set': [] }],
          ],
        },
        nested: {
          '#set': [
            [1, { '#set': [2] }],
            [3, { '#set': [] }],
          ],
        },
        rs: { '#set': [{ q: false }, { q: true }] },
        iv: { '#set': [1, 2, 3] },
        fs: { 'a b': 1, c: 1 },
      }),
    });
  });

  it('simulation: traces come back, and stay at traceFile when given', async () => {
    const keep = mkdtempSync(path.join(os.tmpdir(), 'dax-sim-'));
    try {
      const r = await tlc('Live', 'LiveSafe', { simulate: { num: 3, depth: 4, seed: 1, traceFile: path.join(keep, 'sub', 'tr') } });
      expect(r).toMatchObject({ verdict: 'holds', exitCode: 0 });
      const traces = r.simulation?.traces ?? [];
      expect(traces).toHaveLength(3);
      for (const t of traces) {
        // -depth 4 gives behaviours of at most 4 steps after the initial state.
        expect(t.length).toBeGreaterThan(1);
        expect(t.length).toBeLessThanOrEqual(5);
        expect(t[0]?.action).toBe('Init');
        for (const s of t.slice(1)) {
          expect(['Go', 'Back']).toContain(s.action);
          expect(Object.keys(s.params ?? {})).toEqual(s.action === 'Go' ? ['p', 'k'] : ['p']);
        }
      }
      expect(readdirSync(path.join(keep, 'sub')).sort()).toEqual(['tr_0_0', 'tr_0_1', 'tr_0_2']);
      expect(r.simulation?.traceFiles).toHaveLength(3);
      // Same seed, same behaviours.
      const again = await tlc('Live', 'LiveSafe', { simulate: { num: 3, depth: 4, seed: 1 } });
      expect(again.simulation?.traces).toEqual(traces);
      expect(again.simulation?.traceFiles).toEqual([]);
    } finally {
      rmSync(keep, { recursive: true, force: true });
    }
  });

  it('timeout: a 1-second limit on a large model', async () => {
    const r = await tlc('Big', 'Big', { timeoutSeconds: 1 });
    expect(r).toMatchObject({ verdict: 'error', error: { kind: 'timeout' } });
    expect(r.error?.message).toBe('TLC did not finish within 1s and was stopped');
    // Big has 10^9 states: a limit not enforced runs far longer. 25 s leaves a loaded machine room
    // for the JVM's start and stop beside the other JVMs of this concurrent suite.
    expect(r.seconds).toBeLessThan(25);
    expect(r.workDir && existsSync(r.workDir)).toBe(false);
  }, 60_000);

  it('abort signal: interrupted', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 800);
    const r = await tlc('Big', 'Big', { signal: ac.signal });
    expect(r).toMatchObject({ verdict: 'error', error: { kind: 'interrupted' } });
    expect(r.workDir && existsSync(r.workDir)).toBe(false);
  });

  it('tlcVersion reads the version line', async () => {
    expect(await tlcVersion()).toMatch(/^TLC2 Version 2\.\d+ .*\(rev: \w+\)$/);
  });
});
