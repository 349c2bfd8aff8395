// `dax-model check CONFIG --distributed` (a TLCServer that worker machines join) and
// `dax-model worker HOST[:PORT]` (a TLCWorker, or TLCWorkerAndFPSet with --fpset): TLC's
// tlc2.tool.distributed mode, with the verdict and counterexample of a local check.
import { checkDistributed, DistributedUnsupported, type DistributedOutcome } from '../../lib/check/distributed.ts';
import { ManifestError } from '../../lib/check/manifest.ts';
import { formatCounterexample } from '../../lib/report/counterexample.ts';
import { TLC_SERVER_DEFAULT_PORT, startTlcWorker } from '../../lib/tlc/distributed.ts';
import { TlcLocateError } from '../../lib/tlc/locate.ts';
import { explainCounterexample, formatExplanation } from '../../conformance/explain/why.ts';
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { EXIT } from './exit-codes.ts';
import { ProgressLine, thousands } from './progress.ts';

export const DISTRIBUTED = defineCommand({
  name: 'check --distributed',
  usage: ['check CONFIG --distributed [options]'],
  summary: 'model-check one safety config on TLC servers and worker machines',
  description: `Starts a TLC server (tlc2.tool.distributed.TLCServer) for one safety config, prints the command
each worker machine runs (dax-model worker), waits for workers and reports as check does. RMI
also uses random ports both ways: use a private network or an SSH tunnel. Refused (exit 2):
configs with PROPERTY (TLC ignores them here) and the options marked refused below.`,
  positionals: true,
  options: {
    distributed: { type: 'boolean', help: 'this form of check' },
    port: { type: 'string', value: 'P', help: `the RMI registry port (default ${TLC_SERVER_DEFAULT_PORT})` },
    host: { type: 'string', value: 'NAME', help: 'the address workers reach this machine at (default 127.0.0.1)' },
    timeout: { type: 'string', value: 'S', help: 'stop the server after S seconds (it waits for workers for ever otherwise)' },
    fpsets: { type: 'string', value: 'N', help: 'fingerprint-set servers to wait for (workers that serve a part of the set)' },
    'local-workers': { type: 'string', value: 'N', help: 'also start N workers on this machine' },
    threads: { type: 'string', value: 'T', help: 'threads of each local worker (default: the cores)' },
    json: { type: 'boolean', default: false, help: 'print the outcome as JSON' },
    quiet: { type: 'boolean', default: false, help: 'no progress line on stderr' },
    engine: { type: 'string', value: 'tlc', help: "only tlc: distributed mode is TLC's" },
    workers: { type: 'string', value: 'N', help: 'refused: each worker machine sets its own threads (dax-model worker)' },
    simulate: { type: 'boolean', help: 'refused: TLCServer rejects -simulate (dax-model simulate runs shards instead)' },
    'dump-trace': { type: 'boolean', help: 'refused: distributed TLC has no -dumpTrace' },
  },
});

export const WORKER = defineCommand({
  name: 'worker',
  usage: ['worker HOST[:PORT] [options]'],
  summary: 'join a check --distributed server as a TLC worker',
  description: `Joins the TLC server at HOST:PORT (default port ${TLC_SERVER_DEFAULT_PORT}) as a worker.
Exit 0 when the server finished the model; 2 on bad arguments; 3 if it could not join or was stopped.`,
  positionals: true,
  options: {
    threads: { type: 'string', value: 'N', help: 'worker threads (default: the cores)' },
    fpset: { type: 'boolean', default: false, help: 'also serve a part of the fingerprint set (for a server that waits for such workers)' },
    host: { type: 'string', value: 'THIS-MACHINE', help: 'the address the server reaches this machine at' },
    timeout: { type: 'string', value: 'S', help: 'stop the worker after S seconds' },
  },
});

const positiveInt = (v: string | undefined, what: string): number | undefined | string => {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : `${what} must be a positive integer, not '${v}'`;
};

/** Runs `check --distributed`; returns the exit code. */
export async function checkDistributedCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(DISTRIBUTED, argv);
  const refuse = (msg: string): number => {
    process.stderr.write(`dax-model check --distributed: ${msg}\n`);
    return EXIT.usage;
  };
  if (values.simulate)
    return refuse('distributed TLC cannot simulate (TLCServer rejects -simulate); use dax-model simulate --shard I/N on each machine');
  if (values['dump-trace']) return refuse('distributed TLC has no -dumpTrace; the counterexample is read from the trace the server prints');
  if (values.workers) return refuse('--workers: each worker machine sets its own threads (dax-model worker HOST --threads N)');
  if (values.engine !== undefined && values.engine !== 'tlc') return refuse(`--engine ${values.engine}: distributed mode is TLC's`);
  if (positionals.length !== 1) return refuse(`one CONFIG, got ${positionals.length ? positionals.join(' ') : 'none'}`);
  const port = positiveInt(values.port, '--port');
  const timeout = positiveInt(values.timeout, '--timeout');
  const fpsets = positiveInt(values.fpsets, '--fpsets');
  const local = values['local-workers'] === '0' ? 0 : positiveInt(values['local-workers'], '--local-workers');
  const threads = positiveInt(values.threads, '--threads');
  for (const x of [port, timeout, fpsets, local, threads]) if (typeof x === 'string') return refuse(x);
  if (typeof port === 'number' && port > 65535) return refuse(`--port must be at most 65535, not ${port}`);
  const host = values.host ?? '127.0.0.1';
  const name = positionals[0] as string;

  const progress = new ProgressLine(process.stderr, values.quiet || values.json);
  const say = (l: string): void => {
    if (!values.json) process.stderr.write(`${l}\n`);
  };
  let o: DistributedOutcome;
  try {
    o = await checkDistributed(name, {
      host,
      signal,
      ...(port !== undefined ? { port: port as number } : {}),
      ...(timeout !== undefined ? { timeoutSeconds: timeout as number } : {}),
      ...(fpsets !== undefined ? { fpsets: fpsets as number } : {}),
      ...(local !== undefined ? { localWorkers: local as number } : {}),
      ...(threads !== undefined ? { localWorkerThreads: threads as number } : {}),
      onReady: (cmd) => {
        progress.done();
        say(
          `[${name}] TLC server ready at ${host}:${port ?? TLC_SERVER_DEFAULT_PORT}; on each worker machine run:\n  ${cmd.daxModel}\n  or: ${cmd.java}`,
        );
      },
      onWorker: (l) => say(`[${name}] ${l.split('\n')[0]}`),
      onProgress: (p) =>
        progress.update(
          `[${name}] ${thousands(p.distinct)} distinct, ${thousands(p.generated)} generated, queue ${thousands(p.queue)} (${Math.round(p.seconds)} s)`,
        ),
    });
  } catch (e) {
    progress.done();
    if (e instanceof DistributedUnsupported || e instanceof ManifestError) return refuse(e.message);
    throw e;
  }
  progress.done();
  // An interrupted server has no verdict to print: the signal story said why it stopped.
  if (signal.aborted) return EXIT.interrupted;
  printOutcome(o, values.json);
  if (o.result.verdict === 'error') return EXIT.runFailed;
  return o.matches ? EXIT.ok : EXIT.mismatch;
}

function printOutcome(o: DistributedOutcome, json: boolean): void {
  const cex = o.verdict !== 'holds' ? o.result.counterexample : undefined;
  const explanation = cex
    ? explainCounterexample(cex, o.result.verdict === 'deadlock' ? 'deadlock' : (o.result.property ?? o.verdict))
    : undefined;
  if (json) {
    const { config, engine, expected, verdict, property, distinctStates, depth, seconds, workersRegistered, localWorkers } = o;
    const row = {
      config,
      engine,
      mode: 'distributed',
      expected,
      verdict,
      property,
      distinctStates,
      depth,
      seconds,
      workersRegistered,
      localWorkers,
      ...(o.result.error ? { error: o.result.error } : {}),
      ...(o.result.warnings ? { warnings: o.result.warnings } : {}),
      ...(cex ? { counterexample: cex, explanation } : {}),
    };
    process.stdout.write(`${JSON.stringify([row], null, 2)}\n`);
    return;
  }
  const mark = o.matches ? 'ok  ' : o.result.verdict === 'error' ? 'FAIL' : 'MISMATCH';
  process.stdout.write(
    `${mark} ${o.config.padEnd(24)} expected ${o.expected.padEnd(22)} got ${o.verdict.padEnd(22)} ${thousands(o.distinctStates).padStart(11)} states  ${o.seconds.toFixed(1).padStart(7)} s  [tlc distributed, ${o.workersRegistered} worker(s)]\n`,
  );
  if (o.result.error) process.stdout.write(`     ${o.result.error.kind}: ${o.result.error.message}\n`);
  for (const w of o.result.warnings ?? []) process.stdout.write(`     note: ${w}\n`);
  if (cex) {
    process.stdout.write(
      `     counterexample (${cex.steps.length} states):\n${formatCounterexample(cex, { indent: '     ' }).join('\n')}\n`,
    );
    if (explanation) process.stdout.write(`${formatExplanation(explanation, '     ').join('\n')}\n`);
  }
}

/** Runs `dax-model worker`; returns the exit code. */
export async function workerCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(WORKER, argv);
  const usage = (msg: string): number => {
    process.stderr.write(`dax-model worker: ${msg}\n`);
    return EXIT.usage;
  };
  if (positionals.length !== 1) return usage(`one HOST[:PORT], got ${positionals.length ? positionals.join(' ') : 'none'}`);
  const m = /^([^:\s]+)(?::(\d+))?$/.exec(positionals[0] as string);
  if (!m) return usage(`'${positionals[0]}' is not HOST or HOST:PORT`);
  const port = m[2] === undefined ? TLC_SERVER_DEFAULT_PORT : Number(m[2]);
  if (!(port > 0 && port <= 65535)) return usage(`port ${m[2]} is out of range`);
  const threads = positiveInt(values.threads, '--threads');
  const timeout = positiveInt(values.timeout, '--timeout');
  for (const x of [threads, timeout]) if (typeof x === 'string') return usage(x);
  try {
    const w = startTlcWorker({
      host: m[1] as string,
      port,
      fpset: values.fpset,
      signal,
      onLine: (l) => process.stderr.write(`${l}\n`),
      ...(threads !== undefined ? { threads: threads as number } : {}),
      ...(timeout !== undefined ? { timeoutSeconds: timeout as number } : {}),
      ...(values.host ? { hostname: values.host } : {}),
    });
    const out = await w.outcome;
    if (out.completed) {
      process.stdout.write(`worker done: computed ${thousands(out.computed ?? 0)} states for ${m[1]}:${port}\n`);
      return EXIT.ok;
    }
    process.stderr.write(
      `dax-model worker: ${out.stoppedBy ? `stopped (${out.stoppedBy})` : (out.error ?? `ended (exit ${out.exitCode ?? out.signal}) before the server finished`)}\n`,
    );
    return signal.aborted ? EXIT.interrupted : EXIT.runFailed;
  } catch (e) {
    if (e instanceof TlcLocateError) {
      process.stderr.write(`dax-model worker: ${e.message}\n`);
      return EXIT.runFailed;
    }
    throw e;
  }
}
