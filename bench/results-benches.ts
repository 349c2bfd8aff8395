// What bench/RESULTS.md holds: each benchmark and command the README's measured figures come from,
// in the order they run, with its full and its --quick arguments; and, for the commands whose
// --json is not bench/figures.ts's shape (README-figures, `dax-model history`, `dax-model check`),
// the reading of their own JSON into tables.
import type { BenchFigures } from './figures.ts';
import type { Bench } from './results-writer.ts';

const tsx = (script: string, ...args: string[]): string[] => ['--import', 'tsx', script, ...args];
const dax = (...args: string[]): string[] => ['bin/dax-model.mjs', ...args];

interface CexRow {
  name: string;
  config: string;
  expected: string;
  states: number | null;
  graphStates?: number;
}

/** bench/README-figures.ts --json: { versions, switches }. */
function readmeFigures(stdout: string): BenchFigures {
  const j = JSON.parse(stdout) as { versions: CexRow[]; switches: CexRow[] };
  const rows = (xs: CexRow[]) => xs.map((f) => [f.name, f.config, f.expected, f.states, f.graphStates ?? null]);
  return {
    bench: 'readme-figures',
    quick: false,
    tables: [
      {
        title: 'history table (conformance/regressions/<config>.cex.json; graph: the conform state graph)',
        columns: ['version', 'config', 'expected', 'cex states', 'graph states'],
        rows: rows(j.versions),
      },
      {
        title: 'each historical switch alone (its variant config)',
        columns: ['switch', 'config', 'expected', 'cex states', 'graph states'],
        rows: rows(j.switches),
      },
    ],
    notes: [],
  };
}

interface HistoryRunJson {
  config: string;
  verdict: string;
  expected: string;
  cexLength: number | null;
  distinctStates: number;
  seconds: number;
  matches: boolean;
  error?: string;
}

/** `dax-model history --json`: a HistoryReport (lib/check/history.ts). */
function history(stdout: string): BenchFigures {
  const j = JSON.parse(stdout) as {
    engine: string;
    matches: boolean;
    rows: { version: string; run: HistoryRunJson; bugs: { switch: string; refutedWith: HistoryRunJson; holdsWithout: HistoryRunJson }[] }[];
  };
  const row = (label: string, r: HistoryRunJson) => [
    label,
    r.config,
    r.error ? `error (${r.error})` : r.verdict,
    r.expected,
    r.cexLength,
    r.distinctStates,
    Number(r.seconds.toFixed(1)),
    r.matches ? 'ok' : 'MISMATCH',
  ];
  const columns = ['run', 'config', 'verdict', 'expected', 'cex states', 'distinct states', 'seconds', 'matches'];
  const bugRows = new Map<string, ReturnType<typeof row>[]>();
  for (const v of j.rows)
    for (const b of v.bugs)
      if (!bugRows.has(b.switch)) bugRows.set(b.switch, [row(`${b.switch} on`, b.refutedWith), row(`${b.switch} off`, b.holdsWithout)]);
  return {
    bench: 'history',
    quick: false,
    tables: [
      { title: `kernel versions (engine ${j.engine})`, columns, rows: j.rows.map((v) => row(v.version, v.run)) },
      { title: 'each historical bug: its variant config with the switch on and off', columns, rows: [...bugRows.values()].flat() },
    ],
    notes: [j.matches ? 'every row and fix check matches' : 'MISMATCH: a row or a fix check does not match (see the table)'],
  };
}

/** `dax-model check --json`: one result per config (counterexamples left out here). */
function checkAll(stdout: string): BenchFigures {
  const j = JSON.parse(stdout) as {
    config: string;
    engine: string;
    verdict: string;
    expected: string;
    distinctStates: number;
    depth: number | null;
    seconds: number;
  }[];
  return {
    bench: 'check-all',
    quick: false,
    tables: [
      {
        title: 'every config the engine runs',
        columns: ['config', 'engine', 'verdict', 'expected', 'distinct states', 'depth', 'seconds'],
        rows: j.map((r) => [r.config, r.engine, r.verdict, r.expected, r.distinctStates, r.depth, Number(r.seconds.toFixed(1))]),
      },
    ],
    notes: [],
  };
}

/** `dax-model conform --kernel V|all --json`: one report (one version) or a list of them. */
function conformKernels(stdout: string): BenchFigures {
  const parsed = JSON.parse(stdout) as unknown;
  const reports = (Array.isArray(parsed) ? parsed : [parsed]) as {
    kernel: string;
    fastCheckRuns: number;
    steps: number;
    stateGraphs: { states: number }[];
    divergences: unknown[];
    seconds: number;
  }[];
  return {
    bench: 'conform-kernels',
    quick: false,
    tables: [
      {
        title: 'the implementation built as each kernel version, against its history config',
        columns: ['version', 'fast-check runs', 'steps', 'state graph states', 'divergences', 'seconds'],
        rows: reports.map((r) => [
          r.kernel,
          r.fastCheckRuns,
          r.steps,
          r.stateGraphs.map((g) => g.states.toLocaleString('en-US')).join(', '),
          r.divergences.length,
          Number(r.seconds.toFixed(1)),
        ]),
      },
    ],
    notes: [],
  };
}

/** vitest's JSON reporter: test counts (any line a test prints before the object is skipped). */
function vitestCounts(stdout: string): BenchFigures {
  const j = JSON.parse(stdout.slice(stdout.indexOf('{"numTotalTestSuites"'))) as Record<string, number> & { testResults?: unknown[] };
  const n = (k: string): number | null => (typeof j[k] === 'number' ? j[k] : null);
  return {
    bench: 'test',
    quick: false,
    tables: [
      {
        title: 'vitest run',
        columns: ['test files', 'tests', 'passed', 'failed', 'skipped', 'todo'],
        rows: [
          [
            j.testResults?.length ?? null,
            n('numTotalTests'),
            n('numPassedTests'),
            n('numFailedTests'),
            n('numPendingTests'),
            n('numTodoTests'),
          ],
        ],
      },
    ],
    notes: ["the section's time includes vitest's start-up"],
  };
}

/** The sections of RESULTS.md, in order; `quick` gives tiny sizes (the writer's test only). */
export function benches(quick: boolean): Bench[] {
  const q = quick ? ['--quick'] : [];
  return [
    {
      name: 'check',
      about: 'Model checking: TLC on `standard` with and without symmetry, `smoke` on TLC and the embedded engine (`make bench-check`).',
      args: tsx('bench/check.ts', '--json', ...q),
    },
    {
      name: 'check-all',
      about:
        'Every config of the manifest, verdict, distinct states and time (`dax-model check`; with TLC about 20 minutes, most of it `large`).',
      args: quick ? dax('check', 'evict-without-break', '--engine', 'embedded', '--json') : dax('check', '--json'),
      okExits: [0, 1],
      parse: checkAll,
    },
    {
      name: 'test',
      about:
        'The test suite: `vitest run` (what `npm test` runs after `tsc --noEmit`), its counts and time; TLC tests skip without the jar.',
      args: ['node_modules/vitest/vitest.mjs', 'run', ...(quick ? ['lib/values'] : []), '--reporter=json'],
      parse: vitestCounts,
    },
    {
      name: 'conform-kernels',
      about:
        'The implementation built as each kernel version, validated against its `history-<version>` config (`dax-model conform --kernel all`).',
      args: quick
        ? dax('conform', '--kernel', '4.18-ext4', '--runs', '2', '--engine', 'embedded', '--json')
        : dax('conform', '--kernel', 'all', '--json'),
      okExits: [0, 1],
      parse: conformKernels,
    },
    {
      name: 'impl',
      about: 'The implementation under random schedules: atomic steps per second on one core, memory (`make bench-impl`).',
      args: tsx('bench/impl.ts', '--json', ...q),
    },
    {
      name: 'conform',
      about:
        'The conformance harness: replay steps/s, fast-check validation steps/s by oracle, runs to find each variant’s bug and the shrunk length against TLC’s (`make bench-conform`).',
      args: tsx('bench/conform.ts', '--json', ...q),
    },
    {
      name: 'mutate',
      about: 'Mutation testing on a fixed sample of mutants: mutants/minute and kill rate (`make bench-mutate`).',
      args: tsx('bench/mutate.ts', '--json', ...q),
    },
    {
      name: 'growth',
      about: 'What each addition of the kernel-history work costs in distinct states (`make bench-growth`).',
      args: tsx('bench/growth.ts', '--json', ...q),
    },
    {
      name: 'interrupt',
      about: 'How fast each command ends after SIGINT / SIGTERM (target: a second) (`make bench-interrupt`).',
      args: tsx('bench/interrupt.ts', '--json', ...q),
    },
    {
      name: 'graph-completeness',
      about: 'How far the enabledness check reaches: the states of each state graph in which every step has an actor.',
      args: tsx('bench/graph-completeness.ts', '--json', ...q),
    },
    {
      name: 'readme-figures',
      about:
        'The history table’s counterexample lengths and state-graph sizes (`make readme-figures`); facts of the committed files, which history-figures.test.ts holds the README to.',
      args: quick ? tsx('bench/README-figures.ts', '--json') : tsx('bench/README-figures.ts', '--graphs', '--json'),
      parse: readmeFigures,
    },
    {
      name: 'history',
      about: 'The kernel history: each version’s config, and each bug’s variant config with its switch on and off (`dax-model history`).',
      args: quick ? dax('history', '4.18-ext4', '--engine', 'embedded', '--json') : dax('history', '--json'),
      okExits: [0, 1],
      parse: history,
    },
  ];
}
