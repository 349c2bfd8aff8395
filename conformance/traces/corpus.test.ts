// The committed trace corpus (conformance/traces/): its manifest parses and lists exactly the
// files there, every file reads with the ITF reader, the corpus covers every action and branch
// of interest, directed traces reach their targets, traces are real behaviours of the spec, and
// the corpus is not stale (the spec and configs hash as when it was generated).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceStep } from '../../lib/result/check-result.ts';
import { Explorer } from '../../lib/embedded/explorer.ts';
import { valueKey } from '../../lib/values/canonical.ts';
import type { TlaValue } from '../../lib/values/value.ts';
import { readItf } from '../trace-formats/itf.ts';
import { type TraceSchema, loadTraceSchema } from '../trace-formats/schema.ts';
import type { SpecTrace } from '../trace-formats/spec-trace.ts';
import { MANIFEST_NAME, TRACES_DIR, configPath, loadCorpusManifest, specHash, specModuleFile } from './corpus.ts';
import { BRANCHES, coverage, stepTargets } from './targets.ts';

const manifest = loadCorpusManifest();
const configs = Object.keys(manifest.configs);
const schemas = new Map<string, TraceSchema>();
const traces = new Map<string, SpecTrace>();

beforeAll(() => {
  for (const c of configs) schemas.set(c, loadTraceSchema({ specFile: specModuleFile(), configFile: configPath(c) }));
  for (const t of manifest.traces) {
    const schema = schemas.get(t.config) as TraceSchema;
    traces.set(t.file, readItf(readFileSync(path.join(TRACES_DIR, t.file), 'utf8'), { source: t.file, schema }));
  }
});

describe('trace corpus', () => {
  it('has a manifest with the smoke config, and every trace belongs to a listed config', () => {
    expect(configs).toContain('smoke');
    for (const t of manifest.traces) expect(configs, t.file).toContain(t.config);
  });

  it('lists exactly the trace files in the corpus folders', () => {
    const onDisk = readdirSync(TRACES_DIR)
      .filter((d) => !d.startsWith('.') && statSync(path.join(TRACES_DIR, d)).isDirectory())
      .flatMap((d) =>
        readdirSync(path.join(TRACES_DIR, d))
          .filter((f) => f.endsWith('.itf.json'))
          .map((f) => `${d}/${f}`),
      );
    expect(onDisk.sort()).toEqual(manifest.traces.map((t) => t.file).sort());
    expect(readdirSync(TRACES_DIR)).toContain(MANIFEST_NAME);
  });

  it('reads every file with the ITF reader, as the manifest describes it', () => {
    for (const t of manifest.traces) {
      const trace = traces.get(t.file) as SpecTrace;
      expect(trace.steps.length, t.file).toBe(t.states);
      expect(
        trace.steps.every((s, i) => i === 0 || (s.action !== null && s.action !== 'Init')),
        `${t.file}: every step names its action`,
      ).toBe(true);
      if (t.kind === 'random') expect(trace.steps.length, t.file).toBeLessThanOrEqual(t.depth + 1);
      else expect(trace.steps.length, t.file).toBe(t.depth + 1);
    }
  });

  it('covers every action of the spec and every branch of interest', () => {
    const schema = schemas.get('smoke') as TraceSchema;
    const c = coverage([...traces.values()], schema.actions);
    expect(c.actions.missing, `actions never taken by the corpus (${c.actions.covered.length}/${c.actions.total} covered)`).toEqual([]);
    expect(c.branches.missing, `branches never taken by the corpus (${c.branches.covered.length}/${c.branches.total} covered)`).toEqual([]);
    expect(c.actions.total).toBe(30); // 27 + the 2025 design's BreakLayoutsDelete and paused waits
    expect(c.branches.total).toBe(BRANCHES.length);
  });

  it('ends every directed trace in a step that takes one of its targets', () => {
    for (const t of manifest.traces.filter((x) => x.kind === 'directed')) {
      const steps = (traces.get(t.file) as SpecTrace).steps;
      const hit = stepTargets(steps[steps.length - 2] as TraceStep, steps[steps.length - 1] as TraceStep);
      expect(hit, t.file).toEqual(expect.arrayContaining(t.targets ?? ['(none)']));
    }
  });

  it('is not stale: the spec and each config hash as when the corpus was generated', () => {
    for (const [name, c] of Object.entries(manifest.configs)) {
      const now = specHash(name);
      const stale = `the ${name} corpus is stale: spec/DaxDma.tla, spec/MCDaxDma.tla or ${path.relative(process.cwd(), configPath(name))} changed since it was generated (hash ${now.slice(0, 12)}, corpus ${c.specHash.slice(0, 12)}); regenerate it with: ${c.command}`;
      expect(now, stale).toBe(c.specHash);
      for (const t of manifest.traces.filter((x) => x.config === name)) expect(t.specHash, `${t.file}: ${stale}`).toBe(c.specHash);
    }
  });

  // Directed traces share prefixes, so the explorer's cache makes replaying all of them cheap;
  // one random trace per config stands for the others (a full replay costs ~20 s).
  it('holds behaviours of the spec: directed traces and a random one per config replay through the embedded engine', () => {
    for (const name of configs) {
      const explorer = new Explorer(specModuleFile(), configPath(name));
      const inits = explorer.initStates().map((s) => valueKey(s as TlaValue));
      const mine = manifest.traces.filter((x) => x.config === name);
      for (const t of [...mine.filter((x) => x.kind === 'directed'), ...mine.filter((x) => x.kind === 'random').slice(0, 1)]) {
        const steps = (traces.get(t.file) as SpecTrace).steps;
        const key = (s: TraceStep): string => valueKey(s.state as TlaValue);
        expect(inits, `${t.file}: state 1 is an initial state`).toContain(key(steps[0] as TraceStep));
        for (let i = 1; i < steps.length; i++) {
          const succ = explorer.successors((steps[i - 1] as TraceStep).state).map((s) => valueKey(s as TlaValue));
          expect(succ, `${t.file}: state ${i + 1} is a successor of state ${i}`).toContain(key(steps[i] as TraceStep));
        }
      }
    }
  }, 30_000);

  // Six configs since the kernel-history paths (fallocate-modes, munmap-evict) and
  // retry-only-on-sleep, 25 variables a state; 4.5 MB since every config's corpus has its
  // BreakLayoutsScan.busyPastFirst trace (+127 KB, 4.06 MiB in all when regenerated for ZeroRangeInPlace);
  // 5 MB since the 2025 design's design-2025-smoke and wait-skips-entry (+664 KB, 4.73 MiB).
  it('stays modest: at most 200 traces and 5 MB', () => {
    expect(manifest.traces.length).toBeLessThanOrEqual(200);
    const bytes = manifest.traces.reduce((n, t) => n + statSync(path.join(TRACES_DIR, t.file)).size, 0);
    expect(bytes).toBeLessThanOrEqual(5 * 1024 * 1024);
  });
});
