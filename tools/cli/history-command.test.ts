// `dax-model history`: an unknown version is one line naming the known ones and exit 2; asking
// for TLC where it cannot be found is one line and exit 3; nothing is run in either case.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCaptured } from './capture-output.ts';
import { EXIT } from './exit-codes.ts';
import { historyCommand } from './history-command.ts';

const signal = new AbortController().signal;
afterEach(() => vi.unstubAllEnvs());

describe('dax-model history', () => {
  it('rejects an unknown version in one line naming the known ones, exit 2', async () => {
    const r = await runCaptured(() => historyCommand(['9.99', '--engine', 'embedded'], signal));
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/^dax-model history: unknown version '9\.99' \(known: 4\.18-xfs, .*6\.15\.0, 6\.15\.y\)\n$/);
    expect(r.out).toBe('');
  });

  it('exits 3 with one line when --engine tlc cannot find TLC', async () => {
    vi.stubEnv('TLA2TOOLS_JAR', '/nonexistent/tla2tools.jar');
    const r = await runCaptured(() => historyCommand(['--engine', 'tlc'], signal));
    expect(r.code).toBe(EXIT.runFailed);
    expect(r.err).toMatch(
      /^dax-model history: tla2tools\.jar not found: TLA2TOOLS_JAR=\/nonexistent\/tla2tools\.jar is not a file[^\n]*\n$/,
    );
  });
});
