// Checks the manifest's kernel history: each version's config against its expected verdict, and
// per historical bug that its variant config is refuted with the switch on and holds with it off
// (a temporary cfg copy with the Bugs constant rewritten). The library behind `dax-model history`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cfgWithConstant, parseCfg } from '../tla/cfg.ts';
import { flattenModule } from '../tla/flatten.ts';
import { switchKinds } from '../tla/switch-kinds.ts';
import type { EngineName } from '../result/check-result.ts';
import { checkConfigFile, resolveEngine, type CheckOptions, type EngineChoice } from './check.ts';
import { cfgBugs, loadHistory, NOT_FOUND, selectHistoryRows, type HistoryRow } from './history-table.ts';
import { configFile, loadManifest, ManifestError, observedVerdict, specFile, type ConfigEntry, type Manifest } from './manifest.ts';

/** One model-checking run of the history check and how it compares with what it must show. */
export interface HistoryRun {
  config: string;
  /** The switch taken out of Bugs for this run (a temporary copy of the config), if any. */
  without?: string;
  expected: string;
  verdict: string;
  /** The refuted invariant or property, if any. */
  property: string | null;
  /** States in the counterexample, if any. */
  cexLength: number | null;
  /** What the config checks, so "holds" says precisely what holds. */
  checks: string;
  distinctStates: number;
  seconds: number;
  matches: boolean;
  error?: string;
}

/** One historical bug of a version: refuted with its switch on, holding once fixed. */
export interface BugOutcome {
  switch: string;
  refutedWith: HistoryRun;
  holdsWithout: HistoryRun;
  /** The fixing commit, id null when the notes give none. */
  fix: { id: string | null; subject: string; release: string };
  introduced: string;
  matches: boolean;
}

/** One version's outcome. */
interface RowOutcome {
  version: string;
  run: HistoryRun;
  bugs: BugOutcome[];
  /** The row's verdict and every bug check match. */
  matches: boolean;
}

/** A switch no release is known to have shipped, with the configs that turn it on. */
export interface HypotheticalSwitch {
  switch: string;
  configs: string[];
}

export interface HistoryReport {
  engine: EngineName;
  rows: RowOutcome[];
  hypothetical: HypotheticalSwitch[];
  matches: boolean;
}

/** Options of checkHistory; versions empty means every row whose config the engine runs. */
export interface HistoryOptions extends Omit<CheckOptions, 'engine' | 'onStart'> {
  engine?: EngineChoice;
  versions?: string[];
  /** Called before each model-checking run starts (not for runs the cache answers). */
  onRunStart?: (label: string, engine: EngineName) => void;
}

/** The config that shows a switch's bug: the first manifest entry whose variant it is. */
function variantConfigOf(manifest: Manifest, switchName: string): ConfigEntry {
  const c = manifest.configs.find((x) => x.variant === switchName);
  if (!c) throw new ManifestError(`no config has variant '${switchName}'`);
  return c;
}

/** A cfg's text with `switchName` taken out of its Bugs constant (a set of strings).
 *  @throws ManifestError when the cfg has no Bugs set holding the switch. */
export function withoutSwitch(cfgText: string, switchName: string, where = 'cfg'): string {
  const names = cfgBugs(cfgText, where);
  if (!names.includes(switchName)) throw new ManifestError(`${where}: Bugs does not hold '${switchName}'`);
  return cfgWithConstant(
    cfgText,
    'Bugs',
    `{${names
      .filter((n) => n !== switchName)
      .map((n) => `"${n}"`)
      .join(', ')}}`,
  );
}

/** What a cfg checks, in words: its invariants, temporal properties and deadlock checking. */
export function describeChecks(cfgText: string): string {
  const cfg = parseCfg(cfgText);
  const parts = [`invariants ${cfg.invariants.join(' ') || 'none'}`];
  if (cfg.properties.length > 0) parts.push(`properties ${cfg.properties.join(' ')}`);
  parts.push(cfg.checkDeadlock === false ? 'deadlock not checked' : 'deadlock checked');
  return parts.join('; ');
}

/** Runs each (config, switch taken out) once, however many rows ask for it. */
class RunCache {
  private readonly runs = new Map<string, Promise<HistoryRun>>();
  constructor(
    private readonly manifest: Manifest,
    private readonly engine: EngineName,
    private readonly opts: HistoryOptions,
  ) {}

  run(config: string, expected: string, without?: string): Promise<HistoryRun> {
    const key = without ? `${config} without ${without}` : config;
    let p = this.runs.get(key);
    if (!p) {
      p = this.execute(config, key, expected, without);
      this.runs.set(key, p);
    }
    return p;
  }

  private async execute(config: string, label: string, expected: string, without?: string): Promise<HistoryRun> {
    const original = configFile(config);
    const text = readFileSync(original, 'utf8');
    const cfgText = without ? withoutSwitch(text, without, original) : text;
    // Each copy gets its own directory, removed whatever the run did.
    const dir = without ? mkdtempSync(path.join(os.tmpdir(), 'dax-history-')) : undefined;
    try {
      const cfg = dir ? path.join(dir, `${config}-without-${without}.cfg`) : original;
      if (dir) writeFileSync(cfg, cfgText);
      this.opts.onRunStart?.(label, this.engine);
      const r = await checkConfigFile(this.manifest, cfg, this.engine, { ...this.opts, label });
      const verdict = observedVerdict(r);
      return {
        config,
        ...(without ? { without } : {}),
        expected,
        verdict,
        property: r.verdict === 'holds' || r.verdict === 'error' ? null : (r.property ?? (r.verdict === 'deadlock' ? 'deadlock' : null)),
        cexLength: r.counterexample?.steps.length ?? null,
        checks: describeChecks(cfgText),
        distinctStates: r.distinctStates,
        seconds: r.seconds,
        matches: r.verdict !== 'error' && verdict === expected,
        ...(r.error ? { error: `${r.error.kind}: ${r.error.message}` } : {}),
      };
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The rows checked when none are named: those whose config the engine runs by default. */
function defaultHistoryRows(manifest: Manifest, rows: HistoryRow[], engine: EngineName): HistoryRow[] {
  return rows.filter((r) => manifest.configs.find((c) => c.name === r.config)?.engines.includes(engine));
}

/** The switches the spec's BugNames comments call hypothetical, with their variant configs. */
export function hypotheticalSwitches(manifest: Manifest): HypotheticalSwitch[] {
  // BugNames lives in the protocol module the checked (MC) module extends.
  const kinds = switchKinds(flattenModule(specFile(manifest)).source);
  return [...kinds]
    .filter(([, k]) => k === 'hypothetical')
    .map(([name]) => ({
      switch: name,
      configs: manifest.configs.filter((c) => c.variant === name).map((c) => c.name),
    }));
}

/** Checks the named versions (default: every row the engine runs), one run at a time. */
export async function checkHistory(opts: HistoryOptions = {}): Promise<HistoryReport> {
  const manifest = loadManifest();
  const table = loadHistory(manifest);
  const engine = resolveEngine(opts.engine);
  const rows =
    opts.versions && opts.versions.length > 0 ? selectHistoryRows(table, opts.versions) : defaultHistoryRows(manifest, table, engine);
  const hypothetical = hypotheticalSwitches(manifest);
  const shipped = hypothetical.map((h) => h.switch).filter((s) => table.some((r) => r.bugs.includes(s)));
  if (shipped.length > 0) throw new ManifestError(`history lists hypothetical switches as shipped: ${shipped.join(', ')}`);
  const cache = new RunCache(manifest, engine, opts);
  const out: RowOutcome[] = [];
  for (const row of rows) {
    if (opts.signal?.aborted) break;
    const run = await cache.run(row.config, row.expected);
    const bugs: BugOutcome[] = [];
    for (const b of row.bugs) {
      if (opts.signal?.aborted) break;
      const variant = variantConfigOf(manifest, b);
      const refutedWith = await cache.run(variant.name, variant.expected);
      const holdsWithout = await cache.run(variant.name, 'holds', b);
      const f = row.fixes.find((x) => x.switch === b)!;
      bugs.push({
        switch: b,
        refutedWith,
        holdsWithout,
        fix: { id: f.fix === NOT_FOUND ? null : f.fix, subject: f.subject, release: f.release },
        introduced: f.introduced,
        matches: refutedWith.matches && refutedWith.verdict !== 'holds' && holdsWithout.matches,
      });
    }
    out.push({ version: row.version, run, bugs, matches: run.matches && bugs.length === row.bugs.length && bugs.every((x) => x.matches) });
  }
  return { engine, rows: out, hypothetical, matches: !opts.signal?.aborted && out.every((r) => r.matches) };
}
