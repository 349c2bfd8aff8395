// Finds a spec's variables and its actions (with parameter names) in the module text: the
// VARIABLES declarations, and the leaves of the Next relation's tree of \/ and \E.
// Stands for what TLC learns from SANY when it names actions in traces (tlc2.tool.Action).
import { declarations, maskTla, topLevelDefinitions } from './scan.ts';

/** A spec action: an operator that Next reaches through \/ and \E and that is not itself such a tree. */
export interface SpecAction {
  name: string;
  /** Parameter names in definition order, e.g. ["u", "f", "o"]. */
  params: string[];
}

/** The Next relation as a tree: disjunctions, existential quantifiers and calls. */
export type NextTree =
  | { kind: 'or'; items: NextTree[] }
  /** `\E binders : body`; binders is the source text between \E and the colon, and bound that
   *  text split at its top-level commas (`f \in Files`, `op \in OpsOn(f)`). */
  | { kind: 'exists'; binders: string; bound: string[]; body: NextTree }
  /** A call `name(args)`; args are source texts. `helper` when the callee is itself a tree. */
  | { kind: 'call'; name: string; args: string[]; helper: boolean };

/** A definition of the module: parameters, and its body as source text. */
export interface Definition {
  name: string;
  /** 1-based line of the name. */
  line: number;
  params: string[];
  /** Body source (after `==`), comments blanked, strings kept. */
  body: string;
  /** The same with comments and string contents blanked (same offsets). */
  maskedBody: string;
  /** Column (0-based) of the body's first character in its line, for layout-sensitive parsing. */
  bodyCol: number;
  /** Offset of the body's first character in the module text. */
  bodyStart: number;
}

/** The Next relation could not be read as a tree of actions. */
export class SpecActionsError extends Error {
  override readonly name = 'SpecActionsError';
}

/** The variables every VARIABLE(S) declaration of `source` declares, in declaration order. */
export function specVariables(source: string): string[] {
  return declarations(maskTla(source), ['VARIABLES', 'VARIABLE']).flatMap((d) => d.names.map((n) => n.name));
}

/** `src` with comments blanked (newlines kept) but strings intact, so that a definition's text
 *  can be copied into generated TLA+ on one line without a `\*` swallowing the rest. */
export function stripComments(src: string): string {
  const masked = maskTla(src);
  let out = '';
  let inString = false;
  for (let i = 0; i < src.length; i++) {
    // maskTla keeps only real string quotes (a quote inside a comment is blanked); between an
    // opening and a closing one, copy the string's contents back from src.
    if (masked[i] === '"') {
      inString = !inString;
      out += '"';
    } else out += inString ? (src[i] as string) : (masked[i] as string);
  }
  return out;
}

/** The top-level definitions of a module text, by name. */
export function definitions(source: string): Map<string, Definition> {
  const masked = maskTla(source);
  const plain = stripComments(source);
  const defs = topLevelDefinitions(masked);
  const out = new Map<string, Definition>();
  defs.forEach((d, i) => {
    const head = /^([A-Za-z0-9_]+)[ \t]*(\(([^()]*)\)|\[[^[\]]*\])?[ \t]*==/.exec(masked.slice(d.offset));
    if (!head) return;
    const start = d.offset + head[0].length;
    let end = i + 1 < defs.length ? lineStart(masked, (defs[i + 1] as { offset: number }).offset) : masked.length;
    // Separator and footer lines (---- / ====) are not part of the body.
    const tail = /(?:\n[ \t]*(?:-{4,}|={4,})[^\n]*)+\s*$/.exec(masked.slice(start, end));
    if (tail) end = start + tail.index;
    const params =
      head[3] !== undefined
        ? head[3]
            .split(',')
            .map((p) => p.trim().replace(/\(.*$/, ''))
            .filter((p) => p)
        : [];
    out.set(d.name, {
      name: d.name,
      line: d.line,
      params,
      body: plain.slice(start, end),
      maskedBody: masked.slice(start, end),
      bodyCol: start - lineStart(masked, start),
      bodyStart: start,
    });
  });
  return out;
}

function lineStart(s: string, offset: number): number {
  const nl = s.lastIndexOf('\n', offset - 1);
  return nl + 1;
}

interface Tok {
  text: string;
  start: number;
  end: number;
  col: number;
  firstOnLine: boolean;
}

function tokenize(masked: string, firstCol: number): Tok[] {
  const toks: Tok[] = [];
  const re = /\\\/|\/\\|\\E(?![A-Za-z0-9_])|\\in(?![A-Za-z0-9_])|<<|>>|[A-Za-z0-9_]+|"[^"\n]*"|\S/g;
  let lastLine = -1;
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const ls = lineStart(masked, m.index);
    const line = masked.slice(0, m.index).split('\n').length;
    const col = ls === 0 ? firstCol + m.index : m.index - ls;
    toks.push({ text: m[0], start: m.index, end: m.index + m[0].length, col, firstOnLine: line !== lastLine });
    lastLine = line;
  }
  return toks;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<<': '>>' };

/** Parses a definition body as a tree of \/, \E and calls; throws SpecActionsError where it is
 *  anything else (a conjunction, UNCHANGED, an IF, ...). Bullets follow TLA+'s layout rule: a
 *  token at or left of a bullet list's column ends the list's current item. */
function parseTree(def: Definition): NextTree {
  const toks = tokenize(def.maskedBody, def.bodyCol);
  let i = 0;
  const fail = (what: string): never => {
    throw new SpecActionsError(`${def.name}: ${what}`);
  };
  const at = (): Tok | undefined => toks[i];
  const ends = (t: Tok | undefined, boundary: number): boolean => !t || (t.firstOnLine && t.col <= boundary) || t.text === ')';

  const item = (boundary: number): NextTree => {
    const t = at();
    if (!t || ends(t, boundary)) return fail('expected an action');
    if (t.text === '(') {
      i++;
      const inner = formula(-1);
      if (at()?.text !== ')') fail("expected ')'");
      i++;
      return inner;
    }
    if (t.text === '\\E') {
      i++;
      const from = at();
      let depth = 0;
      const commas: number[] = [];
      while (at() && !(depth === 0 && (at() as Tok).text === ':')) {
        const x = (at() as Tok).text;
        if (depth === 0 && x === ',') commas.push((at() as Tok).start);
        if (x in OPEN) depth++;
        if (Object.values(OPEN).includes(x)) depth--;
        i++;
      }
      const colon = at();
      if (!from || !colon || from === colon) return fail('malformed \\E');
      i++;
      const cuts = [from.start, ...commas.map((c) => c + 1)];
      const bound = cuts.map((c, k) => def.body.slice(c, commas[k] ?? colon.start).trim());
      return { kind: 'exists', binders: def.body.slice(from.start, colon.start).trim(), bound, body: formula(boundary) };
    }
    if (/^[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*$/.test(t.text)) {
      i++;
      const args: string[] = [];
      if (at()?.text === '(' && at()?.start === t.end) {
        i++;
        let depth = 0;
        let argStart = at()?.start ?? def.body.length;
        for (;;) {
          const x = at();
          if (!x) return fail(`unclosed argument list of ${t.text}`);
          if (depth === 0 && (x.text === ',' || x.text === ')')) {
            args.push(def.body.slice(argStart, x.start).trim());
            i++;
            if (x.text === ')') break;
            argStart = at()?.start ?? def.body.length;
            continue;
          }
          if (x.text in OPEN) depth++;
          if (Object.values(OPEN).includes(x.text)) depth--;
          i++;
        }
      }
      return { kind: 'call', name: t.text, args, helper: false };
    }
    return fail(`'${t.text}' is not an action call`);
  };

  const formula = (boundary: number): NextTree => {
    const items: NextTree[] = [];
    const first = at();
    if (first?.text === '\\/') {
      const col = first.col;
      while (at()?.text === '\\/' && (at() as Tok).col === col && !ends(at(), Math.min(boundary, col - 1))) {
        i++;
        items.push(item(col));
      }
    } else {
      items.push(item(boundary));
      while (at()?.text === '\\/' && !ends(at(), boundary)) {
        i++;
        items.push(item(boundary));
      }
    }
    const next = at();
    if (next && !ends(next, boundary) && next.text !== '\\/') fail(`unexpected '${next.text}'`);
    return items.length === 1 ? (items[0] as NextTree) : { kind: 'or', items };
  };

  const tree = formula(-1);
  if (i < toks.length) fail(`unexpected '${(toks[i] as Tok).text}'`);
  return tree;
}

/** The Next relation's tree (helpers marked) and its actions, in the order Next names them.
 *  @throws SpecActionsError when Next is not a tree of \/, \E and calls down to its actions. */
export function nextActions(
  source: string,
  nextName = 'Next',
): { tree: NextTree; actions: SpecAction[]; helpers: { def: Definition; tree: NextTree }[] } {
  const defs = definitions(source);
  const actions: SpecAction[] = [];
  const helpers: { def: Definition; tree: NextTree }[] = [];
  const trees = new Map<string, NextTree | null>();
  const treeOf = (name: string, stack: string[]): NextTree | null => {
    if (trees.has(name)) return trees.get(name) as NextTree | null;
    const def = defs.get(name);
    if (!def || stack.includes(name)) return null;
    let tree: NextTree | null;
    try {
      tree = parseTree(def);
    } catch (e) {
      if (!(e instanceof SpecActionsError)) throw e;
      tree = null;
    }
    // A tree whose calls all name definitions is a helper; a call of anything else is not.
    if (tree && !calls(tree).every((c) => defs.has(c.name))) tree = null;
    trees.set(name, tree);
    if (tree) for (const c of calls(tree)) c.helper = treeOf(c.name, [...stack, name]) !== null;
    return tree;
  };
  const top = defs.get(nextName);
  if (!top) throw new SpecActionsError(`no definition ${nextName}`);
  const tree = treeOf(nextName, []);
  if (!tree) {
    try {
      parseTree(top);
    } catch (e) {
      throw new SpecActionsError(`${nextName} is not a disjunction of actions: ${(e as Error).message}`);
    }
    throw new SpecActionsError(`${nextName} calls something that is not a definition`);
  }
  const visit = (t: NextTree): void => {
    if (t.kind === 'or') t.items.forEach(visit);
    else if (t.kind === 'exists') visit(t.body);
    else if (t.helper) {
      const sub = trees.get(t.name) as NextTree;
      if (!helpers.some((h) => h.def.name === t.name)) helpers.push({ def: defs.get(t.name) as Definition, tree: sub });
      visit(sub);
    } else if (!actions.some((a) => a.name === t.name)) {
      actions.push({ name: t.name, params: defs.get(t.name)?.params ?? [] });
    }
  };
  visit(tree);
  return { tree, actions, helpers };
}

function calls(t: NextTree): Extract<NextTree, { kind: 'call' }>[] {
  if (t.kind === 'or') return t.items.flatMap(calls);
  if (t.kind === 'exists') return calls(t.body);
  return [t];
}

/** The names of the INIT and NEXT a cfg chooses: its INIT/NEXT, or read from its SPECIFICATION
 *  formula `Init /\ [][Next]_vars ...`. */
export function initAndNext(source: string, cfg: { init?: string; next?: string; specification?: string }): { init: string; next: string } {
  if (cfg.init && cfg.next) return { init: cfg.init, next: cfg.next };
  const spec = cfg.specification ? definitions(source).get(cfg.specification) : undefined;
  if (!spec) throw new SpecActionsError(`the cfg names neither INIT/NEXT nor a SPECIFICATION defined in the module`);
  const next = /\[\]\[\s*([A-Za-z0-9_]+)\s*\]_/.exec(spec.maskedBody)?.[1];
  const init = /^\s*(?:\/\\\s*)?([A-Za-z0-9_]+)/.exec(spec.maskedBody)?.[1];
  if (!next || !init) throw new SpecActionsError(`${cfg.specification} is not of the form Init /\\ [][Next]_vars`);
  return { init, next };
}
