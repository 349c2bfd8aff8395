// `dax-model link` prints each mismatch as file:line: message and exits 1, or a summary and 0;
// bad input (no spec) exits 2.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureOutput } from './capture-output.ts';
import { EXIT } from './exit-codes.ts';
import { linkCommand } from './link-command.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../link/fixtures');

afterEach(() => vi.restoreAllMocks());

describe('dax-model link', () => {
  it('prints every mismatch at file:line and exits 1', async () => {
    const io = captureOutput();
    const code = await linkCommand(['--root', FIXTURES, '--spec', 'spec/Mini.tla'], new AbortController().signal);
    expect(code).toBe(EXIT.mismatch);
    const lines = io.out().trim().split('\n');
    expect(lines).toContain("spec/Mini.tla:31: action C has no implementation step labelled 'C'");
    expect(lines).toContain("impl/steps.ts:17: label 'D' names no action of spec/Mini.tla");
    expect(lines).toContain('spec/Mini.tla:12: switch Missing has no comment naming the kernel function or commit it stands for');
    expect(lines.slice(-4)).toEqual([
      '3 of 4 spec actions have a labelled step (4 steps in impl/)',
      'switches Bugs:      3 in the spec (1 read, 1 with a kernel comment), 3 in impl/ (2 read, 2 with a kernel comment)',
      'switches Features:  1 in the spec (1 read, 1 with a kernel comment), 2 in impl/ (2 read, 2 with a kernel comment)',
      'switches IdleRef:   1 in the spec (0 read, 0 with a kernel comment), 0 in impl/ (0 read, 0 with a kernel comment)',
    ]);
  });

  it('exits 2 with one line when the spec is missing', async () => {
    const io = captureOutput();
    expect(await linkCommand(['--root', FIXTURES, '--spec', 'spec/None.tla'], new AbortController().signal)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/^dax-model link: no spec at .*None\.tla\n$/);
  });
});
