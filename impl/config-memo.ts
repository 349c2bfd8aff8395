// Records that follow from a resolved configuration and a task alone, built once and frozen, and
// shared by every system built from that configuration (DaxSystem takes another system's config
// as it is): a conformance harness builds a system every ~30 steps and asks for these after every
// step — a task's step params and runnable entries, the operations it may start (startable.ts).
import type { ResolvedConfig } from './config.ts';
import type { AnyTask } from './locals.ts';
import type { Label, Runnable, StepParams, TaskId } from './types.ts';

/** Values by configuration and task id, each made once by `make` (a module function, so that a
 *  lookup allocates nothing). */
export class ConfigMemo<V> {
  private readonly byConfig = new WeakMap<ResolvedConfig, Map<TaskId, V>>();

  constructor(private readonly make: (config: ResolvedConfig, t: AnyTask) => V) {}

  get(config: ResolvedConfig, t: AnyTask): V {
    let byTask = this.byConfig.get(config);
    if (byTask === undefined) this.byConfig.set(config, (byTask = new Map()));
    let v = byTask.get(t.id);
    if (v === undefined) byTask.set(t.id, (v = this.make(config, t)));
    return v;
  }
}

const PARAMS = new ConfigMemo<StepParams>((_c, t) =>
  Object.freeze(t.kind === 'user' ? { u: t.id } : t.kind === 'fs' ? { t: t.id } : { s: t.id }),
);

/** A step's spec parameters: one frozen record per task, the same every step (the graph oracle
 *  keys its parameter check by it). */
export function stepParamsOf(config: ResolvedConfig, t: AnyTask): StepParams {
  return PARAMS.get(config, t);
}

const RUNNABLES = new ConfigMemo<Map<Label, Runnable>>(() => new Map());

/** The task's entry of DaxSystem.runnable() at `label`: one frozen record per task and label. */
export function runnableOf(config: ResolvedConfig, t: AnyTask, label: Label): Runnable {
  const byLabel = RUNNABLES.get(config, t);
  let r = byLabel.get(label);
  if (r === undefined) byLabel.set(label, (r = Object.freeze({ task: t.id, label })));
  return r;
}

/** choices' and putPaths' answer for a step that takes none (asked of every task every step). */
export const NO_CHOICES: readonly never[] = Object.freeze([]);
