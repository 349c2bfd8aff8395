// Tests for the step-by-step Explorer the conformance harness uses: initial states, successors
// with actions, the cache, invariants, constraints and error reporting.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeFunction, valueKey } from '../values/canonical.ts';
import type { TlaState, TlaValue } from '../values/value.ts';
import { Explorer, ExplorerError } from './explorer.ts';

const FIX = fileURLToPath(new URL('./fixtures/', import.meta.url));
const model = (name: string): TlaValue => ({ '#model': name });
const counters = (p1: number, p2: number): TlaValue =>
  makeFunction([
    [model('p1'), p1],
    [model('p2'), p2],
  ]);
const state = (p1: number, p2: number): TlaState => ({ total: p1 + p2, x: counters(p1, p2) });
const keys = (xs: TlaState[]): string[] => xs.map((s) => valueKey(s as TlaValue)).sort();

describe('Explorer', () => {
  it('gives the initial states and the variables, in normal form', () => {
    const ex = new Explorer(`${FIX}Counter.tla`, `${FIX}counter-inv.cfg`);
    expect(ex.initStates()).toEqual([state(0, 0)]);
    expect(ex.variables).toEqual(['x', 'total']);
  });

  it('gives successors with their actions, and walks the whole state space TLC finds', () => {
    const ex = new Explorer(`${FIX}Counter.tla`, `${FIX}counter.cfg`);
    expect(ex.transitions(state(0, 0)).map((t) => t.action)).toEqual(['Inc', 'Inc']);
    expect(keys(ex.successors(state(0, 0)))).toEqual(keys([state(1, 0), state(0, 1)]));
    expect(ex.transitions(state(2, 2))).toEqual([{ action: 'Reset', state: state(0, 0) }]);
    const seen = new Map<string, TlaState>();
    const queue = ex.initStates();
    while (queue.length > 0) {
      const s = queue.shift() as TlaState;
      const k = valueKey(s as TlaValue);
      if (seen.has(k)) continue;
      seen.set(k, s);
      queue.push(...ex.successors(s));
    }
    expect(seen.size).toBe(9);
  });

  it('answers a repeated state from its cache', () => {
    const ex = new Explorer(`${FIX}Counter.tla`, `${FIX}counter.cfg`);
    ex.successors(state(1, 0));
    const calls = ex.stats.engineCalls;
    // The same state written with its keys in another order is the same state.
    const again = ex.successors({ x: counters(1, 0), total: 1 });
    expect(keys(again)).toEqual(keys([state(2, 0), state(1, 1)]));
    expect(ex.stats).toMatchObject({ successorCalls: 2, cacheHits: 1, engineCalls: calls, cachedStates: 1 });
    expect(ex.stats.engineSeconds).toBeGreaterThan(0);
  });

  it('says which invariant fails, in cfg order, hiding the placeholder of a cfg without any', () => {
    const ex = new Explorer(`${FIX}Counter.tla`, `${FIX}counter-inv.cfg`);
    expect(ex.invariantsHold(state(1, 1))).toBe(true);
    expect(ex.failingInvariant(state(2, 1))).toBe('Small');
    expect(ex.checkInvariants(state(2, 1))).toEqual([
      { name: 'TypeOK', holds: true },
      { name: 'Small', holds: false },
    ]);
    const none = new Explorer(`${FIX}Counter.tla`, `${FIX}counter-noinv.cfg`);
    expect(none.checkInvariants(state(2, 2))).toEqual([]);
    expect(none.invariantsHold(state(2, 2))).toBe(true);
  });

  it("reports a state without the spec's variables instead of reading a missing one as FALSE", () => {
    const ex = new Explorer(`${FIX}Counter.tla`, `${FIX}counter.cfg`);
    expect(() => ex.successors({ x: counters(0, 0) })).toThrow(/missing total/);
    expect(() => ex.successors({ ...state(0, 0), y: 1 })).toThrow(/unknown y/);
  });

  it('ignores CONSTRAINT for successors but tells whether TLC would explore a state', () => {
    const ex = new Explorer(`${FIX}Errors.tla`, `${FIX}errors-constraint.cfg`);
    expect(ex.successors({ x: 2 })).toEqual([{ x: 3 }]);
    expect(ex.withinConstraints({ x: 1 })).toBe(true);
    expect(ex.withinConstraints({ x: 2 })).toBe(false);
    expect(ex.evaluate({ x: 2 }, 'x + One')).toBe(3);
  });

  it('reports engine errors as RunErrors', () => {
    const div = new Explorer(`${FIX}Errors.tla`, `${FIX}errors-div.cfg`);
    expect(() => div.successors({ x: 0 })).toThrow(expect.objectContaining({ error: { kind: 'eval', message: 'division by zero' } }));
    const syntax = new Explorer(`${FIX}Syntax.tla`, `${FIX}syntax.cfg`);
    expect(() => syntax.initStates()).toThrow(expect.objectContaining({ error: expect.objectContaining({ kind: 'parse' }) }));
    const dropped = new Explorer(`${FIX}Dropped.tla`, `${FIX}dropped.cfg`);
    expect(() => dropped.initStates()).toThrow(/Dropped\.tla:7: tla-checker could not parse the definition of Init/);
    expect(() => new Explorer(`${FIX}Errors.tla`, `${FIX}errors-subst.cfg`)).toThrow(ExplorerError);
  });
});
