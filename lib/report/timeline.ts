// The data an HTML timeline shows, independent of any spec: lanes (one per actor), steps (each a
// box in its actor's lane), bands (a value over time, e.g. who holds a lock), and the step to
// highlight. conformance/explain/timeline.ts builds one for this project's spec.

/** One actor's row. */
export interface TimelineLane {
  id: string;
  label: string;
  /** Rows of one group share a colour (e.g. "user", "fs", "writeback"). */
  group: string;
}

/** One variable of the state at a step. */
interface TimelineVariable {
  name: string;
  value: string;
  changed: boolean;
}

/** One step of the behaviour: a box in its lane's row, at column `index`. */
export interface TimelineStep {
  /** 1-based, as in the counterexample. */
  index: number;
  /** The lane of the actor taking it; none for the initial state or an unknown actor. */
  lane?: string;
  action: string;
  /** The parameters other than the actor, short (e.g. "f1:0"). */
  detail: string;
  /** What the action stands for, one short name (e.g. a kernel function). */
  note: string;
  /** Longer text for a tooltip (e.g. the comment above the action in the spec). */
  title: string;
  /** Things the step touches, shown as badges (e.g. blocks). */
  touches: string[];
  /** Per-location changes, "path: before → after". */
  changes: string[];
  state: TimelineVariable[];
}

/** A value over time, drawn as coloured segments under the lanes. */
export interface TimelineBand {
  label: string;
  group: string;
  /** One value per step (same length as steps); "" means nothing to draw. */
  values: string[];
  /** Values drawn as an alarm (red), e.g. a block that is free while pinned. */
  alarms?: string[];
}

/** Everything one timeline page shows. */
export interface TimelineDoc {
  title: string;
  subtitle: string;
  lanes: TimelineLane[];
  steps: TimelineStep[];
  bands: TimelineBand[];
  /** The step to highlight (the violation) and why. */
  highlight?: { step: number; text: string; more: string[] };
  /** How an infinite behaviour ends (a lasso), in words. */
  ending?: string;
  /** Key/value lines for the page's header (config, source, engine, ...). */
  meta: [string, string][];
}
