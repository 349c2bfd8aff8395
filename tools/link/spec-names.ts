// The names the spec shares with the implementation, read from the TLA+ text: the actions (the
// operators that Next's disjuncts reach through UserNext, FsNext and SyncNext) and BugNames.
// A reader of definitions and disjuncts, not a TLA+ parser: enough for spec/DaxDma.tla's layout.

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

interface Definition {
  line: number;
  body: string;
}

/** Blanks comments (`\* …` and `(* … *)`) and keeps every newline, so line numbers stay. */
export function stripTlaComments(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (two === '(*') {
      depth++;
      out += '  ';
      i++;
    } else if (depth > 0 && two === '*)') {
      depth--;
      out += '  ';
      i++;
    } else if (depth > 0) {
      out += c === '\n' ? '\n' : ' ';
    } else if (two === '\\*') {
      const nl = text.indexOf('\n', i);
      const end = nl === -1 ? text.length : nl;
      out += ' '.repeat(end - i);
      i = end - 1;
    } else {
      out += c;
    }
  }
  return out;
}

/** Operator definitions that start a line: `Name ==` or `Name(params) ==`, with their bodies. */
function definitions(text: string): Map<string, Definition> {
  const lines = text.split('\n');
  const starts: { name: string; line: number }[] = [];
  lines.forEach((l, i) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(\([^)]*\))?\s*==(?!=)/.exec(l);
    if (m) starts.push({ name: m[1]!, line: i + 1 });
  });
  const defs = new Map<string, Definition>();
  starts.forEach((s, k) => {
    const end = k + 1 < starts.length ? starts[k + 1]!.line - 1 : lines.length;
    let body = lines.slice(s.line - 1, end).join('\n');
    body = body.slice(body.indexOf('==') + 2);
    // A definition ends at the first top-level keyword or module end that follows it.
    const stop = /^(VARIABLES?|CONSTANTS?|ASSUME|THEOREM|EXTENDS|====)/m.exec(body);
    defs.set(s.name, { line: s.line, body: stop ? body.slice(0, stop.index) : body });
  });
  return defs;
}

/** Splits a body that is a disjunction list (`\/ A \/ B`, one per line) into its disjuncts. */
function disjuncts(body: string): string[] | null {
  const trimmed = body.trim();
  if (!trimmed.startsWith('\\/')) return null;
  return trimmed.split(/^\s*\\\/|\n\s*\\\//m).map((d) => d.trim()).filter(Boolean);
}

/**
 * The action a disjunct performs: the last defined operator it applies, as in
 * `\E f \in Files : \E op \in OpsOn(f) : FsLockIo(t, op)` → FsLockIo.
 */
function actionOf(disjunct: string, defs: Map<string, Definition>): string | undefined {
  const names = [...disjunct.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\b/g)].map((m) => m[1]!).filter((n) => defs.has(n));
  return names.at(-1);
}

/**
 * The spec's actions: starting from `next` (default Next), every operator a disjunct applies;
 * an operator whose own body is a disjunction (UserNext(u), FsNext(t), SyncNext(s)) is expanded.
 * In order of first appearance, each with the line of its definition.
 * @throws SpecNamesError if `next` is not defined as a disjunction.
 */
export function specActions(text: string, file: string, next = 'Next'): NamedLocation[] {
  const defs = definitions(stripTlaComments(text));
  const root = defs.get(next);
  if (!root || !disjuncts(root.body)) throw new SpecNamesError(`${file}: no ${next} == \\/ … definition`);
  const out: NamedLocation[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const def = defs.get(name)!;
    const parts = disjuncts(def.body);
    if (parts === null) {
      out.push({ name, file, line: def.line });
      return;
    }
    for (const p of parts) {
      const a = actionOf(p, defs);
      if (a !== undefined) visit(a);
    }
  };
  for (const p of disjuncts(root.body)!) {
    const a = actionOf(p, defs);
    if (a !== undefined) visit(a);
  }
  return out;
}

/**
 * The spec's variant switches: the string literals of `BugNames == { "…", … }`, each with its
 * line. @throws SpecNamesError if BugNames is not defined.
 */
export function specBugNames(text: string, file: string, name = 'BugNames'): NamedLocation[] {
  const clean = stripTlaComments(text);
  const def = definitions(clean).get(name);
  if (!def) throw new SpecNamesError(`${file}: no ${name} == {…} definition`);
  const start = clean.split('\n').slice(0, def.line - 1).join('\n').length;
  const bodyStart = clean.indexOf('==', start) + 2;
  const lineAt = (offset: number): number => clean.slice(0, offset).split('\n').length;
  return [...def.body.matchAll(/"([^"]*)"/g)].map((m) => ({ name: m[1]!, file, line: lineAt(bodyStart + m.index!) }));
}
