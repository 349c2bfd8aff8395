// The refinement mapping from DaxDma's states to the promise's (spec/DaxAbstract.tla), in
// TypeScript: spec/MapDaxDma.tla's AbsState, computed here because the embedded engine takes ~20 ms
// to evaluate it once (it re-reads the module per call) and a smoke graph has 16,362 states.
//
// | abstract | from DaxDma                                     | spec/MapDaxDma.tla |
// | -------- | ----------------------------------------------- | ------------------ |
// | owner    | extent                                          | AbsOwner           |
// | free     | free                                            | AbsFree            |
// | pin[u]   | <<uat[u][1], uat[u][2], uref[u]>> if upc[u] ∈ PinnedPcs, else <<>> | AbsPin |
// | pending[t] | fop[t] if fpc[t] ∈ OpBeforeEffectPcs, else NoOp | AbsPending       |
//
// No program counter is spelled here: the two pc sets are read from MapDaxDma.tla (mappingPcs),
// and promise-mapping.test.ts holds this function to the module's AbsState on every state of
// small graphs, so the two cannot drift apart unnoticed.
import { makeFunction, normalize, normalizeState } from '../../lib/values/canonical.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';

/** The pc sets the mapping tests, as MapDaxDma.tla defines them. */
export interface MappingPcs {
  /** PinnedPcs: where DaxDma's Pinned(u) holds. */
  pinned: ReadonlySet<string>;
  /** OpBeforeEffectPcs: where a file-system task's operation is still pending in the promise. */
  opBeforeEffect: ReadonlySet<string>;
}

/** DaxAbstract's NoOp: DaxDma's, with the model value None. */
const NO_OP: TlaValue = normalize({ op: 'none', file: { '#model': 'None' }, lo: 0, hi: 0 });

/** A function value's (key, value) pairs. */
function pairs(fn: TlaValue | undefined, name: string): [TlaValue, TlaValue][] {
  if (fn !== null && typeof fn === 'object' && '#map' in fn) return (fn as { '#map': [TlaValue, TlaValue][] })['#map'];
  // An empty domain (no users, no tasks) normalises to the empty sequence.
  if (Array.isArray(fn) && fn.length === 0) return [];
  throw new Error(`promise mapping: ${name} is not a function: ${JSON.stringify(fn)}`);
}

/** The pc of one task, as a string. */
function pcOf(pc: TlaValue, name: string): string {
  if (typeof pc !== 'string') throw new Error(`promise mapping: ${name} holds ${JSON.stringify(pc)}, not a pc string`);
  return pc;
}

/** MapDaxDma's AbsState: the promise's variables (owner, free, pin, pending) of a DaxDma state,
 *  in normal form. */
export function abstractState(s: TlaState, pcs: MappingPcs): TlaState {
  const uat = new Map(pairs(s.uat, 'uat').map(([u, v]) => [JSON.stringify(u), v]));
  const uref = new Map(pairs(s.uref, 'uref').map(([u, v]) => [JSON.stringify(u), v]));
  const fop = new Map(pairs(s.fop, 'fop').map(([t, v]) => [JSON.stringify(t), v]));
  const pin = pairs(s.upc, 'upc').map(([u, pc]): [TlaValue, TlaValue] => {
    if (!pcs.pinned.has(pcOf(pc, 'upc'))) return [u, []];
    const at = uat.get(JSON.stringify(u)) as TlaValue[];
    return [u, [at[0]!, at[1]!, uref.get(JSON.stringify(u))!]];
  });
  const pending = pairs(s.fpc, 'fpc').map(([t, pc]): [TlaValue, TlaValue] => [
    t,
    pcs.opBeforeEffect.has(pcOf(pc, 'fpc')) ? fop.get(JSON.stringify(t))! : NO_OP,
  ]);
  return normalizeState({
    owner: normalize(s.extent!),
    free: normalize(s.free!),
    pin: makeFunction(pin),
    pending: makeFunction(pending),
  });
}

/** Reads the pc sets from a value of MapDaxDma's `<<PinnedPcs, OpBeforeEffectPcs>>`. */
export function mappingPcsFrom(v: TlaValue): MappingPcs {
  const strings = (x: TlaValue | undefined): Set<string> => {
    const elems =
      x !== null && typeof x === 'object' && '#set' in x
        ? (x as { '#set': TlaValue[] })['#set']
        : Array.isArray(x) && x.length === 0
          ? []
          : undefined;
    if (!elems || !elems.every((e) => typeof e === 'string')) throw new Error(`promise mapping: not a set of pcs: ${JSON.stringify(x)}`);
    return new Set(elems as string[]);
  };
  if (!Array.isArray(v) || v.length !== 2)
    throw new Error(`promise mapping: expected <<PinnedPcs, OpBeforeEffectPcs>>, got ${JSON.stringify(v)}`);
  return { pinned: strings(v[0]), opBeforeEffect: strings(v[1]) };
}

/** The expression whose value mappingPcsFrom reads. */
export const MAPPING_PCS_EXPRESSION = '<<PinnedPcs, OpBeforeEffectPcs>>';
