// Merges the shard folders of a sharded simulation (simulate-shard.ts): coverage of the union,
// distinct states across shards (by state hash), and every violation with its ITF trace and the
// `dax-model replay` command that drives the implementation through it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { loadTraceSchema } from '../trace-formats/schema.ts';
import { branchesOf, type Coverage } from '../traces/targets.ts';
import { SHARD_FORMAT, SHARD_SUMMARY, ShardError, type ShardSummary } from './simulate-shard.ts';

/** One violation of the merged run. */
interface MergedViolation {
  shard: string;
  property: string;
  file: string;
  states: number;
  replay: string;
}

/** The merge of several shards of one config. */
export interface MergedShards {
  config: string;
  shards: { dir: string; shard: string; traces: number; distinctStates: number; tlcSeed: number }[];
  traces: number;
  coverage: Coverage;
  /** Sum of the shards' distinct states: what they would be if no two shards shared a state. */
  distinctSum: number;
  /** Distinct states seen across all shards. */
  distinctStates: number;
  violations: MergedViolation[];
  /** Shard indexes of the same run that are missing or given twice (N from the shards). */
  missingShards: number[];
  duplicateShards: number[];
}

/** Reads a shard folder's summary; a folder that is not a shard is a ShardError. */
function readShard(dir: string): ShardSummary {
  const file = path.join(dir, SHARD_SUMMARY);
  if (!existsSync(file)) throw new ShardError(`${dir}: no ${SHARD_SUMMARY} (not a shard folder)`);
  let s: ShardSummary;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as ShardSummary;
  } catch (e) {
    throw new ShardError(`${file}: ${(e as Error).message}`);
  }
  if (s.format !== SHARD_FORMAT || !Array.isArray(s.stateHashes) || !Array.isArray(s.targets))
    throw new ShardError(`${file}: not a ${SHARD_FORMAT} summary`);
  return s;
}

/** Merges shard folders; they must be of one config and one spec version. */
export function mergeShards(dirs: string[]): MergedShards {
  if (dirs.length === 0) throw new ShardError('no shard folder given');
  const shards = dirs.map((d) => ({ dir: d, s: readShard(d) }));
  const first = (shards[0] as { s: ShardSummary }).s;
  for (const { dir, s } of shards) {
    if (s.config !== first.config) throw new ShardError(`${dir}: shard of ${s.config}, the first is of ${first.config}`);
    if (s.specHash !== first.specHash)
      throw new ShardError(`${dir}: made from another version of the spec or config (hash ${s.specHash}, the first ${first.specHash})`);
  }
  const manifest = loadManifest();
  const schema = loadTraceSchema({ specFile: specFile(manifest), configFile: configFile(first.config) });
  const hashes = new Set<string>();
  const hit = new Set<string>();
  for (const { s } of shards) {
    for (const h of s.stateHashes) hashes.add(h);
    for (const t of s.targets) hit.add(t);
  }
  const names = schema.actions.map((a) => a.name);
  const bnames = branchesOf(schema.actions).map((b) => b.name);
  const seen = new Map<number, number>();
  for (const { s } of shards) if (s.shards === first.shards) seen.set(s.shard, (seen.get(s.shard) ?? 0) + 1);
  return {
    config: first.config,
    shards: shards.map(({ dir, s }) => ({
      dir,
      shard: `${s.shard}/${s.shards}`,
      traces: s.traceFiles.length - s.violations.length,
      distinctStates: s.distinctStates,
      tlcSeed: s.tlcSeed,
    })),
    traces: shards.reduce((n, { s }) => n + s.traceFiles.length - s.violations.length, 0),
    coverage: {
      actions: { total: names.length, covered: names.filter((n) => hit.has(n)), missing: names.filter((n) => !hit.has(n)) },
      branches: { total: bnames.length, covered: bnames.filter((n) => hit.has(n)), missing: bnames.filter((n) => !hit.has(n)) },
    },
    distinctSum: shards.reduce((n, { s }) => n + s.distinctStates, 0),
    distinctStates: hashes.size,
    violations: shards.flatMap(({ dir, s }) =>
      s.violations.map((v) => {
        const file = path.join(dir, v.file);
        return {
          shard: `${s.shard}/${s.shards}`,
          property: v.property,
          file,
          states: v.states,
          replay: `dax-model replay ${file} --config ${s.config}`,
        };
      }),
    ),
    missingShards: [...Array(first.shards).keys()].filter((i) => !seen.has(i)),
    duplicateShards: [...seen].filter(([, n]) => n > 1).map(([i]) => i),
  };
}

/** The merge as text lines. */
export function formatMerge(m: MergedShards): string[] {
  const cov = (what: string, x: Coverage['actions']): string =>
    `  ${what} ${x.covered.length}/${x.total}${x.missing.length ? ` (missing: ${x.missing.join(', ')})` : ''}`;
  return [
    `${m.shards.length} shard(s) of ${m.config}: ${m.traces} traces`,
    ...m.shards.map((s) => `  shard ${s.shard} (TLC seed ${s.tlcSeed}): ${s.traces} traces, ${s.distinctStates} distinct states  ${s.dir}`),
    ...(m.missingShards.length ? [`  missing shards: ${m.missingShards.join(', ')}`] : []),
    ...(m.duplicateShards.length ? [`  shards given twice: ${m.duplicateShards.join(', ')}`] : []),
    `distinct states: ${m.distinctStates} across shards (sum of the shards' own: ${m.distinctSum})`,
    'coverage:',
    cov('actions ', m.coverage.actions),
    cov('branches', m.coverage.branches),
    `violations: ${m.violations.length}`,
    ...m.violations.flatMap((v) => [`  shard ${v.shard}: ${v.property} (${v.states} states) ${v.file}`, `    replay: ${v.replay}`]),
  ];
}
