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
    expect(lines).toContain("spec/Mini.tla:24: action C has no implementation step labelled 'C'");
    expect(lines).toContain("impl/steps.ts:16: label 'D' names no action of spec/Mini.tla");
    expect(lines.at(-1)).toBe('3 of 4 spec actions have a labelled step (4 steps in impl/); 3 switches in impl/, 3 BugNames in the spec, 2 switches read');
  });

  it('exits 2 with one line when the spec is missing', async () => {
    const io = captureOutput();
    expect(await linkCommand(['--root', FIXTURES, '--spec', 'spec/None.tla'], new AbortController().signal)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/^dax-model link: no spec at .*None\.tla\n$/);
  });
});
