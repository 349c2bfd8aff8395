// The spec's verdict on each side of a difference found by compareImplementations: is each
// side's execution of the schedule a behaviour of the spec? Validated as the suite validates its
// fast-check executions (validateExecution against the config's state graph, GraphOracle), each
// side through its own copy of the harness, so that the states compared are of one module graph.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as GraphOracleModule from '../oracle/graph-oracle.ts';
import type * as StateGraphModule from '../oracle/state-graph.ts';
import type * as ConfigsModule from '../executions/fast-check-configs.ts';
import type { ExecutionFailure } from '../executions/executions.ts';
import { harnessModulePath, type Harness } from './differential-observe.ts';
import type { AuditUnit } from './differential.ts';

/** How one side's execution fares against the spec: null when it conforms. */
export async function specVerdict(
  h: Harness,
  u: AuditUnit,
  picks: readonly number[],
  opts: { signal?: AbortSignal; onProgress?: (line: string) => void } = {},
): Promise<ExecutionFailure | null> {
  const load = async <T>(...candidates: string[]): Promise<T> =>
    (await import(pathToFileURL(path.join(h.root, harnessModulePath(h.root, candidates))).href)) as T;
  const { GraphOracle } = await load<typeof GraphOracleModule>('conformance/oracle/graph-oracle.ts');
  const { StateGraph } = await load<typeof StateGraphModule>('conformance/oracle/state-graph.ts');
  const { expectsViolation } = await load<typeof ConfigsModule>(
    'conformance/executions/fast-check-configs.ts',
    'conformance/fast-check-configs.ts',
  );
  const graph = await StateGraph.load(u.config, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  // As the suite's rounds: a variant's or old kernel's corruption and WARN are what its graph allows.
  const ex = h.executions.runSchedule(u.constants, picks, { profile: u.profile });
  return h.executions.validateExecution(ex, new GraphOracle(u.config, graph), { eventsFail: !expectsViolation(u.config) });
}

/** Both verdicts in one line: which side departs from the spec, if any. */
export function verdictLine(
  mine: ExecutionFailure | null,
  theirs: ExecutionFailure | null,
  names: { mine: string; theirs: string },
): string {
  const what = (f: ExecutionFailure): string => `departs from the spec at step ${f.step} (${f.check}: ${f.message})`;
  if (!mine && !theirs) return 'spec verdict: both conform (behaviour changed inside the spec)';
  if (mine && theirs) return `spec verdict: both depart from the spec: ${names.mine} ${what(mine)}; ${names.theirs} ${what(theirs)}`;
  return mine
    ? `spec verdict: ${names.mine} ${what(mine)}; ${names.theirs} conforms`
    : `spec verdict: ${names.theirs} ${what(theirs!)}; ${names.mine} conforms`;
}
