// `npx tsx bench/README-figures.ts [--graphs] [--json]`: the figures of README.md's kernel-history
// table, from the committed files, to check the README against (history-figures.test.ts does so
// for the counterexample lengths). Per version: its config, expected verdict and the length of the
// committed counterexample (conformance/regressions/history-VERSION.cex.json); per historical
// switch, its variant config's. With --graphs, also the "conform state graph" column: the states
// of each history config's graph (StateGraph.load: the per-user cache, else built with TLC when it
// is found, else the embedded engine, which takes minutes for history-4.18-xfs). Prints figures;
// asserts nothing.
import { tlcUnavailableReason } from '../lib/check/check.ts';
import { historicalSwitchFigures, historyCexFigures, type CexFigure } from '../conformance/suite/history-figures.ts';
import { StateGraph } from '../conformance/oracle/state-graph.ts';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--graphs' && a !== '--json');
if (unknown.length > 0) {
  console.error(`README-figures: unknown argument ${unknown[0]} (usage: npx tsx bench/README-figures.ts [--graphs] [--json])`);
  process.exit(2);
}
const json = args.includes('--json');
const withGraphs = args.includes('--graphs');

const versions = historyCexFigures();
const switches = historicalSwitchFigures();
const graphs = new Map<string, number>();
if (withGraphs) {
  const engine = tlcUnavailableReason() === null ? 'TLC' : 'the embedded engine';
  if (!json) console.error(`state graphs: from the cache, else built with ${engine}`);
  for (const v of versions)
    graphs.set(v.config, (await StateGraph.load(v.config, { onProgress: json ? undefined : (l) => console.error(l) })).stateCount);
}

const n = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : x.toLocaleString('en-US'));
if (json) {
  const row = (f: CexFigure) => ({ ...f, ...(withGraphs && graphs.has(f.config) ? { graphStates: graphs.get(f.config) } : {}) });
  console.log(JSON.stringify({ versions: versions.map(row), switches }, null, 2));
} else {
  const table = (title: string, rows: CexFigure[], graphCol: boolean): void => {
    console.log(`\n${title}`);
    console.log(
      `${'name'.padEnd(24)} ${'config'.padEnd(26)} ${'expected'.padEnd(22)} ${'cex states'.padStart(10)}${graphCol ? ` ${'graph states'.padStart(12)}` : ''}`,
    );
    for (const f of rows)
      console.log(
        `${f.name.padEnd(24)} ${f.config.padEnd(26)} ${f.expected.padEnd(22)} ${n(f.states).padStart(10)}${graphCol ? ` ${n(graphs.get(f.config)).padStart(12)}` : ''}`,
      );
  };
  table('history table (conformance/regressions/<config>.cex.json)', versions, withGraphs);
  table('each historical switch alone (its variant config)', switches, false);
}
