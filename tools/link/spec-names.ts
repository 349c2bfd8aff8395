// The names the spec shares with the implementation, as the link check needs them: the actions
// Next reaches (through UserNext, FsNext and SyncNext) and the variant switches of BugNames, each
// with the file and line of its definition. Read with lib/tla's scanner (spec-actions.ts).
import { lineAt } from '../../lib/tla/scan.ts';
import { SpecActionsError, definitions, nextActions } from '../../lib/tla/spec-actions.ts';

/** A name and where it is defined (1-based line). */
export interface NamedLocation {
  name: string;
  file: string;
  line: number;
}

/** Something the spec must define for the link to be checked. */
export class SpecNamesError extends Error {
  override name = 'SpecNamesError';
}

/**
 * The spec's actions: every operator Next reaches through \/ and \E, helpers such as UserNext(u)
 * expanded, in the order Next names them, each with the line of its definition.
 * @throws SpecNamesError if `next` is not defined as a disjunction of actions.
 */
export function specActions(text: string, file: string, next = 'Next'): NamedLocation[] {
  const defs = definitions(text);
  if (!defs.has(next)) throw new SpecNamesError(`${file}: no ${next} == \\/ … definition`);
  try {
    return nextActions(text, next).actions.map((a) => ({ name: a.name, file, line: defs.get(a.name)?.line ?? 0 }));
  } catch (e) {
    if (e instanceof SpecActionsError) throw new SpecNamesError(`${file}: ${e.message}`);
    throw e;
  }
}

/**
 * The spec's variant switches: the string literals of `BugNames == { "…", … }`, each with its
 * line. @throws SpecNamesError if BugNames is not defined.
 */
export function specBugNames(text: string, file: string, name = 'BugNames'): NamedLocation[] {
  const def = definitions(text).get(name);
  if (!def) throw new SpecNamesError(`${file}: no ${name} == {…} definition`);
  return [...def.body.matchAll(/"([^"]*)"/g)].map((m) => ({ name: m[1] as string, file, line: lineAt(text, def.bodyStart + (m.index ?? 0)) }));
}
