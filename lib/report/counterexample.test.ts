// A counterexample prints as numbered actions with per-step diffs; --only limits the diffs (and the
// initial state) to some variables, and fullInit: false replaces the initial dump by one line.
import { describe, expect, it } from 'vitest';
import type { Counterexample } from '../result/check-result.ts';
import { formatCounterexample } from './counterexample.ts';

const cex: Counterexample = {
  steps: [
    { index: 1, action: 'Init', state: { a: 1, b: { '#set': [] }, c: 'x' } },
    { index: 2, action: 'Go', state: { a: 2, b: { '#set': [1] }, c: 'x' } },
    { index: 3, action: 'Stop', state: { a: 2, b: { '#set': [1] }, c: 'y' } },
  ],
};

describe('formatCounterexample', () => {
  it('prints the initial state in full, then what changed', () => {
    const text = formatCounterexample(cex).join('\n');
    expect(text).toMatch(/1\. Init\n\s+a = 1\n\s+b = \{\}\n\s+c = "x"/);
    expect(text).toMatch(/2\. Go\n\s+a: 1 → 2\n\s+b: .*\n\s+3\. Stop\n\s+c: "x" → "y"/);
  });

  it('only: diffs and the initial state of those variables only', () => {
    const lines = formatCounterexample(cex, { only: ['a'] });
    expect(lines.join('\n')).not.toMatch(/\bb\b|\bc\b/);
    expect(lines.filter((l) => /a[: =]/.test(l))).toHaveLength(2);
  });

  it('fullInit false: one line for the initial state', () => {
    const lines = formatCounterexample(cex, { fullInit: false });
    expect(lines[1]).toMatch(/\(initial state: 3 variables, not shown\)/);
    expect(lines.join('\n')).not.toMatch(/a = 1/);
  });
});
