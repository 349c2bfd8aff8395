// How far the enabledness check reaches: per config, the states of its state graph in which every
// step has an actor (a task, or the mm), so that validateExecution compares the spec's and the
// implementation's movers in both directions there; and the edges no one could be given.
// `npx tsx bench/graph-completeness.ts [--engine tlc|embedded] [config ...]`. Figures only.
import { StateGraph } from '../conformance/oracle/state-graph.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--engine');
const engine = at >= 0 ? (args.splice(at, 2)[1] as 'tlc' | 'embedded') : undefined;
const configs = args.length > 0 ? args : ['munmap-evict', 'history-4.18-xfs', 'skip-scan-when-unmapped', 'evict-without-break'];
for (const config of configs) {
  const g = await StateGraph.load(config, engine ? { engine } : {});
  const r = g.completeness();
  const pct = ((100 * r.complete) / r.states).toFixed(1);
  console.log(
    `${config}: ${r.states.toLocaleString('en-US')} states, ${g.edgeCount.toLocaleString('en-US')} edges; enabledness complete in ${r.complete.toLocaleString('en-US')} (${pct}%); ${r.unattributedEdges} edges without an actor`,
  );
}
