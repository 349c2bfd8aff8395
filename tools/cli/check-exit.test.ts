// check's exit code: a config whose modules or cfg do not parse is bad input (2), as the issue on
// refinement configs asks (an unknown variable in the mapping, a promise with a syntax error);
// any other failed run 3, a mismatch 1, all matching 0.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../lib/result/check-result.ts';
import { checkExitCode } from './check-command.ts';
import { EXIT } from './exit-codes.ts';

const holds = { matches: true, result: { engine: 'tlc', verdict: 'holds', distinctStates: 1, seconds: 0 } as CheckResult };
const failed = (kind: 'parse' | 'crash') => ({
  matches: false,
  result: {
    engine: 'tlc',
    verdict: 'error',
    distinctStates: 0,
    seconds: 0,
    error: { kind, message: 'spec/MapDaxDma.tla:32:12: Unknown operator' },
  } as CheckResult,
});

describe('checkExitCode', () => {
  it('is 2 when every failed run failed to parse, 3 when one failed otherwise', () => {
    expect(checkExitCode([holds, failed('parse')], false)).toBe(EXIT.usage);
    expect(checkExitCode([failed('parse'), failed('crash')], false)).toBe(EXIT.runFailed);
  });

  it('is 0 when all match, 1 on a mismatch, 130 when interrupted', () => {
    expect(checkExitCode([holds], false)).toBe(EXIT.ok);
    expect(checkExitCode([holds, { ...holds, matches: false }], false)).toBe(EXIT.mismatch);
    expect(checkExitCode([failed('parse')], true)).toBe(EXIT.interrupted);
  });
});
