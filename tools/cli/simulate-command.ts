// `dax-model simulate CONFIG --shard I/N ...` (one shard of TLC's -simulate, as ITF traces and a
// shard summary) and `dax-model simulate merge DIR...` (coverage, distinct states, violations of
// all shards): random simulation spread over machines, one process per shard.
import { ManifestError } from '../../lib/check/manifest.ts';
import { tlcUnavailableReason } from '../../lib/check/check.ts';
import { formatMerge, mergeShards } from '../../conformance/shards/merge-shards.ts';
import { runShard, ShardError } from '../../conformance/shards/simulate-shard.ts';
import { TraceFormatError } from '../../conformance/trace-formats/spec-trace.ts';
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { EXIT } from './exit-codes.ts';

export const SIMULATE = defineCommand({
  name: 'simulate',
  usage: [
    'simulate CONFIG --shard I/N --seed S --depth D --out DIR [options]',
    'simulate merge DIR... [options]   (dax-model simulate merge --help)',
  ],
  summary: "one shard of TLC's random simulation, as ITF traces and a shard summary",
  description: `One shard (0 <= I < N) of TLC's random simulation of CONFIG: K traces of D steps, TLC seed
derived from S and I (shards differ, a rerun is identical); writes the traces as ITF and
DIR/shard-summary.json (coverage, hashed distinct states, violations). Exit 0 when written (a
violation is in the summary), 2 on bad arguments, 3 when TLC is missing or failed.`,
  positionals: true,
  options: {
    shard: { type: 'string', value: 'I/N', help: 'this shard, I of N (required)' },
    seed: { type: 'string', value: 'S', help: "the run's seed, the same on every shard (required)" },
    depth: { type: 'string', value: 'D', help: 'steps per trace (required)' },
    traces: { type: 'string', default: '10', value: 'K', help: 'traces of this shard (default 10)' },
    out: { type: 'string', value: 'DIR', help: 'the folder to write the traces and the summary into (required)' },
    timeout: { type: 'string', value: 'S', help: "time limit of TLC's run, in seconds" },
  },
});

export const SIMULATE_MERGE = defineCommand({
  name: 'simulate merge',
  usage: ['simulate merge DIR... [options]'],
  summary: 'merge simulate shards: coverage, distinct states, violations',
  description: `Merges shard folders: action and branch coverage, distinct states across shards, every
violation with its ITF file and the dax-model replay command for it. Exit 0 if no violation was
found; 1 if one was; 2 on a folder that is not a shard.`,
  positionals: true,
  options: { json: { type: 'boolean', default: false, help: 'print the merge as JSON' } },
});

/** Runs the simulate command; returns the exit code. */
export async function simulateCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const fail = (code: number, msg: string): number => {
    process.stderr.write(`dax-model simulate: ${msg}\n`);
    return code;
  };
  try {
    if (argv[0] === 'merge') {
      const { values, positionals } = parseCommandLine(SIMULATE_MERGE, argv.slice(1));
      let m;
      try {
        m = mergeShards(positionals);
      } catch (e) {
        if (e instanceof ShardError || e instanceof ManifestError) return fail(EXIT.usage, e.message);
        throw e;
      }
      process.stdout.write(values.json ? `${JSON.stringify(m, null, 2)}\n` : `${formatMerge(m).join('\n')}\n`);
      return m.violations.length ? EXIT.mismatch : EXIT.ok;
    }
    const { values, positionals } = parseCommandLine(SIMULATE, argv);
    if (positionals.length !== 1) return fail(EXIT.usage, `one CONFIG, got ${positionals.length ? positionals.join(' ') : 'none'}`);
    const sh = /^(\d+)\/(\d+)$/.exec(values.shard ?? '');
    if (!sh) return fail(EXIT.usage, `--shard must be I/N (e.g. 0/4), not '${values.shard ?? ''}'`);
    const int = (v: string | undefined, what: string, min: number): number => {
      const n = Number(v);
      if (v === undefined || !Number.isInteger(n) || n < min)
        throw new ShardError(`--${what} must be an integer >= ${min}, not '${v ?? ''}'`);
      return n;
    };
    if (!values.out) return fail(EXIT.usage, '--out DIR is required');
    const opts = {
      config: positionals[0] as string,
      shard: Number(sh[1]),
      shards: Number(sh[2]),
      seed: int(values.seed, 'seed', 0),
      depth: int(values.depth, 'depth', 1),
      traces: int(values.traces, 'traces', 1),
      outDir: values.out,
      signal,
      ...(values.timeout !== undefined ? { timeoutSeconds: int(values.timeout, 'timeout', 1) } : {}),
    };
    const why = tlcUnavailableReason();
    if (why) return fail(EXIT.runFailed, `${why} (sharded simulation runs TLC)`);
    process.stderr.write(
      `simulate ${opts.config} shard ${opts.shard}/${opts.shards}: TLC runs ${opts.traces} traces of ${opts.depth} steps\n`,
    );
    const s = await runShard(opts);
    process.stdout.write(
      `shard ${s.shard}/${s.shards} of ${s.config} (TLC seed ${s.tlcSeed}): ${s.traceFiles.length - s.violations.length} traces, ${s.distinctStates} distinct states, ` +
        `actions ${s.coverage.actions.covered.length}/${s.coverage.actions.total}, branches ${s.coverage.branches.covered.length}/${s.coverage.branches.total}, ` +
        `${s.violations.length} violation(s)${s.violations.map((v) => ` [${v.property}: ${v.file}]`).join('')}; ${s.seconds.toFixed(1)} s -> ${values.out}\n`,
    );
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ShardError && /must be|required|I\/N/.test(e.message)) return fail(EXIT.usage, e.message);
    if (e instanceof ManifestError) return fail(EXIT.usage, e.message);
    if (e instanceof ShardError || e instanceof TraceFormatError)
      return fail(signal.aborted ? EXIT.interrupted : EXIT.runFailed, e.message);
    throw e;
  }
}
