// The names the spec shares with the implementation, as the link check needs them: the actions
// Next reaches (through UserNext, FsNext and SyncNext) and the variant switches of BugNames, each
// with the file and line of its definition. Read with lib/tla's scanner (spec-actions.ts).
import { declarations, lineAt, maskTla } from '../../lib/tla/scan.ts';
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
  return [...def.body.matchAll(/"([^"]*)"/g)].map((m) => ({
    name: m[1] as string,
    file,
    line: lineAt(text, def.bodyStart + (m.index ?? 0)),
  }));
}

/** A spec switch: its name and line, the comment that documents it, and how often the spec reads it. */
export interface SpecSwitch extends NamedLocation {
  /** The comment lines right above its line and the comment at the end of it, as written. */
  comment: string;
  /** Reads outside its declaration: `Bug("X")` / `"X" \in Bugs` for a member of a set of names,
   *  the identifier itself for a constant. */
  reads: number;
}

/** The `\*` comment at the end of 1-based `line`, and the run of comment-only lines above it. */
function commentAround(lines: readonly string[], line: number): string {
  const out: string[] = [];
  for (let i = line - 2; i >= 0 && /^\s*\\\*/.test(lines[i]!); i--) out.unshift(lines[i]!.trim());
  const own = lines[line - 1] ?? '';
  const tail = own.indexOf('\\*');
  if (tail >= 0) out.push(own.slice(tail).trim());
  return out.join('\n');
}

/** Definition bodies (comments stripped) other than `except`: where the spec reads a switch. */
function bodiesExcept(text: string, except: string): string {
  return [...definitions(text).values()]
    .filter((d) => d.name !== except)
    .map((d) => d.body)
    .join('\n');
}

/**
 * The members of a set of switch names (`BugNames == {...}` read with `reader` Bug, or
 * FeatureNames with Feature), each with its comment and its reads in the other definitions;
 * [] when the spec has no such definition.
 */
export function specSwitchSet(text: string, file: string, setName: string, reader: string, constant: string): SpecSwitch[] {
  if (!definitions(text).has(setName)) return [];
  const lines = text.split('\n');
  const rest = bodiesExcept(text, setName);
  return specBugNames(text, file, setName).map((n) => {
    const quoted = JSON.stringify(n.name);
    const reads =
      rest.split(`${reader}(${quoted})`).length - 1 + (rest.match(new RegExp(`${quoted}\\s*\\\\in\\s*${constant}\\b`, 'g'))?.length ?? 0);
    return { ...n, comment: commentAround(lines, n.line), reads };
  });
}

/**
 * A constant used as a switch (IdleRef): its line in CONSTANTS with its comment, and how many
 * definitions use it; null when the spec declares no such constant.
 */
export function specConstantSwitch(text: string, file: string, name: string): SpecSwitch | null {
  const declared = declarations(maskTla(text), ['CONSTANT', 'CONSTANTS'])
    .flatMap((d) => d.names)
    .find((n) => n.name === name);
  if (!declared) return null;
  const word = new RegExp(`\\b${name}\\b`);
  const reads = [...definitions(text).values()].filter((d) => word.test(d.body)).length;
  return { name, file, line: declared.line, comment: commentAround(text.split('\n'), declared.line), reads };
}
