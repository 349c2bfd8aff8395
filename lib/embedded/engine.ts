// Model checking with the embedded engine (tla-checker, WebAssembly) where TLC's jar is absent:
// flattens the module tree, adapts module and cfg, checks in a worker thread, reads the verdict.
// Stands for `java tlc2.TLC -config <cfg> <spec>` and its result as lib/result/check-result.ts shapes it.
import { existsSync, readFileSync } from 'node:fs';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { CheckResult, Counterexample, RunError, RunErrorKind } from '../result/check-result.ts';
import { type AdaptedModel, adaptModel, engineNameOf, withProperties } from './adapt.ts';
import { ModelConfigError, parseCfg } from '../tla/cfg.ts';
import { diagnose } from './diagnose.ts';
import { type FlatModule, FlattenError, flattenModule } from '../tla/flatten.ts';
import { maskTla, topLevelDefinitions } from '../tla/scan.ts';
import { lassoFromBlocks, parseTraceText, replayTrace } from './trace.ts';
import { successorModel } from './prune.ts';
import { tlaCheckerVersion, wasmModule } from './wasm.ts';

export { jsonToTla, tlaToJson } from './json.ts';

/** What to check and how far. */
export interface EmbeddedCheckOptions {
  /** The main module (e.g. spec/MCDaxDma.tla); modules it EXTENDS are read from its folder. */
  specFile: string;
  /** The TLC model configuration (e.g. spec/models/cal.cfg). */
  configFile: string;
  /** Stop (with an error, never a verdict) after this many distinct states. Default: no limit. */
  maxStates?: number;
  /** Stop (with an error) beyond this BFS depth. Default: no limit (the engine's own is 100). */
  maxDepth?: number;
  /** Report deadlocks, as TLC does by default. The cfg's CHECK_DEADLOCK FALSE also turns it off. */
  deadlock?: boolean;
  /** Give up after this long, with error kind 'timeout'. Default: no limit. */
  timeoutSeconds?: number;
}

/** Options of the asynchronous variant, which can also be interrupted. */
export interface EmbeddedCheckAsyncOptions extends EmbeddedCheckOptions {
  /** Aborting stops the engine's worker; the result is an error of kind 'interrupted'. */
  signal?: AbortSignal;
}

/** The engine's largest limit: its counters are usize, 32 bits in WebAssembly. */
const UNLIMITED = 2 ** 32 - 1;
/** Stack for the worker thread: the engine's strongly-connected-component search for liveness
 *  recurses once per state on a path, which overflows the main thread's ~1 MB near 40k states. */
const WORKER_STACK_MB = 512;

/** check_spec_with_options' answer. */
export interface EngineResult {
  success: boolean;
  error_type: string | null;
  error_message: string | null;
  states_explored: number;
  trace: string[] | null;
  warnings: string[];
}

type WorkerOutcome = { ok: true; result: EngineResult } | { ok: false; kind: RunErrorKind; message: string };

/** One check_spec_with_options call the check needs done in a worker. */
interface RunRequest {
  source: string;
  options: object;
  /** Milliseconds left, or undefined for no limit. */
  timeoutMs: number | undefined;
  /** Instead of checking: which of these PROPERTY entries ([name, engine name]) are state
   *  predicates; the answer is then their names (see probeAnswer). */
  probe?: { cfg: string; properties: [string, string][] };
}

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

interface WorkerReply {
  ok: boolean;
  raw?: string;
  message?: string;
}

function startWorker(req: RunRequest): { worker: Worker; port: MessagePort; signal: Int32Array } {
  // [0]: 1 once the answer is posted; [1]: the worker thread's Linux tid (-1 where /proc is absent).
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_URL, {
    workerData: { module: wasmModule(), spec: req.source, options: JSON.stringify(req.options), probe: req.probe, port: port2, signal },
    transferList: [port2],
    resourceLimits: { stackSizeMb: WORKER_STACK_MB },
  });
  return { worker, port: port1, signal };
}

function outcomeOf(reply: WorkerReply | undefined): WorkerOutcome {
  if (!reply) return { ok: false, kind: 'crash', message: 'tla-checker worker ended without an answer' };
  if (!reply.ok) {
    const stack = /Maximum call stack size exceeded/.test(reply.message ?? '');
    return {
      ok: false,
      kind: 'crash',
      message: stack
        ? `tla-checker overflowed its ${WORKER_STACK_MB} MB stack (the model is too large for its graph search)`
        : `tla-checker failed: ${reply.message}`,
    };
  }
  return { ok: true, result: JSON.parse(reply.raw as string) as EngineResult };
}

const timedOut = (ms: number | undefined): WorkerOutcome => ({
  ok: false,
  kind: 'timeout',
  message: `tla-checker did not finish within ${(ms ?? 0) / 1000} s`,
});

/** How long a worker thread may take to start before the blocked caller gives up on it. */
const WORKER_START_MS = 60_000;

/**
 * Blocks until the worker posts its answer: undefined then, 'timed-out' past `timeoutMs`, or why
 * no answer will come. A blocked thread cannot see the worker's 'exit' event, and a worker that
 * dies (out of memory, a thread that could not be created under memory pressure) posts nothing:
 * so the wait is sliced, and between slices the worker's thread is looked up in /proc by the tid
 * it published (Linux; elsewhere the wait is only bounded by `timeoutMs`).
 */
export function waitForAnswer(signal: Int32Array, timeoutMs: number | undefined): string | 'timed-out' | undefined {
  const started = Date.now();
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : started + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return 'timed-out';
    if (Atomics.wait(signal, 0, 0, Math.min(left, 1000)) !== 'timed-out' || Atomics.load(signal, 0) === 1) return undefined;
    const tid = Atomics.load(signal, 1);
    if (tid > 0 && !existsSync(`/proc/self/task/${tid}`) && Atomics.load(signal, 0) === 0) {
      return "tla-checker's worker thread ended without an answer (out of memory?)";
    }
    if (tid === 0 && Date.now() - started > WORKER_START_MS)
      return `tla-checker's worker thread did not start within ${WORKER_START_MS / 1000} s`;
  }
}

/** Runs the request in a fresh worker thread and blocks until it answers. */
function runInWorkerSync(req: RunRequest): WorkerOutcome {
  const { worker, port, signal } = startWorker(req);
  worker.unref();
  try {
    const died = waitForAnswer(signal, req.timeoutMs);
    if (died === 'timed-out') return timedOut(req.timeoutMs);
    if (died) return { ok: false, kind: 'crash', message: died };
    return outcomeOf(receiveMessageOnPort(port)?.message as WorkerReply | undefined);
  } finally {
    void worker.terminate();
    port.close();
  }
}

/** Runs the request in a fresh worker thread without blocking this one. */
function runInWorkerAsync(req: RunRequest, abort: AbortSignal | undefined): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    if (abort?.aborted) {
      resolve({ ok: false, kind: 'interrupted', message: 'interrupted before tla-checker started' });
      return;
    }
    const { worker, port } = startWorker(req);
    let settled = false;
    const finish = (o: WorkerOutcome): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      abort?.removeEventListener('abort', onAbort);
      void worker.terminate();
      port.close();
      resolve(o);
    };
    const onAbort = (): void => finish({ ok: false, kind: 'interrupted', message: 'interrupted while tla-checker was running' });
    const timer = req.timeoutMs === undefined ? undefined : setTimeout(() => finish(timedOut(req.timeoutMs)), req.timeoutMs);
    abort?.addEventListener('abort', onAbort);
    port.once('message', (reply: WorkerReply) => finish(outcomeOf(reply)));
    worker.once('error', (e) => finish({ ok: false, kind: 'crash', message: `tla-checker worker failed: ${e.message}` }));
    worker.once('exit', () => finish(outcomeOf(receiveMessageOnPort(port)?.message as WorkerReply | undefined)));
  });
}

/**
 * Runs one check_spec_with_options call in a worker thread without blocking this one (so that the
 * caller can report progress meanwhile), for tools that want the engine's own answer (its DOT
 * export) rather than a CheckResult. Resolves to the parsed answer. @throws Error when it crashed.
 */
export async function checkSpecRawAsync(source: string, options: object, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const outcome = await runInWorkerAsync({ source, options, timeoutMs: undefined }, signal);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.result as unknown as Record<string, unknown>;
}

function limit(n: number | undefined, what: string): number {
  if (n === undefined) return UNLIMITED;
  if (!Number.isInteger(n) || n < 1) throw new ModelConfigError('config', `${what} must be a positive integer, not ${n}`);
  return Math.min(n, UNLIMITED);
}

/**
 * The request for PROPERTY entries that are state predicates: TLC checks those in the initial
 * states only, tla-checker as []<>P, so they cannot be checked faithfully. A worker answers it
 * (the engine's parsing and evaluation take up to a second, which would keep this thread from
 * seeing a signal), or none is needed.
 */
function statePredicateProbe(model: AdaptedModel): RunRequest | undefined {
  if (model.config.properties.length === 0) return undefined;
  return {
    source: model.source,
    options: {},
    timeoutMs: undefined,
    probe: { cfg: model.cfg, properties: model.config.properties.map((p) => [p, engineNameOf(model, p)]) },
  };
}

/** The names a probe request answered with (none when it failed: the check then says more). */
function probeAnswer(outcome: WorkerOutcome): string[] {
  return outcome.ok && Array.isArray(outcome.result) ? (outcome.result as unknown[]).filter((n): n is string => typeof n === 'string') : [];
}

/**
 * The steps of one check: yields each engine run it needs (a second one per PROPERTY when
 * several are listed) and receives its outcome, so that a blocking and a non-blocking driver
 * share everything else.
 */
function* checkSteps(opts: EmbeddedCheckOptions): Generator<RunRequest, CheckResult, WorkerOutcome> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const base = { engine: 'embedded' as const, engineVersion: tlaCheckerVersion() };
  const failed = (error: RunError, warnings: string[] = [], distinctStates = 0): CheckResult => ({
    ...base,
    verdict: 'error',
    distinctStates,
    seconds: seconds(),
    error,
    ...(warnings.length > 0 ? { warnings } : {}),
  });

  let flat: FlatModule;
  let model: AdaptedModel;
  let options: { cfg_source: string; max_states: number; max_depth: number; allow_deadlock: boolean };
  try {
    flat = flattenModule(opts.specFile);
    let cfgText: string;
    try {
      cfgText = readFileSync(opts.configFile, 'utf8');
    } catch (e) {
      return failed({ kind: 'config', message: `${opts.configFile}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
    }
    model = adaptModel(flat, parseCfg(cfgText));
    options = {
      cfg_source: model.cfg,
      max_states: limit(opts.maxStates, 'maxStates'),
      max_depth: limit(opts.maxDepth, 'maxDepth'),
      allow_deadlock: opts.deadlock === false,
    };
  } catch (e) {
    if (e instanceof FlattenError) return failed({ kind: 'parse', message: e.message });
    if (e instanceof ModelConfigError) return failed({ kind: e.kind, message: `${opts.configFile}: ${e.message}` });
    throw e;
  }

  const probe = statePredicateProbe(model);
  const probed = probe ? yield probe : undefined;
  if (probed && !probed.ok && probed.kind === 'interrupted') return failed({ kind: probed.kind, message: probed.message }, model.warnings);
  const statePreds = probed ? probeAnswer(probed) : [];
  if (statePreds.length > 0) {
    return failed(
      {
        kind: 'unsupported',
        message: `PROPERTY ${statePreds.join(', ')}: a state predicate, which TLC checks in initial states only but tla-checker reads as []<>P`,
      },
      model.warnings,
    );
  }

  const deadline = opts.timeoutSeconds === undefined ? undefined : started + opts.timeoutSeconds * 1000;
  const request = (cfg: string): RunRequest => ({
    source: model.source,
    options: { ...options, cfg_source: cfg },
    timeoutMs: deadline === undefined ? undefined : Math.max(1, deadline - performance.now()),
  });

  const outcome = yield request(model.cfg);
  if (!outcome.ok) return failed({ kind: outcome.kind, message: outcome.message }, model.warnings);
  let r = outcome.result;
  const warnings = [...model.warnings, ...(r.warnings ?? [])];
  const done = (verdict: CheckResult['verdict'], extra: Partial<CheckResult> = {}): CheckResult => ({
    ...base,
    verdict,
    distinctStates: r.states_explored,
    seconds: seconds(),
    ...extra,
    ...(warnings.length > 0 ? { warnings } : {}),
  });

  if (r.success) {
    const leadsTo = model.config.properties.filter((p) => definitionText(model, p).includes('~>'));
    if (leadsTo.length > 0) {
      warnings.push(
        `${leadsTo.join(', ')}: tla-checker 0.9.0 finds a P ~> Q violation only if P still holds on the fair cycle; it misses one where P held only before it (sound when P stays true until Q, e.g. P ~> ~P)`,
      );
    }
    return done('holds');
  }
  const type = r.error_type ?? 'unknown';
  const message = r.error_message ?? '';
  const specName = (n: string): string => model.renames.get(n) ?? n;

  switch (type) {
    case 'InvariantViolation': {
      const i = Number(/Invariant (\d+) violated/.exec(message)?.[1] ?? NaN);
      const name = model.engineInvariants[i];
      return done('invariant', {
        property: name === undefined ? message : specName(name),
        counterexample: counterexample(model, r.trace?.[0] ?? ''),
      });
    }
    case 'Deadlock':
      return done('deadlock', { counterexample: counterexample(model, r.trace?.[0] ?? '') });
    case 'LivenessViolation': {
      const props = model.config.properties;
      let property: string | undefined = props.length === 1 ? props[0] : undefined;
      // The message dumps the engine's AST of the formula, not a name: check each PROPERTY alone.
      for (const p of property === undefined ? props : []) {
        const single = yield request(withProperties(model, [p]));
        if (!single.ok) return failed({ kind: single.kind, message: single.message }, warnings, r.states_explored);
        if (single.result.error_type === 'LivenessViolation') {
          property = p;
          r = single.result;
          break;
        }
      }
      if (property === undefined) {
        property = props.join(', ');
        warnings.push(`no PROPERTY is violated on its own, only together: ${property}`);
      }
      return done('property', { property, counterexample: lasso(model, r.trace ?? []) });
    }
    case 'NoInitialStates':
      // TLC finishes without error when Init has no solution.
      warnings.push('Init has no solutions: nothing was explored');
      return done('holds', { distinctStates: 0 });
    default:
      return failed(diagnose(type, message, model, flat), warnings, r.states_explored);
  }
}

/**
 * Checks `specFile` under `configFile` with tla-checker and reports like TLC would: verdict
 * 'holds' / 'invariant' / 'property' / 'deadlock' with the violated name and a counterexample
 * whose states are canonical and whose actions come from replaying it, or verdict 'error' with
 * a one-line RunError (kind parse / config / eval / unsupported / timeout / crash).
 * distinctStates is the engine's states_explored, which equals TLC's distinct-state count
 * without SYMMETRY. Blocks this thread; the check itself runs in a worker thread, whose larger
 * stack the engine's liveness search needs.
 */
export function checkEmbedded(opts: EmbeddedCheckOptions): CheckResult {
  const steps = checkSteps(opts);
  let next = steps.next();
  while (!next.done) next = steps.next(runInWorkerSync(next.value));
  return next.value;
}

/** checkEmbedded without blocking this thread, and interruptible through `signal`. */
export async function checkEmbeddedAsync(opts: EmbeddedCheckAsyncOptions): Promise<CheckResult> {
  const steps = checkSteps(opts);
  let next = steps.next();
  while (!next.done) next = steps.next(await runInWorkerAsync(next.value, opts.signal));
  return next.value;
}

/** The masked text of a top-level definition's body (empty if not found). */
function definitionText(model: AdaptedModel, name: string): string {
  const masked = maskTla(model.source);
  const def = topLevelDefinitions(masked).find((d) => d.name === engineNameOf(model, name));
  if (!def) return '';
  const rest = masked.slice(def.offset);
  const next = /\n(?=[^\s])/.exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

function counterexample(model: AdaptedModel, block: string): Counterexample {
  const { source, cfg } = successorModel(model);
  return replayTrace(source, cfg, { states: parseTraceText(block) });
}

function lasso(model: AdaptedModel, blocks: string[]): Counterexample {
  const shape = lassoFromBlocks(parseTraceText(blocks[0] ?? ''), parseTraceText(blocks[1] ?? ''));
  const { source, cfg } = successorModel(model);
  return replayTrace(source, cfg, shape);
}
