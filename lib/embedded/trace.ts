// Counterexamples from tla-checker: its trace text ("State 0\n  var = value\n...") turned into
// canonical TraceSteps, with each step's action found by replaying the trace through the engine.
// Stands for TLC's error-trace printing (tlc2.output.StatePrinter) on the embedded engine's side.
import type { Counterexample, TraceStep } from '../result/check-result.ts';
import { normalize, normalizeState } from '../values/canonical.ts';
import { parseTlaValue } from '../values/tlc-text.ts';
import type { TlaState, TlaValue } from '../values/value.ts';
import { type EngineJson, jsonToState } from './json.ts';
import { tlaCheckerApi } from './wasm.ts';

/** One state of an engine trace: variable -> value as the engine printed it. */
export type TextState = Record<string, string>;

/** Splits one trace block of check_spec_with_options into its states. */
export function parseTraceText(block: string): TextState[] {
  const states: TextState[] = [];
  let current: TextState | undefined;
  let lastVar: string | undefined;
  for (const line of block.split('\n')) {
    if (/^State \d+\s*$/.test(line)) {
      current = {};
      states.push(current);
      lastVar = undefined;
      continue;
    }
    const m = /^ {2}([A-Za-z0-9_]+) = (.*)$/.exec(line);
    if (m && current) {
      lastVar = m[1] as string;
      current[lastVar] = m[2] as string;
    } else if (current && lastVar && line.trim() !== '') {
      // A value printed over several lines continues here.
      current[lastVar] += `\n${line}`;
    }
  }
  return states;
}

const sameText = (a: TextState, b: Record<string, string>): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};
const textKey = (s: TextState): string =>
  JSON.stringify(
    Object.keys(s)
      .sort()
      .map((k) => [k, s[k]]),
  );

/** A lasso as a list of states plus where it loops, before replay. */
export interface TextLasso {
  states: TextState[];
  loopsBackTo?: number;
  ending?: 'stuttering' | 'loop';
}

/**
 * The lasso of a liveness counterexample: tla-checker prints a prefix that ends in the cycle's
 * first state, then the cycle. The result starts the loop at the earliest prefix state that lies
 * on the cycle (TLC's shape: no state repeated), and a one-state cycle is infinite stuttering.
 */
export function lassoFromBlocks(prefix: TextState[], cycle: TextState[]): TextLasso {
  if (cycle.length === 0) return { states: prefix };
  const onCycle = new Map(cycle.map((s, j) => [textKey(s), j]));
  const i = prefix.findIndex((s) => onCycle.has(textKey(s)));
  if (i < 0) {
    // Not the expected shape: keep both blocks whole, looping back to the cycle's start.
    return { states: [...prefix, ...cycle], loopsBackTo: prefix.length + 1, ending: cycle.length === 1 ? 'stuttering' : 'loop' };
  }
  const j = onCycle.get(textKey(prefix[i] as TextState)) as number;
  if (cycle.length === 1) return { states: prefix.slice(0, i + 1), ending: 'stuttering' };
  // Prefix states before i are off the cycle and the cycle's states are distinct: none repeats.
  const states = [...prefix.slice(0, i + 1), ...cycle.slice(j + 1), ...cycle.slice(0, j)];
  return { states, loopsBackTo: i + 1, ending: 'loop' };
}

interface ExploreState {
  display: Record<string, string>;
  json: Record<string, EngineJson>;
}

/**
 * Replays `lasso` through explore_init / explore_next to recover each state's exact value and
 * the action that produced it. Where replay fails (it should not; symmetry might), the remaining
 * states are read from their printed text with action null.
 */
export function replayTrace(source: string, cfg: string, lasso: TextLasso): Counterexample {
  const api = tlaCheckerApi();
  const steps: TraceStep[] = [];
  let current: ExploreState | undefined;
  let replaying = true;
  lasso.states.forEach((text, i) => {
    let found: { state: ExploreState; action: string | null } | undefined;
    if (replaying) {
      try {
        if (i === 0) {
          const init = JSON.parse(api.explore_init(source, cfg, '{}')) as { ok: boolean; states?: ExploreState[] };
          const s = init.ok ? init.states?.find((x) => sameText(text, x.display)) : undefined;
          if (s) found = { state: s, action: 'Init' };
        } else if (current) {
          const next = JSON.parse(api.explore_next(source, cfg, '{}', JSON.stringify(current.json))) as {
            ok: boolean;
            transitions?: { action: string | null; state: ExploreState }[];
          };
          const t = next.ok ? next.transitions?.find((x) => sameText(text, x.state.display)) : undefined;
          if (t) found = { state: t.state, action: t.action };
        }
      } catch {
        found = undefined;
      }
    }
    if (found) {
      current = found.state;
      steps.push({ index: i + 1, action: found.action, state: normalizeState(jsonToState(found.state.json)) });
    } else {
      replaying = false;
      steps.push({ index: i + 1, action: i === 0 ? 'Init' : null, state: stateFromText(text) });
    }
  });
  return {
    steps,
    ...(lasso.loopsBackTo !== undefined ? { loopsBackTo: lasso.loopsBackTo } : {}),
    ...(lasso.ending ? { ending: lasso.ending } : {}),
  };
}

/** A state from tla-checker's printed text, which is TLC's syntax but for lowercase booleans. */
export function stateFromText(text: TextState): TlaState {
  const out: TlaState = {};
  for (const k of Object.keys(text).sort()) out[k] = valueFromText(text[k] as string);
  return out;
}

function valueFromText(text: string): TlaValue {
  // Rewrite true/false outside string literals; model values are never named so in a cfg.
  const tlc = text.replace(/"(?:[^"\\]|\\.)*"|\b(true|false)\b/g, (m, b?: string) => (b ? b.toUpperCase() : m));
  return normalize(parseTlaValue(tlc));
}
