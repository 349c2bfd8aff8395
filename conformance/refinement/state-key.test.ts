// The state keys (state-key.ts) and mapToSpec come from the same mapping entries but read the
// implementation two ways (its live view, its snapshot through snapshotView) and write two ways
// (keys, canonical values): on every state an execution reaches they must agree variable by
// variable, and valueText must identify exactly the values normal form identifies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../lib/check/manifest.ts';
import { normalize, valueKey } from '../../lib/values/canonical.ts';
import type { TlaValue } from '../../lib/values/value.ts';
import { availableMoves, takeMove } from '../executions/executions.ts';
import { mapToSpec } from './mapping.ts';
import { readModelConstants, systemForModel } from '../model/model.ts';
import { StateKeys } from './state-key.ts';
import { valueText } from './value-text.ts';

const SEED = 20261125;

describe('StateKeys.ofSystem agrees with mapToSpec', () => {
  // The manifest's module's configs: the promise's own (DaxAbstract) have no implementation to
  // build, and the refinement's (RefineDaxDma) repeat existing configs' constants.
  for (const config of loadManifest()
    .configs.filter((c) => c.module === undefined)
    .map((c) => c.name)) {
    for (const profile of ['xfs', 'ext4'] as const) {
      it(`${config} (${profile}): 40 random executions, every state, every variable`, () => {
        const constants = readModelConstants(config);
        fc.assert(
          fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (picks) => {
            const sys = systemForModel(constants, profile);
            const keys = new StateKeys(sys);
            const check = (): void => {
              const reference = mapToSpec(sys.snapshot());
              const live = keys.ofSystem();
              keys.variables.forEach((v, i) => expect(live[i], v).toBe(valueText(reference[v]!)));
              expect(keys.ofState(reference)).toEqual(live);
            };
            check();
            for (const pick of picks) {
              const moves = availableMoves(sys);
              if (moves.length === 0) break;
              const m = moves[pick % moves.length]!;
              takeMove(sys, m);
              check();
            }
          }),
          { numRuns: 40, seed: SEED },
        );
      });
    }
  }
});

/** Canonical values in raw shapes: what TLC's JSON, the text parser and ITF may hand over. */
const rawValue: fc.Arbitrary<TlaValue> = fc.letrec<{ v: TlaValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean(),
    fc.integer({ min: -3, max: 12 }),
    fc.constantFrom('idle', 'scan', 'a,b', 'x:y'),
    fc.constantFrom('f1', 'f10', 'b2', 'None').map((m) => ({ '#model': m })),
    fc.integer({ min: 0, max: 12 }).map((n) => ({ '#bigint': String(n) })),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => ({ '#set': xs })),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => ({ '#tup': xs }) as unknown as TlaValue),
    // A function has one value per argument: keys are unique up to normal form.
    fc.uniqueArray(fc.tuple(tie('v'), tie('v')), { maxLength: 3, selector: ([k]) => valueKey(normalize(k)) }).map((ps) => ({ '#map': ps })),
    fc.dictionary(fc.constantFrom('op', 'file', 'lo', 'hi'), tie('v'), { minKeys: 1, maxKeys: 3 }),
  ),
})).v;

describe('valueText', () => {
  it('gives a value and its normal form the same key', () => {
    fc.assert(
      fc.property(rawValue, (v) => {
        expect(valueText(v)).toBe(valueText(normalize(v)));
      }),
      { numRuns: 2000, seed: SEED },
    );
  });

  it('gives equal keys exactly to values with equal normal forms', () => {
    fc.assert(
      fc.property(rawValue, rawValue, (a, b) => {
        const sameNormal = valueKey(normalize(a)) === valueKey(normalize(b));
        expect(valueText(a) === valueText(b)).toBe(sameNormal);
      }),
      { numRuns: 2000, seed: SEED },
    );
  });

  it('reads a sequence, a #tup and a 1..n #map alike, and sorts offsets past 9 as mapToSpec does', () => {
    const seq = [{ '#model': 'f1' }, 3] as TlaValue;
    expect(valueText(seq)).toBe(
      valueText({
        '#map': [
          [2, 3],
          [1, { '#model': 'f1' }],
        ],
      }),
    );
    expect(valueText({ '#tup': seq } as never)).toBe(valueText(seq));
    const wide = { '#map': Array.from({ length: 12 }, (_, o) => [o, o] as [TlaValue, TlaValue]) };
    expect(valueText(wide)).toBe(valueText({ '#map': [...wide['#map']].reverse() }));
  });
});
