// Prints a counterexample (from TLC, the embedded engine, or a shrunk implementation run) as
// numbered actions with per-step variable diffs: the first state in full, then only what changed.
import { formatValue } from '../values/canonical.ts';
import type { Counterexample } from '../result/check-result.ts';
import { diffStates } from './diff.ts';

function formatParams(params: Record<string, unknown> | undefined): string {
  if (!params || Object.keys(params).length === 0) return '';
  const parts = Object.entries(params).map(([k, v]) => {
    const text = typeof v === 'object' || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
      ? formatValue(v as never)
      : String(v);
    return `${k} = ${text}`;
  });
  return `(${parts.join(', ')})`;
}

/** The counterexample as text lines, ready to print. */
export function formatCounterexample(cex: Counterexample, opts: { indent?: string } = {}): string[] {
  const ind = opts.indent ?? '  ';
  const lines: string[] = [];
  const steps = cex.steps;
  steps.forEach((s, i) => {
    const action = s.action ?? '(action unknown)';
    lines.push(`${ind}${String(s.index).padStart(3)}. ${action}${formatParams(s.params)}`);
    if (i === 0) {
      for (const [k, v] of Object.entries(s.state)) lines.push(`${ind}       ${k} = ${formatValue(v)}`);
      return;
    }
    const changes = diffStates(steps[i - 1]!.state, s.state);
    if (changes.length === 0) lines.push(`${ind}       (no variable changes)`);
    for (const c of changes) lines.push(`${ind}       ${c.path}: ${c.before} → ${c.after}`);
  });
  // A lasso either stutters forever in its last state or loops back to an earlier one.
  if (cex.ending === 'stuttering') lines.push(`${ind}     … then stutters forever`);
  else if (cex.loopsBackTo !== undefined) lines.push(`${ind}     ↺ loops back to state ${cex.loopsBackTo}`);
  return lines;
}
