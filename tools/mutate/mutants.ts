// Mutants of the implementation's TypeScript: each site the mutation operators (operators.ts)
// find becomes a mutant with a stable id, a diff and its mutated text, type-checked in memory
// with ts-morph's language service so that only compiling mutants run.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ts, type SourceFile } from 'ts-morph';
import { unifiedDiff } from './diff.ts';
import { OPERATORS, sitesOf, type OperatorName } from './operators.ts';
import { enclosingDeclaration, functionNameOf, innermostFunction, type Edit } from './operators/syntax.ts';

/** One mutant: a single change to one implementation file. */
export interface Mutant {
  /**
   * Stable across unrelated edits: `file:operator:hash`, where the hash covers the enclosing
   * function's name, the mutated code and its occurrence number among identical sites of that
   * function, not line numbers, so that conformance/equivalent-mutants.json stays valid when
   * code above the site moves.
   */
  id: string;
  /** Path relative to the repository root, with forward slashes (`impl/fs/dax.ts`). */
  file: string;
  operator: OperatorName;
  /** 1-based line of the mutated site in the original file. */
  line: number;
  /** Innermost named function: `Class.method` for methods, `holder.member` for object-literal
   *  members (`randomScheduler.next`), `<top level>` outside functions. */
  functionName: string;
  /** Hash of the unmutated text of the declaration around the site (enclosingDeclaration): an
   *  equivalent record judged against another text is stale. */
  functionHash: string;
  /** First and last line of that declaration, for `mutate --show`. */
  declarationLines: [number, number];
  description: string;
  /** A unified diff of the change: one hunk, two when weaken-lock adds an import. */
  diff: string;
  /** The whole mutated text of `file`. */
  text: string;
}

/** A mutant skipped because the mutated file does not type-check. */
export interface NonCompilingMutant extends Omit<Mutant, 'text'> {
  /** The first new compiler error. */
  error: string;
}

/** Where a site is, as the `include` filter of GenerateOptions sees it. */
interface SiteInfo {
  file: string;
  operator: OperatorName;
  line: number;
  functionName: string;
  /** First and last line of the innermost function around the site. */
  functionLines: [number, number];
}

export interface GenerateOptions {
  /** Repository root: mutant paths and ids are relative to it. */
  rootDir: string;
  /** Operators to apply; all by default. */
  operators?: readonly OperatorName[];
  /** Keeps only the sites for which this is true (`--since` keeps changed functions). */
  include?: (site: SiteInfo) => boolean;
  /** Type-check each mutant and skip those that do not compile (default true). */
  typeCheck?: boolean;
}

/** The mutants of some files, and those skipped because they do not compile. */
export interface MutantSet {
  mutants: Mutant[];
  notCompiling: NonCompilingMutant[];
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * The code of `text` without its layout: its tokens, comments and whitespace dropped, and a comma
 * before a closing bracket dropped (a trailing comma is layout too). Ids and function hashes are
 * taken over this, so that the formatter re-wrapping a function neither renames its mutants nor
 * makes their equivalence records stale; a change to the code itself still does.
 */
function codeOf(text: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, ts.LanguageVariant.Standard, text);
  const tokens: string[] = [];
  // Open `{` and `${` brackets: a `}` that closes a `${` continues its template literal.
  const open: Array<'brace' | 'template'> = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.CloseBraceToken && open.pop() === 'template') kind = scanner.reScanTemplateToken(false);
    if (kind === ts.SyntaxKind.OpenBraceToken) open.push('brace');
    if (kind === ts.SyntaxKind.TemplateHead || kind === ts.SyntaxKind.TemplateMiddle) open.push('template');
    const t = scanner.getTokenText();
    if ((t === ')' || t === ']' || t === '}') && tokens.at(-1) === ',') tokens.pop();
    tokens.push(t);
  }
  return tokens.join(' ');
}

function hash(text: string): string {
  return createHash('sha1').update(codeOf(text)).digest('hex').slice(0, 10);
}

/** The compiler errors of one file, as `TSnnnn: message (line n)`. */
function compileErrors(sf: SourceFile): string[] {
  const ls = sf.getProject().getLanguageService().compilerObject;
  const file = sf.getFilePath();
  return [...ls.getSyntacticDiagnostics(file), ...ls.getSemanticDiagnostics(file)]
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const line = d.start === undefined ? '' : ` (line ${ts.getLineAndCharacterOfPosition(d.file!, d.start).line + 1})`;
      return `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}${line}`;
    });
}

/** Errors compare without positions: the original's errors move when a mutant adds lines. */
function withoutLine(e: string): string {
  return e.replace(/ \(line \d+\)$/, '');
}

/**
 * The mutants of one source file, not yet type-checked (CompileChecker does that, so that a
 * sampled run checks only the mutants it may run). The file is only read.
 */
export function planMutants(sf: SourceFile, opts: GenerateOptions): Mutant[] {
  const operators = opts.operators ?? OPERATORS;
  const file = path.relative(opts.rootDir, sf.getFilePath()).split(path.sep).join('/');
  const original = sf.getFullText();
  const occurrences = new Map<string, number>();
  const out: Mutant[] = [];
  for (const c of sitesOf(sf, operators)) {
    const functionName = functionNameOf(c.anchor);
    const fn = innermostFunction(c.anchor);
    const line = c.anchor.getStartLineNumber();
    const functionLines: [number, number] = fn ? [fn.getStartLineNumber(), fn.getEndLineNumber()] : [line, line];
    if (opts.include && !opts.include({ file, operator: c.operator, line, functionName, functionLines })) continue;
    const text = applyEdits(original, c.edits);
    if (text === original) continue;
    const key = `${functionName}\n${c.key}`;
    const nth = occurrences.get(`${c.operator}\n${key}`) ?? 0;
    occurrences.set(`${c.operator}\n${key}`, nth + 1);
    const id = `${file}:${c.operator}:${hash(`${key}\n${nth}`)}`;
    const decl = enclosingDeclaration(c.anchor);
    const functionHash = hash(decl.getText());
    const declarationLines: [number, number] = [decl.getStartLineNumber(), decl.getEndLineNumber()];
    out.push({
      id,
      file,
      operator: c.operator,
      line,
      functionName,
      functionHash,
      declarationLines,
      description: c.description,
      diff: unifiedDiff(file, original, text),
      text,
    });
  }
  return out;
}

/**
 * Type-checks mutants inside their ts-morph Project: the mutated text replaces the file in
 * memory (never on disk) and only that file's syntactic and semantic diagnostics are computed,
 * about 50 ms a mutant. Only errors the original file does not already have count, so that an
 * implementation with a pre-existing error still yields mutants. Call restore() when done.
 */
export class CompileChecker {
  private readonly originals = new Map<SourceFile, { text: string; errors: string[] }>();

  /** The first compiler error `text` adds to `sf`, or undefined if it compiles as well as `sf`. */
  firstNewError(sf: SourceFile, text: string): string | undefined {
    let orig = this.originals.get(sf);
    if (!orig) {
      orig = { text: sf.getFullText(), errors: compileErrors(sf).map(withoutLine) };
      this.originals.set(sf, orig);
    }
    sf.replaceWithText(text);
    const budget = new Map<string, number>();
    for (const e of orig.errors) budget.set(e, (budget.get(e) ?? 0) + 1);
    return compileErrors(sf).find((e) => {
      const left = budget.get(withoutLine(e)) ?? 0;
      budget.set(withoutLine(e), left - 1);
      return left <= 0;
    });
  }

  /** Puts every checked file back to its original text. */
  restore(): void {
    for (const [sf, orig] of this.originals) if (sf.getFullText() !== orig.text) sf.replaceWithText(orig.text);
  }
}

/** Sorts planned mutants into compiling and not compiling. */
export function checkMutants(planned: readonly { sf: SourceFile; mutant: Mutant }[], checker = new CompileChecker()): MutantSet {
  const result: MutantSet = { mutants: [], notCompiling: [] };
  try {
    for (const { sf, mutant } of planned) {
      const error = checker.firstNewError(sf, mutant.text);
      if (error === undefined) result.mutants.push(mutant);
      else {
        const { text: _text, ...rest } = mutant;
        result.notCompiling.push({ ...rest, error });
      }
    }
  } finally {
    checker.restore();
  }
  return result;
}

/**
 * The compiling mutants of one source file of a ts-morph Project, and those skipped because
 * they do not type-check (unless `typeCheck` is false). The file is left as it was.
 */
export function mutantsOfFile(sf: SourceFile, opts: GenerateOptions): MutantSet {
  const planned = planMutants(sf, opts);
  if (opts.typeCheck === false) return { mutants: planned, notCompiling: [] };
  return checkMutants(planned.map((mutant) => ({ sf, mutant })));
}
