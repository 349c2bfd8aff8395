// JSON trace input (ITF, TLC -dumpTrace json) parsed once and bounded before any reader walks it:
// nesting depth capped (the readers and lib/values recurse per level) and no object key that
// would clash with Object.prototype. Stands for the JSON loading of Apalache's / TLC's readers.
import { isUnsafeName } from '../../lib/values/safe-keys.ts';
import { quote } from '../../lib/report/one-line.ts';
import { TraceFormatError } from './spec-trace.ts';

/** How deep JSON may nest: a TLA+ value level is up to three JSON levels (#map pairs), and no
 *  value TLC or Apalache writes for a spec comes near 100 levels. */
export const MAX_JSON_DEPTH = 300;

/** Parses JSON; a syntax error (truncated or malformed input), nesting deeper than
 *  MAX_JSON_DEPTH or an unsafe key (`__proto__`, ...) becomes a TraceFormatError. */
export function parseJson(text: string, source: string): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    // V8 names the position; an error at the very end means the text stops mid-document.
    const pos = /position (\d+)/.exec(e.message);
    const truncated = /end of (JSON )?input/i.test(e.message) || (pos !== null && Number(pos[1]) >= text.trimEnd().length);
    throw new TraceFormatError({ source }, `${truncated ? 'truncated' : 'malformed'} JSON: ${e.message}`);
  }
  checkJsonBounds(doc, source);
  return doc;
}

/** Walks a parsed document without recursion. @throws TraceFormatError */
function checkJsonBounds(doc: unknown, source: string): void {
  const stack: [unknown, number][] = [[doc, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) throw new TraceFormatError({ source }, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' && x !== null) stack.push([x, depth + 1]);
      continue;
    }
    for (const k of Object.keys(v)) {
      if (isUnsafeName(k)) throw new TraceFormatError({ source }, `${quote(k)} is not allowed as a name (it clashes with JavaScript's Object.prototype)`);
      const x = (v as Record<string, unknown>)[k];
      if (typeof x === 'object' && x !== null) stack.push([x, depth + 1]);
    }
  }
}
