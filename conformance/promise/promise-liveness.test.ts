// The liveness part of the refinement on state graphs (promise-liveness.ts) where the verdict turns
// on DaxDma's own fairness: refine-lost-wakeup's model with the bug off (holds), with a writeback
// task (holds only because FsNext is strongly fair: the scan that waits for the entry lock the
// syncer takes and drops again and again), with FsNext only weakly fair (the starvation lasso), and
// with the users' or the syncer's fairness dropped (a pin that never ends, an entry lock never
// released). Each verdict is asserted here and, where TLC is found, is TLC's on the same modules.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFile, tlcUnavailableReason } from '../../lib/check/check.ts';
import { configFile, SPEC_DIR } from '../../lib/check/manifest.ts';
import { skipTitle } from '../../lib/skip-reason.ts';
import { cfgWithConstant } from '../../lib/tla/cfg.ts';
import type { FairnessInstance } from './fairness.ts';
import { findUnfairLasso, type MappedGraph } from './promise-liveness.ts';
import { checkPromiseRefinement, type PromiseCheckResult } from './promise-refinement.ts';
import { formatPromiseResult } from './promise-report.ts';

const tlcMissing = tlcUnavailableReason();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dax-liveness-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const base = cfgWithConstant(readFileSync(configFile('refine-lost-wakeup'), 'utf8'), 'Bugs', '{}');
const withSyncer = cfgWithConstant(base, 'Syncers', '{s1}');
const USERS_SF = '    /\\ \\A u \\in Users : SF_vars(UserNext(u))\n';
const SYNCERS_WF = '    /\\ \\A s \\in Syncers : WF_vars(SyncNext(s))\n';

interface Case {
  name: string;
  cfg: string;
  /** An edit of DaxDma.tla's Fairness, in a copy of spec/. */
  edit?: (text: string) => string;
  verdict: 'holds' | 'AbsFairness';
  /** The abstract condition the lasso breaks and a line of the report. */
  broken?: string;
  report?: RegExp;
}

const CASES: Case[] = [
  { name: 'fixed', cfg: base, verdict: 'holds' },
  { name: 'fixed-syncer', cfg: withSyncer, verdict: 'holds' },
  {
    name: 'users-unfair',
    cfg: base,
    edit: (t) => t.replace(USERS_SF, ''),
    verdict: 'AbsFairness',
    broken: 'WF_vars(EndDma(u1))',
    report: /^ {2}then it stutters in state \d+ for ever$/m,
  },
  {
    name: 'fs-weakly-fair-syncer',
    cfg: withSyncer,
    edit: (t) => t.replace('SF_vars(FsNext(t))', 'WF_vars(FsNext(t))'),
    verdict: 'AbsFairness',
    broken: 'SF_vars(Apply(t1))',
    report: /WF_vars\(FsNext\(t1\)\): disabled in \d+ of the cycle's \d+ states; WF_vars\(SyncNext\(s1\)\): taken, cycle step \d+$/m,
  },
  { name: 'syncer-unfair', cfg: withSyncer, edit: (t) => t.replace(SYNCERS_WF, ''), verdict: 'AbsFairness', broken: 'SF_vars(Apply(t1))' },
];

/** spec/'s modules copied, DaxDma.tla edited, and the case's cfg beside them. */
function model(c: Case): { dir: string; cfg: string } {
  const dir = mkdtempSync(path.join(tmp, `${c.name}-`));
  for (const f of readdirSync(SPEC_DIR).filter((f) => f.endsWith('.tla'))) copyFileSync(path.join(SPEC_DIR, f), path.join(dir, f));
  if (c.edit) {
    const file = path.join(dir, 'DaxDma.tla');
    const before = readFileSync(file, 'utf8');
    const after = c.edit(before);
    if (after === before)
      throw new Error(`the edit of DaxDma.tla for ${c.name} changes nothing: its Fairness is not as this test knows it`);
    writeFileSync(file, after);
  }
  const cfg = path.join(dir, `${c.name}.cfg`);
  writeFileSync(cfg, c.cfg);
  return { dir, cfg };
}

const runs = new Map<string, Promise<PromiseCheckResult>>();
const harness = (c: Case, m: { dir: string; cfg: string }): Promise<PromiseCheckResult> => {
  let r = runs.get(c.name);
  if (!r) runs.set(c.name, (r = checkPromiseRefinement(m.cfg, { specDir: m.dir })));
  return r;
};
const models = new Map(CASES.map((c) => [c.name, model(c)]));

describe('the liveness part of the refinement on state graphs', () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: as expected',
    async (_name, c) => {
      const r = await harness(c, models.get(c.name)!);
      const report = formatPromiseResult(c.name, r).join('\n');
      expect(r.liveness).toBe(true);
      expect(r.verdict, report).toBe(c.verdict);
      if (c.verdict === 'holds') {
        expect(r.lasso).toBeUndefined();
        return;
      }
      const l = r.lasso!;
      expect(l.broken).toBe(c.broken);
      expect(report).toContain(`a fair behaviour of DaxDma whose image breaks ${c.broken}:`);
      if (c.report) expect(report).toMatch(c.report);
      // The lasso is a behaviour: it starts in the initial state and its cycle returns to its entry.
      expect(l.prefix[0]!.action).toBe('Init');
      if (l.cycle.length > 0) expect(l.cycle.at(-1)!.state).toEqual(l.prefix.at(-1)!.state);
    },
    60_000,
  );

  it('reports the lost wake-up as its lasso: the prefix to the sleep, each step mapped, the stutter, the broken condition', async () => {
    const r = await checkPromiseRefinement('refine-lost-wakeup');
    const report = formatPromiseResult('refine-lost-wakeup', r).join('\n');
    expect(r.verdict, report).toBe('AbsFairness');
    expect(report).toMatch(/^ +\d+\. BreakLayoutsWait\(t1\) +~> stutter$/m);
    expect(report).toMatch(/^ +\d+\. DmaComplete\(u1\) +~> EndDma\(u1\)$/m);
    expect(report).toMatch(/^ +\d+\. FsLockIo\(t1\) +~> Request\(t1\)$/m);
    expect(report).toMatch(
      /Apply\(t1\) is enabled in the state it stutters in and never taken; t1's \[.*op \|-> "Truncate"\] stays pending/,
    );
    expect(report).toMatch(
      /DaxDma's fairness holds on it: SF_vars\(UserNext\(u1\)\): never enabled on the cycle; SF_vars\(FsNext\(t1\)\): never enabled/,
    );
  }, 60_000);
});

describe('the lasso search on a hand-made graph', () => {
  // lib/embedded/tla-checker.test.ts's strong-fairness reproduction as a graph: x moves 0 -> 1,
  // 1 -> 0 | 2, 2 -> 1 by u1 (weakly fair), and t1 leaves from 0 to 3 (strongly fair), which is the
  // promise's Apply(t1), enabled in 0, 1 and 2. The SCC {0, 1, 2} enables t1's step in 0 and never
  // takes it; its cycle 1 -> 2 -> 1 avoids 0 and is fair, which tla-checker misses and TLC finds.
  const state = (u: number, f: number): Record<string, never> =>
    ({ upc: { '#map': [[{ '#model': 'u1' }, u]] }, fpc: { '#map': [[{ '#model': 't1' }, f]] } }) as never;
  const graph = (userEdges: [number, number][]): MappedGraph => ({
    states: [state(0, 0), state(1, 0), state(2, 0), state(0, 3)],
    edges: [...userEdges.map(([a, b]): [number, number, string] => [a, b, 'UserNext']), [0, 3, 'FsNext']],
    abs: ['pending', 'pending', 'pending', 'done'].map((k) => ({ k }) as never),
    absKeys: ['pending', 'pending', 'pending', 'done'],
  });
  const concrete: FairnessInstance[] = [
    { kind: 'WF', action: 'UserNext', set: 'Users', actor: 'u1' },
    { kind: 'SF', action: 'FsNext', set: 'FsTasks', actor: 't1' },
  ];
  const apply: FairnessInstance[] = [{ kind: 'SF', action: 'Apply', set: 'FsTasks', actor: 't1' }];
  const steps = (a: { k?: string }): { action: string; actor: string; key: string }[] =>
    a.k === 'pending' ? [{ action: 'Apply', actor: 't1', key: 'done' }] : [];

  it('finds the fair cycle inside the SCC that avoids the strongly fair step', () => {
    const l = findUnfairLasso(
      graph([
        [0, 1],
        [1, 0],
        [1, 2],
        [2, 1],
      ]),
      concrete,
      apply,
      steps as never,
    );
    expect(l).toMatchObject({ broken: apply[0], prefix: [0, 1] });
    expect(new Set(l!.cycle)).toEqual(new Set([1, 2]));
    expect(l!.cycle.at(-1)).toBe(1);
  });

  it('finds none when every cycle passes the state that enables it', () => {
    expect(
      findUnfairLasso(
        graph([
          [0, 1],
          [1, 0],
        ]),
        concrete,
        apply,
        steps as never,
      ),
    ).toBeNull();
  });
});

describe.skipIf(tlcMissing !== null)(skipTitle('TLC', tlcMissing), () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: TLC reaches the harness verdict',
    async (_name, c) => {
      const m = models.get(c.name)!;
      const [graph, tlc] = await Promise.all([
        harness(c, m),
        checkFile(path.join(m.dir, 'RefineDaxDma.tla'), m.cfg, 'tlc', { workers: 1 }),
      ]);
      expect(tlc.error).toBeUndefined();
      expect(tlc.verdict === 'holds' ? 'holds' : tlc.property).toBe(graph.verdict);
      expect(tlc.distinctStates).toBe(graph.states);
    },
    120_000,
  );
});
