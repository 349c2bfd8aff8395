// A module cut down to what one kind of engine call reads: tla-checker parses and prepares the
// whole module on every explore_* call (about 7 ms for DaxDma against 0.3 ms for a module of one
// definition), so evaluating an invariant in a state is mostly spent on definitions it never
// reads, and a successor query on the invariants and properties. Definitions the roots do not
// reach are blanked (newlines kept, so an error's line still points into the flattened module),
// and the cfg keeps what names the roots (INIT and NEXT would name blanked ones).
import { assumeOffsets, blankRange, declarations, identifiers, maskTla, topLevelDefinitions } from '../tla/scan.ts';
import { TextMemo } from './memo.ts';
import { type AdaptedModel, engineCfg, engineNameOf } from './adapt.ts';

/** Module text with every top-level definition that `roots` do not reach blanked, and every
 *  ASSUME (checked by model checking, not by evaluating a state predicate). */
export function prunedSource(source: string, roots: readonly string[]): string {
  return pruned.get(`${roots.join(' ')}\0${source}`, () => prune(source, roots));
}

/** prunedSource's results: a suite run asks the same few cuts of one module for every config. */
const pruned = new TextMemo<string>(32);

function prune(source: string, roots: readonly string[]): string {
  const masked = maskTla(source);
  const defs = topLevelDefinitions(masked);
  // A definition's text runs to the next thing at the top level: a definition, a declaration,
  // an ASSUME, a separator line or the module's end.
  const stops = [
    ...defs.map((d) => d.offset),
    ...declarations(masked, ['VARIABLE', 'VARIABLES', 'CONSTANT', 'CONSTANTS']).map((d) => d.start),
    ...[...masked.matchAll(/^(?:-{4,}|={4,})/gm)].map((m) => m.index),
    masked.length,
  ].sort((a, b) => a - b);
  const end = (start: number): number => stops.find((s) => s > start) ?? masked.length;
  const byName = new Map(defs.map((d) => [d.name, { start: d.offset, end: end(d.offset) }]));
  const reached = new Set<string>();
  const todo = [...roots];
  while (todo.length > 0) {
    const name = todo.pop() as string;
    const def = byName.get(name);
    if (def === undefined || reached.has(name)) continue;
    reached.add(name);
    for (const id of identifiers(masked.slice(def.start, def.end))) if (!reached.has(id)) todo.push(id);
  }
  let out = source;
  for (const [name, def] of byName) if (!reached.has(name)) out = blankRange(out, def.start, def.end);
  for (const at of assumeOffsets(masked)) out = blankRange(out, at, end(at));
  return out;
}

/** The module and cfg for explore_init and explore_next: what INIT, NEXT, SPECIFICATION and
 *  CONSTRAINT reach, without the invariants and properties, which they do not evaluate. */
export function successorModel(model: AdaptedModel): { source: string; cfg: string } {
  const c = model.config;
  const roots = [c.specification, c.init, c.next, c.symmetry, ...c.constraints].filter((n) => n !== undefined);
  return {
    source: prunedSource(
      model.source,
      roots.map((n) => engineNameOf(model, n)),
    ),
    cfg: engineCfg(c, model.renames, { behaviour: true, invariants: [], properties: [] }),
  };
}

/** The cfg of `model` with only its constants, and INVARIANT `invariants` (spec names) when given. */
export function prunedCfg(model: AdaptedModel, invariants: readonly string[] = []): string {
  return engineCfg(model.config, model.renames, { behaviour: false, invariants, properties: [] });
}
