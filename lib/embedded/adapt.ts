// Reads a TLC model configuration (.cfg) and adapts a flattened module and its cfg so that
// tla-checker 0.9.0 checks what TLC would check. Stands for TLC's ModelConfig (tlc2.tool.impl)
// plus the workarounds for the places where tla-checker reads a module differently from SANY/TLC.
import type { FlatModule } from '../tla/flatten.ts';
import { blankRange, declarations, maskTla, topLevelDefinitions } from '../tla/scan.ts';

/** One `CONSTANT` assignment of a cfg. */
export interface CfgConstant {
  name: string;
  /** The value exactly as written after `=`, or undefined for a substitution. */
  value?: string;
  /** The definition named after `<-`. */
  substitution?: string;
  /** The constant is an operator (`F(_) = ...`). */
  operator?: boolean;
}

/** A TLC model configuration: what a .cfg says, in order. */
export interface ModelConfig {
  constants: CfgConstant[];
  init?: string;
  next?: string;
  specification?: string;
  invariants: string[];
  properties: string[];
  constraints: string[];
  actionConstraints: string[];
  symmetry?: string;
  view?: string;
  alias?: string;
  postcondition?: string;
  checkDeadlock?: boolean;
}

/** A cfg that is malformed, or that asks for something the embedded engine cannot do. */
export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
  constructor(
    readonly kind: 'config' | 'unsupported',
    message: string,
  ) {
    super(message);
  }
}

const DIRECTIVES = new Set([
  'CONSTANT', 'CONSTANTS', 'INIT', 'NEXT', 'SPECIFICATION', 'INVARIANT', 'INVARIANTS', 'PROPERTY',
  'PROPERTIES', 'CONSTRAINT', 'CONSTRAINTS', 'ACTION_CONSTRAINT', 'ACTION_CONSTRAINTS', 'SYMMETRY',
  'VIEW', 'ALIAS', 'POSTCONDITION', 'CHECK_DEADLOCK',
]);

interface Tok {
  text: string;
  start: number;
  end: number;
}

function tokenizeCfg(text: string): Tok[] {
  const masked = maskTla(text);
  const toks: Tok[] = [];
  const re = /"(?:[^"\\\n]|\\.)*"|[A-Za-z0-9_]+|<-|<<|>>|\|->|:>|@@|\.\.|\S/g;
  // Strings are matched on the original text: masking blanked their contents.
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const start = m.index;
    let end = start + m[0].length;
    if (m[0].startsWith('"')) {
      const s = /"(?:[^"\\\n]|\\.)*"/y;
      s.lastIndex = start;
      const sm = s.exec(text);
      end = sm ? start + sm[0].length : end;
      re.lastIndex = end;
    }
    toks.push({ text: text.slice(start, end), start, end });
  }
  return toks;
}

const isIdent = (t: Tok | undefined): boolean => !!t && /^[A-Za-z0-9_]*[A-Za-z_][A-Za-z0-9_]*$/.test(t.text);

/**
 * Parses a TLC .cfg: CONSTANT(S) assignments (`C = value`, `C <- Def`), INIT, NEXT,
 * SPECIFICATION, INVARIANT(S), PROPERTY/PROPERTIES, CONSTRAINT(S), ACTION_CONSTRAINT(S),
 * SYMMETRY, VIEW, ALIAS, POSTCONDITION, CHECK_DEADLOCK; comments as in TLA+.
 * @throws ModelConfigError kind 'config' on malformed text.
 */
export function parseCfg(text: string): ModelConfig {
  const toks = tokenizeCfg(text);
  const cfg: ModelConfig = { constants: [], invariants: [], properties: [], constraints: [], actionConstraints: [] };
  const fail = (msg: string, at?: Tok): never => {
    const line = at ? text.slice(0, at.start).split('\n').length : undefined;
    throw new ModelConfigError('config', line ? `line ${line}: ${msg}` : msg);
  };
  let i = 0;
  const names = (): string[] => {
    const out: string[] = [];
    while (i < toks.length && !DIRECTIVES.has((toks[i] as Tok).text)) {
      const t = toks[i] as Tok;
      if (!isIdent(t)) fail(`expected a definition name, found '${t.text}'`, t);
      out.push(t.text);
      i++;
    }
    return out;
  };
  const one = (kw: Tok): string => {
    const t = toks[i];
    if (!t || DIRECTIVES.has(t.text) || !isIdent(t)) fail(`${kw.text} needs a name`, kw);
    i++;
    return (t as Tok).text;
  };
  while (i < toks.length) {
    const kw = toks[i++] as Tok;
    switch (kw.text) {
      case 'CONSTANT':
      case 'CONSTANTS':
        while (i < toks.length && !DIRECTIVES.has((toks[i] as Tok).text)) {
          const nameTok = toks[i++] as Tok;
          if (!isIdent(nameTok)) fail(`expected a constant name, found '${nameTok.text}'`, nameTok);
          const c: CfgConstant = { name: nameTok.text };
          if (toks[i]?.text === '(') {
            c.operator = true;
            while (i < toks.length && (toks[i] as Tok).text !== ')') i++;
            i++;
          }
          const op = toks[i++];
          if (op?.text === '<-') {
            // `C <- Def` or TLC's module-qualified `C <- [Mod] Def`.
            const parts: string[] = [];
            if (toks[i]?.text === '[') {
              while (i < toks.length && (toks[i] as Tok).text !== ']') parts.push((toks[i++] as Tok).text);
              parts.push(toks[i++]?.text ?? '');
            }
            if (!isIdent(toks[i])) fail(`constant ${c.name}: '<-' needs a definition name`, nameTok);
            parts.push((toks[i++] as Tok).text);
            c.substitution = parts.join(' ').replace('[ ', '[').replace(' ]', ']');
          } else if (op?.text === '=') {
            const first = toks[i];
            let last: Tok | undefined;
            let depth = 0;
            while (i < toks.length) {
              const t = toks[i] as Tok;
              if (depth === 0 && (DIRECTIVES.has(t.text) || (last && isIdent(t) && ['=', '<-', '('].includes(toks[i + 1]?.text ?? '') && !['(', '{', '[', '<<', ',', ':>', '@@', '|->', '-'].includes(last.text)))) break;
              if (['(', '{', '[', '<<'].includes(t.text)) depth++;
              if ([')', '}', ']', '>>'].includes(t.text)) depth--;
              last = t;
              i++;
            }
            if (!first || !last) fail(`constant ${c.name} has no value`, nameTok);
            c.value = text.slice((first as Tok).start, (last as Tok).end);
          } else fail(`constant ${c.name} needs '= value' or '<- Definition'`, nameTok);
          cfg.constants.push(c);
        }
        break;
      case 'INIT': cfg.init = one(kw); break;
      case 'NEXT': cfg.next = one(kw); break;
      case 'SPECIFICATION': cfg.specification = one(kw); break;
      case 'INVARIANT': case 'INVARIANTS': cfg.invariants.push(...names()); break;
      case 'PROPERTY': case 'PROPERTIES': cfg.properties.push(...names()); break;
      case 'CONSTRAINT': case 'CONSTRAINTS': cfg.constraints.push(...names()); break;
      case 'ACTION_CONSTRAINT': case 'ACTION_CONSTRAINTS': cfg.actionConstraints.push(...names()); break;
      case 'SYMMETRY': cfg.symmetry = one(kw); break;
      case 'VIEW': cfg.view = one(kw); break;
      case 'ALIAS': cfg.alias = one(kw); break;
      case 'POSTCONDITION': cfg.postcondition = one(kw); break;
      case 'CHECK_DEADLOCK': {
        const v = one(kw);
        if (v !== 'TRUE' && v !== 'FALSE') fail(`CHECK_DEADLOCK takes TRUE or FALSE, not ${v}`, kw);
        cfg.checkDeadlock = v === 'TRUE';
        break;
      }
      default:
        fail(`unknown directive '${kw.text}'`, kw);
    }
  }
  if (cfg.specification && (cfg.init || cfg.next)) fail('SPECIFICATION and INIT/NEXT are mutually exclusive');
  return cfg;
}

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
    warnings.push(`SYMMETRY ${config.symmetry}: tla-checker reduces by symmetry differently, so its distinct-state count need not equal TLC's`);
  }

  let source = flat.source;
  source = mergeVariableDeclarations(source);

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
  const toEngine = (n: string): string => {
    for (const [e, s] of renames) if (s === n) return e;
    return n;
  };

  let placeholder: string | undefined;
  let invariants = config.invariants;
  if (invariants.length === 0) {
    placeholder = PLACEHOLDER_INVARIANT;
    invariants = [placeholder];
    source = source.replace(/====\n$/, `${placeholder} == TRUE\n====\n`);
  }

  const lines: string[] = [];
  if (config.constants.length > 0) {
    lines.push('CONSTANTS');
    for (const c of config.constants) lines.push(`  ${c.name} = ${c.value}`);
  }
  if (config.specification) lines.push(`SPECIFICATION ${toEngine(config.specification)}`);
  if (config.init) lines.push(`INIT ${toEngine(config.init)}`);
  if (config.next) lines.push(`NEXT ${toEngine(config.next)}`);
  lines.push(`INVARIANT ${invariants.map(toEngine).join(' ')}`);
  if (config.properties.length > 0) lines.push(`PROPERTY ${config.properties.map(toEngine).join(' ')}`);
  if (config.constraints.length > 0) lines.push(`CONSTRAINT ${config.constraints.map(toEngine).join(' ')}`);
  if (config.symmetry) lines.push(`SYMMETRY ${toEngine(config.symmetry)}`);
  if (config.checkDeadlock !== undefined) lines.push(`CHECK_DEADLOCK ${config.checkDeadlock ? 'TRUE' : 'FALSE'}`);

  return {
    source,
    cfg: `${lines.join('\n')}\n`,
    config,
    engineInvariants: invariants,
    ...(placeholder ? { placeholderInvariant: placeholder } : {}),
    renames,
    warnings,
  };
}

/** The name the engine knows a spec definition by (differs only for renamed `...Spec`s). */
export function engineNameOf(model: AdaptedModel, name: string): string {
  for (const [e, s] of model.renames) if (s === name) return e;
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
