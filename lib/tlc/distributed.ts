// TLC's distributed mode (tlc2.tool.distributed.TLCServer / TLCWorker / fp.TLCWorkerAndFPSet in
// tla2tools.jar 2.20): stages the spec with the cfg beside it, starts a server or a worker as a
// child process group, and reads the server's -tool output as a CheckResult.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Progress } from '../result/check-result.ts';
import { registerCleanup, removeOnExit, signalProcessGroup } from '../interrupt.ts';
import { TlcLocateError, findJava, findTlaToolsJar, type LocateOptions } from './locate.ts';
import { TLC_MSG, TlcOutputParser, parseProgress } from './messages.ts';
import type { TlcCheckResult } from './run.ts';
import { interpretServerRun } from './distributed-result.ts';

/** TLC's default RMI registry port (TLCServer.Port). */
export const TLC_SERVER_DEFAULT_PORT = 10997;
/** -tool message codes of the distributed server (tlc2.output.EC). */
const TLC_DIST_MSG = { SERVER_READY: 7000, WORKER_REGISTERED: 7001 } as const;

const PROP = {
  port: 'tlc2.tool.distributed.TLCServer.port',
  report: 'tlc2.tool.distributed.TLCServer.report',
  fpsets: 'tlc2.tool.distributed.TLCServer.expectedFPSetCount',
  threads: 'tlc2.tool.distributed.TLCWorker.threadCount',
} as const;
/** How long a JVM has after SIGTERM before SIGKILL: shorter after an abort (Ctrl-C), which must
 *  end the command within a second (tools/cli/interrupt.ts). */
const KILL_GRACE_MS = 2000;
const ABORT_KILL_GRACE_MS = 400;

/** Where java and the jar are, and a tag that marks every JVM of one run in the process table. */
interface JvmOptions {
  java?: string;
  jar?: string;
  locate?: LocateOptions;
  /** Passed as -Ddax-model.run=TAG, so a test can find (and assert the end of) its processes. */
  runTag?: string;
}

/** How to start a TLCServer. */
export interface TlcServerOptions extends JvmOptions {
  specFile: string;
  configFile: string;
  /** RMI registry port (default 10997); workers must use the same. */
  port?: number;
  /** The address written into RMI stubs (java.rmi.server.hostname): what workers connect back to. */
  hostname?: string;
  /** Kill the server after this many seconds: it has no time-out of its own and waits for workers forever. */
  timeoutSeconds?: number;
  /** Check for deadlock (default true); false passes -deadlock (the server ignores the cfg's CHECK_DEADLOCK). */
  deadlock?: boolean;
  /** Number of distributed fingerprint-set servers to wait for (expectedFPSetCount); 0: the server keeps them. */
  fpsets?: number;
  /** Progress interval in ms (TLCServer.report; TLC's default is 60000). */
  reportMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Called once, when the server is ready for workers (EC 7000). */
  onReady?: () => void;
  /** Called for each worker that registers (EC 7001). */
  onWorker?: (line: string) => void;
}

/** A server's result: TLC's statistics, and the trace it printed, still without a verdict's name. */
export interface DistributedServerResult extends TlcCheckResult {
  /** Workers that registered during the run. */
  workersRegistered: number;
}

/** Copies every module of the spec's folder and the cfg into a fresh folder: the server resolves
 *  the cfg by its last path component in the spec's folder, and workers die reading it elsewhere. */
function stageSpec(specFile: string, configFile: string, into: string): { spec: string; cfg: string } {
  const dir = path.join(into, 'spec');
  mkdirSync(dir, { recursive: true });
  const from = path.dirname(path.resolve(specFile));
  for (const f of readdirSync(from)) if (f.endsWith('.tla')) copyFileSync(path.join(from, f), path.join(dir, f));
  const cfg = path.join(dir, path.basename(configFile));
  copyFileSync(path.resolve(configFile), cfg);
  return { spec: path.join(dir, path.basename(specFile)), cfg };
}

/** The java command line a worker machine runs to join a server at host:port. */
function workerJavaArgs(o: {
  host: string;
  port?: number;
  threads?: number;
  fpset?: boolean;
  hostname?: string;
  jar: string;
  runTag?: string;
}): string[] {
  return [
    ...(o.runTag ? [`-Ddax-model.run=${o.runTag}`] : []),
    ...(o.hostname ? [`-Djava.rmi.server.hostname=${o.hostname}`] : []),
    `-D${PROP.port}=${o.port ?? TLC_SERVER_DEFAULT_PORT}`,
    ...(o.threads ? [`-D${PROP.threads}=${o.threads}`] : []),
    '-cp',
    o.jar,
    o.fpset ? 'tlc2.tool.distributed.fp.TLCWorkerAndFPSet' : 'tlc2.tool.distributed.TLCWorker',
    // TLCWorker takes a bare host; the port travels as the system property above.
    o.host,
  ];
}

/** A running JVM in its own process group; stop() ends the group (TERM, then KILL), and so does
 *  this process ending first (a second Ctrl-C: lib/interrupt.ts cleanups). */
export interface JvmProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** `graceMs`: how long after `signal` (default SIGTERM) the group is killed. */
  stop(signal?: NodeJS.Signals, graceMs?: number): void;
}

function spawnJvm(java: string, args: string[], cwd: string, onStdout: (s: string) => void, onStderr: (s: string) => void): JvmProcess {
  const child = spawn(java, args, { cwd, shell: false, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.setEncoding('utf8').on('data', onStdout);
  child.stderr?.setEncoding('utf8').on('data', onStderr);
  const release = registerCleanup(() => signalProcessGroup(child.pid, 'SIGKILL'));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on('error', () => resolve({ code: null, signal: null }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  }).finally(release);
  const alive = (): boolean => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  const signalGroup = (sig: NodeJS.Signals): void => {
    if (alive()) signalProcessGroup(child.pid, sig);
  };
  return {
    child,
    exited,
    stop(sig: NodeJS.Signals = 'SIGTERM', graceMs = KILL_GRACE_MS) {
      signalGroup(sig);
      if (sig !== 'SIGKILL') setTimeout(() => signalGroup('SIGKILL'), graceMs).unref();
    },
  };
}

function locate(o: JvmOptions): { java: string; jar: string } {
  return { jar: o.jar ?? findTlaToolsJar(o.locate), java: o.java ?? findJava(o.locate) };
}

/** A started server: `ready` settles when it accepts workers, `result` when it ends. */
export interface TlcServerRun {
  ready: Promise<void>;
  result: Promise<DistributedServerResult>;
  /** The JVM (undefined when java or the jar was not found: then `result` says why). */
  process?: JvmProcess;
  jar?: string;
}

/** Starts a TLCServer for one spec + cfg in its own staging folder (removed when it ends). The
 *  result's verdict is 'holds' when TLC found no error, 'invariant' without a property when TLC
 *  printed a trace (the server names neither the invariant nor a deadlock: see lib/check). */
export function startTlcServer(o: TlcServerOptions): TlcServerRun {
  const started = performance.now();
  const seconds = (): number => Math.round(performance.now() - started) / 1000;
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  let java: string;
  let jar: string;
  try {
    ({ java, jar } = locate(o));
  } catch (e) {
    if (!(e instanceof TlcLocateError)) throw e;
    const r: DistributedServerResult = {
      engine: 'tlc',
      verdict: 'error',
      distinctStates: 0,
      seconds: 0,
      error: { kind: e.kind, message: e.message },
      workersRegistered: 0,
    };
    return { ready, result: Promise.resolve(r) };
  }
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'dax-tlc-dist-'));
  const releaseWorkDir = removeOnExit(workDir);
  const { spec, cfg } = stageSpec(o.specFile, o.configFile, workDir);
  let workers = 0;
  const parser = new TlcOutputParser((m) => {
    if (m.code === TLC_DIST_MSG.SERVER_READY) {
      markReady();
      o.onReady?.();
    } else if (m.code === TLC_DIST_MSG.WORKER_REGISTERED) {
      workers++;
      o.onWorker?.(m.body.trim());
    } else if (o.onProgress && m.code === TLC_MSG.PROGRESS_STATS) {
      const p = parseProgress(m.body, seconds());
      if (p) o.onProgress(p);
    }
  });
  let stderr = '';
  const args = [
    '-XX:+UseParallelGC',
    `-Djava.io.tmpdir=${workDir}`,
    ...(o.runTag ? [`-Ddax-model.run=${o.runTag}`] : []),
    ...(o.hostname ? [`-Djava.rmi.server.hostname=${o.hostname}`] : []),
    `-D${PROP.port}=${o.port ?? TLC_SERVER_DEFAULT_PORT}`,
    ...(o.reportMs ? [`-D${PROP.report}=${o.reportMs}`] : []),
    ...(o.fpsets ? [`-D${PROP.fpsets}=${o.fpsets}`] : []),
    '-cp',
    jar,
    'tlc2.tool.distributed.TLCServer',
    '-tool',
    ...(o.deadlock === false ? ['-deadlock'] : []),
    '-metadir',
    path.join(workDir, 'meta'),
    '-config',
    path.basename(cfg),
    path.basename(spec),
  ];
  const proc = spawnJvm(
    java,
    args,
    path.dirname(spec),
    (d) => parser.push(d),
    (d) => {
      stderr = (stderr + d).slice(-32_768);
    },
  );
  let stoppedBy: 'timeout' | 'abort' | undefined;
  const stop = (why: 'timeout' | 'abort'): void => {
    stoppedBy ??= why;
    proc.stop('SIGTERM', why === 'abort' ? ABORT_KILL_GRACE_MS : KILL_GRACE_MS);
  };
  const onAbort = (): void => stop('abort');
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) stop('abort');
  const limitMs = (o.timeoutSeconds ?? 0) * 1000;
  const timer = limitMs > 0 && limitMs <= 2_147_483_647 ? setTimeout(() => stop('timeout'), limitMs) : undefined;

  const result = proc.exited.then(({ code, signal }) => {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    parser.end();
    try {
      return interpretServerRun(parser, {
        code,
        signal,
        stderr,
        spec,
        cfg,
        workers,
        seconds: seconds(),
        stoppedBy,
        timeoutSeconds: o.timeoutSeconds,
      });
    } finally {
      rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
      releaseWorkDir();
    }
  });
  return { ready, result, process: proc, jar };
}

/** How to start a worker. */
export interface TlcWorkerOptions extends JvmOptions {
  host: string;
  port?: number;
  threads?: number;
  /** Also serve part of the fingerprint set (TLCWorkerAndFPSet), for a server started with fpsets > 0. */
  fpset?: boolean;
  /** This machine's address as the server must reach it (java.rmi.server.hostname). */
  hostname?: string;
  timeoutSeconds?: number;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}

/** What a worker did: TLC's exit code says nothing (0 even when it failed to start). */
export interface TlcWorkerOutcome {
  exitCode: number | null;
  signal: string | null;
  /** "work completed" was printed. */
  completed: boolean;
  /** States this worker computed, from its farewell line. */
  computed?: number;
  /** The first error line it printed, e.g. "Failed to start worker for server ...". */
  error?: string;
  stoppedBy?: 'timeout' | 'abort';
}

/** Starts a TLCWorker (or TLCWorkerAndFPSet) that joins the server at host:port. */
export function startTlcWorker(o: TlcWorkerOptions): { process: JvmProcess; outcome: Promise<TlcWorkerOutcome> } {
  const { java, jar } = locate(o);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-tlc-worker-'));
  const releaseDir = removeOnExit(dir);
  let text = '';
  let partial = '';
  const onData = (d: string): void => {
    text = (text + d).slice(-65_536);
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) o.onLine?.(l);
  };
  const args = ['-XX:+UseParallelGC', `-Djava.io.tmpdir=${dir}`, ...workerJavaArgs({ ...o, jar })];
  const proc = spawnJvm(java, args, dir, onData, onData);
  let stoppedBy: TlcWorkerOutcome['stoppedBy'];
  const onAbort = (): void => {
    stoppedBy ??= 'abort';
    proc.stop('SIGTERM', ABORT_KILL_GRACE_MS);
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const limitMs = (o.timeoutSeconds ?? 0) * 1000;
  const timer = limitMs > 0 ? setTimeout(() => ((stoppedBy ??= 'timeout'), proc.stop()), limitMs) : undefined;
  const outcome = proc.exited.then(({ code, signal }) => {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    releaseDir();
    const done = /work completed at: .*Computed: (\d+)/.exec(text);
    const err = /^(?:Error: (?!VM does not allow)|Exception occured).*$/m.exec(text);
    const r: TlcWorkerOutcome = { exitCode: code, signal, completed: done !== null };
    if (done) r.computed = Number(done[1]);
    if (err && !done) r.error = err[0].trim();
    if (stoppedBy) r.stoppedBy = stoppedBy;
    return r;
  });
  return { process: proc, outcome };
}
