// An implementation that throws while taking a move it offered (its own assertion: a BUG_ON, a
// lock released that it does not hold) fails the execution at that step, as a step the spec has
// and the implementation cannot take: fast-check then shrinks it like any failure, where before
// the throw escaped the suite and a mutant that did it was counted as a crash.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DaxSystem } from '../../impl/index.ts';
import { runSchedule } from './run.ts';
import { validateExecution } from './validate.ts';
import { readModelConstants } from '../model/model.ts';
import type { StepOracle } from '../oracle/step-oracle.ts';

const accepting: StepOracle = { checkInit: () => null, checkStep: () => null, failingInvariant: () => null };

describe('a move the implementation offers but fails taking', () => {
  afterEach(() => vi.restoreAllMocks());
  it('ends the execution there and fails it at that step, naming the move and the error', () => {
    const original = DaxSystem.prototype.step;
    let calls = 0;
    vi.spyOn(DaxSystem.prototype, 'step').mockImplementation(function (this: DaxSystem, ...args: Parameters<DaxSystem['step']>) {
      if (++calls === 3) throw new Error(`${args[0]}: up_read on f1's mmap lock it does not hold`);
      return original.apply(this, args);
    });
    const picks = Array.from({ length: 20 }, () => 0);
    const ex = runSchedule(readModelConstants('smoke'), picks);
    expect(ex.crashed, `picks ${picks.join(',')}`).toBeDefined();
    expect(ex.steps).toHaveLength(ex.crashed!.step - 1);
    const f = validateExecution(ex, accepting);
    expect(f).toMatchObject({ step: ex.crashed!.step, check: 'step' });
    expect(f!.message).toMatch(
      /the implementation offered this move but fails taking it: Error: .*up_read on f1's mmap lock it does not hold$/,
    );
  });
  it('is not reported of the implementation as it is', () => {
    const ex = runSchedule(
      readModelConstants('smoke'),
      Array.from({ length: 20 }, () => 0),
    );
    expect(ex.crashed).toBeUndefined();
    expect(validateExecution(ex, accepting)).toBeNull();
  });
});
