// Tests for interpreting a finished TLC run from recorded output: the temporal property named
// from the cfg, and a verdict kept when its trace cannot be read.
import { describe, expect, it } from 'vitest';
import { tlcExit } from './exit.ts';
import { interpretTlcRun } from './interpret.ts';
import { parseTlcOutput } from './messages.ts';

describe('interpreting a TLC run', () => {
  it('names a temporal violation from the config when it lists one property, else lists candidates', () => {
    const { messages, plain } = parseTlcOutput(
      '@!@!@STARTMSG 2116:1 @!@!@\nTemporal properties were violated.\n\n@!@!@ENDMSG 2116 @!@!@\n',
    );
    const r = interpretTlcRun({ messages, plain, stderr: '', exit: tlcExit(13), configFile: 'x.cfg', cfgText: 'PROPERTIES A C' });
    expect(r.verdict).toBe('property');
    expect(r.property).toBeUndefined();
    expect(r.propertyCandidates).toEqual(['A', 'C']);
  });

  it('names an action property TLC names by its location (an instantiated [][A]_v) from the config', () => {
    const violated = (cfgText: string) => {
      const { messages, plain } = parseTlcOutput(
        '@!@!@STARTMSG 2112:1 @!@!@\nAction property line 54, col 26 to line 54, col 68 of module RefineDaxDma is violated.\n@!@!@ENDMSG 2112 @!@!@\n',
      );
      return interpretTlcRun({ messages, plain, stderr: '', exit: tlcExit(13), configFile: 'x.cfg', cfgText });
    };
    expect(violated('PROPERTY AbsSafety')).toMatchObject({ verdict: 'property', property: 'AbsSafety' });
    const two = violated('PROPERTY AbsSafety AbsFairness');
    expect(two.property).toBeUndefined();
    expect(two.propertyCandidates).toEqual(['AbsSafety', 'AbsFairness']);
  });

  it('keeps the verdict when a trace state does not parse, and says why', () => {
    const text = [
      '@!@!@STARTMSG 2110:1 @!@!@',
      'Invariant Small is violated.',
      '@!@!@ENDMSG 2110 @!@!@',
      '@!@!@STARTMSG 2121:1 @!@!@',
      'The behavior up to this point is:',
      '@!@!@ENDMSG 2121 @!@!@',
      '@!@!@STARTMSG 2217:4 @!@!@',
      '1: <Initial predicate>',
      '/\\ x = <<1,',
      '',
      '@!@!@ENDMSG 2217 @!@!@',
      '',
    ].join('\n');
    const { messages, plain } = parseTlcOutput(text);
    const r = interpretTlcRun({ messages, plain, stderr: '', exit: tlcExit(12), configFile: 'x.cfg' });
    expect(r).toMatchObject({ verdict: 'invariant', property: 'Small' });
    expect(r.counterexample).toBeUndefined();
    expect(r.traceError).toBe("cannot read TLC's text trace: state 1: 1:12: expected a value but found end of input");
  });
});
