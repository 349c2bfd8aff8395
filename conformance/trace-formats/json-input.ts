// JSON trace input (ITF, TLC -dumpTrace json) parsed once and bounded before any reader walks it:
// nesting depth capped (the readers and lib/values recurse per level) and no object key that
// would clash with Object.prototype. Stands for the JSON loading of Apalache's / TLC's readers.
import { isUnsafeName } from '../../lib/values/safe-keys.ts';
import { quote } from '../../lib/report/one-line.ts';
import { TraceFormatError } from './spec-trace.ts';

/** How deep JSON may nest: a TLA+ value level is up to three JSON levels (#map pairs), and no
 *  value TLC or Apalache writes for a spec comes near 100 levels. */
const MAX_JSON_DEPTH = 300;

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
function checkJsonBounds(doc: unknown, source: string, startDepth = 0): void {
  const stack: [unknown, number][] = [[doc, startDepth]];
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) throw new TraceFormatError({ source }, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' && x !== null) stack.push([x, depth + 1]);
      continue;
    }
    for (const k of Object.keys(v)) {
      if (isUnsafeName(k))
        throw new TraceFormatError({ source }, `${quote(k)} is not allowed as a name (it clashes with JavaScript's Object.prototype)`);
      const x = (v as Record<string, unknown>)[k];
      if (typeof x === 'object' && x !== null) stack.push([x, depth + 1]);
    }
  }
}

/**
 * Parses an ITF-like document whose top-level `arrayKey` array is large (ITF "states") without
 * holding the whole parsed array: returns the document with that key set to [] and the text span
 * of each element, for the caller to parse one at a time (parseJsonElement). Undefined when the
 * text is not a single well-formed object with exactly one such key; the caller then uses
 * parseJson, which names the problem.
 */
export function splitTopLevelArray(
  text: string,
  arrayKey: string,
  source: string,
): { doc: Record<string, unknown>; elements: [number, number][] } | undefined {
  const spans = topLevelSpans(text);
  const hits = spans?.filter(([key]) => key === arrayKey);
  if (!spans || !hits || hits.length !== 1) return undefined;
  const [, start, end] = hits[0] as [string, number, number];
  if (text[start] !== '[') return undefined;
  const elements: [number, number][] = [];
  let depth = 0;
  let from = -1;
  // Between elements: exactly one comma (JSON has no empty or trailing elements).
  let commas = 0;
  for (let i = start + 1; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      if (depth === 0) return undefined;
      i = stringEnd(text, i);
    } else if (c === 0x5b || c === 0x7b) {
      if (depth === 0) {
        if (commas !== (elements.length ? 1 : 0)) return undefined;
        commas = 0;
        from = i;
      }
      depth++;
    } else if (c === 0x5d || c === 0x7d) {
      if (--depth === 0) elements.push([from, i + 1]);
      if (depth < 0) return undefined;
    } else if (depth === 0) {
      if (c === 0x2c) commas++;
      else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return undefined;
    }
  }
  if (depth !== 0 || commas !== 0) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(`${text.slice(0, start)}[]${text.slice(end)}`);
  } catch {
    return undefined;
  }
  checkJsonBounds(doc, source);
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? { doc: doc as Record<string, unknown>, elements } : undefined;
}

/** Parses one element found by splitTopLevelArray, with parseJson's bounds (it sits two levels
 *  down). Undefined when it does not parse: the caller falls back to parseJson on the whole. */
export function parseJsonElement(text: string, [from, to]: [number, number], source: string): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text.slice(from, to));
  } catch {
    return undefined;
  }
  checkJsonBounds(value, source, 2);
  return { value };
}

/** The top-level keys of a JSON object text with their values' spans; undefined if unbalanced. */
function topLevelSpans(text: string): [string, number, number][] | undefined {
  const spans: [string, number, number][] = [];
  let i = text.search(/\S/);
  if (i < 0 || text[i] !== '{') return undefined;
  let depth = 0;
  let key: string | undefined;
  let valueStart = -1;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      if (depth === 1 && key === undefined) {
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return undefined;
        }
      }
      i = end;
    } else if (c === 0x3a && depth === 1) valueStart = i + 1;
    else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) {
      depth--;
      if (depth === 0) {
        if (key !== undefined) spans.push([key, skipWs(text, valueStart), trimEnd(text, i)]);
        return text.slice(i + 1).trim() === '' ? spans : undefined;
      }
    } else if (c === 0x2c && depth === 1) {
      if (key === undefined) return undefined;
      spans.push([key, skipWs(text, valueStart), trimEnd(text, i)]);
      key = undefined;
    }
  }
  return undefined;
}

function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return text.length;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

function trimEnd(text: string, i: number): number {
  while (i > 0 && /\s/.test(text[i - 1] as string)) i--;
  return i;
}
