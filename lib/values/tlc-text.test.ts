// Tests for the TLC printed-value parser: one example per construct (texts copied from real
// TLC 2.20 output), a formatValue round-trip property and fuzz properties (fixed seeds).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatValue, makeFunction, makeSet, normalize, valuesEqual } from './canonical.ts';
import { TlaParseError, parseTlaState, parseTlaValue, parseTlaValueList } from './tlc-text.ts';
import type { TlaState, TlaValue } from './value.ts';

const m = (name: string): TlaValue => ({ '#model': name });

describe('parseTlaValue: constructs', () => {
  it('integers, booleans, strings, model values', () => {
    expect(parseTlaValue('42')).toBe(42);
    expect(parseTlaValue(' -3 ')).toBe(-3);
    expect(parseTlaValue('-2147483648')).toBe(-2147483648);
    expect(parseTlaValue('123456789012345678901234567890')).toEqual({ '#bigint': '123456789012345678901234567890' });
    expect(parseTlaValue('TRUE')).toBe(true);
    expect(parseTlaValue('FALSE')).toBe(false);
    expect(parseTlaValue('p1')).toEqual(m('p1'));
    expect(parseTlaValue('1a')).toEqual(m('1a'));
    expect(parseTlaValue('"a\\"b\\\\c\\nd"')).toBe('a"b\\c\nd');
    expect(parseTlaValue('"tab\\there"')).toBe('tab\there');
    expect(parseTlaValue('"\\u00e9\\f\\r"')).toBe('\u00e9\f\r');
  });

  it('records, in normal form (fields sorted)', () => {
    expect(parseTlaValue('[b |-> "x", a |-> 1]')).toEqual({ a: 1, b: 'x' });
    expect(parseTlaValue('[q |-> FALSE]')).toEqual({ q: false });
  });

  it('functions (k :> v @@ ...), single pair, parenthesised or not', () => {
    expect(parseTlaValue('(p1 :> "idle" @@ p2 :> "busy")')).toEqual({
      '#map': [
        [m('p1'), 'idle'],
        [m('p2'), 'busy'],
      ],
    });
    expect(parseTlaValue('(A :> 1)')).toEqual({ '#map': [[m('A'), 1]] });
    expect(parseTlaValue('A :> 1')).toEqual({ '#map': [[m('A'), 1]] });
    expect(parseTlaValue('(<<1, 2>> :> TRUE)')).toEqual({ '#map': [[[1, 2], true]] });
    // TLC prints functions over strings that are not identifiers this way; normal form is a record.
    expect(parseTlaValue('("a b" :> 1 @@ "c" :> 1)')).toEqual({ 'a b': 1, c: 1 });
    // A function over 1..n is a sequence in normal form.
    expect(parseTlaValue('(2 :> "b" @@ 1 :> "a")')).toEqual(['a', 'b']);
    expect(parseTlaValue('(0 :> 0 @@ 2 :> 4)')).toEqual({
      '#map': [
        [0, 0],
        [2, 4],
      ],
    });
  });

  it('sets, sequences, intervals', () => {
    expect(parseTlaValue('{}')).toEqual({ '#set': [] });
    expect(parseTlaValue('{B, A, A}')).toEqual(makeSet([m('A'), m('B')]));
    expect(parseTlaValue('<<>>')).toEqual([]);
    expect(parseTlaValue('<<1, "x", A>>')).toEqual([1, 'x', m('A')]);
    expect(parseTlaValue('<<<<p1, 0>>, <<p1, 1>>>>')).toEqual([
      [m('p1'), 0],
      [m('p1'), 1],
    ]);
    expect(parseTlaValue('1..3')).toEqual(makeSet([1, 2, 3]));
    expect(parseTlaValue('-5..-4')).toEqual(makeSet([-5, -4]));
    expect(parseTlaValue('3..2')).toEqual(makeSet([]));
  });

  it('nesting, across lines', () => {
    const text = `[st |-> {A, B}, neg |-> -3,
      fm |-> (p1 :> {} @@ p2 :> {}),
      nested |-> {<<1, {2}>>, <<3, {}>>}, rs |-> {[q |-> FALSE], [q |-> TRUE]}]`;
    expect(parseTlaValue(text)).toEqual(
      normalize({
        st: { '#set': [m('A'), m('B')] },
        neg: -3,
        fm: {
          '#map': [
            [m('p1'), { '#set': [] }],
            [m('p2'), { '#set': [] }],
          ],
        },
        nested: {
          '#set': [
            [1, { '#set': [2] }],
            [3, { '#set': [] }],
          ],
        },
        rs: { '#set': [{ q: false }, { q: true }] },
      }),
    );
  });

  it('value lists (action arguments)', () => {
    expect(parseTlaValueList('p1,2')).toEqual([m('p1'), 2]);
    expect(parseTlaValueList('<<1, 2>>, {a}')).toEqual([[1, 2], makeSet([m('a')])]);
    expect(parseTlaValueList('  ')).toEqual([]);
  });
});

describe('parseTlaValue: errors', () => {
  const cases: [string, RegExp][] = [
    ['', /^1:1: expected a value but found end of input$/],
    ['<<1, 2', /^1:7: expected ',' or '>>' but found end of input$/],
    ['{1 2}', /^1:4: expected ',' or '}' but found '2'$/],
    ['[a |-> 1,\n b 2]', /^2:4: expected '\|->' but found '2'$/],
    ['"abc', /^1:1: unterminated string$/],
    ['"a\\qb"', /^1:3: unknown escape "\\\\q" in string$/],
    ['1 2', /^1:3: expected end of value but found '2'$/],
    ['(a :> 1 @@ a :> 2)', /function has the same key twice/],
    ['[a |-> 1, a |-> 2]', /record field "a" appears twice/],
    ['"x"..3', /interval bound must be an integer/],
    ['0..99999999', /more than 1000000 elements/],
    ['{'.repeat(2000), /nested deeper than 500/],
  ];
  for (const [text, re] of cases) {
    it(`rejects ${JSON.stringify(text.slice(0, 30))}`, () => {
      let err: unknown;
      try {
        parseTlaValue(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TlaParseError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    });
  }
});

describe('parseTlaState', () => {
  it('parses a TLC state block', () => {
    const text = '/\\ f = (p1 :> "busy" @@ p2 :> "idle")\n/\\ s = <<<<p1, 0>>>>\n/\\ x = 1\n';
    expect(parseTlaState(text)).toEqual({
      f: {
        '#map': [
          [m('p1'), 'busy'],
          [m('p2'), 'idle'],
        ],
      },
      s: [[m('p1'), 0]],
      x: 1,
    });
  });

  it('parses the single-variable form without /\\ and multi-line values', () => {
    expect(parseTlaState('v = [a |-> 1]\n')).toEqual({ v: { a: 1 } });
    expect(parseTlaState('/\\ x = {1,\n   2}\n/\\ a = "/\\\\ y = 3"')).toEqual({ a: '/\\ y = 3', x: makeSet([1, 2]) });
    expect(parseTlaState('  \n')).toEqual({});
  });

  it('rejects malformed blocks with a position', () => {
    expect(() => parseTlaState('/\\ x = 1 y = 2')).toThrow(/^1:10: expected '\/\\' or end of state but found 'y'$/);
    expect(() => parseTlaState('/\\ x = 1\n/\\ x = 2')).toThrow(/^2:4: variable x appears twice$/);
    expect(() => parseTlaState('/\\ = 1')).toThrow(TlaParseError);
  });
});

// ---- properties ----------------------------------------------------------------------------

const ident = fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,5}$/);
const fieldName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/);

/** Arbitrary canonical values in normal form. Record fields and string map keys are identifiers,
 *  because formatValue prints record fields unquoted (TLC prints other string keys as `"k" :> v`). */
const { value: arbValue } = fc.letrec<{ value: TlaValue; leaf: TlaValue; key: TlaValue }>((tie) => ({
  leaf: fc.oneof(
    fc.boolean(),
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.bigInt({ min: 2n ** 60n, max: 2n ** 80n }).map((n): TlaValue => ({ '#bigint': (-n).toString() })),
    fc.string({ maxLength: 8, unit: 'binary' }),
    ident.map((n): TlaValue => ({ '#model': n })),
  ),
  key: fc.oneof(
    tie('leaf').filter((k) => typeof k !== 'string'),
    ident,
    tie('value'),
  ),
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.array(tie('value'), { maxLength: 4 }).map((es) => makeSet(es)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fieldName, tie('value'), { minKeys: 1, maxKeys: 4 }).map((r) => normalize(r)),
    fc
      .array(fc.tuple(tie('key'), tie('value')), { minLength: 1, maxLength: 4 })
      .filter((ps) => !ps.every(([k]) => typeof k === 'string') || ps.every(([k]) => /^(?![0-9]+$)[A-Za-z0-9_]+$/.test(k as string)))
      .map((ps) => makeFunction(ps)),
  ),
}));

/** A state printed the way TLC prints it. */
function formatState(s: TlaState): string {
  return Object.keys(s)
    .map((k) => `/\\ ${k} = ${formatValue(s[k] as TlaValue)}`)
    .join('\n');
}

describe('properties', () => {
  it('round-trips canonical values through formatValue', () => {
    fc.assert(
      fc.property(arbValue, (v) => {
        const back = parseTlaValue(formatValue(v));
        expect(valuesEqual(back, v)).toBe(true);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('round-trips states', () => {
    const arbState = fc.dictionary(ident, arbValue, { maxKeys: 4 });
    fc.assert(
      fc.property(arbState, (s) => {
        const back = parseTlaState(formatState(s));
        expect(Object.keys(back)).toEqual(Object.keys(s).sort());
        for (const k of Object.keys(s)) expect(valuesEqual(back[k] as TlaValue, s[k] as TlaValue)).toBe(true);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  const onlyParseErrors = (f: () => unknown): void => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof TlaParseError)) throw e;
      expect(e.message).not.toContain('\n');
    }
  };

  it('fuzz: arbitrary strings raise nothing but TlaParseError', () => {
    const alphabet = fc.constantFrom(...'{}[]<>()|-:@,."\\/ \n=TRUEFALSE01239azp_'.split(''));
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: alphabet, maxLength: 40 }));
    fc.assert(
      fc.property(text, (t) => {
        onlyParseErrors(() => parseTlaValue(t));
        onlyParseErrors(() => parseTlaState(t));
        onlyParseErrors(() => parseTlaValueList(t));
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('fuzz: mutated valid texts raise nothing but TlaParseError', () => {
    const mutation = fc.tuple(
      fc.constantFrom('delete', 'insert', 'duplicate', 'truncate', 'swap'),
      fc.nat(),
      fc.nat(),
      fc.constantFrom(...'{}[]<>()|->:@@,.."\\ \n/\\=-9x'.split('')),
    );
    fc.assert(
      fc.property(arbValue, fc.array(mutation, { minLength: 1, maxLength: 4 }), (v, muts) => {
        let t = `/\\ x = ${formatValue(v)}`;
        for (const [kind, a, b, ch] of muts) {
          const i = t.length === 0 ? 0 : a % t.length;
          const j = t.length === 0 ? 0 : b % t.length;
          if (kind === 'delete') t = t.slice(0, i) + t.slice(i + 1);
          else if (kind === 'insert') t = t.slice(0, i) + ch + t.slice(i);
          else if (kind === 'duplicate') t = t.slice(0, Math.max(i, j)) + t.slice(Math.min(i, j));
          else if (kind === 'truncate') t = t.slice(0, i);
          else t = t.slice(0, i) + t.charAt(j) + t.slice(i + 1, j) + t.charAt(i) + t.slice(j + 1);
        }
        onlyParseErrors(() => parseTlaState(t));
        onlyParseErrors(() => parseTlaValue(t.replace(/^\/\\ x = /, '')));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});
