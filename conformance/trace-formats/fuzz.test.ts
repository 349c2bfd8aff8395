// The trace readers on 2,000 mutants of every committed trace (fixed seed): each mutant is read
// or refused with a one-line TraceFormatError, never another exception. `make fuzz` runs more.
import { describe, expect, it } from 'vitest';
import { MUTATIONS, fuzzSeeds, makeMutant, readMutant } from './fuzz.ts';

const SEED = 20_251_201;
const COUNT = 2_000;

describe('trace readers under fuzzing', () => {
  it(`never fail other than with a one-line TraceFormatError on ${COUNT} mutants (seed ${SEED})`, () => {
    const seeds = fuzzSeeds();
    expect(new Set(seeds.map((s) => s.format))).toEqual(new Set(['itf', 'tlc-dump-json', 'tlc-text', 'tlc-simulation']));
    const failures: string[] = [];
    const kinds = new Set<string>();
    for (let i = 0; i < COUNT; i++) {
      const m = makeMutant(seeds, SEED, i, 64 * 1024);
      kinds.add(m.mutation);
      const o = readMutant(m);
      if (o.outcome === 'uncaught') failures.push(`seed ${SEED} mutant ${i} (${m.mutation} of ${m.seed.name}): ${o.error}`);
    }
    expect(kinds.size).toBe(MUTATIONS.length);
    expect(failures, `reproduce with: make fuzz SEED=${SEED} COUNT=${COUNT}`).toEqual([]);
  }, 240_000);
});
