// The TypeScript mapping (promise-mapping.ts) is spec/MapDaxDma.tla's AbsState: on every state of
// small graphs that reach every pc of both task kinds' paths between them, the embedded engine's
// value of AbsState equals abstractState's. This is what keeps the two from drifting apart.
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { configFile, SPEC_DIR } from '../../lib/check/manifest.ts';
import { Explorer } from '../../lib/embedded/explorer.ts';
import { valueKey } from '../../lib/values/canonical.ts';
import type { TlaValue } from '../../lib/values/value.ts';
import { abstractState, MAPPING_PCS_EXPRESSION, mappingPcsFrom } from './promise-mapping.ts';
import { concreteGraph } from './promise-refinement.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dax-promise-map-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Together: GUP-fast and slow GUP, sleep and relock, writeback, munmap, eviction, deadlock-free
// completion; each a few hundred states at most (the engine takes ~20 ms per evaluation).
const CONFIGS = [
  'refine-scan-skips-locked',
  'refine-no-gup-fast-recheck',
  'refine-skip-scan-when-unmapped',
  'refine-evict-without-break',
  'refine-lost-wakeup',
];

describe('promise-mapping.ts agrees with MapDaxDma.tla', () => {
  it.each(CONFIGS)(
    '%s: abstractState = AbsState on every state',
    async (config) => {
      const graph = await concreteGraph(configFile(config));
      const bare = path.join(tmp, `${config}.cfg`);
      writeFileSync(
        bare,
        readFileSync(configFile(config), 'utf8')
          .split('\n')
          .filter((l) => !/^\s*(INVARIANT|PROPERTY|CHECK_DEADLOCK)/.test(l))
          .join('\n'),
      );
      const engine = new Explorer(path.join(SPEC_DIR, 'MapDaxDma.tla'), bare);
      const pcs = mappingPcsFrom(engine.evaluate(graph.states[0]!, MAPPING_PCS_EXPRESSION));
      expect(pcs.pinned.size).toBeGreaterThan(0);
      const seenPcs = new Set<string>();
      for (const [i, s] of graph.states.entries()) {
        const expected = valueKey(engine.evaluate(s, 'AbsState'));
        expect(valueKey(abstractState(s, pcs) as TlaValue), `${config} state ${i}: ${JSON.stringify(s)}`).toBe(expected);
        for (const v of ['upc', 'fpc'])
          for (const [, pc] of (s[v] as { '#map': [TlaValue, TlaValue][] })['#map']) seenPcs.add(`${v}=${String(pc)}`);
      }
      // The graph must exercise the mapping both ways: some state pinned, some operation pending.
      expect([...pcs.pinned].some((p) => seenPcs.has(`upc=${p}`))).toBe(true);
      expect([...pcs.opBeforeEffect].some((p) => seenPcs.has(`fpc=${p}`))).toBe(true);
    },
    120_000,
  );
});
