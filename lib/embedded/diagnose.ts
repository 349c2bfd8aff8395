// Turns tla-checker's error reports into one-line RunErrors that name the spec file and line.
// Stands for the error reporting of TLC/SANY (file:line:col messages) on the embedded engine's
// side, including the diagnosis of definitions the engine drops without saying so.
import path from 'node:path';
import type { RunError } from '../result/check-result.ts';
import type { AdaptedModel } from './adapt.ts';
import { type FlatModule, originOf } from '../tla/flatten.ts';
import { assumeOffsets, lineAt, lineColAt, maskTla, topLevelDefinitions } from '../tla/scan.ts';
import { tlaCheckerApi } from './wasm.ts';

/** Where a line of the adapted source came from, as "path:line" (or "<flattened>:line"). */
function sourceLocation(flat: FlatModule, line: number, col?: number): string {
  const o = originOf(flat, line);
  const where = o ? `${displayPath(o.path)}:${o.line}` : `${flat.name} (flattened):${line}`;
  return col === undefined ? where : `${where}:${col}`;
}

/** A path relative to the working directory when it lies below it, as the user typed it. */
function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

const oneLine = (s: string): string =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join('; ');

/**
 * A RunError for an error the engine reported: `errorType` is check_spec_with_options'
 * error_type (undefined for explore_* errors, which carry only a message).
 */
export function diagnose(errorType: string | undefined, message: string, model: AdaptedModel, flat: FlatModule): RunError {
  const specName = (n: string): string => model.renames.get(n) ?? n;
  const msg = oneLine(message);
  switch (errorType) {
    case 'ParseError':
      return { kind: 'parse', message: parseErrorMessage(message, model, flat) };
    case 'ConfigError':
    case 'OptionsError': {
      const m = /(\w+) definition '([^']+)' not found in spec/.exec(message);
      if (m) {
        const dropped = droppedDefinition(specName(m[2] as string), model, flat);
        if (dropped) return dropped;
        return { kind: 'config', message: `${m[1]} ${specName(m[2] as string)}: no such definition in the spec` };
      }
      return { kind: errorType === 'OptionsError' ? 'crash' : 'config', message: `cfg rejected by tla-checker: ${msg}` };
    }
    case 'MissingConstants': {
      const names = /Missing constants: (.*)/.exec(message)?.[1] ?? msg;
      return { kind: 'config', message: `the cfg gives no value to constant(s) ${names}` };
    }
    case 'AssumeViolation': {
      const i = Number(/Assume (\d+)/.exec(message)?.[1] ?? NaN);
      return { kind: 'config', message: `${assumeWhere(i, model, flat)} is false for the cfg's constants` };
    }
    case 'NonModelValueSymmetry':
      return { kind: 'config', message: `SYMMETRY over values that are not model values: ${msg}` };
    case 'MaxStatesExceeded':
    case 'MaxDepthExceeded':
    case 'MaxTimeExceeded':
      return { kind: 'timeout', message: `tla-checker stopped at its limit (${msg}); raise maxStates / maxDepth` };
    case 'InstanceError':
    case 'RefinementConfigError':
      return { kind: 'unsupported', message: `tla-checker: ${msg}` };
    case undefined:
    case 'InitError':
    case 'NextError':
    case 'InvariantError':
    case 'AssumeError': {
      const undef = /undefined variable `([^`']+)`/.exec(message);
      if (undef) {
        const dropped = droppedDefinition(specName(undef[1] as string), model, flat);
        if (dropped) return dropped;
      }
      if (/temporal operator .* reached eval/.test(message)) {
        return {
          kind: 'unsupported',
          message: `tla-checker cannot check this temporal formula (only <>P, []<>P, <>[]P and P ~> Q, with \\A over them, are read from PROPERTY): ${msg}`,
        };
      }
      if (/ENABLED operator cannot be evaluated/.test(message)) {
        return { kind: 'unsupported', message: `tla-checker cannot evaluate ENABLED: ${msg}` };
      }
      if (/^parse error/.test(message)) return { kind: 'parse', message: msg };
      const where = errorType === 'AssumeError' ? `${assumeWhere(Number(/Assume (\d+)/.exec(message)?.[1] ?? NaN), model, flat)}: ` : '';
      const phase =
        errorType === 'InitError'
          ? 'computing initial states'
          : errorType === 'NextError'
            ? 'computing successor states'
            : errorType === 'InvariantError'
              ? 'evaluating an invariant'
              : undefined;
      return { kind: 'eval', message: `${where}${phase ? `${phase}: ` : ''}${msg}` };
    }
    default:
      return { kind: 'crash', message: `tla-checker: ${errorType}: ${msg}` };
  }
}

/** "path:line:col: message" from a tla-checker ParseError debug dump (byte-offset spans). */
function parseErrorMessage(raw: string, model: AdaptedModel, flat: FlatModule): string {
  const reason = /message: "((?:[^"\\]|\\.)*)"/.exec(raw)?.[1];
  const expected = /expected: Some\("((?:[^"\\]|\\.)*)"\)/.exec(raw)?.[1];
  const start = /span: Some\(Span \{ start: (\d+)/.exec(raw)?.[1];
  if (reason === undefined) return `tla-checker rejected the module: ${oneLine(raw)}`;
  const text = reason.replace(/\\n/g, ' ').replace(/\\"/g, '"');
  const what = `${text}${expected ? ` (expected ${expected.replace(/\\"/g, '"')})` : ''}`;
  if (start === undefined) return `${flat.name}: ${what}`;
  // Spans count UTF-8 bytes; the source is a JS string of UTF-16 units.
  const charOffset = Buffer.from(model.source, 'utf8').subarray(0, Number(start)).toString('utf8').length;
  const { line, col } = lineColAt(model.source, charOffset);
  return `${sourceLocation(flat, line, col)}: ${what}`;
}

function assumeWhere(index: number, model: AdaptedModel, flat: FlatModule): string {
  const offsets = assumeOffsets(maskTla(model.source));
  const at = offsets[index];
  return at === undefined ? `ASSUME #${index}` : `ASSUME at ${sourceLocation(flat, lineAt(model.source, at))}`;
}

const PROBE_SPEC = "---- MODULE Probe ----\nVARIABLES probe__\nInit == probe__ = 0\nNext == probe__' = probe__\n====\n";

/**
 * tla-checker drops a top-level definition it cannot parse, silently, and later reports the
 * name as undefined. When `name` is defined in the source, this says so and, by parsing the
 * definition's body on its own, why.
 */
function droppedDefinition(name: string, model: AdaptedModel, flat: FlatModule): RunError | undefined {
  let engineName = name;
  for (const [e, s] of model.renames) if (s === name) engineName = e;
  const masked = maskTla(model.source);
  const def = topLevelDefinitions(masked).find((d) => d.name === engineName);
  if (!def) return undefined;
  const eq = masked.indexOf('==', def.offset);
  const rest = masked.slice(eq + 2);
  // The body runs to the next line that starts in column 0 (the next definition or declaration).
  const next = /\n(?=[^\s])/.exec(rest);
  const body = (next ? rest.slice(0, next.index) : rest).replace(/^\s*-{4,}\s*$/gm, '').trim();
  let reason = '';
  try {
    const out = JSON.parse(tlaCheckerApi().explore_eval(PROBE_SPEC, '', '{}', '{"probe__":0}', body)) as { ok: boolean; error?: string };
    if (!out.ok && out.error?.startsWith('parse error')) reason = ` (${oneLine(out.error)})`;
  } catch {
    // The probe is only for a better message.
  }
  return {
    kind: 'parse',
    message: `${sourceLocation(flat, def.line)}: tla-checker could not parse the definition of ${name} and dropped it${reason || ' (a construct it does not support)'}`,
  };
}
