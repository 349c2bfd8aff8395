// Sharded random simulation: one shard of TLC's simulator (tlc2.TLC -simulate, one worker, a seed
// derived from the base seed and the shard index) written as ITF traces plus a shard summary
// (coverage, hashed distinct states, violations), so shards run on many machines can be merged.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { specHash } from '../../lib/check/spec-hash.ts';
import { configFile, loadManifest, selectConfigs, specFile } from '../../lib/check/manifest.ts';
import type { TraceStep } from '../../lib/result/check-result.ts';
import { tlcVersion } from '../../lib/tlc/locate.ts';
import { runTlc } from '../../lib/tlc/run.ts';
import { removeOnExit } from '../../lib/interrupt.ts';
import { normalizeState, valueKey } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { readItf, writeItf } from '../trace-formats/itf.ts';
import { loadTraceSchema, type TraceSchema } from '../trace-formats/schema.ts';
import type { SpecTrace } from '../trace-formats/spec-trace.ts';
import { readTlcSimulation } from '../trace-formats/tlc-simulation.ts';
import { type Coverage, coverage, traceTargets } from '../traces/targets.ts';

/** The summary file each shard writes in its folder. */
export const SHARD_SUMMARY = 'shard-summary.json';
export const SHARD_FORMAT = 'dax-model-shard/1';

/** A shard that cannot run or a folder that is not a shard (one line, naming what and where). */
export class ShardError extends Error {
  override name = 'ShardError';
}

export interface ShardOptions {
  config: string;
  /** 0-based shard index, < shards. */
  shard: number;
  shards: number;
  seed: number;
  depth: number;
  /** Traces this shard generates. */
  traces: number;
  outDir: string;
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

/** A violation a shard found: its ITF file (relative to the shard folder) and how to replay it. */
interface ShardViolation {
  property: string;
  file: string;
  states: number;
}

/** What one shard writes to SHARD_SUMMARY. */
export interface ShardSummary {
  format: typeof SHARD_FORMAT;
  config: string;
  shard: number;
  shards: number;
  seed: number;
  /** The seed TLC ran with: derived from seed and shard. */
  tlcSeed: number;
  depth: number;
  engineVersion: string;
  specHash: string;
  traceFiles: string[];
  coverage: Coverage;
  /** Actions and branches taken (what coverage counts), for merging. */
  targets: string[];
  /** Distinct states seen: a 16-hex-digit hash of each canonical state, sorted. */
  stateHashes: string[];
  distinctStates: number;
  violations: ShardViolation[];
  seconds: number;
}

/** TLC's seed for shard `shard` of base seed `seed`: distinct per shard, the same on a rerun. */
export function shardSeed(seed: number, shard: number): number {
  const h = createHash('sha256').update(`${seed}/${shard}`).digest();
  return h.readUInt32BE(0) & 0x7fffffff;
}

/** A state's hash: the same state gives the same hash in every shard and on every machine. */
function stateHash(state: TlaState): string {
  const s = normalizeState(state);
  const key = Object.keys(s)
    .sort()
    .map((k) => `${k}=${valueKey(s[k] as TlaValue)}`)
    .join('\n');
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Runs one shard and writes its traces (ITF) and summary to outDir; returns the summary. */
export async function runShard(o: ShardOptions): Promise<ShardSummary> {
  const started = performance.now();
  if (!(Number.isInteger(o.shards) && o.shards >= 1 && Number.isInteger(o.shard) && o.shard >= 0 && o.shard < o.shards))
    throw new ShardError(`--shard must be I/N with 0 <= I < N, not ${o.shard}/${o.shards}`);
  const manifest = loadManifest();
  selectConfigs(manifest, [o.config]);
  const spec = specFile(manifest);
  const cfg = configFile(o.config);
  const schema = loadTraceSchema({ specFile: spec, configFile: cfg });
  const tlcSeed = shardSeed(o.seed, o.shard);
  const out = path.resolve(o.outDir);
  mkdirSync(out, { recursive: true });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'dax-shard-'));
  // A forced exit (a second Ctrl-C) removes it too; runTlc kills TLC's process group.
  const releaseScratch = removeOnExit(scratch);
  try {
    const r = await runTlc({
      specFile: spec,
      configFile: cfg,
      workers: 1,
      simulate: { num: o.traces, depth: o.depth, seed: tlcSeed, traceFile: path.join(scratch, 'trace') },
      ...(o.timeoutSeconds ? { timeoutSeconds: o.timeoutSeconds } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (r.verdict === 'error')
      throw new ShardError(`TLC simulation of ${o.config} (shard ${o.shard}/${o.shards}) failed: ${r.error?.kind}: ${r.error?.message}`);
    const traces = (r.simulation?.traceFiles ?? []).map((f) => readTlcSimulation(readFileSync(f, 'utf8'), { source: f, schema }));
    const hash = specHash(o.config);
    const meta = (kind: string): Record<string, unknown> => ({
      description: `a ${kind} of spec/MCDaxDma.tla under spec/models/${o.config}.cfg`,
      config: o.config,
      shard: `${o.shard}/${o.shards}`,
      seed: o.seed,
      tlcSeed,
      engine: 'tlc',
      specHash: hash,
    });
    const files: [string, string][] = traces.map((t, k) => [
      `trace-${String(k + 1).padStart(4, '0')}.itf.json`,
      writeItf(t, meta('random behaviour'), schema.variables),
    ]);
    const violations: ShardViolation[] = [];
    const all: Pick<SpecTrace, 'steps'>[] = [...traces];
    if (r.verdict !== 'holds' && r.counterexample) {
      const property = r.verdict === 'deadlock' ? 'deadlock' : (r.property ?? r.verdict);
      const file = `violation-${violations.length + 1}.itf.json`;
      const steps: TraceStep[] = r.counterexample.steps.map((s) => ({
        index: s.index,
        action: s.index === 1 ? 'Init' : s.action,
        ...(s.params ? { params: s.params } : {}),
        state: s.state,
      }));
      files.push([file, writeItf({ steps }, { ...meta('violating behaviour'), violates: property }, schema.variables)]);
      violations.push({ property, file, states: steps.length });
      all.push({ steps });
    }
    const hashes = new Set<string>();
    for (const t of all) for (const s of t.steps) hashes.add(stateHash(s.state));
    const targets = new Set<string>();
    for (const t of all) for (const x of traceTargets(t)) targets.add(x);
    const summary: ShardSummary = {
      format: SHARD_FORMAT,
      config: o.config,
      shard: o.shard,
      shards: o.shards,
      seed: o.seed,
      tlcSeed,
      depth: o.depth,
      engineVersion: r.engineVersion ?? (await tlcVersion()),
      specHash: hash,
      traceFiles: files.map(([f]) => f),
      coverage: coverage(all, schema.actions),
      targets: [...targets].sort(),
      stateHashes: [...hashes].sort(),
      distinctStates: hashes.size,
      violations,
      seconds: Math.round(performance.now() - started) / 1000,
    };
    writeShard(out, files, summary, schema);
    return summary;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    releaseScratch();
  }
}

/** Writes the files to a staging folder beside outDir's contents, reads each ITF back, then
 *  renames them in, the summary last: a reader never sees a summary without its traces. */
function writeShard(out: string, files: [string, string][], summary: ShardSummary, schema: TraceSchema): void {
  const stage = mkdtempSync(path.join(out, '.staging-'));
  try {
    for (const [name, text] of files) {
      readItf(text, { source: name, schema });
      writeFileSync(path.join(stage, name), text);
    }
    writeFileSync(path.join(stage, SHARD_SUMMARY), `${JSON.stringify(summary, null, 1)}\n`);
    for (const [name] of files) renameSync(path.join(stage, name), path.join(out, name));
    renameSync(path.join(stage, SHARD_SUMMARY), path.join(out, SHARD_SUMMARY));
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
