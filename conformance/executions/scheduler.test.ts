// The scheduler's pick and its inverse: pickOf(moves, i) is a pick that pickMove maps back to
// moves[i], for move lists of any tasks and labels (pickMove counts its tasks without building
// taskSlots; this holds the two to the same weighting and the same name order).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Move } from './moves.ts';
import { CPU_WEIGHT, pickMove, pickOf } from './scheduler.ts';

const moveArb = fc.record({
  kind: fc.constant('step' as const),
  task: fc.constantFrom('u1', 'u2', 't1', 's1', 'mm', 'u10'),
  label: fc.constantFrom('DmaComplete', 'FaultLockShared', 'FsUnlock'),
});

describe('pickMove and pickOf', () => {
  it('pickOf picks each move back, whatever the tasks, their order and their moves', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { minLength: 1, maxLength: 12 }), fc.nat(), (moves: Move[], k) => {
        const i = k % moves.length;
        expect(pickMove(moves, pickOf(moves, i))).toBe(moves[i]);
      }),
      { seed: 20261204, numRuns: 500 },
    );
  });

  it('gives a task whose only moves end a DMA one slot, any other CPU_WEIGHT, in name order', () => {
    const dma: Move = { kind: 'step', task: 'a', label: 'DmaComplete' };
    const cpu: Move = { kind: 'step', task: 'b', label: 'FsUnlock' };
    // Slots: a once, then b CPU_WEIGHT times; the picks past them wrap around.
    expect(pickMove([cpu, dma], 0)).toBe(dma);
    for (let p = 1; p <= CPU_WEIGHT; p++) expect(pickMove([cpu, dma], p)).toBe(cpu);
    expect(pickMove([cpu, dma], CPU_WEIGHT + 1)).toBe(dma);
  });
});
