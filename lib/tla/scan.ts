// Lexical scanning of TLA+ module text, just enough to flatten modules and adapt them for the
// embedded engine: comments and strings masked out, top-level definitions and declarations found.
// Stands for the parts of SANY's lexer (tla2sany.parser) those steps need; it is not a parser.

/** Where a name is defined or declared, as 0-based offsets into the module text. */
export interface Located {
  name: string;
  /** Offset of the name's first character. */
  offset: number;
  /** 1-based line of the name. */
  line: number;
}

/** A `VARIABLE(S)` or `CONSTANT(S)` declaration: its extent and the names it declares. */
export interface Declaration {
  keyword: string;
  /** Offset of the keyword. */
  start: number;
  /** Offset just past the last declared name (or its parameter list). */
  end: number;
  names: Located[];
}

/**
 * Returns `src` with comments and string contents replaced by spaces (newlines kept), so that
 * offsets and line numbers stay the same and a regex search finds only real tokens.
 * Block comments nest, as in TLA+; a string keeps its quotes so tokens stay separated.
 */
export function maskTla(src: string): string {
  const out = src.split('');
  const blank = (i: number): void => {
    if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const d = src[i + 1];
    if (c === '\\' && d === '*') {
      while (i < src.length && src[i] !== '\n') blank(i++);
    } else if (c === '(' && d === '*') {
      let depth = 0;
      while (i < src.length) {
        if (src[i] === '(' && src[i + 1] === '*') {
          depth++;
          blank(i++);
          blank(i++);
        } else if (src[i] === '*' && src[i + 1] === ')') {
          depth--;
          blank(i++);
          blank(i++);
          if (depth === 0) break;
        } else blank(i++);
      }
    } else if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"' && src[i] !== '\n') {
        if (src[i] === '\\' && i + 1 < src.length && src[i + 1] !== '\n') blank(i++);
        blank(i++);
      }
      i++;
    } else i++;
  }
  return out.join('');
}

/** 1-based line of a 0-based offset. */
export function lineAt(src: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < src.length; i++) if (src.charCodeAt(i) === 10) line++;
  return line;
}

/** 1-based line and column of a 0-based character offset. */
export function lineColAt(src: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < src.length; i++) {
    if (src.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

const IDENT = /[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*/y;

/** The identifiers in masked text, in order (keywords and record fields included): what a
 *  definition or an expression may refer to. */
export function identifiers(masked: string): string[] {
  return [...masked.matchAll(new RegExp(IDENT.source, 'g'))].map((m) => m[0]);
}

/**
 * Top-level operator and function definitions of masked module text: `Name ==`, `Name(..) ==`,
 * `Name[..] ==`, optionally after `LOCAL`, starting in column 0 (LET-bound definitions are
 * indented, so the column tells them apart). Infix operator definitions are not reported.
 */
export function topLevelDefinitions(masked: string): Located[] {
  const out: Located[] = [];
  const re = /^(?:LOCAL[ \t]+)?([A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*)[ \t]*(?:\([^()]*\)|\[[^\[\]]*\])?[ \t]*==/gm;
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const name = m[1] as string;
    if (KEYWORDS.has(name)) continue;
    const offset = m.index + m[0].indexOf(name);
    out.push({ name, offset, line: lineAt(masked, offset) });
  }
  return out;
}

const KEYWORDS = new Set([
  'ASSUME',
  'ASSUMPTION',
  'AXIOM',
  'CASE',
  'CHOOSE',
  'CONSTANT',
  'CONSTANTS',
  'DOMAIN',
  'ELSE',
  'ENABLED',
  'EXCEPT',
  'EXTENDS',
  'IF',
  'IN',
  'INSTANCE',
  'LET',
  'LOCAL',
  'MODULE',
  'OTHER',
  'SF_',
  'SUBSET',
  'THEN',
  'THEOREM',
  'UNCHANGED',
  'UNION',
  'VARIABLE',
  'VARIABLES',
  'WF_',
  'WITH',
  'RECURSIVE',
  'LEMMA',
  'PROPOSITION',
  'COROLLARY',
  'BOOLEAN',
  'TRUE',
  'FALSE',
  'STRING',
]);

/**
 * Declarations introduced by one of `keywords` (e.g. VARIABLE, VARIABLES) in masked text: the
 * comma-separated names after the keyword, across lines. Constant operators (`F(_, _)`) are
 * reported by name, their parameter list included in the extent.
 */
export function declarations(masked: string, keywords: string[]): Declaration[] {
  const out: Declaration[] = [];
  const re = new RegExp(`(?<![A-Za-z0-9_!])(${keywords.join('|')})(?![A-Za-z0-9_])`, 'g');
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const names: Located[] = [];
    let pos = m.index + m[0].length;
    let end = pos;
    for (;;) {
      pos = skipSpace(masked, pos);
      IDENT.lastIndex = pos;
      const id = IDENT.exec(masked);
      if (!id) break;
      names.push({ name: id[0], offset: pos, line: lineAt(masked, pos) });
      pos += id[0].length;
      const afterName = skipSpace(masked, pos);
      if (masked[afterName] === '(') {
        const close = masked.indexOf(')', afterName);
        if (close < 0) break;
        pos = close + 1;
      }
      end = pos;
      const next = skipSpace(masked, pos);
      if (masked[next] !== ',') break;
      pos = next + 1;
    }
    if (names.length > 0) out.push({ keyword: m[1] as string, start: m.index, end, names });
    re.lastIndex = end;
  }
  return out;
}

function skipSpace(s: string, pos: number): number {
  while (pos < s.length && /\s/.test(s[pos] as string)) pos++;
  return pos;
}

/** Offsets of the `ASSUME` / `ASSUMPTION` keywords in masked text, in order. */
export function assumeOffsets(masked: string): number[] {
  const out: number[] = [];
  const re = /(?<![A-Za-z0-9_])(?:ASSUME|ASSUMPTION)(?![A-Za-z0-9_])/g;
  for (let m = re.exec(masked); m; m = re.exec(masked)) out.push(m.index);
  return out;
}

/** Replaces `src[start, end)` by spaces, keeping newlines, so line numbers do not move. */
export function blankRange(src: string, start: number, end: number): string {
  return src.slice(0, start) + src.slice(start, end).replace(/[^\r\n]/g, ' ') + src.slice(end);
}
