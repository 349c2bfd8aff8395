// The Next relation rewritten for tla-checker's successor enumeration, which is about 5x faster on
// it (smoke: 24 s -> 5 s, the same 16,362 states and 30,116 labelled edges). Why: the engine's
// enumerate_next (tla-rs src/eval/enumerate.rs) cuts a disjunct short only on the prime-free
// conjuncts at its top, and `\E u \in Users : UserNext(u)` is one conjunct, a call: for every
// state and every task it infers candidate next values through the whole group of actions and
// evaluates it once per combination, even when the task is elsewhere. Rewritten, Next is one line
// per action, the action's leading prime-free one-line conjuncts (its `pc` test, mostly) hoisted
// in front of the call, each right after the last bound variable it reads (nestedLine), and the
// group's name kept as the line's label, so the engine labels each edge as before. The old Next
// stays in place under another name (line numbers, and so the engine's error positions, do not
// move); the new one goes at the end.
import { maskTla, topLevelDefinitions } from '../tla/scan.ts';
import { type Definition, definitions, nextActions, type NextTree, SpecActionsError } from '../tla/spec-actions.ts';

/** The source with `nextName` rewritten as above, or unchanged where Next is not a tree of
 *  \/, \E and calls whose top disjuncts each reach one call (then the engine's labels could
 *  not be kept). The engine reads a name it has not met yet as a variable, and then labels every
 *  edge with it: so `specName` (the cfg's SPECIFICATION, which names Next) is moved after the new
 *  Next too, the old one renamed in place. */
export function flattenNext(source: string, nextName: string, specName?: string): string {
  let parsed: ReturnType<typeof nextActions>;
  try {
    parsed = nextActions(source, nextName);
  } catch (e) {
    if (e instanceof SpecActionsError) return source;
    throw e;
  }
  const defs = definitions(source);
  const trees = new Map(parsed.helpers.map((h) => [h.def.name, h.tree]));
  const top = parsed.tree.kind === 'or' ? parsed.tree.items : [parsed.tree];
  const groups = top.map(groupLabel);
  if (groups.some((g) => g === undefined)) return source;
  const lines = top.flatMap((item, i) => actionLines(item, [], defs, trees).map((l) => `  \\/ ${groups[i]}:: ${l}`));
  const spec = specName === undefined ? undefined : defs.get(specName);
  if (specName !== undefined && (spec === undefined || spec.params.length > 0)) return source;
  let renamed = source;
  for (const name of [nextName, ...(spec ? [spec.name] : [])]) renamed = renameDefinition(renamed, name, defs);
  // The first item of a leading-\/ list loses its label in the engine's parser: a FALSE goes first.
  const added = [`${nextName} ==\n  \\/ FALSE\n${lines.join('\n')}\n`, ...(spec ? [`${spec.name} ==${spec.body.trimEnd()}\n`] : [])];
  const end = renamed.search(/^={4,}[ \t]*$/m);
  return end < 0 ? source : `${renamed.slice(0, end)}${added.join('\n')}\n${renamed.slice(end)}`;
}

/** The definition's name changed in place to an unused `<name>_old`. */
function renameDefinition(source: string, name: string, defs: Map<string, Definition>): string {
  const at = topLevelDefinitions(maskTla(source)).find((d) => d.name === name)!.offset;
  let old = `${name}_old`;
  while (defs.has(old)) old += '_';
  return source.slice(0, at) + old + source.slice(at + name.length);
}

/** The engine's label for a disjunct of Next: through \E, the name of the call it reaches. */
function groupLabel(t: NextTree): string | undefined {
  if (t.kind === 'exists') return groupLabel(t.body);
  return t.kind === 'call' ? t.name : undefined;
}

/** One line per action under `t`: `\E <binders> : (g1) /\ ... /\ Action(args)`; `binders` one
 *  bound variable each (`f \in Files`). */
function actionLines(t: NextTree, binders: string[], defs: Map<string, Definition>, trees: Map<string, NextTree>): string[] {
  if (t.kind === 'or') return t.items.flatMap((i) => actionLines(i, binders, defs, trees));
  if (t.kind === 'exists') return actionLines(t.body, [...binders, ...t.bound], defs, trees);
  const sub = t.helper ? trees.get(t.name) : undefined;
  if (sub) return actionLines(sub, binders, defs, trees);
  const def = defs.get(t.name);
  // The guards are the definition's text: only where the call's arguments are its parameters.
  const hoisted = def && def.params.join(',') === t.args.join(',') ? leadingGuards(def, defs) : [];
  const call = `${t.name}${t.args.length > 0 ? `(${t.args.join(', ')})` : ''}`;
  const nested = nestedLine(binders, hoisted, call);
  if (nested !== undefined) return [nested];
  const body = [...hoisted.map((g) => `(${g})`), call].join(' /\\ ');
  return [binders.length > 0 ? `\\E ${binders.join(', ')} : ${body}` : body];
}

/**
 * `\E a \in A : (guards on a) /\ \E b \in B : (guards on a, b) /\ ... /\ Action(...)`: each guard
 * right after the last bound variable it names, in their order (a guard may be defined only where
 * the one before it holds: `upc[u] = "idle"` before `UFile(u)`). The engine then evaluates a
 * guard once per binding of the variables it reads, not once per combination of all of them:
 * `\E t, f, op \in OpsOn(f)` built every operation record of every file for a task that was busy
 * (smoke: 6.6 s -> 4.8 s, the same graph). Undefined, and the flat form used, unless every binder
 * is `x \in S` and some guard can move out.
 */
function nestedLine(binders: string[], guards: string[], call: string): string | undefined {
  const bound = binders.map((b) => /^([A-Za-z_][A-Za-z0-9_]*)\s*\\in\s+(\S[\s\S]*)$/.exec(b.trim()));
  if (bound.length < 2 || bound.some((b) => b === null)) return undefined;
  const names = bound.map((b) => b![1]!);
  let level = 0;
  const levels = guards.map((g) => {
    const words = new Set(maskTla(g).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
    names.forEach((n, i) => {
      if (words.has(n)) level = Math.max(level, i);
    });
    return level;
  });
  if (levels.every((l) => l === names.length - 1)) return undefined;
  let line = '';
  for (let i = 0; i < names.length; i++) {
    // Consecutive variables with no guard between them stay in one \E.
    let j = i;
    while (j + 1 < names.length && !levels.includes(j)) j++;
    line += `\\E ${bound
      .slice(i, j + 1)
      .map((b) => b![0].trim())
      .join(', ')} : `;
    for (let g = 0; g < guards.length; g++) if (levels[g] === j) line += `(${guards[g]}) /\\ `;
    i = j;
  }
  return line + call;
}

/** The leading conjuncts of a definition's bullet list that are one line each and prime-free
 *  (no prime, UNCHANGED or ENABLED, nor any operator that has one), up to the first that is not. */
function leadingGuards(def: Definition, defs: Map<string, Definition>): string[] {
  if (!/^[ \t]*\n/.test(def.body)) return [];
  const text = def.body.replace(/^[ \t]*\n/, '').split('\n');
  const masked = def.maskedBody.replace(/^[ \t]*\n/, '').split('\n');
  const col = masked[0]!.search(/\S/);
  const out: string[] = [];
  for (let i = 0; i + 1 < masked.length; i++) {
    const here = /^([ \t]*)\/\\ (.*)$/.exec(masked[i]!);
    const next = /^([ \t]*)\/\\ /.exec(masked[i + 1]!);
    if (!here || !next || here[1]!.length !== col || next[1]!.length !== col) break;
    const line = here[2]!;
    if (/\\E\b|\\A\b|\b(LET|IN|IF|THEN|ELSE|CASE|CHOOSE)\b/.test(line) || !balanced(line)) break;
    if (actionLevel(line, defs, new Set())) break;
    out.push(text[i]!.replace(/^[ \t]*\/\\ /, '').trim());
  }
  return out;
}

/** Whether a (masked) text has a prime, UNCHANGED or ENABLED, itself or in an operator it calls. */
function actionLevel(masked: string, defs: Map<string, Definition>, seen: Set<string>): boolean {
  if (/'|\bUNCHANGED\b|\bENABLED\b/.test(masked)) return true;
  for (const w of masked.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    const d = defs.get(w);
    if (d === undefined || seen.has(w)) continue;
    seen.add(w);
    if (actionLevel(d.maskedBody, defs, seen)) return true;
  }
  return false;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s.replace(/<<|>>/g, (m) => (m === '<<' ? '(' : ')'))) {
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth < 0) return false;
  }
  return depth === 0;
}
