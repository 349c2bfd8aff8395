// Tests for reading a run's trace from -dumpTrace json, as TLC 2.20 writes it.
import { describe, expect, it } from 'vitest';
import { readDumpTrace, stepsFromDumpTrace } from './traces.ts';

describe('TLC traces', () => {
  it('reads -dumpTrace json (as TLC 2.20 writes it for a lasso)', () => {
    const doc = {
      action: [
        [
          [1, { n: 0, pc: { p1: 'a', p2: 'a' } }],
          {
            name: 'Go',
            location: { beginLine: 7, beginColumn: 13, endLine: 8, endColumn: 57, module: 'Live' },
            context: { p: 'p1', k: 1 },
            parameters: ['p', 'k'],
          },
          [2, { n: 1, pc: { p1: 'b', p2: 'a' } }],
        ],
        [
          [2, { n: 1, pc: { p1: 'b', p2: 'a' } }],
          {
            name: 'Back',
            location: { beginLine: 9, beginColumn: 12, endLine: 9, endColumn: 67, module: 'Live' },
            context: { p: 'p1' },
            parameters: ['p'],
          },
          [1, { n: 0, pc: { p1: 'a', p2: 'a' } }],
        ],
      ],
      state: [
        [1, { n: 0, pc: { p1: 'a', p2: 'a' } }],
        [2, { n: 1, pc: { p1: 'b', p2: 'a' } }],
      ],
    };
    const cx = stepsFromDumpTrace(readDumpTrace(doc));
    // Lossy by construction: model values p1/p2 come back as strings, so pc is a record.
    expect(cx.steps).toEqual([
      { index: 1, action: 'Init', state: { n: 0, pc: { p1: 'a', p2: 'a' } } },
      { index: 2, action: 'Go', params: { p: 'p1', k: 1 }, state: { n: 1, pc: { p1: 'b', p2: 'a' } } },
    ]);
    expect(cx.loopsBackTo).toBe(1);
    expect(cx.ending).toBe('loop');
    expect(cx.loopAction).toEqual({ action: 'Back', params: { p: 'p1' } });
    expect(() => readDumpTrace({ nope: 1 })).toThrow(/unexpected shape/);
  });
});
