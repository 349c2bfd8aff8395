// Prints a counterexample (from TLC, the embedded engine, or a shrunk implementation run) as
// numbered actions with per-step variable diffs: the first state in full, then only what changed.
import { formatValue } from '../values/canonical.ts';
import type { Counterexample } from '../result/check-result.ts';
import { diffStates } from './diff.ts';

function formatParams(params: Record<string, unknown> | undefined): string {
  if (!params || Object.keys(params).length === 0) return '';
  const parts = Object.entries(params).map(([k, v]) => {
    const text =
      typeof v === 'object' || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? formatValue(v as never)
        : String(v);
    return `${k} = ${text}`;
  });
  return `(${parts.join(', ')})`;
}

/** How much of a counterexample to print. */
export interface CounterexampleFormat {
  indent?: string;
  /** Print only these variables (in the initial state and in the diffs); default all. */
  only?: readonly string[];
  /** Print the initial state in full (default true); else one line saying how many variables
   *  it has, for readers who know the initial state of the config. */
  fullInit?: boolean;
}

/** The variable a diff path ("entry[f1][0]", "free") is about. */
function variableOf(diffPath: string): string {
  return /^[^[.]*/.exec(diffPath)![0];
}

/** The counterexample as text lines, ready to print. */
export function formatCounterexample(cex: Counterexample, opts: CounterexampleFormat = {}): string[] {
  const ind = opts.indent ?? '  ';
  const shown = opts.only ? new Set(opts.only) : undefined;
  const lines: string[] = [];
  const steps = cex.steps;
  steps.forEach((s, i) => {
    const action = s.action ?? '(action unknown)';
    lines.push(`${ind}${String(s.index).padStart(3)}. ${action}${formatParams(s.params)}`);
    if (i === 0) {
      const vars = Object.entries(s.state).filter(([k]) => !shown || shown.has(k));
      if (opts.fullInit === false) lines.push(`${ind}       (initial state: ${vars.length} variables, not shown)`);
      else for (const [k, v] of vars) lines.push(`${ind}       ${k} = ${formatValue(v)}`);
      return;
    }
    const all = diffStates(steps[i - 1]!.state, s.state);
    const changes = shown ? all.filter((c) => shown.has(variableOf(c.path))) : all;
    if (all.length === 0) lines.push(`${ind}       (no variable changes)`);
    for (const c of changes) lines.push(`${ind}       ${c.path}: ${c.before} → ${c.after}`);
  });
  // A lasso either stutters forever in its last state or loops back to an earlier one.
  if (cex.ending === 'stuttering') lines.push(`${ind}     … then stutters forever`);
  else if (cex.loopsBackTo !== undefined) lines.push(`${ind}     ↺ loops back to state ${cex.loopsBackTo}`);
  return lines;
}
