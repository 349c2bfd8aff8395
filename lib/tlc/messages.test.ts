// Tests for the -tool message protocol on recorded TLC 2.20 text: nested messages split across
// chunks, plain lines kept apart, progress reports with thousands separators.
import { describe, expect, it } from 'vitest';
import type { Progress } from '../result/check-result.ts';
import { tlcExit } from './exit.ts';
import { interpretTlcRun } from './interpret.ts';
import { parseProgress, parseTlcOutput } from './messages.ts';

describe('TLC -tool messages', () => {
  it('splits messages, including nested ones that start mid-line, across chunk boundaries', () => {
    const text = [
      '@!@!@STARTMSG 2262:0 @!@!@',
      'TLC2 Version 2.20 of Day Month 20?? (rev: bacd9d2)',
      '@!@!@ENDMSG 2262 @!@!@',
      'Parsing file /x/Const.tla',
      '@!@!@STARTMSG 1000:1 @!@!@',
      'TLC threw an unexpected exception.',
      'The exception was a tlc2.tool.ConfigFileException',
      ': @!@!@STARTMSG 5006:0 @!@!@',
      'TLC found an error in the configuration file at line 2',
      'It was expecting = or <-, but did not find it.',
      '@!@!@ENDMSG 5006 @!@!@',
      '@!@!@ENDMSG 1000 @!@!@',
      '',
    ].join('\n');
    const { messages, plain } = parseTlcOutput(text);
    expect(messages.map((x) => x.code)).toEqual([2262, 1000]);
    expect(messages[1]?.nested.map((x) => x.code)).toEqual([5006]);
    expect(messages[1]?.severity).toBe(1);
    expect(plain).toEqual(['Parsing file /x/Const.tla']);
    const it = interpretTlcRun({ messages, plain, stderr: '', exit: tlcExit(255), configFile: '/x/Bad.cfg' });
    expect(it.verdict).toBe('error');
    expect(it.error).toEqual({ kind: 'config', message: '/x/Bad.cfg:2: It was expecting = or <-, but did not find it.' });
    expect(it.engineVersion).toBe('TLC2 Version 2.20 of Day Month 20?? (rev: bacd9d2)');
  });

  it('reads progress with thousands separators, and simulation progress (-1 = unknown)', () => {
    const body =
      'Progress(557) at 2026-11-25 04:03:39: 86,264,250 states generated (83,030,663 s/min), 28,910,060 distinct states found (27,814,734 ds/min), 155,310 states left on queue.';
    expect(parseProgress(body, 2)).toEqual<Progress>({ generated: 86264250, distinct: 28910060, queue: 155310, seconds: 2 });
    expect(parseProgress('Progress(3) at x: 16 states generated, -1 distinct states found, -1 states left on queue.', 1)).toEqual({
      generated: 16,
      distinct: 0,
      queue: 0,
      seconds: 1,
    });
  });
});
