// How far the enabledness check reaches: per config, the states of its state graph in which every
// step has an actor (a task, or the mm), so that validateExecution compares the spec's and the
// implementation's movers in both directions there; and the edges no one could be given.
// `npx tsx bench/graph-completeness.ts [--engine tlc|embedded] [--json] [--quick] [config ...]`
// (--quick, for the results writer's test: evict-without-break alone). Figures only.
import { StateGraph } from '../conformance/oracle/state-graph.ts';
import { benchArgs, Figures } from './figures.ts';

const out = new Figures('graph-completeness');
const args = benchArgs();
const at = args.indexOf('--engine');
const engine = at >= 0 ? (args.splice(at, 2)[1] as 'tlc' | 'embedded') : undefined;
const defaults = out.quick
  ? ['evict-without-break']
  : ['munmap-evict', 'history-4.18-xfs', 'skip-scan-when-unmapped', 'evict-without-break'];
const configs = args.length > 0 ? args : defaults;
const addRow = out.table('enabledness completeness of the state graphs', [
  'config',
  'states',
  'edges',
  'complete states',
  'complete %',
  'edges without an actor',
]);
for (const config of configs) {
  const g = await StateGraph.load(config, engine ? { engine } : {});
  const r = g.completeness();
  const pct = ((100 * r.complete) / r.states).toFixed(1);
  addRow([config, r.states, g.edgeCount, r.complete, Number(pct), r.unattributedEdges]);
  out.say(
    `${config}: ${r.states.toLocaleString('en-US')} states, ${g.edgeCount.toLocaleString('en-US')} edges; enabledness complete in ${r.complete.toLocaleString('en-US')} (${pct}%); ${r.unattributedEdges} edges without an actor`,
  );
}
out.done();
