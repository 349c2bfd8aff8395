// "Why it failed": for a counterexample of spec/DaxDma.tla, the property and the tasks and values
// that break it, in words ("u1 DMAs into b1 through f1:0 ...; b1 is free since step 16 (FreeBlocks
// by t1)"); for a deadlock or a liveness lasso, each stuck task and what it waits on.
import type { Counterexample } from '../../lib/result/check-result.ts';
import { diffStates } from '../../lib/report/diff.ts';
import type { TlaValue } from '../../lib/values/value.ts';
import { History, taskOf } from './history.ts';
import { type Finding, INVARIANT_EXPLAINERS } from './invariants.ts';
import { at, domain } from './values.ts';
import { waitFindings } from './waits.ts';

/** Why a counterexample violates its property; the JSON `check --json` prints. */
export interface Explanation {
  /** The violated invariant or temporal property, or "deadlock". */
  property: string;
  kind: 'invariant' | 'deadlock' | 'liveness';
  /** The 1-based index of the state where it fails (the last one; for a lasso, where it ends). */
  state: number;
  /** One line: the property and the first reason. */
  summary: string;
  /** Every reason found, each with the tasks and blocks it is about. */
  findings: Finding[];
  /** The variables the last step changed. */
  changed: string[];
}

/** The temporal properties this file explains: which tasks a lasso leaves stuck. */
const LIVENESS: Record<string, { pcVar: string; stuck: (pc: TlaValue | undefined) => boolean; what: string }> = {
  FsOpCompletes: { pcVar: 'fpc', stuck: (pc) => pc !== 'idle', what: 'never finishes its operation' },
  FaultProceeds: { pcVar: 'upc', stuck: (pc) => pc === 'FaultLockShared', what: 'never gets past the mmap lock of its fault' },
};

function changedVariables(cex: Counterexample): string[] {
  const n = cex.steps.length;
  if (n < 2) return [];
  return [...new Set(diffStates(cex.steps[n - 2]!.state, cex.steps[n - 1]!.state).map((c) => c.path.split(/[[.]/)[0]!))];
}

function lastStep(h: History): string {
  const s = h.steps[h.steps.length - 1]!;
  const task = taskOf(s);
  return h.steps.length < 2
    ? 'in the initial state'
    : `after step ${s.index} (${s.action ?? 'an unknown action'}${task ? ` by ${task}` : ''})`;
}

/**
 * Explains a counterexample. `property` is the violated invariant or temporal property, or
 * "deadlock". Never throws on states it does not know: an unknown property, or one whose
 * explainer finds nothing, is named with the variables the last step changed.
 */
export function explainCounterexample(cex: Counterexample, property: string): Explanation {
  const h = new History(cex);
  const changed = changedVariables(cex);
  const kind: Explanation['kind'] =
    property === 'deadlock' ? 'deadlock' : cex.ending !== undefined || cex.loopsBackTo !== undefined ? 'liveness' : 'invariant';
  let findings: Finding[] = [];
  let lead: string;
  try {
    if (kind === 'deadlock') {
      findings = waitFindings(h, h.last);
      lead = `deadlock in state ${h.lastIndex}: no task can take a step`;
    } else if (kind === 'liveness') {
      const loopFrom = cex.loopsBackTo ?? h.lastIndex;
      const loop = cex.steps.filter((s) => s.index >= loopFrom).map((s) => s.state);
      const rule = LIVENESS[property];
      const how =
        cex.ending === 'stuttering' || loopFrom === h.lastIndex
          ? `the behaviour stutters forever in state ${h.lastIndex}`
          : `states ${loopFrom}..${h.lastIndex} repeat forever`;
      if (rule) {
        const stuckTasks = domain(h.last[rule.pcVar]).filter((t) => loop.every((s) => rule.stuck(at(s[rule.pcVar], t))));
        const keys = new Set(stuckTasks.map((t) => JSON.stringify(t)));
        findings = waitFindings(h, h.last, { only: (pcVar, _pc) => pcVar === rule.pcVar }).filter(
          (f) => stuckTasks.length === 0 || keys.has(JSON.stringify({ '#model': f.tasks[0] })),
        );
        lead = `${property} fails: ${how}, and ${stuckTasks.length ? 'a task ' + rule.what : 'no task is stuck in the loop'}`;
      } else {
        findings = waitFindings(h, h.last);
        lead = `${property} fails: ${how}`;
      }
    } else {
      findings = INVARIANT_EXPLAINERS[property]?.(h) ?? [];
      lead = `${property} fails in state ${h.lastIndex}`;
    }
  } catch {
    // A state of a newer spec (a variable renamed or reshaped): fall back to the generic text.
    findings = [];
    lead = `${property} fails in state ${h.lastIndex}`;
  }
  const generic = `${lastStep(h)}, which changed ${changed.length ? changed.join(', ') : 'nothing'}`;
  const summary = findings.length ? `${lead}: ${findings[0]!.sentence}` : `${lead}, ${generic}`;
  return { property, kind, state: h.lastIndex, summary, findings, changed };
}

/** The explanation as terminal lines: the summary, then any further findings. */
export function formatExplanation(e: Explanation, indent = '  '): string[] {
  return [`${indent}why: ${e.summary}`, ...e.findings.slice(1).map((f) => `${indent}     also: ${f.sentence}`)];
}
