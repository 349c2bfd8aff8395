// Differential runs of one checkout's implementation against another's, under the same random
// schedules, compared in everything the harness can look at (differential-observe.ts: mapped
// states, the tasks that can move and how the others wait, step records, moves offered, the
// whole snapshot with woken and blockedOn, refusal messages, events), on every config small
// enough to explore (fast-check, feature, variant and kernel-history configs, both profiles, and
// each kernel version of impl/releases.ts on its own config). For `mutate --audit-equivalents` (a
// mutant recorded as equivalent must behave exactly as the original) and `dax-model diff --base`
// (a refactor must behave as the commit it started from).
import { REPO_ROOT } from '../../lib/paths.ts';
import { findRelease, RELEASES, type Release, unknownRelease, type FsProfileName } from '../../impl/index.ts';
import { interruptionPoint } from '../../lib/interrupt.ts';
import { seededRandom } from '../../lib/values/seeded-random.ts';
import { CPU_WEIGHT, DEFAULT_MAX_STEPS } from '../executions/executions.ts';
import { FAST_CHECK_CONFIGS, smallConfigs } from '../executions/fast-check-configs.ts';
import { constantsUnder, profileRefusal, releaseConstants } from '../model/release-model.ts';
import { ModelConstantsError, readModelConstants, type ModelConstants } from '../model/model.ts';
import { loadHarness, observe, type Harness, type LineKind, type Observation } from './differential-observe.ts';
import { PROFILES } from './suite-inputs.ts';
import type { SuiteModule, SuiteReport } from './contract.ts';

/** One config run under one profile (and, for a kernel version, built as that version). */
export interface AuditUnit {
  config: string;
  profile: FsProfileName;
  kernel?: string;
  constants: ModelConstants;
}

/** How a unit is named in reports: `smoke [xfs]`, `history-5.18 [5.18]`. */
export function unitName(u: Pick<AuditUnit, 'config' | 'profile' | 'kernel'>): string {
  return `${u.config} [${u.kernel ?? u.profile}]`;
}

/**
 * The units an audit runs: without `kernel`, every small config under each profile (or the one
 * given) as its constants say, then each kernel version on its own config; with a version, every
 * small config whose constants are the version's, built as it; with 'all', that for each version.
 */
export function auditUnits(o: { kernel?: string; profile?: FsProfileName } = {}): AuditUnit[] {
  const configs = [...new Set([...FAST_CHECK_CONFIGS, ...smallConfigs()])];
  const asVersion = (v: Release): AuditUnit[] =>
    configs.flatMap((config) => {
      const c = constantsUnder(config, v);
      return 'constants' in c ? [{ config, profile: v.profile, kernel: v.version, constants: c.constants }] : [];
    });
  if (o.kernel === 'all') return RELEASES.flatMap(asVersion);
  if (o.kernel !== undefined) {
    const v = findRelease(o.kernel);
    if (!v) throw new ModelConstantsError(unknownRelease(o.kernel, 'all'));
    return asVersion(v);
  }
  const profiles: readonly FsProfileName[] = o.profile ? [o.profile] : PROFILES;
  // Each config under each profile that can be built for it (ext2 only for its own configs).
  const plain = configs.flatMap((config) => {
    const constants = readModelConstants(config);
    return profiles.filter((profile) => profileRefusal(constants, profile) === null).map((profile) => ({ config, profile, constants }));
  });
  const versions = RELEASES.filter((v) => !o.profile || v.profile === o.profile).map((v) => {
    const constants = releaseConstants(v.version);
    return { config: constants.config, profile: v.profile, kernel: v.version, constants };
  });
  return [...plain, ...versions];
}

/** Moves per task the pick width allows for: picks are uniform in [0, tasks × CPU_WEIGHT × 840). */
const MOVES_SPAN = 840;

/**
 * The pick width of a unit: pickMove takes a task slot, pick mod (slots, at most tasks ×
 * CPU_WEIGHT), then one of its moves, (pick div slots) mod (its moves). Picks uniform over a
 * range this wide choose every task that can move, and each of its moves, with equal chances up
 * to a bias below 1/840 — whatever the number of moves offered at the start (the former width,
 * four times the initial moves, never reached the users of 16 of 29 configs).
 */
export function pickWidth(c: ModelConstants): number {
  const tasks = c.users.length + c.fsTasks.length + c.syncers.length + 1; // + the mm (Munmap/Mmap)
  return tasks * CPU_WEIGHT * MOVES_SPAN;
}

/** A stable number for a unit's name, mixed into the seed: each unit's schedules do not depend on
 *  which other units run. */
function hashName(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The schedules of a unit: `runs` lists of `maxSteps` picks, from seed and unit name. */
function schedulesOf(u: AuditUnit, runs: number, seed: number, maxSteps: number): number[][] {
  const random = seededRandom((seed ^ hashName(unitName(u))) >>> 0);
  const width = pickWidth(u.constants);
  return Array.from({ length: runs }, () => Array.from({ length: maxSteps }, () => Math.floor(random() * width)));
}

export interface CompareOptions {
  /** Random schedules per unit. Default 10 (about 15 s over the 66 units of every config). */
  runs?: number;
  seed?: number;
  maxSteps?: number;
  /** Stop starting schedules after this long; the units not finished are reported not audited. */
  budgetMs?: number;
  units?: readonly AuditUnit[];
  /** One schedule only (a replay): these picks, on every unit given. */
  picks?: readonly number[];
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/** The first schedule under which the two sides differ. */
export interface Difference {
  unit: AuditUnit;
  seed: number;
  /** The schedule's index among the unit's runs (0-based). */
  run: number;
  /** The picks up to the step that differs (the rest play no part in the difference). */
  picks: number[];
  /** The whole schedule (for the spec's verdict on each side, which may depart later). */
  schedule: number[];
  /** 0 for the initial state, else the step after which they differ. */
  step: number;
  kind: LineKind;
  /** The differing parts of that observation, each side's (the same index, or missing). */
  mine: string[];
  theirs: string[];
}

export interface Comparison {
  schedules: number;
  /** Steps compared (those of this side's executions). */
  steps: number;
  seconds: number;
  /** Units whose every schedule was compared. */
  audited: string[];
  /** Units the budget ran out before (or during): their equivalence is not established. */
  notAudited: string[];
  /** Units in which some task never moved over all their schedules, with those tasks. */
  unmoved: { unit: string; tasks: string[] }[];
  difference?: Difference;
}

/** The parts of two observations that differ, in order (a part missing on one side as `(none)`). */
function differingParts(a: readonly string[], b: readonly string[]): { mine: string[]; theirs: string[] } {
  const mine: string[] = [];
  const theirs: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    mine.push(a[i] ?? '(none)');
    theirs.push(b[i] ?? '(none)');
  }
  return { mine, theirs };
}

/** The first line where two observations differ, or null. */
function firstDifference(a: Observation, b: Observation): Pick<Difference, 'step' | 'kind' | 'mine' | 'theirs'> | null {
  for (let i = 0; i < Math.max(a.lines.length, b.lines.length); i++) {
    const x = a.lines[i];
    const y = b.lines[i];
    const same = (p: readonly string[], q: readonly string[]): boolean => p.length === q.length && p.every((s, k) => s === q[k]);
    if (x && y && x.step === y.step && x.kind === y.kind) {
      if (same(x.items, y.items)) continue;
      const [p, q] = x.expand && y.expand ? [x.expand(), y.expand()] : [x.items, y.items];
      if (same(p, q)) continue;
      return { step: x.step, kind: x.kind, ...differingParts(p, q) };
    }
    const at = x ?? y!;
    return {
      step: at.step,
      kind: at.kind,
      mine: x ? [`${x.kind} at step ${x.step}: ${x.items.join('; ')}`] : ['(the schedule ended)'],
      theirs: y ? [`${y.kind} at step ${y.step}: ${y.items.join('; ')}`] : ['(the schedule ended)'],
    };
  }
  return null;
}

/**
 * Runs the same schedules through `mine` and `theirs` and reports the first difference (it stops
 * there), what it compared, the units not audited when the budget ran out, and the units where
 * some task never moved (a schedule generator that cannot reach a task cannot tell it apart).
 */
export async function compareImplementations(mine: Harness, theirs: Harness, o: CompareOptions = {}): Promise<Comparison> {
  const started = performance.now();
  const units = o.units ?? auditUnits();
  const runs = o.picks ? 1 : (o.runs ?? 10);
  const seed = o.seed ?? 20261130;
  const maxSteps = o.maxSteps ?? DEFAULT_MAX_STEPS;
  const result: Comparison = { schedules: 0, steps: 0, seconds: 0, audited: [], notAudited: [], unmoved: [] };
  let lastYield = performance.now();
  for (let k = 0; k < units.length; k++) {
    const u = units[k]!;
    const name = unitName(u);
    o.onProgress?.(`${name}: ${runs} schedules (${result.schedules} compared so far)`);
    const schedules = o.picks ? [[...o.picks]] : schedulesOf(u, runs, seed, maxSteps);
    const tasks = new Set([...u.constants.users, ...u.constants.fsTasks, ...u.constants.syncers]);
    const moved = new Set<string>();
    let done = 0;
    for (const [r, picks] of schedules.entries()) {
      if (o.budgetMs !== undefined && performance.now() - started > o.budgetMs) break;
      if (performance.now() - lastYield > 50) {
        await interruptionPoint(o.signal);
        lastYield = performance.now();
      }
      const a = observe(mine, u.constants, u.profile, picks);
      const b = observe(theirs, u.constants, u.profile, picks);
      result.schedules++;
      result.steps += a.steps;
      for (const t of a.moved) moved.add(t);
      const d = firstDifference(a, b);
      if (d) {
        result.difference = { unit: u, seed, run: r, picks: picks.slice(0, Math.max(1, d.step)), schedule: picks, ...d };
        result.notAudited.push(...units.slice(k).map(unitName));
        result.seconds = (performance.now() - started) / 1000;
        return result;
      }
      done++;
    }
    if (done < schedules.length) {
      result.notAudited.push(...units.slice(k).map(unitName));
      break;
    }
    result.audited.push(name);
    const never = [...tasks].filter((t) => !moved.has(t));
    if (never.length > 0) result.unmoved.push({ unit: name, tasks: never });
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** A difference as readable lines: where, then each differing part of both sides. */
export function describeDifference(d: Difference, names: { mine: string; theirs: string }): string[] {
  const at = d.step === 0 ? 'in the initial state' : `after step ${d.step}`;
  const out = [
    `first difference: ${unitName(d.unit)}, seed ${d.seed}, schedule ${d.run}, ${at} (${d.kind})`,
    `  picks ${d.picks.join(',')}`,
  ];
  d.mine.forEach((m, i) => {
    out.push(`  - ${names.theirs}: ${d.theirs[i]}`, `  + ${names.mine}: ${m}`);
  });
  return out;
}

/** The suite's options (SuiteOptions it reads, and maxSteps). */
export interface DifferentialOptions {
  /** The checkout whose implementation is the reference (the original, unmutated); required. */
  referenceRoot?: string;
  /** Random schedules per unit (compareImplementations' default unless given). */
  runs?: number;
  seed?: number;
  maxSteps?: number;
  budgetMs?: number;
  profile?: FsProfileName;
  kernel?: string;
  signal?: AbortSignal;
}

/**
 * The audit as the mutation runner's workers call a suite (tools/mutate/worker.mjs): this copy
 * (the mutant) against the reference. A difference is a divergence that refutes the record; a
 * budget that ran out is a divergence of check 'not-audited', never a pass.
 */
export async function runConformance(o: DifferentialOptions): Promise<SuiteReport & { comparison: Comparison }> {
  // The mutation runner sets it with --audit-equivalents; without it there is nothing to compare with.
  if (o.referenceRoot === undefined) throw new Error('the differential suite needs referenceRoot, the checkout to compare with');
  const here = REPO_ROOT;
  const units = auditUnits({ ...(o.profile ? { profile: o.profile } : {}), ...(o.kernel ? { kernel: o.kernel } : {}) });
  const c = await compareImplementations(await loadHarness(here), await loadHarness(o.referenceRoot), {
    units,
    ...pick(o, ['runs', 'seed', 'maxSteps', 'budgetMs', 'signal']),
  });
  const divergences: { check: string; message: string }[] = [];
  const d = c.difference;
  // The first line is what the mutation report prints: where, and the first part that differs.
  if (d)
    divergences.push({
      check: `differential:${d.unit.config}`,
      message:
        `${unitName(d.unit)} after step ${d.step} (${d.kind}): mutant ${d.mine[0]?.slice(0, 400)} | original ${d.theirs[0]?.slice(0, 400)}\n${describeDifference(d, { mine: 'mutant', theirs: 'original' }).join('\n')}`.slice(
          0,
          2400,
        ),
    });
  else if (c.notAudited.length > 0)
    divergences.push({
      check: 'not-audited',
      message: `the budget of ${o.budgetMs} ms ran out after ${c.schedules} schedules: not audited ${c.notAudited.join(', ')}`,
    });
  // No trace replays, actions or fast-check runs: the comparison says what ran (its schedules).
  return {
    steps: c.steps,
    divergences,
    stepsPerSecond: c.steps / Math.max(c.seconds, 1e-9),
    seconds: c.seconds,
    comparison: c,
  };
}

// The suite of `mutate --audit-equivalents`: the contract the runner calls it through.
runConformance satisfies SuiteModule['runConformance'];

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
