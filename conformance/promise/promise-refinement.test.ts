// The refinement of the promise checked on state graphs (promise-refinement.ts): on the smoke-sized
// refine-* configs its verdict (the safety part, and the liveness part where the cfg lists
// AbsFairness) is the manifest's, and TLC's on the same cfg where TLC is found (the liveness part's
// own cases: promise-liveness.test.ts); a deliberately broken mapping is refuted by both, the harness naming
// the step and the guard; a mapping naming an unknown variable, or a promise that does not parse,
// is one line naming the file and line (TLC's message kept), which `check` exits 2 on.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUG_NAMES } from '../../impl/index.ts';
import { checkFile, tlcUnavailableReason } from '../../lib/check/check.ts';
import { configFile, loadManifest, SPEC_DIR } from '../../lib/check/manifest.ts';
import { skipTitle } from '../../lib/skip-reason.ts';
import { cfgTemporalProperties, cfgWithOnlyProperty } from '../../lib/tla/cfg.ts';
import { checkPromiseRefinement, type PromiseCheckResult } from './promise-refinement.ts';
import { formatPromiseResult } from './promise-report.ts';

const tlcMissing = tlcUnavailableReason();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dax-promise-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Not smoke-sized (40k to 2M states): TLC's alone, in the lead's full runs.
// Standard-sized (2M states) or over 40k: TLC checks them (check-all); the graph check here stays CI-sized.
const LARGE = new Set(['refine-standard', 'refine-2025-standard', 'refine-duo', 'refine-fallocate-modes']);
const configs = loadManifest().configs.filter((c) => c.refines && !LARGE.has(c.name));

// One harness run per config, shared by the manifest and the TLC comparisons.
const runs = new Map<string, Promise<PromiseCheckResult>>();
const harness = (name: string): Promise<PromiseCheckResult> => {
  let r = runs.get(name);
  if (!r) runs.set(name, (r = checkPromiseRefinement(name)));
  return r;
};

/** A copy of spec/'s modules in a fresh folder, with one module's text rewritten. */
function specCopy(name: string, module: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmp, `${name}-`));
  for (const f of readdirSync(SPEC_DIR).filter((f) => f.endsWith('.tla'))) copyFileSync(path.join(SPEC_DIR, f), path.join(dir, f));
  const file = path.join(dir, `${module}.tla`);
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after, `the edit of ${module}.tla changes it`).not.toBe(before);
  writeFileSync(file, after);
  return dir;
}

/** A cfg with PROPERTY AbsSafety only (the part the harness checks). */
function safetyOnlyCfg(config: string): string {
  const file = path.join(tmp, `${config}-safety.cfg`);
  writeFileSync(file, cfgWithOnlyProperty(readFileSync(configFile(config), 'utf8'), 'AbsSafety'));
  return file;
}

describe('the refinement of the promise on state graphs', () => {
  it('covers smoke and every variant switch', () => {
    expect(configs.map((c) => c.name)).toContain('refine-smoke');
    // Every switch of the spec's BugNames, historical or hypothetical, has a refine config: the
    // ones that break the promise fail it there, DeleteWaitSkipsEntry (a WARN only) holds.
    const refined = new Set(configs.map((c) => c.refines?.variant).filter((v) => v !== undefined));
    expect(BUG_NAMES.filter((b) => !refined.has(b))).toEqual([]);
  });

  it.each(configs.map((c) => [c.name, c.expected] as const))(
    '%s: the verdict is as the manifest expects (%s)',
    async (name, expected) => {
      const r = await harness(name);
      expect(r.verdict, formatPromiseResult(name, r).join('\n')).toBe(expected);
      expect(r.states).toBeGreaterThan(1);
      expect(r.liveness).toBe(cfgTemporalProperties(readFileSync(configFile(name), 'utf8')).includes('AbsFairness'));
      if (r.verdict === 'AbsSafety') expect(r.broken?.guard).toMatch(/^(Apply|Gup|Request|only Fault|no action)/);
      if (r.verdict === 'AbsFairness') expect(r.lasso?.broken).toMatch(/^(WF_vars\(EndDma|SF_vars\(Apply)\([tu]\d\)\)$/);
    },
    240_000,
  );

  it('refutes, on ext4, a promise that reads zero range as XFS does (free, then preallocate)', async () => {
    // ext4_zero_range keeps the range's blocks: the last DeleteEntry ends the operation with the
    // block map unchanged, which the promise allows only with ZeroInPlace.
    const dir = specCopy('zero-as-xfs', 'MapDaxDma', (t) => t.replace(/^ZeroInPlace == .*$/m, 'ZeroInPlace == FALSE'));
    const r = await checkPromiseRefinement('refine-zero-range-ext4', { specDir: dir, liveness: false });
    expect(r.verdict, formatPromiseResult('refine-zero-range-ext4', r).join('\n')).toBe('AbsSafety');
    expect(r.broken?.action).toBe('DeleteEntry(t1)');
    expect(r.broken?.guard).toMatch(/^Apply\(t1\) leaves owner\[f1\] = After\(op\) = .* this step changes pending: owner /);
  }, 120_000);

  it('refutes a mapping that ends the operation before its blocks are freed, naming the step and the guard', async () => {
    // The mapping's first draft: DeleteEntry's last step (fpc "DeleteEntry" -> "FreeBlocks") already ends
    // the pending operation, though FreeBlocks has not changed the block map yet.
    const dir = specCopy('early-effect', 'MapDaxDma', (t) => t.replace(/"DeleteEntry", "FreeBlocks"/, '"DeleteEntry"'));
    const r = await checkPromiseRefinement('refine-lost-wakeup', { specDir: dir });
    const report = formatPromiseResult('refine-lost-wakeup', r).join('\n');
    expect(r.verdict, report).toBe('AbsSafety');
    expect(r.broken?.action).toBe('DeleteEntry(t1)');
    expect(report).toMatch(/step \d+ of a shortest behaviour, DeleteEntry\(t1\), maps to no step of the promise:/);
    expect(r.broken?.guard).toMatch(/^Apply\(t1\) leaves owner\[f1\] = After\(op\) = .* this step changes pending: owner /);
  }, 120_000);
});

describe.skipIf(tlcMissing !== null)(skipTitle('TLC', tlcMissing), () => {
  it.each(configs.map((c) => [c.name] as const))(
    '%s: TLC reaches the harness verdict on the same cfg',
    async (name) => {
      const [graph, tlc] = await Promise.all([
        harness(name),
        checkFile(path.join(SPEC_DIR, 'RefineDaxDma.tla'), configFile(name), 'tlc', { workers: 1 }),
      ]);
      expect(tlc.error).toBeUndefined();
      expect(tlc.verdict === 'holds' ? 'holds' : tlc.property).toBe(graph.verdict);
      // Both engines explore DaxDma's reachable states under the same cfg; TLC stops at the first violation.
      if (graph.verdict === 'holds') expect(tlc.distinctStates).toBe(graph.states);
    },
    240_000,
  );

  it('refutes the broken mapping too', async () => {
    const dir = specCopy('early-effect-tlc', 'MapDaxDma', (t) => t.replace(/"DeleteEntry", "FreeBlocks"/, '"DeleteEntry"'));
    const r = await checkFile(path.join(dir, 'RefineDaxDma.tla'), safetyOnlyCfg('refine-lost-wakeup'), 'tlc', { workers: 1 });
    expect(r).toMatchObject({ verdict: 'property', property: 'AbsSafety' });
    expect(r.counterexample?.steps.at(-1)?.action).toMatch(/^DeleteEntry/);
  }, 120_000);

  it('names the file and line of a mapping that names an unknown variable, in one line', async () => {
    const dir = specCopy('unknown-variable', 'MapDaxDma', (t) => t.replace(/^AbsFree == free$/m, 'AbsFree == freeBlocks'));
    const r = await checkFile(path.join(dir, 'RefineDaxDma.tla'), configFile('refine-lost-wakeup'), 'tlc', { workers: 1 });
    expect(r.verdict).toBe('error');
    expect(r.error?.kind).toBe('parse');
    expect(r.error?.message).toMatch(
      new RegExp(`^${escape(path.join(dir, 'MapDaxDma.tla'))}:\\d+:\\d+: Unknown operator: \`freeBlocks'\\.$`),
    );
  }, 120_000);

  it('names the file and line of a promise that does not parse, in one line', async () => {
    const dir = specCopy('abstract-parse', 'DaxAbstract', (t) => t.replace('/\\ InTheWay(op) = {}', '/\\ InTheWay(op) = {'));
    const r = await checkFile(path.join(dir, 'RefineDaxDma.tla'), configFile('refine-lost-wakeup'), 'tlc', { workers: 1 });
    expect(r.verdict).toBe('error');
    expect(r.error?.kind).toBe('parse');
    expect(r.error?.message).toMatch(new RegExp(`^${escape(path.join(dir, 'DaxAbstract.tla'))}:\\d+:\\d+: parse error: [^\\n]*$`));
  }, 120_000);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
