// Replay's per-step comparison on integer vectors (refinement/state-code.ts): the live system's
// mapped state written as its vector, the trace's state encoded once (cached per state object,
// across replays of the same trace), compared slot by slot. Equal vectors exactly when the mapped
// states are equal (state-code.test.ts holds both directions on real graphs), so this answers as
// the text keys (state-key.ts) did, without building a string per variable per step. The diff of a
// mismatch still comes from the mapping (replay.ts).
import type { DaxSystem } from '../../impl/index.ts';
import { normalizeState } from '../../lib/values/canonical.ts';
import type { TlaState } from '../../lib/values/value.ts';
import { type LiveCoder, StateCoder } from '../refinement/state-code.ts';

/** A trace state's vector by the coder that wrote it; null slots: no vector codes the state (a
 *  value outside the config's model values and the spec's strings), so no mapped state equals it. */
const traceCodes = new WeakMap<TlaState, { coder: string; slots: Int32Array | null }>();

/** Compares the live system's mapped state with trace states, on vectors. Built once per replay. */
export class CodedMatch {
  private readonly coder: StateCoder;
  private readonly live: LiveCoder;
  private readonly now: Int32Array;

  constructor(sys: DaxSystem) {
    this.coder = StateCoder.of(sys.config);
    this.live = this.coder.live(sys);
    this.now = new Int32Array(this.coder.width);
  }

  /** Does the live system map to `expected`? @throws MappingError where mapToSpec does. */
  matches(expected: TlaState): boolean {
    this.live.encode(this.now);
    const want = this.codeOf(expected);
    if (want === null) return false;
    const now = this.now;
    for (let i = 0; i < now.length; i++) if (now[i] !== want[i]) return false;
    return true;
  }

  private codeOf(s: TlaState): Int32Array | null {
    const c = this.coder;
    let hit = traceCodes.get(s);
    if (hit === undefined || hit.coder !== c.fingerprint) {
      const slots = new Int32Array(c.width);
      hit = { coder: c.fingerprint, slots: c.encodeState(normalizeState(s), slots) === null ? slots : null };
      traceCodes.set(s, hit);
    }
    return hit.slots;
  }
}
