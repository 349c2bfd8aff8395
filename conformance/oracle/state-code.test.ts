// The integer vectors of refinement/state-code.ts against a real graph: every state the
// implementation reaches on smoke (all of them, by breadth-first search over its moves) is
// written the same from the live system as from its mapped TLA+ state, is the graph's state of
// that vector, decodes to that mapped state, and no two different mapped states share a vector;
// the cache file round-trips.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { valueKey } from '../../lib/values/canonical.ts';
import { availableMoves, type Move, takeMove } from '../executions/moves.ts';
import { runSchedule } from '../executions/run.ts';
import { validateExecution } from '../executions/validate.ts';
import { waitListError, waitListErrorOf } from '../executions/wait-lists.ts';
import { GraphOracle } from './graph-oracle.ts';
import { changedStep } from './step-oracle.ts';
import { mappedState, readModelConstants, systemForModel } from '../model/model.ts';
import { StateKeys } from '../refinement/state-key.ts';
import { StateGraph } from './state-graph.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dax-state-code-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('state vectors on the smoke graph', () => {
  it('live and spec-side vectors agree on every reachable state, each is the graph state of that vector, none shared', async () => {
    const constants = readModelConstants('smoke');
    // Built here by the embedded engine, so that graph-build.ts's own collision check runs too.
    const graph = await StateGraph.load('smoke', { cacheDir: tmp, engine: 'embedded' });
    const coder = graph.coder;
    const w = coder.width;
    const live = new Int32Array(w);
    const spec = new Int32Array(w);
    // Breadth-first over the implementation: each state by the moves that reach it, replayed
    // on a fresh system (the moves, not their indices: no availableMoves on the way).
    const seen = new Map<string, string>(); // vector -> mapped state's key
    const reached = new Set<number>();
    let frontier: Move[][] = [[]];
    const visit = (path: Move[]): Move[] => {
      const sys = systemForModel(constants);
      for (const m of path) takeMove(sys, m);
      coder.live(sys).encode(live);
      const vec = live.join(',');
      const at = `after ${path.map((m) => `${m.label}(${m.task})`).join(' ')}`;
      // replay's fast keys (state-key.ts): equal exactly when the mapped states are.
      const key = new StateKeys(sys).ofSystem().join('|');
      const before = seen.get(vec);
      if (before !== undefined) {
        expect(before, `two mapped states share vector ${vec}`).toBe(key);
        return [];
      }
      seen.set(vec, key);
      const state = mappedState(sys, constants);
      // The validator's TLA+ states are decoded from the vectors: exactly the mapped state.
      expect(valueKey(coder.decodeState(live) as never), `decoded ${at}`).toBe(valueKey(state as never));
      // And its wait-list check reads the live view: the same answer as over a snapshot.
      expect(waitListErrorOf(sys.live, sys.config, sys.taskIds), at).toBe(waitListError(sys.snapshot()));
      expect(coder.encodeState(state, spec), at).toBeNull();
      expect(Array.from(live), `live vs spec vector ${at}`).toEqual(Array.from(spec));
      const id = graph.idOfSlots(live);
      expect(id, `${at}: not a graph state`).toBeGreaterThanOrEqual(0);
      expect(graph.idOfState(state)).toBe(id);
      reached.add(id);
      return availableMoves(sys);
    };
    while (frontier.length > 0) {
      const next: Move[][] = [];
      for (const p of frontier) for (const m of visit(p)) next.push([...p, m]);
      frontier = next;
    }
    expect(new Set(seen.values()).size).toBe(seen.size);
    expect(reached.size).toBe(graph.stateCount);
  }, 240_000);

  it('the cache file reads back the same graph, smaller than the JSON it replaced', async () => {
    const built = await StateGraph.load('smoke', { cacheDir: tmp, engine: 'embedded' });
    const [file] = readdirSync(tmp).filter((f) => f.endsWith('.bin'));
    const again = await StateGraph.load('smoke', { cacheDir: tmp, engine: 'embedded' });
    expect(again.origin?.from).toBe('cache');
    expect(again.origin?.fileBytes).toBe(statSync(path.join(tmp, file!)).size);
    expect(again.stateCount).toBe(built.stateCount);
    expect(again.edgeList()).toEqual(built.edgeList());
    // v4's JSON of smoke was 1,001,968 bytes.
    expect(again.origin!.fileBytes).toBeLessThan(1_000_000);
  }, 120_000);
});

describe('the step check on vectors', () => {
  it('accepts a conforming execution on its vectors; a step that is no edge takes the old path and its message', async () => {
    const constants = readModelConstants('smoke');
    const oracle = new GraphOracle('smoke', await StateGraph.load('smoke', { cacheDir: tmp, engine: 'embedded' }));
    const picks = Array.from({ length: 40 }, (_, i) => (i * 7919) % 1024);
    const ex = runSchedule(constants, picks);
    expect(ex.steps.length, `picks ${picks.join(',')}`).toBeGreaterThan(10);
    expect(validateExecution(ex, oracle)).toBeNull();
    expect(oracle.stats.fast).toBe(ex.steps.length);
    const s = ex.steps[0]!;
    const stutter = changedStep(s, { after: s.before, afterCode: s.beforeCode });
    expect(oracle.checkStep(stutter)).toBe('the spec has no step between these two (reachable) states');
    expect(oracle.stats.fast).toBe(ex.steps.length);
  }, 120_000);
});
