// The "why it failed" sentences: each committed counterexample names the right task and block,
// every invariant row finds its culprit in a doctored state, and an unknown property or a new
// variable degrades to naming the property and the changed variables instead of crashing.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Counterexample } from '../../lib/result/check-result.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { readSavedCounterexample, REGRESSIONS_DIR, regressionFiles } from '../replay/counterexample-replay.ts';
import { explainCounterexample } from './why.ts';

const saved = (config: string) => readSavedCounterexample(regressionFiles(config).data);

const EXPECTED: Record<string, string> = {
  'design-2025-lost-wakeup':
    "t1 (Truncate of f1) waits for a wake-up on b1's refcount; b1 is idle since step 16 (DmaComplete by u1), but no wake-up came",
  'wait-skips-entry': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 21 (FreeBlocks by t1)',
  'wait-skips-entry-delete': '',
  'collapse-skips-break': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 16 (FreeBlocks by t1)',
  'evict-without-break': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 16 (FreeBlocks by t1)',
  'history-4.18-ext4': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 15 (FreeBlocks by t1)',
  'history-4.18-xfs': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 17 (FreeBlocks by t1)',
  'history-4.19-ext4': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 16 (FreeBlocks by t1)',
  'history-4.19-ext2': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 15 (FreeBlocks by t1)',
  'history-4.19-xfs': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 16 (FreeBlocks by t1)',
  'history-5.10': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 16 (FreeBlocks by t1)',
  'history-5.18': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 16 (FreeBlocks by t1)',
  'history-6.14': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 16 (FreeBlocks by t1)',
  'history-6.14-ext2': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 15 (FreeBlocks by t1)',
  'history-6.15.0': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 21 (FreeBlocks by t1)',
  'longterm-pin': "t1 (Truncate of f1) waits for a wake-up on b1's refcount; its refcount is 2 (idle is 1)",
  'lost-wakeup':
    "t1 (Truncate of f1) waits for a wake-up on b1's refcount; b1 is idle since step 16 (DmaComplete by u1), but no wake-up came",
  'lost-wakeup-liveness':
    "t1 (Truncate of f1) waits for a wake-up on b1's refcount; b1 is idle since step 16 (DmaComplete by u1), but no wake-up came",
  'no-break-layouts': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 15 (FreeBlocks by t1)',
  'no-gup-fast-recheck':
    'u1 DMAs into b1 through f1:0, pinned at step 18 (GupFastRecheck by u1); b1 is free since step 21 (FreeBlocks by t1)',
  'no-restart-after-wait':
    'u1 DMAs into b2 through f1:1, pinned at step 25 (GupSlowPin by u1); b2 is free since step 30 (FreeBlocks by t1)',
  'release-pages-misses-wake':
    "t1 (Truncate of f1) waits for a wake-up on b1's refcount; b1 is idle since step 16 (DmaComplete by u1), but no wake-up came",
  'retry-only-on-sleep': 'u2 DMAs into b2 through f1:1, pinned at step 19 (GupSlowPin by u2); b2 is free since step 28 (FreeBlocks by t1)',
  'scan-before-unmap': 'u1 DMAs into b1 through f1:0, pinned at step 13 (GupSlowPin by u1); b1 is free since step 17 (FreeBlocks by t1)',
  'scan-skips-locked': 'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 19 (FreeBlocks by t1)',
  'skip-scan-when-unmapped':
    'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 17 (FreeBlocks by t1)',
  'unpin-misses-wake':
    "t1 (Truncate of f1) waits for a wake-up on b1's refcount; b1 is idle since step 16 (DmaComplete by u1), but no wake-up came",
  'zero-range-skips-break':
    'u1 DMAs into b1 through f1:0, pinned at step 10 (GupSlowPin by u1); b1 is free since step 15 (FreeBlocks by t1)',
  // KernelWarnQuiet has no row of its own: the summary names the property and what the step changed.
  'trunc-warn': '',
};

/** A copy of a counterexample whose last state is changed by `edit`. */
function doctored(cex: Counterexample, edit: (s: TlaState) => void, upTo = cex.steps.length): Counterexample {
  const steps = structuredClone(cex.steps.slice(0, upTo));
  edit(steps[steps.length - 1]!.state);
  return { steps };
}

const m = (name: string): TlaValue => ({ '#model': name });
const setMap = (v: TlaValue, key: TlaValue, value: TlaValue): void => {
  const pair = (v as { '#map': [TlaValue, TlaValue][] })['#map'].find(([k]) => JSON.stringify(k) === JSON.stringify(key))!;
  pair[1] = value;
};

describe('explainCounterexample on the committed counterexamples', () => {
  const configs = readdirSync(REGRESSIONS_DIR)
    .filter((f) => f.endsWith('.cex.json'))
    .map((f) => f.replace('.cex.json', ''));
  it('has an expected sentence for every committed counterexample', () => expect(configs.sort()).toEqual(Object.keys(EXPECTED).sort()));
  for (const config of configs) {
    it(`${config}: names the task and the block`, () => {
      const s = saved(config);
      const e = explainCounterexample(s.counterexample, s.expected);
      expect(e.findings[0]?.sentence ?? '').toBe(EXPECTED[config]);
      expect(e.summary).toContain(s.expected === 'deadlock' ? 'deadlock in state' : s.expected);
      if (EXPECTED[config]) expect(e.findings[0]?.blocks).toContain(/\bb\d\b/.exec(EXPECTED[config]!)![0]);
    });
  }
  it('a deadlock is a deadlock, a lasso is liveness', () => {
    expect(explainCounterexample(saved('lost-wakeup').counterexample, 'deadlock').kind).toBe('deadlock');
    const live = saved('lost-wakeup-liveness');
    expect(explainCounterexample(live.counterexample, live.expected)).toMatchObject({ kind: 'liveness', state: 16 });
  });
});

describe('each invariant row', () => {
  const base = saved('scan-before-unmap').counterexample;
  it('NoPinnedEntryDeleted: the pinned user and the step that deleted its entry', () => {
    const e = explainCounterexample({ steps: base.steps.slice(0, 16) }, 'NoPinnedEntryDeleted');
    expect(e.findings[0]?.sentence).toBe(
      'u1 DMAs into b1 through f1:0, pinned at step 13 (GupSlowPin by u1), but the entry of f1:0 was deleted at step 16 (DeleteEntry by t1)',
    );
  });
  it('MappingMatchesEntries: an entry whose page points elsewhere', () => {
    const e = explainCounterexample(
      doctored(base, (s) => setMap(s.mapping!, m('b1'), [m('f1'), 0]), 16),
      'MappingMatchesEntries',
    );
    expect(e.findings[0]?.sentence).toMatch(
      /^b1's page->mapping says f1:0, but the entry of f1:0 holds none since step 16 \(DeleteEntry by t1\)$/,
    );
  });
  it('FreeBlocksUnused: a free block still in a PTE', () => {
    const e = explainCounterexample(
      doctored(base, (s) => setMap(s.pte!, m('f1'), { '#map': [[0, m('b1')]] })),
      'FreeBlocksUnused',
    );
    expect(e.findings[0]?.sentence).toMatch(/^b1 is free since step 17 \(FreeBlocks by t1\), yet the PTE of f1:0 still holds it$/);
  });
  it('EntriesMatchExtents: a PTE that disagrees with its entry', () => {
    const e = explainCounterexample(
      doctored(base, (s) => setMap(s.pte!, m('f1'), { '#map': [[0, m('b1')]] }), 16),
      'EntriesMatchExtents',
    );
    expect(e.findings[0]?.sentence).toBe('the PTE of f1:0 maps b1, but the entry holds none since step 16 (DeleteEntry by t1)');
  });
  it('LockDiscipline: an exclusive holder beside a shared one', () => {
    const e = explainCounterexample(
      doctored(base, (s) => setMap(s.mmapShared!, m('f1'), { '#set': [m('u1')] })),
      'LockDiscipline',
    );
    expect(e.findings[0]?.sentence).toBe("t1 holds f1's mmap lock exclusive while u1 holds it shared");
  });
  it('RefcountIsIdlePlusPins: a reference nobody holds', () => {
    const e = explainCounterexample(
      doctored(base, (s) => setMap(s.refcount!, m('b1'), 3)),
      'RefcountIsIdlePlusPins',
    );
    expect(e.findings[0]?.sentence).toMatch(
      /^b1's refcount is 3 \(since step 17 \(FreeBlocks by t1\)\), but idle \(1\) plus the references users hold \(u1\) is 2$/,
    );
  });
});

describe('properties and variables it does not know', () => {
  const base = saved('scan-before-unmap').counterexample;
  it('TypeOK and unknown invariants name the property and the changed variables', () => {
    expect(explainCounterexample(base, 'TypeOK').summary).toBe(
      'TypeOK fails in state 17, after step 17 (FreeBlocks by t1), which changed extent, fpc, free',
    );
    expect(explainCounterexample(base, 'SomeNewInvariant').summary).toMatch(/^SomeNewInvariant fails in state 17, after step 17/);
  });
  it('a new variable, or a variable of another shape, never crashes', () => {
    const grown = doctored(base, (s) => {
      s.dirty = { '#set': [m('b1')] };
      s.uref = 'reshaped';
      s.upc = 42;
    });
    for (const p of ['NoDmaIntoForeignBlock', 'LockDiscipline', 'RefcountIsIdlePlusPins', 'deadlock', 'FsOpCompletes']) {
      const e = explainCounterexample(p === 'FsOpCompletes' ? { ...grown, ending: 'stuttering' } : grown, p);
      expect(e.summary).toContain(p === 'deadlock' ? 'deadlock' : p);
    }
    expect(explainCounterexample(grown, 'NoDmaIntoForeignBlock').changed).toContain('dirty');
  });
});
