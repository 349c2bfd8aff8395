// `make bench-graph-cache` (`npx tsx bench/graph-cache.ts [config ...]`, default smoke duo): per
// config, the state graph built into an empty cache directory (TLC when found, else the embedded
// engine), then loaded from that cache: build time, load time (read, inflate, index), the cache
// file's size and the bytes the graph holds in memory. Figures only: nothing here asserts a speed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StateGraph } from '../conformance/oracle/state-graph.ts';

const configs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['smoke', 'duo'];
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-bench-graph-'));
try {
  for (const config of configs) {
    const built = await StateGraph.load(config, { cacheDir: dir });
    // Three loads from the cache, the median shown (the machine may be shared).
    const loads: number[] = [];
    let cached = built;
    for (let i = 0; i < 3; i++) {
      cached = await StateGraph.load(config, { cacheDir: dir });
      if (cached.origin?.from !== 'cache') throw new Error(`${config}: the second load did not come from the cache`);
      loads.push(cached.origin.seconds);
    }
    loads.sort((a, b) => a - b);
    const perState = cached.bytes / cached.stateCount;
    console.log(
      `${config.padEnd(8)} ${fmt(cached.stateCount)} states, ${fmt(cached.edgeCount)} edges (${cached.coder.width} slots a state): built in ${built.origin!.seconds.toFixed(1)} s; ` +
        `cache file ${mib(cached.origin!.fileBytes)}; loaded from it in ${(loads[1]! * 1000).toFixed(0)} ms (median of 3); ` +
        `held in ${mib(cached.bytes)} of typed arrays (${perState.toFixed(0)} B a state with its edges and index: ${mib(perState * 2_000_000)} at 2M states)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
