// Sharded simulation with real TLC: four shards of smoke merge into coverage and distinct counts
// that add up (the union is at least each shard and at most their sum; a rerun of a shard is
// identical), and a shard of a variant finds a violation that replays on the implementation.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tlcUnavailableReason } from '../../lib/check/check.ts';
import { skipTitle } from '../../lib/skip-reason.ts';
import { mergeShards } from './merge-shards.ts';
import { runShard, SHARD_SUMMARY, shardSeed } from './simulate-shard.ts';

const tlcMissing = tlcUnavailableReason();
const BIN = fileURLToPath(new URL('../../bin/dax-model.mjs', import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dax-shards-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('shard seeds', () => {
  it('differ between shards and are the same on a rerun', () => {
    const seeds = [0, 1, 2, 3].map((i) => shardSeed(7, i));
    expect(new Set(seeds).size).toBe(4);
    expect(shardSeed(7, 2)).toBe(seeds[2]);
    expect(shardSeed(8, 2)).not.toBe(seeds[2]);
  });
});

describe.skipIf(tlcMissing !== null)(skipTitle('sharded TLC simulation', tlcMissing), { timeout: 120_000 }, () => {
  it('merges four shards of smoke: distinct states between the largest shard and the sum, coverage the union', async () => {
    const dirs = [0, 1, 2, 3].map((i) => path.join(tmp, `smoke-${i}`));
    const shards = await Promise.all(
      dirs.map((outDir, shard) => runShard({ config: 'smoke', shard, shards: 4, seed: 7, depth: 20, traces: 3, outDir })),
    );
    const m = mergeShards(dirs);
    expect(m.traces).toBe(12);
    expect(m.missingShards).toEqual([]);
    expect(m.distinctStates).toBeLessThanOrEqual(m.distinctSum);
    expect(m.distinctStates).toBeGreaterThanOrEqual(Math.max(...shards.map((s) => s.distinctStates)));
    for (const s of shards) for (const a of s.coverage.actions.covered) expect(m.coverage.actions.covered).toContain(a);
    expect(m.violations).toEqual([]);
    // The same shard again: the same TLC seed, so the same traces and states.
    const again = await runShard({
      config: 'smoke',
      shard: 1,
      shards: 4,
      seed: 7,
      depth: 20,
      traces: 3,
      outDir: path.join(tmp, 'smoke-1-again'),
    });
    expect(again.stateHashes).toEqual((shards[1] as { stateHashes: string[] }).stateHashes);
    expect(JSON.parse(readFileSync(path.join(tmp, 'smoke-1-again', SHARD_SUMMARY), 'utf8')).targets).toEqual(shards[1]?.targets);
  });

  it('finds no-break-layouts violated in a shard and the violation replays on the implementation', async () => {
    const outDir = path.join(tmp, 'nbl-0');
    const s = await runShard({ config: 'no-break-layouts', shard: 0, shards: 2, seed: 2, depth: 30, traces: 200, outDir });
    expect(s.violations.map((v) => v.property)).toEqual(['NoDmaIntoForeignBlock']);
    const [v] = mergeShards([outDir]).violations;
    expect(v?.replay).toBe(`dax-model replay ${path.join(outDir, 'violation-1.itf.json')} --config no-break-layouts`);
    const replay = spawnSync(process.execPath, [BIN, 'replay', v?.file as string, '--config', 'no-break-layouts'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(replay.stdout).toMatch(/reaches the expected violation \(NoDmaIntoForeignBlock\)/);
  });
});
