// Tests for the one TLC trace grammar: action headers and -simulate files, read leniently as a
// run's own output and strictly (errors naming the state) as a file from elsewhere.
import { describe, expect, it } from 'vitest';
import type { TlaValue } from '../values/value.ts';
import { TlcTraceSyntaxError, parseActionHeader, parseSimulationTrace, readSimulationBlocks } from './trace-grammar.ts';

const m = (name: string): TlaValue => ({ '#model': name });

describe('TLC trace grammar', () => {
  it('parses action headers', () => {
    expect(parseActionHeader('<Initial predicate>')).toEqual({ action: 'Init', args: [] });
    expect(parseActionHeader('<Go(p1,2) line 7, col 13 to line 8, col 57 of module Live>')).toEqual({
      action: 'Go',
      args: [m('p1'), 2],
      module: 'Live',
      line: 7,
      col: 13,
    });
    expect(parseActionHeader('<Next line 5, col 9 to line 5, col 24 of module Props>').action).toBe('Next');
  });

  it('parses -simulate trace files', () => {
    const text = [
      '---------------- MODULE /tmp/x/tr_0_0 -----------------',
      '\\* <Init line 4, col 9 to line 4, col 41 of module Holds>',
      'STATE_1 == ',
      '/\\ x = 0',
      '/\\ y = [a |-> 1, b |-> "s"]',
      '',
      '',
      '\\* <Go(p1,1) line 5, col 8 to line 5, col 41 of module Holds>',
      'STATE_2 == ',
      '/\\ x = 1',
      '/\\ y = [a |-> 1, b |-> "s"]',
      '',
      '',
      '=================================================',
    ].join('\n');
    expect(parseSimulationTrace(text, (mod, act) => (mod === 'Holds' && act === 'Go' ? ['p', 'k'] : undefined))).toEqual([
      { index: 1, action: 'Init', state: { x: 0, y: { a: 1, b: 's' } } },
      { index: 2, action: 'Go', params: { p: m('p1'), k: 1 }, state: { x: 1, y: { a: 1, b: 's' } } },
    ]);
  });
  it('strict: a header TLC would not print, or arguments that do not parse, is an error naming the state', () => {
    expect(parseActionHeader('<Go(p1,<<) line 1, col 1 to line 1, col 2 of module M>').args).toEqual([]);
    expect(() => parseActionHeader('<Go(p1,<<) line 1, col 1 to line 1, col 2 of module M>', { strict: true, step: 3 })).toThrow(
      /^state 3: cannot read the arguments of Go: /,
    );
    expect(() => parseActionHeader('Go(p1)', { strict: true })).toThrow(TlcTraceSyntaxError);
  });

  it('strict: a -simulate file without its footer is truncated; lenient reads it as a shorter trace', () => {
    const text = '---- MODULE /t/tr_0_0 ----\n\\* <Init line 1, col 1 to line 1, col 2 of module M>\nSTATE_1 ==\n/\\ x = 0\n';
    expect(readSimulationBlocks(text).map((b) => b.state)).toEqual([{ x: 0 }]);
    expect(() => readSimulationBlocks(text, { strict: true })).toThrow(/^state 1: truncated: no closing "====" line$/);
  });
});
