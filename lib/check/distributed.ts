// `dax-model check --distributed`: one config checked by TLC's distributed mode (a TLCServer that
// workers on other machines join), with the verdict the server does not print decided here: which
// invariant the last state of its trace breaks, or a deadlock, via the embedded engine.
import { readFileSync } from 'node:fs';
import { Explorer, ExplorerError } from '../embedded/explorer.ts';
import type { CheckResult, Progress } from '../result/check-result.ts';
import { parseCfg } from '../tla/cfg.ts';
import {
  type DistributedServerResult,
  TLC_SERVER_DEFAULT_PORT,
  type TlcWorkerOutcome,
  startTlcServer,
  startTlcWorker,
} from '../tlc/distributed.ts';
import { type ConfigOutcome, configOutcome } from './check.ts';
import { configFile, loadManifest, selectConfigs, specFile } from './manifest.ts';

/** What distributed TLC cannot do, refused before anything starts (the CLI exits 2). */
export class DistributedUnsupported extends Error {
  override name = 'DistributedUnsupported';
}

export interface DistributedCheckOptions {
  port?: number;
  /** The address workers reach this machine at (java.rmi.server.hostname); default 127.0.0.1. */
  host?: string;
  /** Stop the server after this many seconds (it waits for workers forever otherwise). */
  timeoutSeconds?: number;
  /** Distributed fingerprint-set servers to wait for (workers started with --fpset). */
  fpsets?: number;
  /** Workers to start on this machine too (threads each), e.g. for a one-host run or a test. */
  localWorkers?: number;
  localWorkerThreads?: number;
  reportMs?: number;
  runTag?: string;
  signal?: AbortSignal;
  onReady?: (workerCommand: WorkerCommand) => void;
  onWorker?: (line: string) => void;
  onProgress?: (p: Progress) => void;
  /** Called with each local worker's index when it has started (e.g. to kill one in a test). */
  onLocalWorker?: (index: number, stop: (signal?: NodeJS.Signals) => void) => void;
}

/** The command a worker machine runs: ours, and the plain java one. */
interface WorkerCommand {
  daxModel: string;
  java: string;
}

/** A distributed outcome: the local check's shape, plus the server's worker count and the local workers' ends. */
export interface DistributedOutcome extends ConfigOutcome {
  workersRegistered: number;
  localWorkers: TlcWorkerOutcome[];
}

/** Why distributed TLC cannot check this cfg, or null. */
export function distributedRefusal(cfgText: string, cfgName: string): string | null {
  const cfg = parseCfg(cfgText);
  if (cfg.properties.length)
    return `${cfgName} has PROPERTY ${cfg.properties.join(', ')}: distributed TLC ignores temporal properties without a word (check it locally)`;
  return null;
}

/** Checks one config of the manifest with a TLCServer (and `localWorkers` workers here). */
export async function checkDistributed(name: string, opts: DistributedCheckOptions = {}): Promise<DistributedOutcome> {
  const manifest = loadManifest();
  const [entry] = selectConfigs(manifest, [name]);
  if (!entry) throw new DistributedUnsupported(`unknown config ${name}`);
  const spec = specFile(manifest);
  const cfgFile = configFile(name);
  const cfgText = readFileSync(cfgFile, 'utf8');
  const refusal = distributedRefusal(cfgText, `${name}.cfg`);
  if (refusal) throw new DistributedUnsupported(refusal);
  const port = opts.port ?? TLC_SERVER_DEFAULT_PORT;
  const host = opts.host ?? '127.0.0.1';

  const locals: Promise<TlcWorkerOutcome>[] = [];
  const server = startTlcServer({
    specFile: spec,
    configFile: cfgFile,
    port,
    hostname: host,
    deadlock: parseCfg(cfgText).checkDeadlock !== false,
    ...(opts.timeoutSeconds !== undefined ? { timeoutSeconds: opts.timeoutSeconds } : {}),
    ...(opts.fpsets ? { fpsets: opts.fpsets } : {}),
    ...(opts.reportMs ? { reportMs: opts.reportMs } : {}),
    ...(opts.runTag ? { runTag: opts.runTag } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.onWorker ? { onWorker: opts.onWorker } : {}),
  });
  server.ready.then(
    () => opts.onReady?.(workerCommand(host, port, server.jar ?? 'tla2tools.jar', opts.fpsets ?? 0)),
    () => {},
  );
  // Workers poll until the server is up, so they can start at once.
  const localStops: ((s?: NodeJS.Signals) => void)[] = [];
  for (let i = 0; i < (opts.localWorkers ?? 0) && server.process; i++) {
    const w = startTlcWorker({
      host,
      port,
      hostname: host,
      ...(opts.localWorkerThreads ? { threads: opts.localWorkerThreads } : {}),
      ...(opts.fpsets && i < opts.fpsets ? { fpset: true } : {}),
      ...(opts.runTag ? { runTag: opts.runTag } : {}),
    });
    locals.push(w.outcome);
    localStops.push((s) => w.process.stop(s));
    opts.onLocalWorker?.(i, (s) => w.process.stop(s));
  }
  let result: DistributedServerResult;
  try {
    result = await server.result;
  } finally {
    // A worker whose server is gone retries for ever; end ours.
    for (const stop of localStops) stop();
  }
  const named = nameViolation(result, spec, cfgFile, parseCfg(cfgText).checkDeadlock !== false);
  return {
    ...configOutcome(entry, 'tlc', named),
    workersRegistered: result.workersRegistered,
    localWorkers: await Promise.all(locals),
  };
}

/** The server prints a trace but not what it violates: evaluate the cfg's invariants on the last
 *  state (embedded engine); none failing and no successor is a deadlock; else say it is unnamed. */
function nameViolation<R extends CheckResult>(r: R, spec: string, cfg: string, deadlockChecked: boolean): R {
  if (r.verdict !== 'invariant' || r.property || !r.counterexample) return r;
  const last = r.counterexample.steps[r.counterexample.steps.length - 1];
  if (!last) return r;
  try {
    const explorer = new Explorer(spec, cfg);
    const failing = explorer.failingInvariant(last.state);
    if (failing) return { ...r, property: failing };
    if (deadlockChecked && explorer.transitions(last.state).length === 0) return { ...r, verdict: 'deadlock' };
    return {
      ...r,
      warnings: [
        ...(r.warnings ?? []),
        'the last state of the trace breaks no invariant of the cfg and has successors: invariant (unnamed)',
      ],
    };
  } catch (e) {
    if (!(e instanceof ExplorerError)) throw e;
    return {
      ...r,
      warnings: [...(r.warnings ?? []), `cannot name the violated invariant (embedded engine: ${e.message}): invariant (unnamed)`],
    };
  }
}

/** What a worker machine runs to join a server advertised as host:port. */
function workerCommand(host: string, port: number, jar: string, fpsets: number): WorkerCommand {
  const fp = fpsets > 0 ? ' --fpset' : '';
  const fpClass = fpsets > 0 ? 'tlc2.tool.distributed.fp.TLCWorkerAndFPSet' : 'tlc2.tool.distributed.TLCWorker';
  return {
    daxModel: `dax-model worker ${host}:${port} [--threads N] [--host THIS-MACHINE]${fp}`,
    java: `java -Djava.rmi.server.hostname=THIS-MACHINE -Dtlc2.tool.distributed.TLCServer.port=${port} -Dtlc2.tool.distributed.TLCWorker.threadCount=N -cp ${jar} ${fpClass} ${host}`,
  };
}
