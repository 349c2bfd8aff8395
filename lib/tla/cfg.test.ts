// Tests for the cfg parser: every directive, structured constant values, comments, substitutions,
// malformed text reported with its line, and the temporal properties TLC's 2116 does not name.
import { describe, expect, it } from 'vitest';
import { ModelConfigError, cfgTemporalProperties, cfgWithConstant, parseCfg } from './cfg.ts';

describe('parseCfg', () => {
  it('reads constants with structured values, comments and every name directive', () => {
    const cfg = parseCfg(`\\* a comment
CONSTANTS
  Files = {f1, f2}   (* block *)
  FsOps = {"Truncate", "PunchHole"}
  R = [a |-> 1, b |-> <<1, 2>>] None = None
  N = -1
SPECIFICATION Spec
INVARIANT TypeOK Safe
INVARIANTS
  More
PROPERTIES Live1
  Live2
CONSTRAINT Bound
SYMMETRY Sym
CHECK_DEADLOCK FALSE
`);
    expect(cfg.constants.map(({ name, value }) => ({ name, value }))).toEqual([
      { name: 'Files', value: '{f1, f2}' },
      { name: 'FsOps', value: '{"Truncate", "PunchHole"}' },
      { name: 'R', value: '[a |-> 1, b |-> <<1, 2>>]' },
      { name: 'None', value: 'None' },
      { name: 'N', value: '-1' },
    ]);
    expect(cfg).toMatchObject({
      specification: 'Spec',
      invariants: ['TypeOK', 'Safe', 'More'],
      properties: ['Live1', 'Live2'],
      constraints: ['Bound'],
      symmetry: 'Sym',
      checkDeadlock: false,
    });
  });

  it('reads substitutions and operator constants so that they can be refused', () => {
    const cfg = parseCfg('CONSTANTS\n  Procs <- MCProcs\n  F(_) = x\nINIT Init\nNEXT Next\n');
    expect(cfg.constants[0]).toEqual({ name: 'Procs', substitution: 'MCProcs' });
    expect(cfg.constants[1]?.operator).toBe(true);
  });

  it('rejects malformed text with the line', () => {
    expect(() => parseCfg('INIT Init\nFOO Bar\n')).toThrow(/line 2: unknown directive 'FOO'/);
    expect(() => parseCfg('SPECIFICATION Spec\nINIT Init\n')).toThrow(/mutually exclusive/);
    expect(() => parseCfg('CHECK_DEADLOCK MAYBE\n')).toThrow(ModelConfigError);
    expect(() => parseCfg('CONSTANTS N\nINIT Init\n')).toThrow(/constant N needs/);
  });
});

describe('cfgTemporalProperties', () => {
  it('lists PROPERTY / PROPERTIES names, comments left out', () => {
    expect(cfgTemporalProperties('SPECIFICATION Spec\n\\* PROPERTY Old\nPROPERTY Done\nINVARIANT T\n')).toEqual(['Done']);
    expect(cfgTemporalProperties('PROPERTIES A (* B *) C\nCONSTANT N = 1')).toEqual(['A', 'C']);
  });
  it('lists none for a cfg that does not parse', () => expect(cfgTemporalProperties('PROPERTY A\nCHECK_DEADLOCK MAYBE\n')).toEqual([]));
});

describe('cfgWithConstant', () => {
  const text = 'CONSTANTS\n  Bugs = {} \\* none\n  FsOps = {"Truncate",\n    "PunchHole"} None = None\nSPECIFICATION Spec\n';
  it('replaces one value in place, the rest of the text as written', () => {
    expect(cfgWithConstant(text, 'FsOps', '{"Evict"}')).toBe(
      'CONSTANTS\n  Bugs = {} \\* none\n  FsOps = {"Evict"} None = None\nSPECIFICATION Spec\n',
    );
    expect(parseCfg(cfgWithConstant(text, 'Bugs', '{"LostWakeup"}')).constants[0]?.value).toBe('{"LostWakeup"}');
  });
  it('refuses a constant the cfg does not assign', () => {
    expect(() => cfgWithConstant(text, 'Features', '{}')).toThrow(/assigns no value to constant Features/);
  });
});
