// The equivalence audit: it reaches every task of every unit, it tells apart implementations that
// differ only in a snapshot field (woken) or in a refusal's message, and a budget that runs out
// leaves units not audited instead of passing them. Fixed seeds; a failure prints the difference.
import { describe, expect, it } from 'vitest';
import type { DaxSystem } from '../../impl/index.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { auditUnits, compareImplementations, describeDifference, pickWidth, runConformance } from './differential.ts';
import { loadHarness, type Harness } from './differential-observe.ts';

const SEED = 20261130;

/** The real harness with each system it builds passed through `wrap`. */
function wrapped(h: Harness, wrap: (sys: DaxSystem) => DaxSystem): Harness {
  return { ...h, model: { ...h.model, systemForModel: (c, p) => wrap(h.model.systemForModel(c, p)) } };
}

/** A system whose `method` is replaced (the others, and `this`, are the real system's). */
function patched<K extends keyof DaxSystem>(sys: DaxSystem, method: K, impl: (real: DaxSystem[K]) => DaxSystem[K]): DaxSystem {
  const real = (sys[method] as (...a: unknown[]) => unknown).bind(sys) as DaxSystem[K];
  return new Proxy(sys, {
    get: (t, k) =>
      k === method
        ? impl(real)
        : typeof t[k as keyof DaxSystem] === 'function'
          ? (t[k as keyof DaxSystem] as (...a: unknown[]) => unknown).bind(t)
          : t[k as keyof DaxSystem],
  });
}

describe('compareImplementations', () => {
  it('moves every task of every unit, and finds no difference between a checkout and itself', async () => {
    const h = await loadHarness(REPO_ROOT);
    const units = auditUnits();
    const c = await compareImplementations(h, h, { units, runs: 3, seed: SEED });
    expect(c.difference && describeDifference(c.difference, { mine: 'a', theirs: 'b' })).toBeUndefined();
    expect(c.notAudited).toEqual([]);
    expect(c.audited.length).toBe(units.length);
    // Every small config, both profiles, and a unit per kernel version at least.
    expect(units.length).toBeGreaterThan(50);
    expect(c.unmoved, `seed ${SEED}`).toEqual([]);
    expect(c.schedules).toBe(units.length * 3);
  }, 60_000);

  it('draws picks wide enough for every task slot of pickMove', () => {
    for (const u of auditUnits())
      expect(pickWidth(u.constants)).toBeGreaterThanOrEqual(
        (u.constants.users.length + u.constants.fsTasks.length + u.constants.syncers.length) * 8 * 840,
      );
  });

  it('tells apart two implementations that differ only in a snapshot field (woken)', async () => {
    const h = await loadHarness(REPO_ROOT);
    const liar = wrapped(h, (sys) =>
      patched(sys, 'snapshot', (real) => () => {
        const s = real();
        // Every task reported woken: invisible to the refinement mapping, visible in the snapshot.
        return { ...s, tasks: Object.fromEntries(Object.entries(s.tasks).map(([id, t]) => [id, { ...t, woken: true }])) } as ReturnType<
          DaxSystem['snapshot']
        >;
      }),
    );
    const c = await compareImplementations(liar, h, { units: auditUnits().slice(0, 1), runs: 1, seed: SEED });
    expect(c.difference?.kind).toBe('snapshot');
    expect(c.difference?.step).toBe(0);
    expect(c.difference?.mine.join('\n')).toMatch(/tasks\.\w+\.woken = true/);
    expect(c.difference?.theirs.join('\n')).toMatch(/tasks\.\w+\.woken = false/);
  });

  it('tells apart two implementations that differ only in a refusal message', async () => {
    const h = await loadHarness(REPO_ROOT);
    const reworded = wrapped(h, (sys) =>
      patched(sys, 'step', (real) => (task, choice) => {
        try {
          return real(task, choice);
        } catch (e) {
          (e as Error).message = `${(e as Error).message} (reworded)`;
          throw e;
        }
      }),
    );
    const c = await compareImplementations(reworded, h, { units: auditUnits().slice(0, 1), runs: 1, seed: SEED });
    expect(c.difference?.kind).toBe('refusals');
    expect(c.difference?.mine.join('\n')).toMatch(/\(reworded\)/);
  });

  it('reports the units a budget did not reach as not audited, and the mutate adapter as a divergence', async () => {
    const h = await loadHarness(REPO_ROOT);
    const units = auditUnits().slice(0, 4);
    const c = await compareImplementations(h, h, { units, runs: 50, seed: SEED, budgetMs: 1 });
    expect(c.difference).toBeUndefined();
    expect(c.notAudited.length).toBeGreaterThan(0);
    expect(c.audited.length + c.notAudited.length).toBe(units.length);
    const r = await runConformance({ referenceRoot: REPO_ROOT, runs: 50, seed: SEED, budgetMs: 1, profile: 'xfs' });
    expect(r.divergences.map((d) => d.check)).toEqual(['not-audited']);
    expect(r.divergences[0]!.message).toMatch(/ran out after \d+ schedules: not audited smoke \[xfs\]/);
  });

  it('as a mutate suite, refuses to run without the checkout to compare with', async () => {
    // SuiteOptions leave referenceRoot optional (only --audit-equivalents sets it).
    await expect(runConformance({ runs: 1 })).rejects.toThrow(/needs referenceRoot/);
  });
});
