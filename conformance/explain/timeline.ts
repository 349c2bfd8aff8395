// The timeline view of a counterexample of spec/DaxDma.tla: one lane per task (users u*, fs tasks
// t*, writeback s*), each step named by its action and the kernel function the spec's comment above
// the action names, bands for locks, entry locks, refcounts and block ownership, the why sentence.
import type { Counterexample } from '../../lib/result/check-result.ts';
import { diffStates } from '../../lib/report/diff.ts';
import type { TimelineBand, TimelineDoc, TimelineLane, TimelineStep } from '../../lib/report/timeline.ts';
import { definitionDocs } from '../../lib/tla/comments.ts';
import { formatValue } from '../../lib/values/canonical.ts';
import type { TlaRecord, TlaState, TlaValue } from '../../lib/values/value.ts';
import { History, TASK_PARAMS, taskOf } from './history.ts';
import { at, domain, isMember, isNothing, members, modelName, show } from './values.ts';
import { entryHolder } from './waits.ts';
import type { Explanation } from './why.ts';

/** What each action stands for: the first kernel-style name (snake_case) in its comment, else in
 *  its section's banner, with the comment as the longer text. */
function kernelFunctions(specSource: string): Map<string, { name: string; text: string }> {
  const out = new Map<string, { name: string; text: string }>();
  const snake = /\b_*[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/;
  for (const [def, doc] of definitionDocs(specSource)) {
    const name = snake.exec(doc.comment)?.[0] ?? snake.exec(doc.section ?? '')?.[0] ?? '';
    out.set(def, { name, text: doc.comment || doc.section || '' });
  }
  return out;
}

/** The lanes: one per task, users first, then fs tasks, then writeback tasks. */
const LANE_KINDS: { pcVar: string; group: string; role: string }[] = [
  { pcVar: 'upc', group: 'user', role: 'user' },
  { pcVar: 'fpc', group: 'fs', role: 'fs task' },
  { pcVar: 'spc', group: 'writeback', role: 'writeback' },
];

function detailOf(params: Record<string, unknown> | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params ?? {})) {
    if ((TASK_PARAMS as readonly string[]).includes(k)) continue;
    const rec = v as TlaRecord;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'op' in rec)
      parts.push(`${String(rec.op)} ${show(rec.file)} ${show(rec.lo)}..${show(rec.hi)}`);
    else parts.push(show(v as TlaValue));
  }
  // GupFastReadPte(u, f, o): the pair reads as one target.
  if (params && 'f' in params && 'o' in params && parts.length === 2) return `${parts[0]}:${parts[1]}`;
  return parts.join(', ');
}

function bands(h: History): TimelineBand[] {
  const states = h.steps.map((s) => s.state);
  const band = (label: string, group: string, value: (s: TlaState) => string): TimelineBand => ({
    label,
    group,
    values: states.map((s) => {
      try {
        return value(s);
      } catch {
        return '';
      }
    }),
  });
  const s0 = h.last;
  const out: TimelineBand[] = [];
  for (const f of domain(s0.ioLock)) {
    out.push(band(`ioLock ${show(f)}`, 'lock', (s) => (isNothing(at(s.ioLock, f)) ? '' : show(at(s.ioLock, f)))));
    out.push(band(`mmapExcl ${show(f)}`, 'lock', (s) => (isNothing(at(s.mmapExcl, f)) ? '' : show(at(s.mmapExcl, f)))));
    out.push(band(`mmapShared ${show(f)}`, 'lock', (s) => (members(at(s.mmapShared, f)).length ? show(at(s.mmapShared, f)) : '')));
    for (const o of domain(at(s0.locked, f))) {
      out.push(band(`PTE ${show(f)}:${show(o)}`, 'page', (s) => (isNothing(at(s.pte, f, o)) ? '' : `maps ${show(at(s.pte, f, o))}`)));
      out.push(
        band(`entry lock ${show(f)}:${show(o)}`, 'lock', (s) =>
          at(s.locked, f, o) === true ? entryHolder(s, f, o).join(', ') || 'locked' : '',
        ),
      );
    }
  }
  for (const b of domain(s0.refcount)) {
    out.push(
      band(`refcount ${show(b)}`, 'page', (s) => {
        const rc = at(s.refcount, b);
        if (rc === h.idleRef) return '';
        const holders = domain(s.uref).filter(
          (u) => modelName(at(s.uref, u)) === modelName(b) && ['GupFastRecheck', 'DmaComplete'].includes(at(s.upc, u) as string),
        );
        return `${show(rc)}: ${holders.map((u) => `${show(u)} ${at(s.upc, u) === 'DmaComplete' ? 'pin' : 'ref'}`).join(', ') || '?'}`;
      }),
    );
    const owner = band(`${show(b)} belongs to`, 'page', (s) => {
      const dma = domain(s.upc)
        .filter((u) => at(s.upc, u) === 'DmaComplete' && modelName(at(s.uref, u)) === modelName(b))
        .map(show);
      if (isMember(s.free, b)) return dma.length ? `FREE, yet ${dma.join(', ')} DMAs into it` : 'free';
      if (!isNothing(at(s.mapping, b))) return show(at(s.mapping, b));
      const inExtent = domain(s.extent).some((f) => domain(at(s.extent, f)).some((o) => modelName(at(s.extent, f, o)) === modelName(b)));
      return inExtent ? 'allocated' : '';
    });
    out.push({ ...owner, alarms: [...new Set(owner.values.filter((v) => v.startsWith('FREE, yet')))] });
  }
  return out;
}

/** Builds the timeline of a counterexample; `specSource` (the spec's text, comments included)
 *  gives the kernel function of each action. */
export function buildTimeline(
  cex: Counterexample,
  opts: { title: string; explanation?: Explanation; specSource: string; meta?: [string, string][] },
): TimelineDoc {
  const h = new History(cex);
  const kernel = kernelFunctions(opts.specSource);
  const lanes: TimelineLane[] = [];
  for (const kind of LANE_KINDS) {
    for (const t of domain(h.first[kind.pcVar])) lanes.push({ id: show(t), label: `${show(t)} (${kind.role})`, group: kind.group });
  }
  const blockNames = domain(h.first.refcount).map(show);
  const steps: TimelineStep[] = cex.steps.map((step, i) => {
    const prev = i > 0 ? cex.steps[i - 1]!.state : undefined;
    const changes = prev ? diffStates(prev, step.state) : [];
    const changedVars = new Set(changes.map((c) => c.path.split(/[[.]/)[0]!));
    const text = changes.map((c) => `${c.path} ${c.before} ${c.after}`).join(' ');
    const touches = blockNames.filter((b) => new RegExp(`\\b${b}\\b`).test(text));
    const action = step.action ?? '(unknown action)';
    const k = kernel.get(action);
    const lane = taskOf(step);
    return {
      index: step.index,
      ...(lane && lanes.some((l) => l.id === lane) ? { lane } : {}),
      action,
      detail: detailOf(step.params),
      note: k?.name ?? '',
      title: k?.text ?? '',
      touches,
      changes: changes.map((c) => `${c.path}: ${c.before} → ${c.after}`),
      state: Object.keys(step.state)
        .sort()
        .map((name) => ({ name, value: formatValue(step.state[name] as TlaValue), changed: changedVars.has(name) })),
    };
  });
  const e = opts.explanation;
  const doc: TimelineDoc = {
    title: opts.title,
    subtitle: e
      ? `${e.kind === 'deadlock' ? 'deadlock' : `${e.property} violated`} in ${cex.steps.length} states`
      : `${cex.steps.length} states`,
    lanes,
    steps,
    bands: bands(h),
    meta: opts.meta ?? [],
  };
  if (e) doc.highlight = { step: e.state, text: e.summary, more: e.findings.slice(1).map((f) => f.sentence) };
  if (cex.ending === 'stuttering') doc.ending = `… then stutters forever in state ${h.lastIndex}`;
  else if (cex.loopsBackTo !== undefined) doc.ending = `↺ then loops back to state ${cex.loopsBackTo}, forever`;
  return doc;
}
