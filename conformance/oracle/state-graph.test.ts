// Who takes a step (stepActor), as the state graph labels its edges for the enabledness check,
// and that check itself in validateExecution: a task the spec lets move but the implementation
// keeps waiting, or the converse, fails the execution at that state. With TLC, the graph TLC
// dumps is the embedded engine's, edge for edge.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlcUnavailableReason } from '../../lib/check/check.ts';
import { skipTitle } from '../../lib/skip-reason.ts';
import { normalizeState } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { runSchedule, validateExecution } from '../executions/executions.ts';
import type { StepOracle } from './step-oracle.ts';
import { readModelConstants } from '../model/model.ts';
import { CACHE_DIR_ENV, graphCacheDir, StateGraph, stepActor } from './state-graph.ts';

const fn = (pairs: [string, TlaValue][]): TlaValue => ({ '#map': pairs.map(([k, v]) => [{ '#model': k }, v]) });
const state = (upc: [string, string][], fpc: [string, string][], extra: TlaState = {}): TlaState =>
  normalizeState({ upc: fn(upc), fpc: fn(fpc), gupsLeft: 1, ...extra });

describe('stepActor', () => {
  it('is the one task whose per-task variables change', () => {
    expect(
      stepActor(
        state(
          [
            ['u1', 'idle'],
            ['u2', 'idle'],
          ],
          [['t1', 'idle']],
        ),
        state(
          [
            ['u1', 'FaultLockShared'],
            ['u2', 'idle'],
          ],
          [['t1', 'idle']],
          { gupsLeft: 0 },
        ),
      ),
    ).toBe('u1');
  });
  it('is the DMA that completes, not the file-system task its wake-up moves from "sleep"', () => {
    expect(stepActor(state([['u1', 'DmaComplete']], [['t1', 'sleep']]), state([['u1', 'idle']], [['t1', 'BreakLayoutsRelock']]))).toBe(
      'u1',
    );
  });
  it('is no one when two tasks move otherwise, or none does', () => {
    expect(
      stepActor(state([['u1', 'DmaComplete']], [['t1', 'BreakLayoutsScan']]), state([['u1', 'idle']], [['t1', 'BreakLayoutsWait']])),
    ).toBe('');
    expect(
      stepActor(
        state([['u1', 'DmaComplete']], [['t1', 'BreakLayoutsScan']]),
        state([['u1', 'DmaComplete']], [['t1', 'BreakLayoutsScan']], { gupsLeft: 0 }),
      ),
    ).toBe('');
  });
});

describe('the enabledness check', () => {
  const ex = runSchedule(readModelConstants('smoke'), [0, 0, 0]);
  const oracle = (enabled: (s: TlaState, impl: ReadonlySet<string>) => Set<string>): StepOracle => {
    const byState = new Map<TlaState, ReadonlySet<string>>([
      [ex.init, ex.enabledInit],
      ...ex.steps.map((s) => [s.after, s.enabledAfter] as const),
    ]);
    return {
      checkInit: () => null,
      checkStep: () => null,
      failingInvariant: () => null,
      enabledTasks: (s) => ({ tasks: enabled(s, byState.get(s)!), complete: true }),
    };
  };

  it('passes when the spec and the implementation can move the same tasks', () => {
    expect(
      validateExecution(
        ex,
        oracle((_, impl) => new Set(impl)),
      ),
    ).toBeNull();
  });
  it('fails where the spec lets a task step that the implementation cannot move', () => {
    const f = validateExecution(
      ex,
      oracle((s, impl) => (s === ex.steps[1]!.after ? new Set([...impl, 'ghost']) : new Set(impl))),
    );
    expect(f).toMatchObject({ step: 2, check: 'enabled' });
    expect(f!.message).toMatch(/the spec lets ghost take a step, but the implementation cannot: ghost has no move/);
  });
  it('fails where the implementation can move a task the spec holds back', () => {
    const f = validateExecution(
      ex,
      oracle((s, impl) => new Set([...impl].filter((t) => s !== ex.init || t !== 't1'))),
    );
    expect(f).toMatchObject({ step: 0, check: 'enabled' });
    expect(f!.message).toMatch(/the implementation can move t1, but the spec enables no step of its/);
  });
});

describe.skipIf(tlcUnavailableReason() !== null)(skipTitle('the state graph built by TLC', tlcUnavailableReason()), () => {
  // Made here, not while the block is collected: skipped (no TLC), afterAll would not remove it.
  let cacheDir = '';
  beforeAll(() => {
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'dax-graph-test-'));
  });
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  /** Every edge as "from > to group actor action-name", by state vectors, each once: comparable
   *  across builds (TLC's labels carry all the arguments, the engine's derived ones only the
   *  actor, so two put paths to one state are two TLC edges and one derived). */
  const edges = (g: StateGraph): string[] => {
    const key = (id: number): string => Array.from(g.slotsOf(id)).join(',');
    const name = (action: string): string => /^[A-Za-z0-9_]*/.exec(action)![0];
    return [
      ...new Set(g.edgeList().map(([a, b, group, actor, action]) => `${key(a)} > ${key(b)} ${group} ${actor} ${name(action)}`)),
    ].sort();
  };
  it.each(['lost-wakeup', 'scan-skips-locked', 'no-break-layouts', 'skip-scan-when-unmapped'])(
    '%s: the same states, steps, groups, actors and actions as the embedded engine',
    async (config) => {
      const tlc = await StateGraph.load(config, { cacheDir: path.join(cacheDir, 'tlc'), engine: 'tlc' });
      const embedded = await StateGraph.load(config, { cacheDir: path.join(cacheDir, 'embedded'), engine: 'embedded' });
      expect(tlc.stateCount).toBe(embedded.stateCount);
      expect(edges(tlc)).toEqual(edges(embedded));
    },
    60_000,
  );
});

describe('the graph cache', () => {
  it('is per user, outside node_modules: $DAX_MODEL_CACHE_DIR, else $XDG_CACHE_HOME/dax-model, else ~/.cache/dax-model', () => {
    expect(graphCacheDir({}, '/home/ann')).toBe('/home/ann/.cache/dax-model');
    expect(graphCacheDir({ XDG_CACHE_HOME: '/var/cache/ann' }, '/home/ann')).toBe('/var/cache/ann/dax-model');
    // The XDG spec: a relative path is invalid and ignored.
    expect(graphCacheDir({ XDG_CACHE_HOME: 'rel/cache' }, '/home/ann')).toBe('/home/ann/.cache/dax-model');
    expect(graphCacheDir({ [CACHE_DIR_ENV]: '/tmp/x', XDG_CACHE_HOME: '/var/cache/ann' }, '/home/ann')).toBe('/tmp/x');
    expect(graphCacheDir()).not.toMatch(/node_modules/);
  });

  it('builds a graph once per spec hash into the directory the environment names, then reads it back', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'dax-graph-cache-'));
    const saved = process.env[CACHE_DIR_ENV];
    process.env[CACHE_DIR_ENV] = tmp;
    try {
      const lines: string[] = [];
      const built = await StateGraph.load('lost-wakeup', { engine: 'embedded', onProgress: (l) => lines.push(l) });
      expect(readdirSync(tmp)).toEqual([expect.stringMatching(/^graph-v\d+-lost-wakeup-[0-9a-f]{16}\.bin$/)]);
      expect(lines.at(-1)).toMatch(
        new RegExp(`state graph of lost-wakeup: [\\d,]+ states, [\\d,]+ steps \\(embedded engine\\), cached in ${tmp}`),
      );
      const again: string[] = [];
      const cached = await StateGraph.load('lost-wakeup', { engine: 'embedded', onProgress: (l) => again.push(l) });
      expect(again).toEqual([]);
      expect(cached.stateCount).toBe(built.stateCount);
    } finally {
      if (saved === undefined) delete process.env[CACHE_DIR_ENV];
      else process.env[CACHE_DIR_ENV] = saved;
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('graphs loaded ahead (StateGraph.prefetch)', () => {
  it('a load takes over the prefetched build: each graph built once, side by side, a failure thrown by its load', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'dax-graph-prefetch-'));
    try {
      const configs = ['lost-wakeup', 'unpin-misses-wake', 'evict-without-break'];
      const lines: string[] = [];
      const bad = path.join(tmp, 'missing.cfg');
      StateGraph.prefetch([...configs, bad], { cacheDir: tmp, engine: 'embedded', onProgress: (l) => lines.push(l) });
      const graphs = await Promise.all(configs.map((c) => StateGraph.load(c, { cacheDir: tmp, engine: 'embedded' })));
      // Built by the prefetch (its progress sink heard each build), not found in the cache by the loads.
      expect(graphs.map((g) => g.origin?.from)).toEqual(['built', 'built', 'built']);
      for (const c of configs) expect(lines.filter((l) => l.startsWith(`loading the state graph of ${c}:`))).toHaveLength(1);
      expect(readdirSync(tmp).filter((f) => f.endsWith('.bin'))).toHaveLength(3);
      // A load after the taken-over one is a load of its own: from the cache now.
      expect((await StateGraph.load(configs[0]!, { cacheDir: tmp, engine: 'embedded' })).origin?.from).toBe('cache');
      await expect(StateGraph.load(bad, { cacheDir: tmp, engine: 'embedded' })).rejects.toThrow(/missing\.cfg/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.skipIf(tlcUnavailableReason() !== null)(skipTitle('progress while TLC builds a graph', tlcUnavailableReason()), () => {
  it('reports states so far at least every 2 s', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'dax-graph-progress-'));
    try {
      const lines: { at: number; line: string }[] = [];
      const started = Date.now();
      await StateGraph.load('smoke', { engine: 'tlc', cacheDir: tmp, onProgress: (line) => lines.push({ at: Date.now(), line }) });
      const counts = lines.filter((l) => /states so far/.test(l.line));
      expect(counts.length).toBeGreaterThan(0);
      expect(counts[0]!.line).toMatch(/^state graph of smoke: [\d,]+ states so far, queue [\d,]+ \(TLC, \d+ s\)$/);
      // No gap of more than the interval (plus TLC's own start-up and a loaded machine's slack).
      const times = [started, ...counts.map((l) => l.at)];
      const gaps = times.slice(2).map((t, i) => t - times[i + 1]!);
      for (const g of gaps) expect(g).toBeLessThan(10_000);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
