// Tests for TLC's exit codes, typed as tlc2.output.EC$ExitStatus (TLC 2.20) says.
import { describe, expect, it } from 'vitest';
import { tlcExit } from './exit.ts';

describe('TLC exit codes', () => {
  it('types exit codes (tlc2.output.EC$ExitStatus)', () => {
    expect(tlcExit(0).meaning).toBe('success');
    expect(tlcExit(12).meaning).toBe('violation-safety');
    expect(tlcExit(13).meaning).toBe('violation-liveness');
    expect(tlcExit(150).meaning).toBe('parse-error');
    expect(tlcExit(151).meaning).toBe('config-error');
    expect(tlcExit(null, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL', meaning: 'killed' });
    expect(tlcExit(42).meaning).toBe('unknown');
  });
});
