// Tests for reading tla-checker's trace text: splitting it into states, shaping a liveness
// lasso like TLC's, and the text fallback used when a trace cannot be replayed.
import { describe, expect, it } from 'vitest';
import { makeFunction, makeSet } from '../values/canonical.ts';
import { lassoFromBlocks, parseTraceText, stateFromText, type TextState } from './trace.ts';

const s = (pc: string): TextState => ({ pc: `"${pc}"` });

describe('parseTraceText', () => {
  it('splits a block into states of printed values', () => {
    expect(parseTraceText('State 0\n  x = (p1 :> 0 @@ p2 :> 0)\n  y = {}\nState 1\n  x = (p1 :> 1 @@ p2 :> 0)\n  y = {p1}\n')).toEqual([
      { x: '(p1 :> 0 @@ p2 :> 0)', y: '{}' },
      { x: '(p1 :> 1 @@ p2 :> 0)', y: '{p1}' },
    ]);
    expect(parseTraceText('')).toEqual([]);
  });
});

describe('lassoFromBlocks', () => {
  it('closes the loop at the first prefix state on the cycle, so no state repeats', () => {
    // Engine: prefix a b c, cycle c d b (b -> c). TLC's shape: a b c d, back to b.
    const l = lassoFromBlocks([s('a'), s('b'), s('c')], [s('c'), s('d'), s('b')]);
    expect(l).toEqual({ states: [s('a'), s('b'), s('c'), s('d')], loopsBackTo: 2, ending: 'loop' });
  });

  it("keeps the engine's shape when the prefix does not reach the cycle", () => {
    expect(lassoFromBlocks([s('a')], [s('c'), s('d')])).toEqual({ states: [s('a'), s('c'), s('d')], loopsBackTo: 2, ending: 'loop' });
  });

  it('treats a one-state cycle as stuttering', () => {
    expect(lassoFromBlocks([s('a'), s('b')], [s('b')])).toEqual({ states: [s('a'), s('b')], ending: 'stuttering' });
  });
});

describe('stateFromText', () => {
  it("reads the engine's lowercase booleans, but not inside strings", () => {
    expect(stateFromText({ b: 'true', f: '(m1 :> false @@ m2 :> true)', t: '"true"', r: '[a |-> {1, 2}]' })).toEqual({
      b: true,
      f: makeFunction([
        [{ '#model': 'm1' }, false],
        [{ '#model': 'm2' }, true],
      ]),
      r: { a: makeSet([1, 2]) },
      t: 'true',
    });
  });
});
