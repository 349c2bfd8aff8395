// Reading the DOT state graphs the oracle is built from: TLC's `-dump dot,actionlabels` (nodes
// named by fingerprint, edges labelled with the action and its arguments) and the embedded
// engine's export_dot (nodes s0, s1, ..., edges labelled with Next's top-level disjunct).
import { type NextTree, nextActions } from '../../lib/tla/spec-actions.ts';
import { normalize, normalizeState, stateOfNormalValues } from '../../lib/values/canonical.ts';
import { parseTlaState, parseTlaValue } from '../../lib/values/tlc-text.ts';
import type { TlaState, TlaValue } from '../../lib/values/value.ts';

/** A DOT graph as read: states in normal form in file order, node id → index, and the edges by
 *  node id with their label, each (from, to, label) once. */
export interface DotGraph {
  states: TlaState[];
  ids: Map<string, number>;
  edges: [string, string, string][];
}

/** Parses one DOT node label ("var=value\nvar=value...") into a state in normal form. `seen`
 *  holds the values parsed so far by their text: most states of a graph share most of their
 *  variables' values, so each distinct text is parsed and normalised once and its value shared
 *  (values are never changed once read). */
function parseNodeLabel(label: string, seen: Map<string, TlaValue>): TlaState {
  const state = new Map<string, TlaValue>();
  for (const line of label.split('\\n')) {
    const eq = line.indexOf('=');
    const name = line.slice(0, eq);
    let value = seen.get(line);
    if (value === undefined) {
      // The engine prints booleans in lower case; TLA+ (and our reader) spells them TRUE/FALSE.
      const text = line
        .slice(eq + 1)
        .replace(/\\"/g, '"')
        .replace(/"(?:[^"\\]|\\.)*"|\b(true|false)\b/g, (m, b?: string) => (b ? b.toUpperCase() : m));
      seen.set(line, (value = normalize(parseTlaValue(text))));
    }
    state.set(name, value);
  }
  return stateOfNormalValues(state);
}

/** The embedded engine's export_dot (dot_mode 'full'). */
export function parseEngineDot(dot: string): DotGraph {
  const ids = new Map<string, number>();
  const states: TlaState[] = [];
  const edges: [string, string, string][] = [];
  const seen = new Map<string, TlaValue>();
  const nodeRe = /^\s*(s\d+) \[label="(.*)"\];$/;
  const edgeRe = /^\s*(s\d+) -> (s\d+) \[label="([^"]*)"\];$/;
  for (const line of dot.split('\n')) {
    const n = nodeRe.exec(line);
    if (n) {
      ids.set(n[1]!, states.length);
      states.push(parseNodeLabel(n[2]!, seen));
      continue;
    }
    const e = edgeRe.exec(line);
    if (e) edges.push([e[1]!, e[2]!, e[3]!]);
  }
  return { states, ids, edges };
}

/** Unescapes a DOT label: \" and \\ as TLC writes them, \n as a line break. */
function dotText(label: string): string {
  return label.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

/** TLC's `-dump dot,actionlabels` file. */
export function parseTlcDot(dot: string): DotGraph {
  const ids = new Map<string, number>();
  const states: TlaState[] = [];
  const edges: [string, string, string][] = [];
  const seen = new Set<string>();
  const values = new Map<string, TlaValue>();
  const nodeRe = /^(-?\d+) \[label="((?:[^"\\]|\\.)*)"/;
  const edgeRe = /^(-?\d+) -> (-?\d+) \[label="((?:[^"\\]|\\.)*)"/;
  for (const line of dot.split('\n')) {
    const e = edgeRe.exec(line);
    if (e) {
      // TLC may write an edge twice; two actions (or two put paths) between the same states are
      // two edges, each with its label.
      const key = `${e[1]}>${e[2]}>${e[3]}`;
      if (!seen.has(key)) edges.push([e[1]!, e[2]!, e[3]!]);
      seen.add(key);
      continue;
    }
    const n = nodeRe.exec(line);
    if (!n || ids.has(n[1]!)) continue;
    ids.set(n[1]!, states.length);
    states.push(tlcState(dotText(n[2]!), values));
  }
  return { states, ids, edges };
}

/** A TLC state ("/\\ x = 1\n/\\ y = ...", a value's own lines indented) in normal form, each
 *  conjunct's value parsed once per distinct text (as parseNodeLabel does); a state that is not
 *  one conjunct per variable goes to the strict reader whole. */
function tlcState(text: string, seen: Map<string, TlaValue>): TlaState {
  const state = new Map<string, TlaValue>();
  for (const conjunct of text.split(/\n(?=\/\\ )/)) {
    let value = seen.get(conjunct);
    const m = /^\/\\ ([A-Za-z_][A-Za-z0-9_]*) = /.exec(conjunct);
    if (m === null || state.has(m[1]!)) return normalizeState(parseTlaState(text));
    if (value === undefined) seen.set(conjunct, (value = normalize(parseTlaValue(conjunct.slice(m[0].length)))));
    state.set(m[1]!, value);
  }
  return stateOfNormalValues(state);
}

/** Which top-level disjunct of Next (UserNext, FsNext, SyncNext) each action falls under: the
 *  embedded engine's edge labels, which TLC's name the action itself. */
export function actionGroups(source: string, next: string): Map<string, string> {
  const { tree, helpers } = nextActions(source, next);
  const groups = new Map<string, string>();
  const leaves = (t: NextTree, group: string): void => {
    if (t.kind === 'or') t.items.forEach((x) => leaves(x, group));
    else if (t.kind === 'exists') leaves(t.body, group);
    else if (t.helper) leaves(helpers.find((h) => h.def.name === t.name)!.tree, group);
    else groups.set(t.name, group);
  };
  const tops = tree.kind === 'or' ? tree.items : [tree];
  for (const top of tops) {
    let t = top;
    while (t.kind === 'exists') t = t.body;
    leaves(top, t.kind === 'call' ? t.name : next);
  }
  return groups;
}
