// Parser for values and states as TLC prints them (error traces, -tool output, -simulate trace
// files), producing canonical TlaValue / TlaState in normal form (see canonical.ts).
// Stands for TLC's Value.toString / state printing (tlc2.value.impl.*Value, TLCStateMut.toString).
import { isUnsafeName } from './safe-keys.ts';
import { makeFunction, makeSet, valueKey } from './canonical.ts';
import type { TlaState, TlaValue } from './value.ts';

/** A text that is not a TLC-printed value or state. The message is one line naming line:col. */
export class TlaParseError extends Error {
  override readonly name = 'TlaParseError';
  constructor(
    /** What was wrong, e.g. "expected ',' or '>>' but found '}'". */
    readonly reason: string,
    /** 1-based line of the offending position. */
    readonly line: number,
    /** 1-based column of the offending position. */
    readonly col: number,
    /** 0-based offset into the parsed text. */
    readonly offset: number,
  ) {
    super(`${line}:${col}: ${reason}`);
  }
}

// TLC refuses to enumerate sets larger than this by default (-maxSetSize), so a printed
// interval this big cannot come from TLC; refusing it also keeps hostile input cheap.
const MAX_INTERVAL = 1_000_000;
// Recursion guard: without it deeply nested input would surface as a RangeError, not a TlaParseError.
const MAX_DEPTH = 500;

const IDENT_CHAR = /[A-Za-z0-9_]/;

class Parser {
  pos = 0;
  depth = 0;
  constructor(readonly text: string) {}

  fail(reason: string, at: number = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new TlaParseError(reason, line, at - lineStart + 1, at);
  }

  /** Short description of what is at the current position, for error messages. */
  found(): string {
    if (this.pos >= this.text.length) return 'end of input';
    const m = /^(?:[A-Za-z0-9_]+|<<|>>|\|->|:>|@@|\.\.|\/\\|.)/s.exec(this.text.slice(this.pos, this.pos + 40));
    const tok = m ? m[0] : this.text.charAt(this.pos);
    return JSON.stringify(tok.length > 20 ? `${tok.slice(0, 20)}...` : tok).replace(/^"|"$/g, "'");
  }

  expected(what: string): never {
    // "found end of input" reads best right after the last token, not after trailing newlines.
    const at = this.pos >= this.text.length ? this.text.replace(/[ \t\n\r\f]+$/, '').length : this.pos;
    return this.fail(`expected ${what} but found ${this.found()}`, at);
  }

  skipWs(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) this.pos++;
      else break;
    }
  }

  atEnd(): boolean {
    this.skipWs();
    return this.pos >= this.text.length;
  }

  peek(s: string): boolean {
    this.skipWs();
    return this.text.startsWith(s, this.pos);
  }

  eat(s: string): boolean {
    if (this.peek(s)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  expect(s: string, what = `'${s}'`): void {
    if (!this.eat(s)) this.expected(what);
  }

  /** A run of identifier characters, or null when there is none here. */
  word(): string | null {
    this.skipWs();
    let end = this.pos;
    while (end < this.text.length && IDENT_CHAR.test(this.text.charAt(end))) end++;
    if (end === this.pos) return null;
    const w = this.text.slice(this.pos, end);
    this.pos = end;
    return w;
  }

  /** An identifier: identifier characters, not all of them digits (TLA+ lexical rule). */
  ident(what: string): string {
    const start = this.pos;
    const w = this.word();
    if (w === null || /^[0-9]+$/.test(w)) {
      this.pos = start;
      return this.expected(what);
    }
    return w;
  }

  /** A name that becomes an object key (variable, record field): Object.prototype's names refused. */
  key(name: string, at: number): string {
    if (isUnsafeName(name))
      this.fail(`${JSON.stringify(name)} is not allowed as a name (it clashes with JavaScript's Object.prototype)`, at);
    return name;
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`values nested deeper than ${MAX_DEPTH} levels`);
  }

  leave(): void {
    this.depth--;
  }

  /** expr := term [':>' term ('@@' term ':>' term)*]  — `:>` binds tighter than `@@`. */
  expr(): TlaValue {
    this.enter();
    const k = this.term();
    let result: TlaValue = k;
    if (this.eat(':>')) {
      const pairs: [TlaValue, TlaValue][] = [[k, this.term()]];
      while (this.eat('@@')) {
        const k2 = this.term();
        this.expect(':>');
        pairs.push([k2, this.term()]);
      }
      // A key printed twice would be a contradiction TLC never prints; refuse rather than guess.
      const seen = new Set(pairs.map(([key]) => valueKey(key)));
      if (seen.size !== pairs.length) this.fail('function has the same key twice');
      result = makeFunction(pairs);
    }
    this.leave();
    return result;
  }

  /** term := atom ['..' atom], the interval being how TLC prints a..b sets it has not enumerated. */
  term(): TlaValue {
    const start = this.pos;
    const lo = this.atom();
    if (!this.peek('..')) return lo;
    this.pos += 2;
    const hiStart = this.pos;
    const hi = this.atom();
    if (typeof lo !== 'number') this.fail('interval bound must be an integer', start);
    if (typeof hi !== 'number') this.fail('interval bound must be an integer', hiStart);
    if (hi - lo + 1 > MAX_INTERVAL) this.fail(`interval ${lo}..${hi} has more than ${MAX_INTERVAL} elements`, start);
    const elems: TlaValue[] = [];
    for (let i = lo; i <= hi; i++) elems.push(i);
    return makeSet(elems);
  }

  atom(): TlaValue {
    this.skipWs();
    const t = this.text;
    const c = t.charAt(this.pos);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?[0-9]+/.exec(t.slice(this.pos, this.pos + 400));
      // "1a" style tokens are identifiers (model values), not numbers.
      if (m && !IDENT_CHAR.test(t.charAt(this.pos + m[0].length))) {
        this.pos += m[0].length;
        return integer(m[0]);
      }
      if (c === '-') this.expected('a value');
    }
    if (t.startsWith('<<', this.pos)) {
      this.pos += 2;
      this.enter();
      const elems = this.list('>>');
      this.leave();
      return elems;
    }
    if (c === '{') {
      this.pos++;
      this.enter();
      const elems = this.list('}');
      this.leave();
      return makeSet(elems);
    }
    if (c === '[') {
      this.pos++;
      this.enter();
      const r = this.record();
      this.leave();
      return r;
    }
    if (c === '(') {
      this.pos++;
      const v = this.expr();
      this.expect(')', "')'");
      return v;
    }
    const start = this.pos;
    const w = this.word();
    if (w !== null && !/^[0-9]+$/.test(w)) {
      if (w === 'TRUE') return true;
      if (w === 'FALSE') return false;
      return { '#model': w };
    }
    this.pos = start;
    return this.expected('a value');
  }

  /** Comma-separated values up to `close` (already past the opener). */
  list(close: string): TlaValue[] {
    const out: TlaValue[] = [];
    if (this.eat(close)) return out;
    for (;;) {
      out.push(this.expr());
      if (this.eat(',')) continue;
      if (this.eat(close)) return out;
      this.expected(`',' or '${close}'`);
    }
  }

  /** [f |-> v, ...]; a field may also be a string literal, which TLC never prints but costs nothing. */
  record(): TlaValue {
    const pairs: [TlaValue, TlaValue][] = [];
    const names = new Set<string>();
    for (;;) {
      this.skipWs();
      const at = this.pos;
      const name = this.key(this.text.charAt(this.pos) === '"' ? this.string() : this.ident('a record field name'), at);
      if (names.has(name)) this.fail(`record field ${JSON.stringify(name)} appears twice`, at);
      names.add(name);
      this.expect('|->');
      pairs.push([name, this.expr()]);
      if (this.eat(',')) continue;
      if (this.eat(']')) break;
      this.expected("',' or ']'");
    }
    return makeFunction(pairs);
  }

  /** A string literal with TLA+ escapes (\" \\ \n \t \r \f) and, for JSON-style text, \b \/ \uXXXX. */
  string(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string', start);
      const c = t.charAt(this.pos);
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = t.charAt(this.pos + 1);
      const simple: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', f: '\f', b: '\b', '/': '/' };
      if (e in simple) {
        out += simple[e];
        this.pos += 2;
      } else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) {
        out += String.fromCharCode(parseInt(t.slice(this.pos + 2, this.pos + 6), 16));
        this.pos += 6;
      } else {
        this.fail(`unknown escape ${e ? JSON.stringify(`\\${e}`) : 'at end of input'} in string`);
      }
    }
  }
}

function integer(digits: string): TlaValue {
  const n = Number(digits);
  if (Number.isSafeInteger(n)) return n === 0 ? 0 : n; // no -0
  return { '#bigint': BigInt(digits).toString() };
}

/** Parses one value as TLC prints it, e.g. `[a |-> 1, b |-> {p1}]` or `(k1 :> 1 @@ k2 :> 2)`.
 *  Bare identifiers are model values; `a..b` is the set of integers; the result is in normal form.
 *  @throws TlaParseError when the text is not exactly one value (surrounding whitespace allowed). */
export function parseTlaValue(text: string): TlaValue {
  const p = new Parser(text);
  const v = p.expr();
  if (!p.atEnd()) p.expected('end of value');
  return v;
}

/** Parses a comma-separated list of values, e.g. the `p1,2` of an action header `Go(p1,2)`.
 *  An empty or all-blank text gives []. @throws TlaParseError */
export function parseTlaValueList(text: string): TlaValue[] {
  const p = new Parser(text);
  if (p.atEnd()) return [];
  const out: TlaValue[] = [p.expr()];
  while (p.eat(',')) out.push(p.expr());
  if (!p.atEnd()) p.expected("',' or end of list");
  return out;
}

/** Parses a state block as TLC prints it: lines `/\ var = value` (a value may span several
 *  lines), or a single `var = value` without `/\` when the spec has one variable.
 *  Variables come back sorted by name, values in normal form. @throws TlaParseError */
export function parseTlaState(text: string): TlaState {
  const p = new Parser(text);
  const found = new Map<string, TlaValue>();
  while (!p.atEnd()) {
    p.eat('/\\');
    const at = (p.skipWs(), p.pos);
    const name = p.key(p.ident('a variable name'), at);
    if (found.has(name)) p.fail(`variable ${name} appears twice`, at);
    p.expect('=', "'='");
    found.set(name, p.expr());
    // Another conjunct must follow on a new line, or the text ends.
    if (!p.atEnd() && !p.peek('/\\')) p.expected("'/\\' or end of state");
  }
  const state: TlaState = {};
  for (const k of [...found.keys()].sort()) state[k] = found.get(k) as TlaValue;
  return state;
}
