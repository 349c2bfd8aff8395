// Step-by-step access to a spec's state graph through the embedded engine, for the conformance
// harness: initial states, successors (cached), invariants and constraints of a given state.
// Stands for TLC's state-space exploration primitives (Tool.getInitStates / getNextStates / isInModel).
import { readFileSync } from 'node:fs';
import type { RunError } from '../result/check-result.ts';
import { normalizeState, valueKey } from '../values/canonical.ts';
import type { TlaState, TlaValue } from '../values/value.ts';
import { type AdaptedModel, adaptModel, engineNameOf } from './adapt.ts';
import { ModelConfigError, parseCfg } from '../tla/cfg.ts';
import { diagnose } from './diagnose.ts';
import { type FlatModule, FlattenError, flattenModule } from '../tla/flatten.ts';
import { identifiers, maskTla } from '../tla/scan.ts';
import { type EngineJson, jsonToState, jsonToTla, stateToJson } from './json.ts';
import { prunedCfg, prunedSource, successorModel } from './prune.ts';
import { tlaCheckerApi } from './wasm.ts';

/** The engine could not do what was asked; `error` says why, as for a check run. */
export class ExplorerError extends Error {
  override readonly name = 'ExplorerError';
  constructor(readonly error: RunError) {
    super(error.message);
  }
}

/** A successor with the action that produced it (the innermost named operator the engine
 *  reached through \/ and \E; null when the step comes from an anonymous or LET-bound part). */
export interface Transition {
  action: string | null;
  state: TlaState;
}

/** One invariant's value in a state. */
export interface InvariantResult {
  name: string;
  holds: boolean;
  /** The evaluation error, when the invariant could not be evaluated (then holds is false). */
  error?: string;
}

/** Work done so far. */
export interface ExplorerStats {
  /** successors() / transitions() requests. */
  successorCalls: number;
  /** Requests answered from the cache. */
  cacheHits: number;
  /** Calls into the engine (explore_init / explore_next / explore_invariants / explore_eval). */
  engineCalls: number;
  /** Seconds spent inside those calls. */
  engineSeconds: number;
  /** Distinct states whose successors are cached. */
  cachedStates: number;
}

interface ExploreState {
  json: Record<string, EngineJson>;
}

/**
 * A spec and cfg loaded once (flattened and adapted as for checkEmbedded) and queried state by
 * state. States in and out are canonical TlaStates in normal form; a state passed in must give
 * exactly the spec's variables, since the engine would silently read a missing one as FALSE.
 * Each engine call re-reads the module (tla-checker keeps nothing between calls), so results are
 * cached by the state's canonical key; successor states are frozen, since they are shared.
 * Note: explore_next ignores CONSTRAINT, as a step check should; use withinConstraints to ask
 * whether TLC would have explored a state further.
 */
export class Explorer {
  private readonly flat: FlatModule;
  private readonly model: AdaptedModel;
  private vars: string[] | undefined;
  private readonly successorCache = new Map<string, Transition[]>();
  private readonly invariantCache = new Map<string, InvariantResult[]>();
  /** Modules cut down for state-level evaluation (prune.ts), by what they evaluate. */
  private readonly pruned = new Map<string, { source: string; cfg: string }>();
  private successorQuery: { source: string; cfg: string } | undefined;
  private readonly counters: Omit<ExplorerStats, 'cachedStates'> = { successorCalls: 0, cacheHits: 0, engineCalls: 0, engineSeconds: 0 };

  /** @throws ExplorerError when the modules or the cfg cannot be read or are not supported. */
  constructor(
    readonly specFile: string,
    readonly configFile: string,
  ) {
    try {
      this.flat = flattenModule(specFile);
      this.model = adaptModel(this.flat, parseCfg(readFileSync(configFile, 'utf8')));
    } catch (e) {
      if (e instanceof FlattenError) throw new ExplorerError({ kind: 'parse', message: e.message });
      if (e instanceof ModelConfigError) throw new ExplorerError({ kind: e.kind, message: `${configFile}: ${e.message}` });
      if ((e as NodeJS.ErrnoException).code)
        throw new ExplorerError({ kind: 'config', message: `${configFile}: cannot read (${(e as NodeJS.ErrnoException).code})` });
      throw e;
    }
  }

  /** The module and cfg successor queries read (prune.ts). */
  private get successorQueryModel(): { source: string; cfg: string } {
    this.successorQuery ??= successorModel(this.model);
    return this.successorQuery;
  }

  /** Counters of the work done so far. */
  get stats(): ExplorerStats {
    return { ...this.counters, cachedStates: this.successorCache.size };
  }

  /** The spec's variables, in declaration order. */
  get variables(): string[] {
    if (!this.vars) this.initStates();
    return [...(this.vars as string[])];
  }

  /** Warnings from adapting the cfg (e.g. SYMMETRY), one line each. */
  get warnings(): string[] {
    return [...this.model.warnings];
  }

  private call<T extends { ok: boolean; error?: string }>(f: () => string): T {
    const started = performance.now();
    this.counters.engineCalls++;
    let out: T;
    try {
      out = JSON.parse(f()) as T;
    } catch (e) {
      throw new ExplorerError({ kind: 'crash', message: `tla-checker failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      this.counters.engineSeconds += (performance.now() - started) / 1000;
    }
    if (!out.ok) throw new ExplorerError(this.explain(out.error ?? 'unknown error'));
    return out;
  }

  private explain(message: string): RunError {
    // explore_* report prepare errors as Debug dumps: ParseError { .. }, MissingConstants([..]), ...
    const type = /^([A-Za-z]+)[ ({]/.exec(message)?.[1];
    if (type === 'ParseError') return diagnose('ParseError', message, this.model, this.flat);
    if (type === 'MissingConstants')
      return diagnose(
        'MissingConstants',
        `Missing constants: ${message.replace(/^[^[]*\[|\][^\]]*$/g, '').replace(/"/g, '')}`,
        this.model,
        this.flat,
      );
    if (type === 'AssumeViolation') return diagnose('AssumeViolation', `Assume ${/\d+/.exec(message)?.[0] ?? ''}`, this.model, this.flat);
    if (/definition '[^']+' not found in spec/.test(message)) return diagnose('ConfigError', message, this.model, this.flat);
    return diagnose(undefined, message, this.model, this.flat);
  }

  private stateJson(state: TlaState): string {
    const vars = this.variables;
    const keys = Object.keys(state);
    const missing = vars.filter((v) => !keys.includes(v));
    const extra = keys.filter((k) => !vars.includes(k));
    if (missing.length > 0 || extra.length > 0) {
      throw new ExplorerError({
        kind: 'eval',
        message: `state does not match the spec's variables${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''}`,
      });
    }
    try {
      return JSON.stringify(stateToJson(state));
    } catch (e) {
      throw new ExplorerError({ kind: 'eval', message: (e as Error).message });
    }
  }

  /** The initial states, in normal form. */
  initStates(): TlaState[] {
    const api = tlaCheckerApi();
    const out = this.call<{ ok: boolean; vars: string[]; states: ExploreState[] }>(() =>
      api.explore_init(this.successorQueryModel.source, this.successorQueryModel.cfg, '{}'),
    );
    this.vars = out.vars;
    return out.states.map((s) => normalizeState(jsonToState(s.json)));
  }

  /** The successors of `state` with their actions; distinct (action, state) pairs, cached. */
  transitions(state: TlaState): Transition[] {
    this.counters.successorCalls++;
    const key = valueKey(normalizeState(state) as TlaValue);
    const hit = this.successorCache.get(key);
    if (hit) {
      this.counters.cacheHits++;
      return hit.map((t) => ({ ...t }));
    }
    const json = this.stateJson(state);
    const api = tlaCheckerApi();
    const out = this.call<{ ok: boolean; transitions: { action: string | null; state: ExploreState }[] }>(() =>
      api.explore_next(this.successorQueryModel.source, this.successorQueryModel.cfg, '{}', json),
    );
    // Frozen, because the cache hands the same state objects to every later caller.
    const transitions = out.transitions.map((t) => ({ action: t.action, state: deepFreeze(normalizeState(jsonToState(t.state.json))) }));
    this.successorCache.set(key, transitions);
    return transitions.map((t) => ({ ...t }));
  }

  /** The distinct successor states of `state` (cached). A state is its own successor only if
   *  some action allows a step that changes nothing. */
  successors(state: TlaState): TlaState[] {
    const seen = new Map<string, TlaState>();
    for (const t of this.transitions(state)) seen.set(valueKey(t.state as TlaValue), t.state);
    return [...seen.values()];
  }

  /** Every cfg INVARIANT evaluated in `state`, in cfg order (cached). */
  checkInvariants(state: TlaState): InvariantResult[] {
    const key = valueKey(normalizeState(state) as TlaValue);
    const hit = this.invariantCache.get(key);
    if (hit) return hit.map((r) => ({ ...r }));
    const json = this.stateJson(state);
    const api = tlaCheckerApi();
    const invariants = this.model.engineInvariants;
    const m = this.prunedFor(
      invariants.map((n) => engineNameOf(this.model, n)),
      invariants,
    );
    const out = this.call<{ ok: boolean; invariants: { name: string; holds?: boolean; error?: string }[] }>(() =>
      api.explore_invariants(m.source, m.cfg, '{}', json),
    );
    const results = out.invariants
      .filter((i) => i.name !== this.model.placeholderInvariant)
      .map((i) => ({ name: this.model.renames.get(i.name) ?? i.name, holds: i.holds === true, ...(i.error ? { error: i.error } : {}) }));
    this.invariantCache.set(key, results);
    return results.map((r) => ({ ...r }));
  }

  /** Whether every cfg INVARIANT holds in `state` (an invariant that cannot be evaluated fails). */
  invariantsHold(state: TlaState): boolean {
    return this.checkInvariants(state).every((r) => r.holds);
  }

  /** The first cfg INVARIANT (in cfg order) that fails in `state`, or undefined. */
  failingInvariant(state: TlaState): string | undefined {
    return this.checkInvariants(state).find((r) => !r.holds)?.name;
  }

  /** Whether `state` satisfies every cfg CONSTRAINT, i.e. TLC would explore its successors. */
  withinConstraints(state: TlaState): boolean {
    return this.model.config.constraints.every((c) => this.evaluate(state, engineNameOf(this.model, c)) === true);
  }

  /** Evaluates a state-level TLA+ expression (no primes, no ENABLED) in `state`. */
  evaluate(state: TlaState, expression: string): TlaValue {
    const json = this.stateJson(state);
    const api = tlaCheckerApi();
    const m = this.prunedFor(identifiers(maskTla(expression)), []);
    const out = this.call<{ ok: boolean; json: EngineJson }>(() => api.explore_eval(m.source, m.cfg, '{}', json, expression));
    return jsonToTla(out.json);
  }

  /** The module that evaluates what `roots` (engine names) reach, with a cfg listing `invariants`
   *  (spec names) as INVARIANT. */
  private prunedFor(roots: readonly string[], invariants: readonly string[]): { source: string; cfg: string } {
    const key = `${invariants.join(' ')}:${roots.join(' ')}`;
    let m = this.pruned.get(key);
    if (m === undefined) {
      m = { source: prunedSource(this.model.source, roots), cfg: prunedCfg(this.model, invariants) };
      this.pruned.set(key, m);
    }
    return m;
  }
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
