// Reads a TLC model configuration (.cfg): CONSTANT assignments and the directives that pick
// Init/Next or a SPECIFICATION, invariants, properties, constraints, symmetry and the rest.
// Stands for TLC's ModelConfig (tlc2.tool.impl.ModelConfig); the one cfg parser of the project.
import { maskTla } from './scan.ts';

/** One `CONSTANT` assignment of a cfg. */
interface CfgConstant {
  name: string;
  /** The value exactly as written after `=`, or undefined for a substitution. */
  value?: string;
  /** The definition named after `<-`. */
  substitution?: string;
  /** The constant is an operator (`F(_) = ...`). */
  operator?: boolean;
  /** Where `value` lies in the cfg text: [start, end) offsets (for rewriting it in place). */
  valueSpan?: readonly [number, number];
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

/** A cfg that is malformed (kind 'config'), or that asks for something an engine cannot do
 *  (kind 'unsupported', thrown by lib/embedded's adapter). */
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
  'CONSTANT',
  'CONSTANTS',
  'INIT',
  'NEXT',
  'SPECIFICATION',
  'INVARIANT',
  'INVARIANTS',
  'PROPERTY',
  'PROPERTIES',
  'CONSTRAINT',
  'CONSTRAINTS',
  'ACTION_CONSTRAINT',
  'ACTION_CONSTRAINTS',
  'SYMMETRY',
  'VIEW',
  'ALIAS',
  'POSTCONDITION',
  'CHECK_DEADLOCK',
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
              if (
                depth === 0 &&
                (DIRECTIVES.has(t.text) ||
                  (last &&
                    isIdent(t) &&
                    ['=', '<-', '('].includes(toks[i + 1]?.text ?? '') &&
                    !['(', '{', '[', '<<', ',', ':>', '@@', '|->', '-'].includes(last.text)))
              )
                break;
              if (['(', '{', '[', '<<'].includes(t.text)) depth++;
              if ([')', '}', ']', '>>'].includes(t.text)) depth--;
              last = t;
              i++;
            }
            if (!first || !last) fail(`constant ${c.name} has no value`, nameTok);
            c.value = text.slice((first as Tok).start, (last as Tok).end);
            c.valueSpan = [(first as Tok).start, (last as Tok).end];
          } else fail(`constant ${c.name} needs '= value' or '<- Definition'`, nameTok);
          cfg.constants.push(c);
        }
        break;
      case 'INIT':
        cfg.init = one(kw);
        break;
      case 'NEXT':
        cfg.next = one(kw);
        break;
      case 'SPECIFICATION':
        cfg.specification = one(kw);
        break;
      case 'INVARIANT':
      case 'INVARIANTS':
        cfg.invariants.push(...names());
        break;
      case 'PROPERTY':
      case 'PROPERTIES':
        cfg.properties.push(...names());
        break;
      case 'CONSTRAINT':
      case 'CONSTRAINTS':
        cfg.constraints.push(...names());
        break;
      case 'ACTION_CONSTRAINT':
      case 'ACTION_CONSTRAINTS':
        cfg.actionConstraints.push(...names());
        break;
      case 'SYMMETRY':
        cfg.symmetry = one(kw);
        break;
      case 'VIEW':
        cfg.view = one(kw);
        break;
      case 'ALIAS':
        cfg.alias = one(kw);
        break;
      case 'POSTCONDITION':
        cfg.postcondition = one(kw);
        break;
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

/** The PROPERTY / PROPERTIES names of a cfg, for naming a temporal violation (TLC's message
 *  2116 does not say which property failed); none when the cfg does not parse. */
export function cfgTemporalProperties(cfgText: string): string[] {
  try {
    return [...new Set(parseCfg(cfgText).properties)];
  } catch (e) {
    if (e instanceof ModelConfigError) return [];
    throw e;
  }
}

/** The cfg text with constant `name`'s value replaced by `value`, everything else kept as written
 *  (for checking a model at other constants: a switch off, a feature on, another FsOps).
 *  @throws ModelConfigError kind 'config' when the cfg does not assign `name` a value. */
export function cfgWithConstant(cfgText: string, name: string, value: string): string {
  const span = parseCfg(cfgText).constants.find((c) => c.name === name)?.valueSpan;
  if (!span) throw new ModelConfigError('config', `the cfg assigns no value to constant ${name}`);
  return `${cfgText.slice(0, span[0])}${value}${cfgText.slice(span[1])}`;
}

const CFG_DIRECTIVE =
  /^\s*(CONSTANTS?|INIT|NEXT|SPECIFICATION|INVARIANTS?|PROPERTY|PROPERTIES|SYMMETRY|CONSTRAINTS?|ACTION_CONSTRAINTS?|VIEW|CHECK_DEADLOCK|POSTCONDITION|ALIAS)\b/;

/** The cfg text with its PROPERTY / PROPERTIES sections replaced by `PROPERTY property` alone,
 *  everything else kept as written: for checking one temporal property of several on its own. */
export function cfgWithOnlyProperty(cfgText: string, property: string): string {
  return cfgWithProperties(cfgText, [property]);
}

/** The cfg text with its PROPERTY / PROPERTIES sections replaced by `properties` (none: a
 *  safety-only model, e.g. for counting states without building TLC's behaviour graph). */
export function cfgWithProperties(cfgText: string, properties: readonly string[]): string {
  const out: string[] = [];
  let inProperties = false;
  for (const line of cfgText.split('\n')) {
    const directive = CFG_DIRECTIVE.exec(line)?.[1];
    if (directive !== undefined) inProperties = directive === 'PROPERTY' || directive === 'PROPERTIES';
    if (!inProperties) out.push(line);
  }
  if (properties.length > 0) out.push(`PROPERTY ${properties.join(' ')}`);
  out.push('');
  return out.join('\n');
}
