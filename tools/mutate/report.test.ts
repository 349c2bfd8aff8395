// How a mutant's runs become its result: the suite's check names map to kinds of check (divergence,
// enabledness, invariant, counterexample replay, unit test); a timeout or a crash is never a kill
// and counts against the kill rate; the totals count kills by kind.
import { describe, expect, it } from 'vitest';
import type { Mutant } from './mutants.ts';
import { killKindOf, suiteVerdict, totalsOf, unitVerdict, type MutantResult } from './report.ts';
import type { WorkerReport } from './suite-worker.ts';

const mutant: Mutant = {
  id: 'impl/x.ts:boundary:0123456789',
  file: 'impl/x.ts',
  operator: 'boundary',
  line: 3,
  functionName: 'f',
  functionHash: 'abcdefabcd',
  declarationLines: [1, 5],
  description: '`<` → `<=`',
  diff: '',
  text: '',
};
const report = (divergences: WorkerReport['divergences']): WorkerReport => ({
  traces: 1,
  steps: 1,
  actionsCovered: 1,
  actionsTotal: 1,
  fastCheckRuns: 0,
  divergences,
  divergenceCount: divergences.length,
  stepsPerSecond: 0,
  seconds: 0,
});

describe('kinds of check', () => {
  it.each([
    ['corpus', undefined, 'divergence'],
    ['tlc-batch', undefined, 'divergence'],
    ['fast-check', 'step', 'divergence'],
    ['fast-check', 'init', 'divergence'],
    ['fast-check', 'enabled', 'enabledness'],
    ['variant:NoBreakLayouts', 'deadlock', 'enabledness'],
    ['variant:smoke', 'liveness', 'enabledness'],
    ['fast-check', 'invariant', 'invariant'],
    ['fast-check', 'event', 'invariant'],
    ['cex:ScanBeforeUnmap', undefined, 'counterexample replay'],
    ['unit', undefined, 'unit test'],
    ['differential:smoke', undefined, 'differential'],
    ['drain', undefined, 'other'],
  ])('%s (%s) is %s', (check, failure, kind) => {
    expect(killKindOf(check, failure)).toBe(kind);
  });
});

describe('verdicts', () => {
  it('a divergence kills by its kind; a clean report defers to the next check', () => {
    expect(
      suiteVerdict(
        mutant,
        { kind: 'report', report: report([{ check: 'fast-check', message: 'after X', failure: 'enabled' }]), wallSeconds: 1 },
        1,
      ),
    ).toMatchObject({
      status: 'killed',
      killKind: 'enabledness',
      killedBy: 'fast-check/enabled',
      message: 'after X',
    });
    expect(suiteVerdict(mutant, { kind: 'report', report: report([]), wallSeconds: 1 }, 1)).toBeNull();
  });

  it('a worker that died, ran out of memory or a suite that threw is a crash, a budget overrun a timeout: neither kills', () => {
    const crashed = suiteVerdict(
      mutant,
      { kind: 'threw', message: 'ERR_WORKER_OUT_OF_MEMORY: Worker terminated due to reaching memory limit' },
      2,
    )!;
    expect(crashed).toMatchObject({ status: 'crashed' });
    expect(crashed.killKind).toBeUndefined();
    expect(suiteVerdict(mutant, { kind: 'timeout' }, 2)).toMatchObject({ status: 'timed out' });
    expect(unitVerdict(mutant, { kind: 'crashed', message: 'vitest exited with SIGKILL' }, 2)).toMatchObject({ status: 'crashed' });
    expect(unitVerdict(mutant, { kind: 'timeout' }, 2)).toMatchObject({ status: 'timed out', message: 'unit tests' });
    expect(unitVerdict(mutant, { kind: 'failed', seconds: 1, test: 'impl/a.test.ts > a', message: 'expected 1' }, 2)).toMatchObject({
      status: 'killed',
      killKind: 'unit test',
      killedBy: 'unit',
      message: 'impl/a.test.ts > a: expected 1',
    });
    expect(unitVerdict(mutant, { kind: 'passed', seconds: 1, files: 2 }, 2)).toMatchObject({ status: 'survived' });
  });

  it('counts kills by kind and rates kills only over the mutants that ran', () => {
    const r = (status: MutantResult['status'], killKind?: MutantResult['killKind']): MutantResult => ({
      mutant,
      status,
      ...(killKind ? { killKind } : {}),
      seconds: 1,
    });
    const t = totalsOf(
      [
        r('killed', 'divergence'),
        r('killed', 'unit test'),
        r('killed', 'unit test'),
        r('timed out'),
        r('crashed'),
        r('survived'),
        r('equivalent'),
      ],
      7,
      2,
    );
    expect(t).toEqual({
      mutants: 7,
      killed: 3,
      killedByKind: { divergence: 1, enabledness: 0, invariant: 0, 'counterexample replay': 0, 'unit test': 2 },
      survived: 1,
      timedOut: 1,
      crashed: 1,
      equivalent: 1,
      stale: 2,
      killRate: 0.5,
      seconds: 7,
    });
    expect(totalsOf([r('equivalent')], 0).killRate).toBe(1);
  });
});
