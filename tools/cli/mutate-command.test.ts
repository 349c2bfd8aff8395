// `dax-model mutate` rejects bad arguments with one line and exit 2, prints exactly the totals
// with --json, and exits 0 iff the kill rate reaches the target.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureOutput } from './capture-output.ts';
import { EXIT } from './exit-codes.ts';
import { mutateCommand } from './mutate-command.ts';

const MINI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../mutate/fixtures/mini-repo');

const run = (args: string[]): Promise<number> => mutateCommand(args, new AbortController().signal);

afterEach(() => vi.restoreAllMocks());

describe('dax-model mutate', () => {
  it.each([
    [['--operators', 'delete-call,nope'], "unknown operator 'nope' (known: delete-call, swap-statements"],
    [['--limit', '0'], "--limit must be a positive integer, not '0'"],
    [['--scope', 'tests'], "--scope must be one of protocol, all, not 'tests'"],
    [['--target', '120'], "--target must be a percentage from 0 to 100, not '120'"],
    [['--since', 'no-such-ref'], "unknown git ref 'no-such-ref'"],
  ])('%j exits 2 with one line', async (args, message) => {
    const io = captureOutput();
    expect(await run(args)).toBe(EXIT.usage);
    expect(io.err()).toContain(`dax-model mutate: ${message}`);
    expect(io.err().trim().split('\n')).toHaveLength(1);
  });

  it('prints exactly the totals with --json and exits 0 when the kill rate reaches the target', async () => {
    const io = captureOutput();
    expect(
      await run([
        '--root',
        MINI,
        '--scope',
        'all',
        '--operators',
        'boundary',
        '--json',
        '--quiet',
        '--budget-ms',
        '5000',
        '--target',
        '100',
      ]),
    ).toBe(EXIT.ok);
    const totals = JSON.parse(io.out());
    expect(Object.keys(totals)).toEqual([
      'mutants',
      'killed',
      'killedByKind',
      'survived',
      'timedOut',
      'crashed',
      'equivalent',
      'stale',
      'killRate',
      'seconds',
    ]);
    // The third boundary mutant (isFull) is killed by the mini repository's unit test.
    expect(totals).toMatchObject({ mutants: 3, killed: 3, survived: 0, timedOut: 0, crashed: 0, equivalent: 0, stale: 0, killRate: 1 });
    expect(totals.killedByKind).toEqual({ divergence: 1, enabledness: 0, invariant: 1, 'counterexample replay': 0, 'unit test': 1 });
  }, 30_000);

  it('prints each survivor with its diff and exits 1 below the target', async () => {
    const io = captureOutput();
    // The seed-0 sample of the two call deletions is the trace call, which no check sees.
    expect(
      await run(['--root', MINI, '--scope', 'all', '--operators', 'delete-call', '--limit', '1', '--quiet', '--budget-ms', '5000']),
    ).toBe(EXIT.mismatch);
    expect(io.out()).toContain(
      "SURVIVED   impl/counter.ts:delete-call:956f7274f0\n           impl/counter.ts:31 (drain) delete call `trace('drained');`\n",
    );
    expect(io.out()).toContain("    -  trace('drained');\n");
    expect(io.out()).toContain(
      '1 mutants: 0 killed (0 divergence, 0 enabledness, 0 invariant, 0 counterexample replay, 0 unit test), 1 survived, 0 timed out, 0 crashed, 0 equivalent (0 stale records not used); kill rate 0.0% (target 90%)',
    );
  }, 30_000);
});
