// `dax-model main` reads --engine as every command does (`--engine tlc` and `--engine=tlc`) and
// hands it to both check and conform; a bad value is one usage line and exit 2, with nothing run.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureOutput } from './capture-output.ts';
import { EXIT } from './exit-codes.ts';
import { main } from './main.ts';
import { checkCommand } from './check-command.ts';
import { conformCommand } from './conform-command.ts';
import { replayCexCommand } from './replay-cex-command.ts';
import { mainCommand, type MainSteps } from './main-command.ts';

/** Steps that record their arguments instead of running anything. */
function recordingSteps(): MainSteps & { calls: { step: string; argv: string[] }[] } {
  const calls: { step: string; argv: string[] }[] = [];
  return {
    calls,
    check: async (argv) => (calls.push({ step: 'check', argv }), EXIT.ok),
    conform: async (argv) => (calls.push({ step: 'conform', argv }), EXIT.ok),
  };
}

afterEach(() => vi.restoreAllMocks());

describe('dax-model main --engine', () => {
  it.each([[['--engine', 'tlc']], [['--engine=tlc']]])('passes %j to check and to conform', async (argv) => {
    captureOutput();
    const steps = recordingSteps();
    expect(await mainCommand(argv, new AbortController().signal, steps)).toBe(EXIT.ok);
    expect(steps.calls.map((c) => c.step)).toEqual(['check', 'conform']);
    expect(steps.calls[0]?.argv.slice(-2)).toEqual(['--engine', 'tlc']);
    expect(steps.calls[0]?.argv).toContain('smoke');
    expect(steps.calls[1]?.argv).toEqual(['--engine', 'tlc']);
  });

  it('defaults to auto', async () => {
    captureOutput();
    const steps = recordingSteps();
    await mainCommand([], new AbortController().signal, steps);
    expect(steps.calls[1]?.argv).toEqual(['--engine', 'auto']);
  });

  it('a bad value prints one usage line and exits 2 without running the suite', async () => {
    const io = captureOutput();
    const steps = recordingSteps();
    expect(await mainCommand(['--engine', 'foo'], new AbortController().signal, steps)).toBe(EXIT.usage);
    expect(steps.calls).toEqual([]);
    expect(io.err()).toBe("dax-model main: --engine must be tlc, embedded or auto, not 'foo'\n");
    expect(io.out()).toBe('');
    // Through the dispatcher, with the real steps: it returns at once (the suite takes minutes).
    expect(await main(['main', '--engine=foo'])).toBe(EXIT.usage);
  });

  it('passes --verbose, --only and --full-init on to check and conform', async () => {
    captureOutput();
    const steps = recordingSteps();
    expect(await mainCommand(['--verbose', '--only', 'free,entry', '--full-init'], new AbortController().signal, steps)).toBe(EXIT.ok);
    for (const c of steps.calls) expect(c.argv.slice(-6)).toEqual(['--engine', 'auto', '--verbose', '--only', 'free,entry', '--full-init']);
  });

  it('--only naming no spec variable is a usage error, with nothing run', async () => {
    const io = captureOutput();
    const steps = recordingSteps();
    expect(await mainCommand(['--only', 'frees'], new AbortController().signal, steps)).toBe(EXIT.usage);
    expect(steps.calls).toEqual([]);
    expect(io.err()).toMatch(/^dax-model main: --only must list variables of the spec \(.*\bfree\b.*\), not 'frees'\n$/);
  });

  it('an unknown option is a usage error too', async () => {
    const io = captureOutput();
    expect(await main(['main', '--engin', 'tlc'])).toBe(EXIT.usage);
    expect(io.err()).toMatch(/^dax-model main: .*--engin.*\n$/);
  });

  it('every command words a bad --engine alike', async () => {
    const io = captureOutput();
    const signal = new AbortController().signal;
    expect(await checkCommand(['--engine=java'], signal)).toBe(EXIT.usage);
    expect(await conformCommand(['--engine', 'java'])).toBe(EXIT.usage);
    expect(await replayCexCommand(['--engine', 'java'])).toBe(EXIT.usage);
    expect(
      io
        .err()
        .split('\n')
        .filter((l) => l),
    ).toEqual(['check', 'conform', 'replay-cex'].map((c) => `dax-model ${c}: --engine must be tlc, embedded or auto, not 'java'`));
  });
});
