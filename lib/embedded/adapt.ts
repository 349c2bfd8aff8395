// Adapts a flattened module and its cfg (read by lib/tla/cfg.ts) so that tla-checker 0.9.0
// checks what TLC would check: the workarounds for the places where tla-checker reads a module
// differently from SANY/TLC.
import { type ModelConfig, ModelConfigError } from '../tla/cfg.ts';
import type { FlatModule } from '../tla/flatten.ts';
import { blankRange, declarations, maskTla, topLevelDefinitions } from '../tla/scan.ts';
import { initAndNext, SpecActionsError } from '../tla/spec-actions.ts';
import { flattenNext } from './flat-next.ts';
import { TextMemo } from './memo.ts';

/** A module and cfg ready for tla-checker, with what is needed to read its answers back. */
export interface AdaptedModel {
  /** The module text given to the engine. */
  source: string;
  /** The cfg text given to the engine. */
  cfg: string;
  /** The model configuration as the user wrote it. */
  config: ModelConfig;
  /** Invariants the engine checks, in the order its "Invariant <i> violated" counts them. */
  engineInvariants: string[];
  /** The invariant added so that the engine does not pick invariants by name (see below). */
  placeholderInvariant?: string;
  /** Definitions renamed for the engine: engine name -> name in the spec. */
  renames: Map<string, string>;
  /** Things the user should know about this run (one line each). */
  warnings: string[];
}

/** Name of the always-true invariant added when a cfg lists none. */
export const PLACEHOLDER_INVARIANT = 'EmbeddedNoInvariant__';

/**
 * Adapts a flattened module and its parsed cfg to tla-checker 0.9.0, which differs from TLC in
 * ways verified by experiment (pinned in tla-checker.test.ts):
 *  - several VARIABLE(S) declarations: it keeps only the last one, so they are merged;
 *  - every definition named `Spec` or `...Spec` has its fairness collected at parse time, so
 *    fairness leaks from specs the cfg did not choose; they are renamed `...Spec_`;
 *  - with no INVARIANT in the cfg it checks definitions named TypeOK*, Inv*, *Inv as invariants,
 *    so an always-true invariant is listed instead;
 *  - its successor enumeration tests only the guards at the top of a disjunct, so Next is given
 *    to it as one line per action, guards in front (flat-next.ts: the same graph, 3-4x faster);
 *  - `C <- Def` and VIEW (which it cannot read), ACTION_CONSTRAINT (which it ignores) and
 *    POSTCONDITION are refused, and ALIAS (only changes how TLC prints traces) is dropped.
 * @throws ModelConfigError kind 'unsupported' for cfg features the engine cannot honour.
 */
export function adaptModel(flat: FlatModule, config: ModelConfig): AdaptedModel {
  const warnings: string[] = [];
  const unsupported = (msg: string): never => {
    throw new ModelConfigError('unsupported', msg);
  };
  for (const c of config.constants) {
    if (c.substitution !== undefined) {
      unsupported(`cfg substitution '${c.name} <- ${c.substitution}' is not read by tla-checker; assign a value ('${c.name} = ...')`);
    }
    if (c.operator) unsupported(`cfg assigns operator constant ${c.name}; tla-checker takes only value constants`);
  }
  if (config.view) unsupported(`VIEW ${config.view}: tla-checker has no VIEW, so its state space would differ from TLC's`);
  if (config.actionConstraints.length > 0) {
    unsupported(`ACTION_CONSTRAINT ${config.actionConstraints.join(' ')}: tla-checker ignores action constraints`);
  }
  if (config.postcondition) unsupported(`POSTCONDITION ${config.postcondition}: tla-checker has no postconditions`);
  if (config.alias) warnings.push(`ALIAS ${config.alias} dropped: it changes only how TLC prints traces`);
  if (config.symmetry) {
    warnings.push(
      `SYMMETRY ${config.symmetry}: tla-checker reduces by symmetry differently, so its distinct-state count need not equal TLC's`,
    );
  }

  const adapted = engineSource(flat.source, config);
  let source = adapted.source;
  // A copy: the memo's map is shared by every model of the module.
  const renames = new Map(adapted.renames);

  let placeholder: string | undefined;
  let invariants = config.invariants;
  if (invariants.length === 0) {
    placeholder = PLACEHOLDER_INVARIANT;
    invariants = [placeholder];
    source = source.replace(/====\n$/, `${placeholder} == TRUE\n====\n`);
  }

  return {
    source,
    cfg: engineCfg(config, renames, { behaviour: true, invariants, properties: config.properties }),
    config,
    engineInvariants: invariants,
    ...(placeholder ? { placeholderInvariant: placeholder } : {}),
    renames,
    warnings,
  };
}

/** What an engine cfg names besides the constants. */
export interface CfgParts {
  /** INIT, NEXT or SPECIFICATION, CONSTRAINT, SYMMETRY and CHECK_DEADLOCK. */
  behaviour: boolean;
  /** INVARIANT, by spec name (none: no INVARIANT line). */
  invariants: readonly string[];
  /** PROPERTY, by spec name. */
  properties: readonly string[];
}

/** The cfg text for the engine: `config`'s constants as values, and the parts asked for under
 *  their engine names. */
export function engineCfg(config: ModelConfig, renames: ReadonlyMap<string, string>, parts: CfgParts): string {
  const toEngine = (n: string): string => engineName(renames, n);
  const lines: string[] = [];
  if (config.constants.length > 0) {
    lines.push('CONSTANTS');
    for (const c of config.constants) lines.push(`  ${c.name} = ${c.value}`);
  }
  const { behaviour, invariants, properties } = parts;
  if (behaviour && config.specification) lines.push(`SPECIFICATION ${toEngine(config.specification)}`);
  if (behaviour && config.init) lines.push(`INIT ${toEngine(config.init)}`);
  if (behaviour && config.next) lines.push(`NEXT ${toEngine(config.next)}`);
  if (invariants.length > 0) lines.push(`INVARIANT ${invariants.map(toEngine).join(' ')}`);
  if (properties.length > 0) lines.push(`PROPERTY ${properties.map(toEngine).join(' ')}`);
  if (behaviour && config.constraints.length > 0) lines.push(`CONSTRAINT ${config.constraints.map(toEngine).join(' ')}`);
  if (behaviour && config.symmetry) lines.push(`SYMMETRY ${toEngine(config.symmetry)}`);
  if (behaviour && config.checkDeadlock !== undefined) lines.push(`CHECK_DEADLOCK ${config.checkDeadlock ? 'TRUE' : 'FALSE'}`);
  return `${lines.join('\n')}\n`;
}

/** The module text for the engine and the renamed definitions, by module text and the cfg's
 *  INIT, NEXT and SPECIFICATION: every config of a module gets the same text (flattening Next
 *  takes about 90 ms), and a suite run adapts it for dozens of checks, graphs and explorers. */
const engineSources = new TextMemo<{ source: string; renames: Map<string, string> }>(16);

function engineSource(flatSource: string, config: ModelConfig): { source: string; renames: ReadonlyMap<string, string> } {
  const key = `${config.init ?? ''}\0${config.next ?? ''}\0${config.specification ?? ''}\0${flatSource}`;
  return engineSources.get(key, () => adaptSource(flatSource, config));
}

function adaptSource(flatSource: string, config: ModelConfig): { source: string; renames: Map<string, string> } {
  let source = mergeVariableDeclarations(flatSource);
  const renames = new Map<string, string>();
  const masked = maskTla(source);
  const defs = topLevelDefinitions(masked);
  const defined = new Set(defs.map((d) => d.name));
  for (const d of defs) {
    if (!d.name.endsWith('Spec') || [...renames.values()].includes(d.name)) continue;
    let renamed = `${d.name}_`;
    while (defined.has(renamed) || renames.has(renamed)) renamed += '_';
    renames.set(renamed, d.name);
  }
  if (renames.size > 0) source = renameIdentifiers(source, new Map([...renames].map(([e, s]) => [s, e])));
  try {
    const spec = config.specification === undefined || config.next !== undefined ? undefined : engineName(renames, config.specification);
    source = flattenNext(source, initAndNext(source, { ...config, ...(spec ? { specification: spec } : {}) }).next, spec);
  } catch (e) {
    // No Next to read (the engine will say so); the module goes as it is.
    if (!(e instanceof SpecActionsError)) throw e;
  }
  return { source, renames };
}

/** The name the engine knows a spec definition by (differs only for renamed `...Spec`s). */
export function engineNameOf(model: AdaptedModel, name: string): string {
  return engineName(model.renames, name);
}

function engineName(renames: ReadonlyMap<string, string>, name: string): string {
  for (const [e, s] of renames) if (s === name) return e;
  return name;
}

/** The same cfg with PROPERTY replaced by `properties` (used to find which property fails). */
export function withProperties(model: AdaptedModel, properties: string[]): string {
  const kept = model.cfg.split('\n').filter((l) => !l.startsWith('PROPERTY '));
  const at = kept.findIndex((l) => l.startsWith('INVARIANT '));
  kept.splice(at + 1, 0, `PROPERTY ${properties.map((p) => engineNameOf(model, p)).join(' ')}`);
  return kept.join('\n');
}

/** Merges all VARIABLE(S) declarations into the first one, blanking the others in place. */
function mergeVariableDeclarations(source: string): string {
  const decls = declarations(maskTla(source), ['VARIABLES', 'VARIABLE']);
  if (decls.length < 2) return source;
  const all = decls.flatMap((d) => d.names.map((n) => n.name));
  let out = source;
  for (const d of [...decls].reverse()) out = blankRange(out, d.start, d.end);
  const first = decls[0] as (typeof decls)[number];
  // The merged list goes on the first declaration's line; blanking kept every other line in place.
  const merged = `VARIABLES ${all.join(', ')}`;
  const rest = out.slice(first.start).replace(/^[ \t]*/, '');
  return out.slice(0, first.start) + merged + (rest === '' || /^\r?\n/.test(rest) ? '' : ' ') + rest;
}

/** Renames whole identifiers outside comments and strings (not record fields `r.x`, not `M!x`). */
function renameIdentifiers(source: string, map: Map<string, string>): string {
  const masked = maskTla(source);
  const re = /[A-Za-z0-9_]+/g;
  const edits: { at: number; len: number; to: string }[] = [];
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const to = map.get(m[0]);
    const before = masked[m.index - 1];
    if (to !== undefined && before !== '.' && before !== '!') edits.push({ at: m.index, len: m[0].length, to });
  }
  let out = source;
  for (const e of edits.reverse()) out = out.slice(0, e.at) + e.to + out.slice(e.at + e.len);
  return out;
}
