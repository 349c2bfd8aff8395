// Throughput of the implementation under random schedules: atomic steps per second on one core
// and peak memory, for the standard sizes (2 files x 2 offsets, 4 blocks, 2 users, 1 fs task,
// 1 syncer). Run with `npx tsx bench/impl.ts [seconds-per-case] [--json] [--quick]` (--quick:
// 0.1 s per case, for the results writer's test).
import { resourceUsage } from 'node:process';
import { type SystemConfig, createSystem, randomScheduler } from '../impl/index.ts';
import { benchArgs, Figures } from './figures.ts';

const out = new Figures('impl');
const SECONDS = out.quick ? 0.1 : Number(benchArgs()[0] ?? 2);
const STANDARD: SystemConfig = {
  files: ['f1', 'f2'],
  offsets: 2,
  blocks: ['b1', 'b2', 'b3', 'b4'],
  users: ['u1', 'u2'],
  fsTasks: ['t1'],
  syncers: ['s1'],
  maxGups: 1_000_000_000,
};

interface Case {
  name: string;
  config: SystemConfig;
}

const CASES: Case[] = [
  { name: 'xfs, merged protocol', config: STANDARD },
  { name: 'ext4, merged protocol', config: { ...STANDARD, profile: 'ext4' } },
  { name: 'xfs, the 2025 design', config: { ...STANDARD, idleRef: 0, features: { ...STANDARD.features, Design2025: true } } },
];

/** Runs random schedules (starting operations as they go) for `seconds`; a system that gets
 *  stuck is replaced by a fresh one, so the count is of atomic steps only. */
function measure(c: Case, seconds: number, seed: number): { steps: number; secs: number; systems: number } {
  let steps = 0;
  let systems = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    const sys = createSystem(c.config);
    systems++;
    const r = sys.runToCompletion(randomScheduler(seed++, { starts: Number.MAX_SAFE_INTEGER }), {
      maxSteps: 200_000,
      record: false,
    });
    steps += r.steps;
  }
  return { steps, secs: (performance.now() - started) / 1000, systems };
}

measure(CASES[0]!, out.quick ? 0.05 : 0.5, 1); // warm-up: let the JIT settle before measuring
out.say(`impl bench: random schedules, ${SECONDS} s per case, node ${process.version}`);
const addRow = out.table(`random schedules, ${SECONDS} s per case, one core`, ['case', 'steps/s', 'steps', 'systems']);
for (const c of CASES) {
  const r = measure(c, SECONDS, 1000);
  addRow([c.name, Math.round(r.steps / r.secs), r.steps, r.systems]);
  out.say(
    `  ${c.name.padEnd(24)} ${Math.round(r.steps / r.secs)
      .toLocaleString('en-US')
      .padStart(11)} steps/s  (${r.steps.toLocaleString('en-US')} steps, ${r.systems} systems)`,
  );
}
const mem = process.memoryUsage();
const memLine = `heap used ${(mem.heapUsed / 2 ** 20).toFixed(1)} MiB, rss ${(mem.rss / 2 ** 20).toFixed(1)} MiB, peak rss (maxRSS) ${(resourceUsage().maxRSS / 1024).toFixed(1)} MiB`;
out.note(memLine);
out.say(`  ${memLine}`);
out.done();
