// Runs TLC (tlc2.TLC from tla2tools.jar) on a spec + config: the java command line, a private
// metadir and JVM temp dir per run, time-outs and aborts, then the run interpreted as a
// CheckResult (interpret.ts). Also runTlcInDir, for tools that want TLC's own files.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CheckResult, Progress, RunErrorKind, TraceStep } from '../result/check-result.ts';
import { registerCleanup, removeOnExit, signalProcessGroup } from '../interrupt.ts';
import { type TlcExit, tlcExit } from './exit.ts';
import { type TlcRunRecord, interpretTlcRun, moduleFilesOf } from './interpret.ts';
import { TlcLocateError, findJava, findTlaToolsJar, type LocateOptions } from './locate.ts';
import { TLC_MSG, TlcOutputParser, parseProgress } from './messages.ts';
import { TlcTraceSyntaxError, parseSimulationTrace, sourceParamNames } from './trace-grammar.ts';
import { type DumpTrace, type TlcCounterexample, readDumpTrace } from './traces.ts';

/** How to run TLC. Paths may be relative to the current directory. */
export interface TlcRunOptions {
  /** The .tla module to check, e.g. spec/MCDaxDma.tla. */
  specFile: string;
  /** Its .cfg. */
  configFile: string;
  /** TLC worker threads (-workers); TLC's default is 1. */
  workers?: number | 'auto';
  /** Kill TLC after this many seconds: verdict 'error', error.kind 'timeout'. 0 or absent: no limit. */
  timeoutSeconds?: number;
  /** Ask TLC for `-dumpTrace json` too; its parameter names are merged into the text trace. */
  dumpTrace?: boolean;
  /** Random simulation (-simulate num=N,file=PREFIX -depth D [-seed S]) instead of model checking.
   *  The behaviours TLC writes come back in `simulation.traces`; they are kept at `traceFile`
   *  (an absolute or relative path prefix; TLC appends _<worker>_<n>) when given. */
  simulate?: { num: number; depth: number; seed?: number; traceFile?: string };
  /** More TLC options, passed before the spec file. */
  extraArgs?: string[];
  /** More JVM options, e.g. ['-Xmx4g']. */
  jvmArgs?: string[];
  /** Called for every progress report TLC prints (at start, then about once a minute). */
  onProgress?: (p: Progress) => void;
  /** Called for every line TLC prints outside its messages (Print/PrintT output, SANY). */
  onOutputLine?: (line: string) => void;
  /** Aborting kills TLC: verdict 'error', error.kind 'interrupted'. */
  signal?: AbortSignal;
  /** Check for deadlock (default true); false passes -deadlock. */
  deadlock?: boolean;
  /** Explicit java binary / jar, instead of locating them. */
  java?: string;
  jar?: string;
  /** Where to locate java and the jar (environment, repository root). */
  locate?: LocateOptions;
}

/** A CheckResult with TLC-specific detail. */
export interface TlcCheckResult extends CheckResult {
  counterexample?: TlcCounterexample;
  /** When TLC reports a temporal violation without naming it and the config lists several. */
  propertyCandidates?: string[];
  /** The typed exit status (exitCode holds the number). */
  exit?: TlcExit;
  /** Simulation mode: the behaviours TLC generated, one per trace file, in file order. */
  simulation?: { traces: TraceStep[][]; traceFiles: string[] };
  /** Why TLC's trace could not be read, if it could not (the verdict stands). */
  traceError?: string;
  /** Peak resident memory of the JVM in MB, sampled from /proc every 250 ms (Linux only). */
  peakRssMB?: number;
  /** The per-run temporary directory (metadir, java.io.tmpdir, dumps); already removed. */
  workDir?: string;
}

/** How long TLC has to end after SIGTERM before SIGKILL: longer after a time-out, short after
 *  an abort, which must end the command within a second. */
const KILL_GRACE_MS = { timeout: 2000, abort: 400 } as const;

/** Runs TLC once and reports what it found. Run failures (missing Java or jar, parse or config
 *  errors, timeout, abort, crash) resolve to verdict 'error' with `error` set; only invalid
 *  options reject. Each run has its own temporary directory (metadir, JVM temp dir, dumps), cwd
 *  set there, and it is removed before the promise settles, whatever happened. */
export async function runTlc(options: TlcRunOptions): Promise<TlcCheckResult> {
  const started = performance.now();
  const seconds = (): number => Math.round(performance.now() - started) / 1000;
  const errorResult = (kind: RunErrorKind, message: string): TlcCheckResult => ({
    engine: 'tlc',
    verdict: 'error',
    distinctStates: 0,
    seconds: seconds(),
    error: { kind, message },
  });

  validate(options);
  let java: string;
  let jar: string;
  try {
    jar = options.jar ?? findTlaToolsJar(options.locate);
    java = options.java ?? findJava(options.locate);
  } catch (e) {
    if (e instanceof TlcLocateError) return errorResult(e.kind, e.message);
    throw e;
  }
  if (options.signal?.aborted) return errorResult('interrupted', 'TLC run interrupted before it started');

  const specFile = path.resolve(options.specFile);
  const configFile = path.resolve(options.configFile);
  // Made and registered in one synchronous step: an async mkdtemp still in flight when a second
  // Ctrl-C forces the exit would leave a folder nobody knows to remove.
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'dax-tlc-'));
  const releaseWorkDir = removeOnExit(workDir);
  try {
    const metaDir = path.join(workDir, 'meta');
    const javaTmp = path.join(workDir, 'java-tmp');
    await mkdir(javaTmp);
    const dumpFile = path.join(workDir, 'trace.json');
    let simPrefix: string | undefined;
    if (options.simulate) {
      simPrefix = options.simulate.traceFile ? path.resolve(options.simulate.traceFile) : path.join(workDir, 'sim', 'trace');
      // TLC fails with a general error (255) when the prefix's directory does not exist.
      await mkdir(path.dirname(simPrefix), { recursive: true });
    }

    const args = [
      '-XX:+UseParallelGC',
      // TLC unpacks the standard modules into java.io.tmpdir/tlc-<n> and leaves them there.
      `-Djava.io.tmpdir=${javaTmp}`,
      ...(options.jvmArgs ?? []),
      '-cp',
      jar,
      'tlc2.TLC',
      '-tool',
      // -tool alone already writes no *_TTrace_*.tla, but say so explicitly; cwd is workDir anyway.
      '-noGenerateSpecTE',
      '-metadir',
      metaDir,
      '-config',
      configFile,
    ];
    if (options.workers !== undefined) args.push('-workers', String(options.workers));
    if (options.deadlock === false) args.push('-deadlock');
    if (options.dumpTrace) args.push('-dumpTrace', 'json', dumpFile);
    if (options.simulate && simPrefix) {
      const s = options.simulate;
      args.push('-simulate', `num=${s.num},file=${simPrefix}`, '-depth', String(s.depth));
      if (s.seed !== undefined) args.push('-seed', String(s.seed));
    }
    args.push(...(options.extraArgs ?? []), specFile);

    const run = await spawnTlc(java, args, workDir, started, options);
    if (run.spawnError) return { ...errorResult('missing-java', `cannot run ${java}: ${run.spawnError}`), workDir };

    const cfgText = await readFile(configFile, 'utf8').catch(() => undefined);
    let dumpTrace: DumpTrace | undefined;
    if (options.dumpTrace) {
      const raw = await readFile(dumpFile, 'utf8').catch(() => undefined);
      if (raw !== undefined) {
        try {
          dumpTrace = readDumpTrace(JSON.parse(raw));
        } catch {
          // The text trace is still there; a dump TLC cut short is not worth failing the run.
        }
      }
    }
    const moduleFiles = moduleFilesOf(run.parser.plain);
    const sources = new Map<string, string | undefined>();
    await Promise.all(
      [...moduleFiles.values()]
        .filter((f) => !f.startsWith(javaTmp))
        .map(async (f) => sources.set(f, await readFile(f, 'utf8').catch(() => undefined))),
    );
    const sourceNames = sourceParamNames(moduleFiles, (f) => sources.get(f));
    const exit = tlcExit(run.code, run.signal);
    const rec: TlcRunRecord = {
      messages: run.parser.messages,
      plain: run.parser.plain,
      stderr: run.stderr,
      exit,
      configFile,
      specFile,
      sourceNames,
    };
    if (cfgText !== undefined) rec.cfgText = cfgText;
    if (dumpTrace) rec.dumpTrace = dumpTrace;
    const it = interpretTlcRun(rec);

    const result: TlcCheckResult = {
      engine: 'tlc',
      verdict: it.verdict,
      distinctStates: it.distinctStates,
      seconds: seconds(),
      exit,
      workDir,
    };
    if (run.code !== null) result.exitCode = run.code;
    if (run.peakRssMB !== undefined) result.peakRssMB = run.peakRssMB;
    if (it.statesGenerated !== undefined) result.statesGenerated = it.statesGenerated;
    if (it.depth !== undefined) result.depth = it.depth;
    if (it.engineVersion) result.engineVersion = it.engineVersion;
    if (it.property) result.property = it.property;
    if (it.propertyCandidates) result.propertyCandidates = it.propertyCandidates;
    if (it.counterexample) result.counterexample = it.counterexample;
    if (it.error) result.error = it.error;
    if (it.traceError) result.traceError = it.traceError;

    if (run.stoppedBy) {
      // Our kill, not TLC's verdict: keep the statistics seen so far, drop any half-printed trace.
      const timeout = run.stoppedBy === 'timeout';
      result.verdict = 'error';
      result.error = {
        kind: timeout ? 'timeout' : 'interrupted',
        message: timeout ? `TLC did not finish within ${options.timeoutSeconds}s and was stopped` : 'TLC run interrupted',
      };
      delete result.counterexample;
      delete result.property;
      delete result.traceError;
    }

    if (options.simulate && simPrefix) {
      const traceFiles = await simulationFiles(simPrefix);
      const traces: TraceStep[][] = [];
      for (const f of traceFiles) {
        try {
          traces.push(parseSimulationTrace(await readFile(f, 'utf8'), sourceNames));
        } catch (e) {
          if (!(e instanceof TlcTraceSyntaxError)) throw e;
          // A file TLC was still writing when it was stopped.
          if (!run.stoppedBy) throw e;
        }
      }
      result.simulation = { traces, traceFiles: options.simulate.traceFile ? traceFiles : [] };
    }
    return result;
  } finally {
    await rm(workDir, { recursive: true, force: true, maxRetries: 3 });
    releaseWorkDir();
  }
}

function validate(o: TlcRunOptions): void {
  if (o.workers !== undefined && o.workers !== 'auto' && !(Number.isInteger(o.workers) && o.workers >= 1))
    throw new RangeError(`runTlc: workers must be 'auto' or an integer >= 1, got ${o.workers}`);
  if (o.timeoutSeconds !== undefined && !(o.timeoutSeconds >= 0))
    throw new RangeError(`runTlc: timeoutSeconds must be >= 0 (0: no limit), got ${o.timeoutSeconds}`);
  const s = o.simulate;
  if (s) {
    if (!(Number.isInteger(s.num) && s.num >= 1)) throw new RangeError(`runTlc: simulate.num must be an integer >= 1, got ${s.num}`);
    if (!(Number.isInteger(s.depth) && s.depth >= 1))
      throw new RangeError(`runTlc: simulate.depth must be an integer >= 1, got ${s.depth}`);
    if (s.seed !== undefined && !Number.isInteger(s.seed)) throw new RangeError(`runTlc: simulate.seed must be an integer, got ${s.seed}`);
    // TLC splits the -simulate argument on commas.
    if (s.traceFile !== undefined && /[,=]/.test(path.resolve(s.traceFile)))
      throw new RangeError(`runTlc: simulate.traceFile must not contain ',' or '=': ${s.traceFile}`);
  }
}

/** Trace files TLC -simulate wrote for a prefix: PREFIX_<worker>_<n>, by worker then n. */
async function simulationFiles(prefix: string): Promise<string[]> {
  const dir = path.dirname(prefix);
  const base = path.basename(prefix);
  const names = await readdir(dir).catch(() => [] as string[]);
  const found: { file: string; w: number; n: number }[] = [];
  for (const name of names) {
    if (!name.startsWith(`${base}_`)) continue;
    const m = /^_(\d+)_(\d+)$/.exec(name.slice(base.length));
    if (m) found.push({ file: path.join(dir, name), w: Number(m[1]), n: Number(m[2]) });
  }
  return found.sort((a, b) => a.w - b.w || a.n - b.n).map((f) => f.file);
}

interface SpawnOutcome {
  parser: TlcOutputParser;
  stderr: string;
  code: number | null;
  signal: string | null;
  stoppedBy?: 'timeout' | 'abort';
  spawnError?: string;
  /** Peak resident memory of the JVM (VmHWM), where /proc shows it. */
  peakRssMB?: number;
}

/** The peak resident set size of a process in MB, from /proc (Linux); undefined elsewhere. */
function readPeakRssMB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

function spawnTlc(java: string, args: string[], cwd: string, started: number, o: TlcRunOptions): Promise<SpawnOutcome> {
  return new Promise((resolve) => {
    const parser = new TlcOutputParser((m) => {
      if (!o.onProgress || (m.code !== TLC_MSG.PROGRESS_STATS && m.code !== TLC_MSG.PROGRESS_SIMU)) return;
      const p = parseProgress(m.body, Math.round(performance.now() - started) / 1000);
      if (p) o.onProgress(p);
    }, o.onOutputLine);
    // Own process group (POSIX), so a timeout or abort can signal TLC and anything it started.
    const child = spawn(java, args, { cwd, shell: false, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stoppedBy: SpawnOutcome['stoppedBy'];
    let killTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let settled = false;
    // VmHWM is only readable while the process lives, so sample it until it exits.
    let peakRssMB: number | undefined;
    const sampleRss = (): void => {
      const v = readPeakRssMB(child.pid);
      if (v !== undefined) peakRssMB = Math.max(peakRssMB ?? 0, v);
    };
    const rssTimer = setInterval(sampleRss, 250);

    const signalTree = (sig: NodeJS.Signals): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalProcessGroup(child.pid, sig);
    };
    // If this process ends first (a second Ctrl-C), TLC must not outlive it.
    const releaseChild = registerCleanup(() => signalProcessGroup(child.pid, 'SIGKILL'));
    const stop = (why: 'timeout' | 'abort'): void => {
      if (stoppedBy) return;
      stoppedBy = why;
      signalTree('SIGTERM');
      killTimer = setTimeout(() => signalTree('SIGKILL'), KILL_GRACE_MS[why]);
    };
    const onAbort = (): void => stop('abort');
    // 0 means no limit; so does anything beyond setTimeout's range (which would fire at once).
    const limitMs = (o.timeoutSeconds ?? 0) * 1000;
    if (limitMs > 0 && limitMs <= 2_147_483_647) timeoutTimer = setTimeout(() => stop('timeout'), limitMs);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    // An abort between the caller's check and the listener above would otherwise be lost.
    if (o.signal?.aborted) stop('abort');

    const finish = (outcome: Omit<SpawnOutcome, 'parser' | 'stderr'>): void => {
      if (settled) return;
      settled = true;
      releaseChild();
      clearInterval(rssTimer);
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      o.signal?.removeEventListener('abort', onAbort);
      parser.end();
      const r: SpawnOutcome = { parser, stderr, ...outcome };
      if (stoppedBy) r.stoppedBy = stoppedBy;
      if (peakRssMB !== undefined) r.peakRssMB = peakRssMB;
      resolve(r);
    };

    child.stdout.setEncoding('utf8').on('data', (d: string) => parser.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.length > 65_536) stderr = stderr.slice(-32_768);
    });
    child.on('error', (e) => finish({ code: null, signal: null, spawnError: e.message }));
    child.on('exit', sampleRss);
    child.on('close', (code, signal) => finish({ code, signal }));
  });
}

/** What runTlcInDir saw: status null when TLC could not run or timed out. */
export interface TlcInDirOutcome {
  status: number | null;
  stdout: string;
  error?: string;
}

/** The java command line of runTlcInDir. */
function inDirCommand(dir: string, tlcArgs: string[], locate: LocateOptions): [string, string[]] {
  return [findJava(locate), ['-XX:+UseParallelGC', `-Djava.io.tmpdir=${dir}`, '-cp', findTlaToolsJar(locate), 'tlc2.TLC', ...tlcArgs]];
}

/**
 * Runs TLC synchronously in `dir` (its cwd and java.io.tmpdir, so metadir and outputs land there)
 * with `tlcArgs` after `tlc2.TLC`, for tools that want TLC's files as they are (a -dump, a
 * -dumpTrace, stdout) rather than a CheckResult: the state-graph oracle and the fixture recorder.
 * Status is null when TLC could not run or timed out. @throws TlcLocateError without java or jar.
 */
export function runTlcInDir(dir: string, tlcArgs: string[], timeoutMs: number, locate: LocateOptions = {}): TlcInDirOutcome {
  const [java, args] = inDirCommand(dir, tlcArgs, locate);
  const p = spawnSync(java, args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
    shell: false,
  });
  const error = p.error ? (p.error.message.includes('ETIMEDOUT') ? `timed out after ${timeoutMs} ms` : p.error.message) : undefined;
  return { status: p.error ? null : p.status, stdout: p.stdout ?? '', ...(error ? { error } : {}) };
}
