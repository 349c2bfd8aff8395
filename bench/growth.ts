// `make bench-growth`: what each addition of the kernel-history work costs in distinct states.
// For a few base models (safety only: the count does not depend on PROPERTY), checks the spec
// before that work (git ref BENCH_GROWTH_REF, default the commit before e18529f), then the current
// spec as it is and with one addition turned on at a time — a Features value, an FsOps value —
// all of them together, and the 2025 design in place of the 2018 one
// (BENCH_GROWTH_BASES=smoke-safety,rich picks bases). Figures only: nothing here asserts a size.
// `--json` prints them as one object (bench/figures.ts); `--quick` (the results writer's test)
// takes `no-break-layouts` with `Bugs = {}` as its one base, before and now, no addition.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkFile, resolveEngine } from '../lib/check/check.ts';
import { configFile, loadManifest, specFile } from '../lib/check/manifest.ts';
import { REPO_ROOT } from '../lib/paths.ts';
import { cfgWithConstant, cfgWithProperties } from '../lib/tla/cfg.ts';
import { readModelConstants } from '../conformance/model/model.ts';
import { Figures } from './figures.ts';

const out = new Figures('growth');

/** The last commit before the history work (e18529f: munmap, eviction, per-entry deletion, ...). */
const BEFORE = process.env.BENCH_GROWTH_REF ?? 'e18529f~1';
/** Base model -> the config that stood for it before the history work (smoke-safety came later). */
const ALL_BASES: Record<string, string> = out.quick
  ? { 'no-break-layouts': 'no-break-layouts' }
  : { 'smoke-safety': 'smoke', rich: 'rich', duo: 'duo' };
/** --quick: the variant's switch taken out, so that its tiny model holds. */
const mergedIfQuick = (cfgText: string): string => (out.quick ? cfgWithConstant(cfgText, 'Bugs', '{}') : cfgText);
const BASES = Object.fromEntries(
  Object.entries(ALL_BASES).filter(([b]) => !process.env.BENCH_GROWTH_BASES || process.env.BENCH_GROWTH_BASES.split(',').includes(b)),
);

/** One addition: the constants it changes, from a cfg's current values. */
interface Addition {
  label: string;
  /** An evicted file is gone for good: once every task is done nothing can step, which is no
   *  deadlock (munmap-evict.cfg says CHECK_DEADLOCK FALSE too). */
  noDeadlockCheck?: boolean;
  /** Other constants it sets, as cfg text (the 2025 design's idle refcount is 0). */
  constants?: Record<string, string>;
  apply: (features: string[], fsOps: string[]) => { features: string[]; fsOps: string[] };
}
const ALL_ADDITIONS: Addition[] = [
  { label: '+ munmap / mmap (Features Munmap)', apply: (f, o) => ({ features: [...f, 'Munmap'], fsOps: o }) },
  { label: '+ reference-based trunc WARN (TruncWarn)', apply: (f, o) => ({ features: [...f, 'TruncWarn'], fsOps: o }) },
  { label: '+ zero range (FsOps ZeroRange)', apply: (f, o) => ({ features: f, fsOps: [...o, 'ZeroRange'] }) },
  { label: '+ insert range (FsOps InsertRange)', apply: (f, o) => ({ features: f, fsOps: [...o, 'InsertRange'] }) },
  {
    label: '+ eviction (FsOps Evict, needs Munmap)',
    noDeadlockCheck: true,
    apply: (f, o) => ({ features: [...f, 'Munmap'], fsOps: [...o, 'Evict'] }),
  },
  {
    label: '+ all of the above (2018 design)',
    noDeadlockCheck: true,
    apply: (f, o) => ({ features: [...f, 'Munmap', 'TruncWarn'], fsOps: [...o, 'ZeroRange', 'InsertRange', 'Evict'] }),
  },
  {
    // Not one of the above: the 2025 design replaces the 2018 one (6.15's fs-dax refcount
    // rework, 38607c62b34b: idle 0, a reference per PTE, dax_break_layout deleting the entries).
    label: '+ the 2025 design (Design2025, IdleRef 0)',
    // duo has the 2025 design's remap hang (design-2025-remap-hang: a refault while the truncate
    // sleeps keeps the page busy for ever), a deadlock TLC would stop at; the count is of states.
    noDeadlockCheck: true,
    constants: { IdleRef: '0' },
    apply: (f, o) => ({ features: [...f, 'Design2025'], fsOps: o }),
  },
];

const ADDITIONS = out.quick ? [] : ALL_ADDITIONS;

const stringSet = (xs: string[]): string => `{${[...new Set(xs)].map((x) => `"${x}"`).join(', ')}}`;
const fmt = (n: number): string => n.toLocaleString('en-US');

const engine = resolveEngine('auto');
const manifest = loadManifest();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-growth-'));
const count = async (spec: string, cfgText: string, label: string): Promise<{ states: number; seconds: number }> => {
  const cfg = path.join(tmp, `${label.replace(/[^a-z0-9]+/gi, '-')}.cfg`);
  writeFileSync(cfg, cfgWithProperties(cfgText, []));
  const r = await checkFile(spec, cfg, engine, { workers: 'auto', timeoutSeconds: 1800 });
  if (r.verdict !== 'holds')
    throw new Error(`${label}: expected the model to hold, got ${r.verdict}${r.error ? ` (${r.error.message})` : ''}`);
  return { states: r.distinctStates, seconds: r.seconds };
};

try {
  // The spec before the history work, in a folder of its own (git show, no shell).
  const old = path.join(tmp, 'before');
  mkdirSync(old);
  for (const f of ['DaxDma.tla', 'MCDaxDma.tla'])
    writeFileSync(path.join(old, f), execFileSync('git', ['-C', REPO_ROOT, 'show', `${BEFORE}:spec/${f}`], { timeout: 30_000 }));
  out.say(`engine ${engine}; before = ${BEFORE}; safety only (PROPERTY left out)\n`);
  const addRow = out.table(`distinct states, engine ${engine}, before = ${BEFORE}, safety only (PROPERTY left out)`, [
    'model',
    'addition',
    'states',
    'x now',
    'seconds',
  ]);
  out.say(`${'model'.padEnd(14)} ${'addition'.padEnd(44)} ${'states'.padStart(11)} ${'x now'.padStart(7)} ${'seconds'.padStart(8)}`);
  for (const [base, oldName] of Object.entries(BASES)) {
    const oldCfg = execFileSync('git', ['-C', REPO_ROOT, 'show', `${BEFORE}:spec/models/${oldName}.cfg`], { timeout: 30_000 }).toString();
    const before = await count(path.join(old, 'MCDaxDma.tla'), mergedIfQuick(oldCfg), `${base}-before`);
    const text = mergedIfQuick(readFileSync(configFile(base), 'utf8'));
    const now = await count(specFile(manifest), text, `${base}-now`);
    const row = (label: string, r: { states: number; seconds: number }): void => {
      addRow([base, label, r.states, Number((r.states / now.states).toFixed(2)), Number(r.seconds.toFixed(1))]);
      out.say(
        `${base.padEnd(14)} ${label.padEnd(44)} ${fmt(r.states).padStart(11)} ${(r.states / now.states).toFixed(2).padStart(7)} ${r.seconds.toFixed(1).padStart(8)}`,
      );
    };
    row(`before the history work (${oldName}.cfg at ${BEFORE})`, before);
    row('now, as configured (per-entry deletion, put paths)', now);
    const { features, fsOps } = readModelConstants(base);
    for (const a of ADDITIONS) {
      const next = a.apply(features, fsOps);
      const constants = { Features: stringSet(next.features), FsOps: stringSet(next.fsOps), ...a.constants };
      const cfgText =
        Object.entries(constants).reduce((t, [name, value]) => cfgWithConstant(t, name, value), text) +
        (a.noDeadlockCheck ? 'CHECK_DEADLOCK FALSE\n' : '');
      row(a.label, await count(specFile(manifest), cfgText, `${base}-${a.label}`));
    }
  }
  out.done();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
