// Replay's fast comparison: the refinement mapping (mapping.ts) written as one text key per
// variable, read from the live system without a snapshot. Both the keys and mapToSpec's values
// come from the same per-variable entries (VARIABLE_MAPPINGS); a snapshot's deep copy and the
// canonical values cost about 200 µs a step, the keys a few µs. On a mismatch replay falls back
// to mapToSpec to print the diff.
import type { DaxSystem } from '../../impl/index.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import type { Encoding, MappingContext, Read } from './mapping-encodings.ts';
import { type DomainElements, domainsOf, VARIABLE_MAPPINGS } from './mapping.ts';
import { valueText } from './value-text.ts';

/** The mapping entries in key order (name order, as normalizeState leaves them). */
const BY_NAME = [...VARIABLE_MAPPINGS].sort((a, b) => (a.name < b.name ? -1 : 1));
const VARIABLES = BY_NAME.map((m) => m.name);

/** A domain in key order: the view's index of each element, and the text before its value,
 *  "(" or "," then "key:" (the first one opens the function). */
interface KeyDomain {
  readonly index: readonly number[];
  readonly head: readonly string[];
}

/** How one variable's key is written: a value, a function over one or two domains, a subset. */
type KeyPlan =
  | { readonly kind: 'value'; readonly element: Encoding }
  | { readonly kind: 'function'; readonly element: Encoding; readonly outer: KeyDomain }
  | { readonly kind: 'function2'; readonly element: Encoding; readonly outer: KeyDomain; readonly inner: KeyDomain }
  | { readonly kind: 'subset'; readonly member: Read<boolean>; readonly index: readonly number[]; readonly text: readonly string[] };

const elementText = (name: string | number): string => (typeof name === 'number' ? String(name) : `@${name}`);

/** Sorted as valueText sorts whole "key:value" entries, which the colon makes the order of "key:". */
function keyDomain(d: DomainElements): KeyDomain {
  const order = d.index
    .map((index, k) => ({ index, text: `${elementText(d.names[k]!)}:` }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return { index: order.map((x) => x.index), head: order.map((x, i) => (i ? ',' : '(') + x.text) };
}

/** Sorted as valueText sorts a set's elements. */
function setOrder(d: DomainElements): { index: number[]; text: string[] } {
  const order = d.index
    .map((index, k) => ({ index, text: elementText(d.names[k]!) }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return { index: order.map((x) => x.index), text: order.map((x) => x.text) };
}

/**
 * Keys of mapped states for one system: `ofSystem` reads the live system, `ofState` a spec state
 * (a trace's), and equal states give equal key arrays (one key per variable, in name order).
 * Built once per replay.
 */
export class StateKeys {
  readonly variables: readonly string[] = VARIABLES;
  private readonly at: MappingContext;
  private readonly plans: readonly KeyPlan[];
  private readonly stateCache = new WeakMap<TlaState, readonly string[]>();

  constructor(sys: DaxSystem) {
    this.at = { view: sys.live, config: sys.config, taskIds: sys.taskIds };
    const d = domainsOf(sys.config, sys.taskIds);
    this.plans = BY_NAME.map((m): KeyPlan => {
      if ('subsetOf' in m) return { kind: 'subset', member: m.member, ...setOrder(d[m.subsetOf]) };
      const [outer, inner] = m.over;
      if (outer === undefined) return { kind: 'value', element: m.element };
      if (inner === undefined) return { kind: 'function', element: m.element, outer: keyDomain(d[outer]) };
      return { kind: 'function2', element: m.element, outer: keyDomain(d[outer]), inner: keyDomain(d[inner]) };
    });
  }

  /** The keys of a spec state (cached per state object). */
  ofState(s: TlaState): readonly string[] {
    let keys = this.stateCache.get(s);
    if (keys) return keys;
    keys = VARIABLES.map((v) => (s[v] === undefined ? '<missing>' : valueText(s[v] as TlaValue)));
    // A variable the mapping does not produce makes the states differ, as in diffStates.
    if (Object.keys(s).length !== VARIABLES.length) keys = [...keys, '<extra variables>'];
    this.stateCache.set(s, keys);
    return keys;
  }

  /** The keys of the live system's mapped state: mapToSpec(sys.snapshot()), without the copy.
   *  Plain loops, no closures: this runs once a replayed step.
   *  @throws MappingError where mapToSpec does (a task with no spec pc). */
  ofSystem(): string[] {
    const at = this.at;
    const plans = this.plans;
    const out = new Array<string>(plans.length);
    for (let p = 0; p < plans.length; p++) {
      const plan = plans[p]!;
      let key: string;
      if (plan.kind === 'value') key = plan.element.key(at, 0, 0);
      else if (plan.kind === 'function') {
        const { element, outer } = plan;
        key = '';
        for (let i = 0; i < outer.index.length; i++) key += outer.head[i]! + element.key(at, outer.index[i]!, 0);
        key = key === '' ? '()' : key + ')';
      } else if (plan.kind === 'function2') {
        const { element, outer, inner } = plan;
        key = '';
        for (let i = 0; i < outer.index.length; i++) {
          const a = outer.index[i]!;
          let row = '';
          for (let j = 0; j < inner.index.length; j++) row += inner.head[j]! + element.key(at, a, inner.index[j]!);
          key += outer.head[i]! + (row === '' ? '()' : row + ')');
        }
        key = key === '' ? '()' : key + ')';
      } else {
        key = '{';
        for (let i = 0, first = true; i < plan.index.length; i++) {
          if (!plan.member(at.view, plan.index[i]!, 0, at)) continue;
          key += (first ? '' : ',') + plan.text[i]!;
          first = false;
        }
        key += '}';
      }
      out[p] = key;
    }
    return out;
  }
}
