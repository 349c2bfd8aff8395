// The step oracles check who took a step and which action it was, not just its group: a step of
// u1 that only u2 can take in the spec fails, and so does the right task with the wrong action.
// The mm is an actor of its own, so an implementation whose mm never offers Mmap is caught by the
// enabledness check on munmap-evict (before, that check was skipped in 85% of its states).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { skipTitle } from '../../lib/skip-reason.ts';
import { DaxSystem, MM_TASK } from '../../impl/index.ts';
import { tlcUnavailableReason } from '../../lib/check/check.ts';
import { normalizeState } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { type Execution, runSchedule, validateExecution } from '../executions/executions.ts';
import { fastCheckConformance } from '../executions/fast-check-run.ts';
import { readModelConstants } from '../model/model.ts';
import { ExplorerOracle } from './explorer-oracle.ts';
import { GraphOracle } from './graph-oracle.ts';
import { StateGraph } from './state-graph.ts';
import { derivedStep, type SpecStep, stepMismatch } from './step-action.ts';
import { changedStep, type RecordedStep } from './step-oracle.ts';

const fn = (pairs: [string, TlaValue][]): TlaValue => ({ '#map': pairs.map(([k, v]) => [{ '#model': k }, v]) });

describe('derivedStep: the action from the states, for engines that name only the group', () => {
  it('names a task action after the pc before it, "idle" the one that starts an operation', () => {
    const s = (u1: string, u2: string, extra: TlaState = {}): TlaState =>
      normalizeState({
        upc: fn([
          ['u1', u1],
          ['u2', u2],
        ]),
        ...extra,
      });
    expect(derivedStep('UserNext', s('idle', 'idle'), s('GupFastGetRef', 'idle'))).toEqual({
      group: 'UserNext',
      actor: 'u1',
      action: 'GupFastReadPte(u1)',
    });
    expect(derivedStep('UserNext', s('idle', 'FaultGrabEntry'), s('idle', 'FaultAllocBlock'))).toEqual({
      group: 'UserNext',
      actor: 'u2',
      action: 'FaultGrabEntry(u2)',
    });
    const fs = (t1: string): TlaState => normalizeState({ fpc: fn([['t1', t1]]) });
    expect(derivedStep('FsNext', fs('BreakLayoutsRelock'), fs('BreakLayoutsScan')).action).toBe('BreakLayoutsRelock(t1)');
    expect(derivedStep('FsNext', fs('idle'), fs('FsLockMmap')).action).toBe('FsLockIo(t1)');
  });
  it('gives Munmap / Mmap to the mm, by the file whose vma turns FALSE / TRUE', () => {
    const vma = (f1: boolean, f2: boolean): TlaState =>
      normalizeState({
        vma: fn([
          ['f1', f1],
          ['f2', f2],
        ]),
      });
    expect(derivedStep('MmNext', vma(true, true), vma(true, false))).toEqual({ group: 'MmNext', actor: MM_TASK, action: 'Munmap(f2)' });
    expect(derivedStep('MmNext', vma(false, true), vma(true, true))).toEqual({ group: 'MmNext', actor: MM_TASK, action: 'Mmap(f1)' });
  });
});

describe('stepMismatch over several spec steps between the same two states', () => {
  const step = { task: 'u1', taskKind: 'user', label: 'DmaComplete' } as RecordedStep;
  const put = (path: string, actor = 'u1'): SpecStep => ({ group: 'UserNext', actor, action: `DmaComplete(${actor},"${path}")` });
  it('accepts when any one matches in group, actor and action', () => {
    expect(stepMismatch([put('put_page', 'u2'), put('release_pages')], step)).toEqual({ why: null, unattributed: false });
  });
  it("tells put paths apart by the step's parameters where the spec's actions carry them", () => {
    const released = { ...step, params: { u: 'u1', path: 'release_pages' } } as RecordedStep;
    expect(stepMismatch([put('put_page'), put('release_pages')], released)).toEqual({ why: null, unattributed: false });
    expect(stepMismatch([put('put_page')], released).why).toBe(
      'the spec takes this step as DmaComplete(u1,"put_page") (UserNext, by u1), not with the step\'s path = "release_pages" where the spec\'s is "put_page"',
    );
  });
  it('names every candidate when none does', () => {
    expect(stepMismatch([put('put_page', 'u2'), put('release_pages', 'u2')], step).why).toBe(
      'the spec takes this step as DmaComplete(u2,"put_page") (UserNext, by u2) or DmaComplete(u2,"release_pages") (UserNext, by u2), not by u1',
    );
  });
  it('accepts an unattributed step on its group alone, and says so', () => {
    expect(stepMismatch([{ group: 'UserNext', actor: '', action: '' }], step)).toEqual({ why: null, unattributed: true });
  });
});

// duo: two users, so that one user's step can be given to the other. The graph is built by TLC
// in about 40 s (by the embedded engine it takes minutes), then cached.
describe.skipIf(tlcUnavailableReason() !== null)(
  skipTitle('GraphOracle.checkStep on the duo graph (TLC builds it in seconds, the embedded engine in minutes)', tlcUnavailableReason()),
  () => {
    let oracle: GraphOracle;
    let ex: Execution;
    // A fixed schedule: each user starts a GUP, then the two alternate.
    const picks = Array.from({ length: 24 }, (_, i) => i);
    beforeAll(async () => {
      oracle = new GraphOracle('duo', await StateGraph.load('duo', { engine: 'tlc' }));
      ex = runSchedule(readModelConstants('duo'), picks);
    }, 240_000);
    const first = (task: string): RecordedStep => {
      const s = ex.steps.find((x) => x.task === task && x.taskKind === 'user');
      if (!s) throw new Error(`picks ${picks.join(',')}: no step of ${task} in ${ex.steps.map((x) => `${x.label}(${x.task})`).join(' ')}`);
      return s;
    };

    it('passes the execution as the implementation took it', () => {
      expect(validateExecution(ex, oracle), `picks ${picks.join(',')}`).toBeNull();
    });
    it("fails a step of u1 whose only edge is u2's, naming both", () => {
      const s = first('u2');
      expect(oracle.checkStep(s)).toBeNull();
      const why = oracle.checkStep(changedStep(s, { task: 'u1' }));
      expect(why).toMatch(new RegExp(`^the spec takes this step as ${s.label}\\(u2[,)].* \\(UserNext, by u2\\), not by u1$`));
    });
    it('fails the right task with the wrong action, naming both actions', () => {
      const s = first('u1');
      const wrong = s.label === 'GupFastReadPte' ? 'GupFastGetRef' : 'GupFastReadPte';
      expect(oracle.checkStep(changedStep(s, { label: wrong }))).toMatch(
        new RegExp(`^the spec takes this step as ${s.label}\\(u1[,)].*, not as ${wrong} \\(the step's label\\)$`),
      );
    });
    it("fails the right task and action with a parameter the spec's edge does not have (TLC's labels carry every argument)", () => {
      const s = ex.steps.find((x) => x.label === 'GupFastReadPte');
      if (!s) throw new Error(`picks ${picks.join(',')}: no GupFastReadPte`);
      const p = s.params as { u: string; f: string; o: number };
      expect(oracle.checkStep(s)).toBeNull();
      expect(oracle.checkStep(changedStep(s, { params: { ...p, o: p.o + 1 } }))).toMatch(
        new RegExp(
          `^the spec takes this step as GupFastReadPte\\(${p.u},${p.f},${p.o}\\) .*not with the step's o = ${p.o + 1} where the spec's is ${p.o}$`,
        ),
      );
      expect(oracle.checkStep(changedStep(s, { params: { ...p, f: 'f9' } }))).toMatch(/not with the step's f = f9 where the spec's is f1$/);
    });
  },
);

describe('ExplorerOracle.checkStep', () => {
  it('fails a step given to the wrong task or the wrong action, and passes it as taken', () => {
    const oracle = new ExplorerOracle('smoke');
    const ex = runSchedule(readModelConstants('smoke'), [0, 0, 0]);
    expect(validateExecution(ex, oracle)).toBeNull();
    const s = ex.steps[0]!;
    expect(s).toMatchObject({ task: 't1', label: 'FsLockIo' });
    expect(oracle.checkStep(changedStep(s, { task: 'u1', taskKind: 'user' }))).toBe('the spec takes this step in FsNext, not in UserNext');
    expect(oracle.checkStep(changedStep(s, { task: 't2' }))).toBe('the spec takes this step as FsLockIo(t1) (FsNext, by t1), not by t2');
    expect(oracle.checkStep(changedStep(s, { label: 'FsLockMmap' }))).toBe(
      "the spec takes this step as FsLockIo(t1) (FsNext, by t1), not as FsLockMmap (the step's label)",
    );
  });
});

describe('an mm that never offers Mmap (munmap-evict)', () => {
  let graph: StateGraph;
  beforeAll(async () => {
    graph = await StateGraph.load('munmap-evict');
  }, 240_000);
  afterEach(() => vi.restoreAllMocks());
  const run = (): ReturnType<typeof fastCheckConformance> =>
    fastCheckConformance({
      constants: readModelConstants('munmap-evict'),
      oracle: new GraphOracle('munmap-evict', graph),
      runs: 300,
      seed: 7,
      maxSteps: 40,
      movesOnly: true,
    });

  it('has every state of the graph complete for the enabledness check, the mm included', () => {
    expect(graph.completeness()).toMatchObject({ states: graph.stateCount, complete: graph.stateCount, unattributedEdges: 0 });
  });
  it('is not reported of the implementation as it is (seed 7, 300 runs)', () => {
    const out = run();
    expect(out.failure?.failure, `seed 7: ${JSON.stringify(out.failure?.failure)}`).toBeUndefined();
  }, 120_000);
  it('is caught by the enabledness check: the spec lets the mm step where the implementation cannot', () => {
    const original = DaxSystem.prototype.mmMoves;
    vi.spyOn(DaxSystem.prototype, 'mmMoves').mockImplementation(function (this: DaxSystem) {
      return original.call(this).filter((m) => m.label !== 'Mmap');
    });
    const out = run();
    expect(out.failure, 'seed 7: the mutant was not caught').toBeDefined();
    expect(out.failure!.failure).toMatchObject({ check: 'enabled' });
    expect(out.failure!.failure.message).toMatch(/the spec lets mm take a step, but the implementation cannot: mm has no move/);
    // The last step is the Munmap after which the spec could Mmap again.
    expect(out.failure!.counterexample.steps.at(-1)!.action).toBe('Munmap');
  }, 120_000);
});
