// Flattens a TLC-style module tree (an MC module that EXTENDS the protocol module) into one
// module source, because the embedded engine (tla-checker) reads a single module text and cannot
// open other files. Stands for SANY's module resolution of EXTENDS (tla2sany.modanalyzer).
//
// Limitations: only EXTENDS is resolved. INSTANCE of a module from the same folder is refused
// (its substitutions and `M!Op` names would need renaming); INSTANCE of a standard module is left
// for the engine. Text outside a module's header and footer is dropped, as SANY ignores it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { blankRange, lineAt, maskTla } from './scan.ts';

/** One module whose body went into the flattened source. */
interface FlatModuleInfo {
  name: string;
  /** The .tla file it came from. */
  path: string;
  /** 1-based line of the flattened source where this module's body starts. */
  firstLine: number;
  /** Number of body lines (the flattened source holds them unchanged except EXTENDS). */
  lineCount: number;
  /** 1-based line of the file where the body starts (the line after the header). */
  fileFirstLine: number;
}

/** A module tree flattened into one module. */
export interface FlatModule {
  /** Name of the main module, which names the flattened module too. */
  name: string;
  /** The single module text. */
  source: string;
  /** The user modules in dependency order (extended modules first, the main module last). */
  modules: FlatModuleInfo[];
  /** Standard modules left in the EXTENDS clause, in order of first appearance. */
  standardModules: string[];
}

/** A module cannot be read or flattened; the message is one line naming the file. */
export class FlattenError extends Error {
  override readonly name = 'FlattenError';
}

interface ParsedModule {
  name: string;
  path: string;
  /** Body lines with the EXTENDS clause blanked. */
  body: string[];
  bodyFirstLine: number;
  extends: string[];
}

const HEADER = /^[ \t]*-{4,}[ \t]*MODULE[ \t]+([A-Za-z0-9_]+)[ \t]*-{4,}[ \t]*\r?$/m;
const FOOTER = /^[ \t]*={4,}[ \t]*\r?$/m;

function parseModule(file: string): ParsedModule {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FlattenError(`${file}: cannot read module (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const masked = maskTla(text);
  const header = HEADER.exec(masked);
  if (!header) throw new FlattenError(`${file}: no "---- MODULE Name ----" header`);
  const name = header[1] as string;
  const bodyStart = header.index + header[0].length + 1;
  const footer = FOOTER.exec(masked.slice(bodyStart));
  const bodyEnd = footer ? bodyStart + footer.index : text.length;
  let body = text.slice(bodyStart, bodyEnd);
  let maskedBody = masked.slice(bodyStart, bodyEnd);

  const ext = /(?<![A-Za-z0-9_])EXTENDS(?![A-Za-z0-9_])/.exec(maskedBody);
  const extended: string[] = [];
  if (ext) {
    const list = /^\s*([A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*)/.exec(maskedBody.slice(ext.index + ext[0].length));
    if (!list) throw new FlattenError(`${file}:${lineAt(text, bodyStart + ext.index)}: EXTENDS without module names`);
    for (const n of (list[1] as string).split(',')) extended.push(n.trim());
    const end = ext.index + ext[0].length + list[0].length;
    // Blanking instead of deleting keeps every later line where it was in the file.
    body = blankRange(body, ext.index, end);
    maskedBody = blankRange(maskedBody, ext.index, end);
  }

  const dir = path.dirname(file);
  const inst = /(?<![A-Za-z0-9_])INSTANCE\s+([A-Za-z0-9_]+)/g;
  for (let m = inst.exec(maskedBody); m; m = inst.exec(maskedBody)) {
    if (existsSync(path.join(dir, `${m[1]}.tla`))) {
      throw new FlattenError(
        `${file}:${lineAt(text, bodyStart + m.index)}: INSTANCE ${m[1]} is not supported by flattening (only EXTENDS is)`,
      );
    }
  }

  const lines = body.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { name, path: file, body: lines, bodyFirstLine: lineAt(text, bodyStart), extends: extended };
}

/**
 * Reads the module at `mainTlaPath` and every module it EXTENDS that exists as `<Name>.tla` in
 * the same folder (recursively, each once, extended modules before the modules that extend
 * them), and returns one module named like the main module: its EXTENDS lists only the modules
 * not found as files (the standard ones: Naturals, FiniteSets, TLC, ...), and its body is the
 * extended modules' bodies followed by the main body. Each body keeps its lines (an EXTENDS
 * clause becomes blank), so `originOf` maps a line of the result back to its file.
 * @throws FlattenError when a module cannot be read, has no header, EXTENDS itself in a cycle,
 *   or INSTANCEs a module from the folder.
 */
export function flattenModule(mainTlaPath: string): FlatModule {
  const main = path.resolve(mainTlaPath);
  const dir = path.dirname(main);
  const order: ParsedModule[] = [];
  const done = new Set<string>();
  const standard: string[] = [];

  const visit = (file: string, stack: string[]): void => {
    const mod = parseModule(file);
    if (stack.includes(mod.name)) {
      throw new FlattenError(`${file}: EXTENDS cycle ${[...stack, mod.name].join(' -> ')}`);
    }
    if (done.has(mod.name)) return;
    for (const ext of mod.extends) {
      const extFile = path.join(dir, `${ext}.tla`);
      if (existsSync(extFile)) {
        if (!done.has(ext)) visit(extFile, [...stack, mod.name]);
      } else if (!standard.includes(ext)) standard.push(ext);
    }
    done.add(mod.name);
    order.push(mod);
  };
  visit(main, []);

  const mainName = (order[order.length - 1] as ParsedModule).name;
  const out: string[] = [`---- MODULE ${mainName} ----`];
  if (standard.length > 0) out.push(`EXTENDS ${standard.join(', ')}`);
  const modules: FlatModuleInfo[] = [];
  for (const mod of order) {
    modules.push({
      name: mod.name,
      path: mod.path,
      firstLine: out.length + 1,
      lineCount: mod.body.length,
      fileFirstLine: mod.bodyFirstLine,
    });
    out.push(...mod.body);
  }
  out.push('====');
  return { name: mainName, source: `${out.join('\n')}\n`, modules, standardModules: standard };
}

/** The file and 1-based line a line of the flattened source came from, or undefined for the
 *  lines flattening wrote itself (header, EXTENDS, footer). */
export function originOf(flat: FlatModule, line: number): { module: string; path: string; line: number } | undefined {
  for (const m of flat.modules) {
    if (line >= m.firstLine && line < m.firstLine + m.lineCount) {
      return { module: m.name, path: m.path, line: m.fileFirstLine + (line - m.firstLine) };
    }
  }
  return undefined;
}
