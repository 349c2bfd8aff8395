// `conform --kernel all`: every version of impl/releases.ts in turn, one line each (runs, steps,
// state graph, divergences, seed), the checks that do not apply said once, exit 0 iff none
// diverged; `--json` a list of reports. Bad combinations are one-line errors, exit 2.
import { describe, expect, it } from 'vitest';
import { RELEASE_NAMES } from '../../impl/index.ts';
import { runCaptured } from './capture-output.ts';
import { conformCommand } from './conform-command.ts';
import { EXIT } from './exit-codes.ts';

describe('conform --kernel all', () => {
  it('runs every version, one line each with its own seed, and says what does not apply', async () => {
    const r = await runCaptured(() => conformCommand(['--kernel', 'all', '--runs', '2', '--no-tlc', '--quiet']));
    expect(r.code).toBe(EXIT.ok);
    const lines = r.out.trim().split('\n');
    const rows = lines.filter((l) => /^\S+\s+runs /.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual([...RELEASE_NAMES]);
    for (const [i, row] of rows.entries()) {
      expect(row).toMatch(
        new RegExp(
          `runs \\d+ +steps [\\d,]+ +graph [\\d,]+ states +divergences 0 +[\\d.]+ s  \\(history-${RELEASE_NAMES[i]!.replace(/\./g, '\\.')} \\[(xfs|ext4|ext2)\\] seed \\d+(, [^)]*)?\\)$`,
        ),
      );
    }
    // Each version its own seed.
    expect(new Set(rows.map((l) => /seed (\d+)/.exec(l)![1])).size).toBe(RELEASE_NAMES.length);
    expect(lines.some((l) => /^not applicable .*trace corpus: \d+ traces not replayed: .* Bugs \{\} but 4\.18-xfs has/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(new RegExp(`^${RELEASE_NAMES.length} versions, [\\d,]+ steps, 0 divergences, [\\d.]+ s$`));
  }, 300_000);

  it('--json prints one report per version', async () => {
    const r = await runCaptured(() => conformCommand(['--kernel', 'all', '--runs', '1', '--no-tlc', '--no-cex', '--json', '--quiet']));
    expect(r.code).toBe(EXIT.ok);
    const reports = JSON.parse(r.out) as {
      kernel: string;
      fastCheckRuns: number;
      stateGraphs: { states: number }[];
      notApplicable: string[];
    }[];
    expect(reports.map((x) => x.kernel)).toEqual([...RELEASE_NAMES]);
    expect(reports.every((x) => x.fastCheckRuns >= 1 && x.stateGraphs[0]!.states > 0 && x.notApplicable.length === 2)).toBe(true);
  }, 300_000);

  it('refuses --config, --path and --profile with all, and an unknown version, in one line, exit 2', async () => {
    for (const [args, message] of [
      [
        ['--kernel', 'all', '--config', 'smoke'],
        /^dax-model conform: --kernel all runs each version on its own config: --config and --path name one run\n$/,
      ],
      [
        ['--kernel', 'all', '--profile', 'ext4'],
        /^dax-model conform: --profile ext4 contradicts --kernel all: each version runs under its own profile\n$/,
      ],
      [
        ['--kernel', '2.6'],
        /^dax-model conform: --kernel: unknown kernel version '2\.6' \(known: 4\.18-xfs, .*, 6\.15\.0, 6\.15\.y, or all\)\n$/,
      ],
      [
        ['--kernel', '6.15.y', '--config', 'smoke', '--no-corpus', '--no-cex'],
        /^dax-model conform: config smoke contradicts kernel 6\.15\.y: IdleRef 1 but 6\.15\.y has 0; Features \{\} but 6\.15\.y has \{Design2025, Munmap\}\n$/,
      ],
    ] as const) {
      const r = await runCaptured(() => conformCommand([...args, '--quiet']));
      expect(r.code, args.join(' ')).toBe(EXIT.usage);
      expect(r.err).toMatch(message);
    }
  });
});
