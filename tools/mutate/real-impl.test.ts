// End to end on the real implementation and conformance/index.ts (lightened: 10 fast-check runs,
// no counterexample replays): mutants that re-create protocol bugs (no GUP-fast re-check, no
// wake-up when a page goes idle, no wake-up when an entry unlocks, truncate taking the MMAPLOCK
// shared) are each killed by a named kind of check (divergence, enabledness, invariant,
// counterexample replay), never by a crash.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMutation } from './run.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { skipTitle } from '../../lib/skip-reason.ts';

const suiteMissing = existsSync(path.join(REPO_ROOT, 'conformance/index.ts'))
  ? null
  : 'this checkout has no conformance/index.ts to judge mutants by';

describe.skipIf(suiteMissing !== null)(skipTitle('mutants of impl/ against the conformance suite', suiteMissing), () => {
  it('kills a missing re-check, two lost wake-ups and a weakened lock', async () => {
    const wanted = new Set([
      'negate if condition `k.bugs.NoGupFastRecheck || ptepGet(vma, offset) === page.pfn`',
      'delete call `wakeUpVar(k.varWait, page);`',
      // In daxUnlockEntry: a fault waiting for the entry is never woken. No step of the
      // implementation is wrong; the enabledness check sees a task the spec lets move, stuck.
      'delete call `daxWakeEntry(mapping, index);`',
      "lock mode `XFS_MMAPLOCK_EXCL` → `XFS_MMAPLOCK_SHARED` in `xfsIlock(cur, ip, XFS_MMAPLOCK_EXCL, 'FsLockMmap')`",
    ]);
    const r = await runMutation({
      files: ['impl/mm/gup.ts', 'impl/drivers/pmem.ts', 'impl/fs/xfs/iops.ts', 'impl/fs/dax.ts'],
      only: (m) => wanted.has(m.description) && m.functionName !== 'daxDeleteMappingEntry',
      // smoke and rich only: on a fresh clone each state graph is built on first use. No fixed
      // budget: the per-mutant one is derived from the unmutated run (three times its time), so a
      // machine loaded by the other test files slows both alike instead of failing the baseline.
      suiteOptions: { fastCheckRuns: 10, cexReplays: false, configs: ['smoke', 'rich'] },
    });
    expect(r.results.map((x) => x.mutant.description).sort()).toEqual([...wanted].sort());
    for (const x of r.results) {
      expect(x.status, `${x.mutant.id} ${x.mutant.description}`).toBe('killed');
      // Killed by a named kind of check of the suite; a crash or a timeout would be no kill.
      expect(['divergence', 'enabledness', 'invariant', 'counterexample replay'], `${x.mutant.id} ${x.killedBy}`).toContain(x.killKind);
      expect(x.killedBy).toMatch(
        /^(corpus|tlc-batch|(fast-check|variant:.+)\/(init|step|invariant|enabled|event|deadlock|liveness)|cex:.+)$/,
      );
    }
  }, 900_000);
});

describe.skipIf(suiteMissing !== null)(skipTitle('auditing the equivalents file', suiteMissing), () => {
  it('holds a true equivalent and refutes a lost wake-up recorded as one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-audit-test-'));
    try {
      const file = path.join(dir, 'equivalents.json');
      const held = 'impl/drivers/dma.ts:swap-statements:0298327fea';
      const wrong = 'impl/drivers/pmem.ts:delete-call:c7423557cc';
      writeFileSync(
        file,
        JSON.stringify([
          { id: held, reason: 'independent statements in one step' },
          { id: wrong, reason: 'a deliberately false record' },
        ]),
      );
      const r = await runMutation({
        files: ['impl/drivers/dma.ts', 'impl/drivers/pmem.ts'],
        equivalents: file,
        auditEquivalents: true,
        suiteOptions: { runs: 4 },
        budgetMs: 400_000,
      });
      // A budget that runs out is reported as check 'not-audited' (neither held nor refuted): say
      // so rather than fail on a status; the budget is wide so that a loaded machine finishes.
      const cut = r.results.filter((x) => x.killedBy === 'not-audited').map((x) => `${x.mutant.id}: ${x.message}`);
      expect(cut, 'the audit budget ran out').toEqual([]);
      const status = Object.fromEntries(r.results.map((x) => [x.mutant.id, x.status]));
      expect(status).toEqual({ [held]: 'survived', [wrong]: 'killed' });
      expect(r.results.find((x) => x.mutant.id === wrong)!.message).toMatch(/mutant .* \| original /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
