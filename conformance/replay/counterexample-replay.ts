// Counterexample replay: model-check a variant config, take the counterexample, drive the
// implementation with the same variant switch through it, and show that the implementation reaches
// the same violation — the mapped state violates the same invariant and the DMA then records the
// corruption, or nothing can run any more (deadlock), or the waiting task sleeps forever.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DaxEvent, DaxSystem, FsProfileName } from '../../impl/index.ts';
import { checkOne, resolveEngine, type EngineChoice } from '../../lib/check/check.ts';
import { configFile, loadManifest, selectConfigs, specFile, type ConfigEntry } from '../../lib/check/manifest.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { InterruptedError } from '../../lib/interrupt.ts';
import type { CheckResult, Counterexample, EngineName } from '../../lib/result/check-result.ts';
import { specHash } from '../../lib/check/spec-hash.ts';
import { Explorer } from '../../lib/embedded/explorer.ts';
import { mappedState, readModelConstants, type ModelConstants } from '../model/model.ts';
import { replayTrace, type Divergence } from './replay.ts';
import { waitingText, waitsForEver } from '../model/waits-for-ever.ts';

/** Where committed counterexamples and their regression tests live. */
export const REGRESSIONS_DIR = path.join(REPO_ROOT, 'conformance', 'regressions');

/** A counterexample as committed: the steps plus where they came from. */
export interface SavedCounterexample {
  config: string;
  expected: string;
  engine: EngineName;
  engineVersion: string;
  specHash: string;
  /** The command that regenerates this file. */
  regenerate: string;
  counterexample: Counterexample;
}

/** What the implementation did with a counterexample. */
export interface Reproduction {
  config: string;
  expected: string;
  /** Did the replay follow the counterexample to its end without divergence? */
  replayed: boolean;
  divergence?: Divergence;
  /** Did the implementation reach the same violation? */
  reproduced: boolean;
  /** One line per piece of evidence (the invariant the mapped state violates, events, ...). */
  evidence: string[];
  events: DaxEvent[];
  steps: number;
}

/** The regression test and data file names of a config. */
export function regressionFiles(config: string): { data: string; test: string } {
  return { data: path.join(REGRESSIONS_DIR, `${config}.cex.json`), test: path.join(REGRESSIONS_DIR, `${config}.test.ts`) };
}

/** The model checker could not check a config, or found no counterexample in it. */
export class CounterexampleSearchError extends Error {
  override readonly name = 'CounterexampleSearchError';
}

/** Model-checks a config and returns its counterexample. @throws CounterexampleSearchError when
 *  there is none, InterruptedError when `signal` aborts the check. */
export async function findCounterexample(
  config: string,
  engine: EngineChoice = 'auto',
  signal?: AbortSignal,
): Promise<{ entry: ConfigEntry; result: CheckResult; engine: EngineName }> {
  const manifest = loadManifest();
  const [entry] = selectConfigs(manifest, [config]);
  const en = resolveEngine(engine);
  const o = await checkOne(manifest, entry!, en, { workers: 1, ...(signal ? { signal } : {}) });
  if (o.result.error?.kind === 'interrupted' || signal?.aborted) throw new InterruptedError(`checking ${config} was interrupted`);
  if (o.result.verdict === 'error') throw new CounterexampleSearchError(`${config}: ${en} could not check it: ${o.result.error?.message}`);
  if (!o.result.counterexample)
    throw new CounterexampleSearchError(`${config}: ${en} found no counterexample (verdict ${o.verdict}, expected ${entry!.expected})`);
  return { entry: entry!, result: o.result, engine: en };
}

/** Steps pinned users through DmaComplete so that the device's write lands and is recorded. */
function completePinnedDma(sys: DaxSystem): void {
  for (let guard = 0; guard < 64; guard++) {
    const dma = sys.runnable().find((r) => r.label === 'DmaComplete');
    if (!dma) return;
    sys.step(dma.task);
  }
}

/**
 * Replays a counterexample on the implementation (built with the config's constants, so with its
 * variant switch) and checks that the implementation reaches the violation the config expects.
 */
export function reproduce(
  config: string,
  expected: string,
  cex: Counterexample,
  constants: ModelConstants = readModelConstants(config),
  opts: { profile?: FsProfileName } = {},
): Reproduction {
  const r = replayTrace(cex.steps, constants, { source: `${config} counterexample`, ...(opts.profile ? { profile: opts.profile } : {}) });
  const base = { config, expected, replayed: r.ok, steps: r.steps };
  if (!r.ok) return { ...base, divergence: r.divergence!, reproduced: false, evidence: [], events: r.events };
  const sys = r.system;
  const spec = new Explorer(specFile(loadManifest()), configFile(config));
  const evidence: string[] = [];
  let reproduced = false;
  if (expected === 'deadlock') {
    const w = waitsForEver(sys, expected);
    evidence.push(
      w.stuck
        ? `nothing can run or start; ${w.waiting.map(waitingText).join(', ') || 'all idle'}`
        : `still runnable: ${[
            ...sys.runnable().map((x) => `${x.task}:${x.label}`),
            ...sys.startable().map((x) => `${x.task}:${x.label}`),
            ...sys.mmMoves().map((x) => `mm:${x.label}(${x.file})`),
          ].join(', ')}`,
    );
    reproduced = w.forEver;
  } else {
    // An invariant or a temporal property: the mapped end state is the counterexample's.
    const failing = spec.failingInvariant(mappedState(sys, constants));
    if (failing) evidence.push(`the implementation's state violates ${failing}`);
    if (failing === expected) reproduced = true;
    if (!failing && cex.ending === 'stuttering') {
      // A liveness lasso that ends stuttering: a task waits for something that never comes.
      const w = waitsForEver(sys, expected);
      evidence.push(
        `${w.waiting.map(waitingText).join(', ') || 'no task waits'}; ${w.stuck ? 'nothing else can run or start, so it waits forever' : 'other tasks can still run'}`,
      );
      reproduced = w.forEver;
    }
    completePinnedDma(sys);
  }
  const events = sys.events();
  for (const e of events) {
    evidence.push(
      e.kind === 'corruption'
        ? `corruption: ${e.user}'s DMA wrote ${e.block}, pinned through ${e.file}:${e.offset}, now ${e.reason === 'free' ? 'free' : "another file's or offset's"}`
        : `WARN in ${e.function}: ${e.warn} (${e.block}, ${e.file}:${e.offset})`,
    );
  }
  if (expected === 'NoDmaIntoForeignBlock') reproduced = reproduced && events.some((e) => e.kind === 'corruption');
  // The WARN in dax_disassociate_entry is the implementation's own view of NoPinnedEntryDeleted:
  // it deletes the entry of a page pinned for DMA. (The converse need not hold: the kernel's WARN
  // also counts a speculative GUP-fast reference, which the invariant leaves out.) The corruption
  // event is its view of NoDmaIntoForeignBlock, recorded when the pin goes foreign, not later.
  const [pinnedDeleted, foreignDma] = firstBreaks(spec, cex, ['NoPinnedEntryDeleted', 'NoDmaIntoForeignBlock']);
  const checks = [
    eventAtFirstBreak(
      cex,
      pinnedDeleted!,
      events,
      'NoPinnedEntryDeleted',
      (e) => e.kind === 'warn' && e.warn === 'disassociate-pinned',
      'the WARN in daxDisassociateEntry',
    ),
    eventAtFirstBreak(cex, foreignDma!, events, 'NoDmaIntoForeignBlock', (e) => e.kind === 'corruption', 'a corruption event'),
  ];
  for (const c of checks) {
    if (!c) continue;
    evidence.push(c.line);
    reproduced = reproduced && c.ok;
  }
  return { ...base, reproduced, evidence, events };
}

/** For each invariant, the index of the first counterexample state that violates it (-1 when
 *  none): one evaluation of all of them per state, up to the state where the last one first fails. */
function firstBreaks(spec: Explorer, cex: Counterexample, invariants: readonly string[]): number[] {
  const first = invariants.map(() => -1);
  const all = `<<${invariants.join(', ')}>>`;
  for (let i = 0; i < cex.steps.length && first.includes(-1); i++) {
    const holds = spec.evaluate(cex.steps[i]!.state, all) as boolean[];
    holds.forEach((h, k) => {
      if (!h && first[k] === -1) first[k] = i;
    });
  }
  return first;
}

/**
 * The step into state `i` (0-based), the first that violates `invariant`, must record an event
 * `matches` accepts. Undefined when the invariant never fails (or already fails initially).
 */
function eventAtFirstBreak(
  cex: Counterexample,
  i: number,
  events: readonly DaxEvent[],
  invariant: string,
  matches: (e: DaxEvent) => boolean,
  what: string,
): { ok: boolean; line: string } | undefined {
  if (i <= 0) return undefined;
  // Events count steps from 0: the step into state i + 1 (1-based) is step i - 1.
  const ok = events.some((e) => matches(e) && e.step === i - 1);
  const where = `state ${i + 1} (${cex.steps[i]!.action ?? '?'}) breaks ${invariant}`;
  return { ok, line: ok ? `${where}; that step records ${what}` : `${where}, but that step does NOT record ${what}` };
}

function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** A committed counterexample file cannot be read; the message names the file. */
export class SavedCounterexampleError extends Error {
  override readonly name = 'SavedCounterexampleError';
}

/** Reads a committed counterexample. @throws SavedCounterexampleError naming the file. */
export function readSavedCounterexample(file: string): SavedCounterexample {
  let doc: SavedCounterexample;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as SavedCounterexample;
  } catch (e) {
    throw new SavedCounterexampleError(`${file}: cannot read a saved counterexample: ${(e as Error).message}`);
  }
  if (!doc || typeof doc.config !== 'string' || typeof doc.expected !== 'string' || !Array.isArray(doc.counterexample?.steps)) {
    throw new SavedCounterexampleError(`${file}: not a saved counterexample (config, expected and counterexample.steps are required)`);
  }
  return doc;
}

/** A JavaScript string literal in the formatter's quotes, so that a written test passes its check. */
function singleQuoted(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** The source of the vitest regression test for a config's saved counterexample. */
export function regressionTestSource(config: string): string {
  return `// Regression test written by \`dax-model replay-cex ${config}\`: the implementation, with the same
// variant switch, follows the model checker's counterexample (${config}.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression(${singleQuoted(config)});
`;
}

/** The command that rewrites a config's saved counterexample (replay-cex saves unless --dry-run). */
function regenerateCommand(config: string, engine: EngineName): string {
  return `npx dax-model replay-cex ${config} --engine ${engine}`;
}

/** Saves a counterexample and its regression test (each written to a temp file, then renamed). */
export function saveRegression(entry: ConfigEntry, result: CheckResult, engine: EngineName): { data: string; test: string } {
  const files = regressionFiles(entry.name);
  const saved: SavedCounterexample = {
    config: entry.name,
    expected: entry.expected,
    engine,
    engineVersion: result.engineVersion ?? 'unknown',
    specHash: specHash(entry.name),
    regenerate: regenerateCommand(entry.name, engine),
    counterexample: result.counterexample!,
  };
  writeAtomic(files.data, `${JSON.stringify(saved, null, 1)}\n`);
  writeAtomic(files.test, regressionTestSource(entry.name));
  return files;
}
