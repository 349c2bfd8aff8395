// Mutation operators over the implementation's TypeScript (impl/), built on ts-morph. Each one
// re-creates, at one site, a classic way kernel concurrency code goes wrong: a missing unmap,
// wake-up, re-check or put; steps in the wrong order; a flipped test; an off-by-one bound; a lost
// retry; a lock taken shared where it must be exclusive.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Node, SyntaxKind, ts, type SourceFile } from 'ts-morph';
import { unifiedDiff } from './diff.ts';

/** The operators, in the order their mutants are listed. */
export const OPERATORS = ['delete-call', 'swap-statements', 'negate-condition', 'boundary', 'drop-retry', 'weaken-lock'] as const;
export type OperatorName = (typeof OPERATORS)[number];

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
export interface SiteInfo {
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

/** A text replacement in the original source. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

interface Candidate {
  operator: OperatorName;
  /** The node the mutant is reported at (line, function). */
  anchor: Node;
  edits: Edit[];
  description: string;
  /** What makes this site and change unique within its function, for the id. */
  key: string;
}

// ---------------------------------------------------------------------------------------------
// Helpers on the syntax tree.

function isFunctionLike(n: Node): boolean {
  return (
    Node.isFunctionDeclaration(n) ||
    Node.isMethodDeclaration(n) ||
    Node.isConstructorDeclaration(n) ||
    Node.isGetAccessorDeclaration(n) ||
    Node.isSetAccessorDeclaration(n) ||
    Node.isFunctionExpression(n) ||
    Node.isArrowFunction(n)
  );
}

function innermostFunction(n: Node): Node | undefined {
  return n.getFirstAncestor(isFunctionLike);
}

function nameOfFunction(f: Node): string | undefined {
  const className = (): string | undefined => {
    const cls = f.getParent();
    return Node.isClassDeclaration(cls) || Node.isClassExpression(cls) ? cls.getName() : undefined;
  };
  const qualified = (name: string): string => {
    const c = className();
    return c ? `${c}.${name}` : name;
  };
  // A member of an object literal is named after what holds the literal: `randomScheduler.next`.
  const member = (name: string, literal: Node): string => {
    const holder = literal.getParent();
    const owner = Node.isVariableDeclaration(holder) ? holder.getName() : functionNameOf(literal);
    return owner === '<top level>' ? name : `${owner}.${name}`;
  };
  if (Node.isFunctionDeclaration(f)) return f.getName() ?? 'default';
  if (Node.isConstructorDeclaration(f)) return qualified('constructor');
  if (Node.isMethodDeclaration(f) || Node.isGetAccessorDeclaration(f) || Node.isSetAccessorDeclaration(f)) {
    const parent = f.getParentOrThrow();
    return Node.isObjectLiteralExpression(parent) ? member(f.getName(), parent) : qualified(f.getName());
  }
  if (Node.isFunctionExpression(f) && f.getName()) return f.getName();
  if (Node.isFunctionExpression(f) || Node.isArrowFunction(f)) {
    const p = f.getParent();
    if (Node.isPropertyAssignment(p)) return member(p.getName(), p.getParentOrThrow());
    if (Node.isVariableDeclaration(p) || Node.isPropertyDeclaration(p)) return p.getName();
  }
  return undefined;
}

/** The innermost named function around a node: anonymous callbacks belong to their owner. */
function functionNameOf(n: Node): string {
  for (let f = innermostFunction(n); f; f = innermostFunction(f)) {
    const name = nameOfFunction(f);
    if (name) return name;
  }
  return '<top level>';
}

/** One line, at most 60 characters, for descriptions. */
function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

function isStatementList(n: Node | undefined): boolean {
  return n !== undefined && (Node.isBlock(n) || Node.isCaseClause(n) || Node.isDefaultClause(n) || Node.isSourceFile(n));
}

/**
 * Deletes a statement: its whole line when it stands alone on it (so the diff shows one removed
 * line), an empty block where the grammar needs a statement (`if (x) continue;` → `if (x) {}`).
 */
function deleteStatement(stmt: Node, text: string): Edit {
  const start = stmt.getStart();
  const end = stmt.getEnd();
  if (!isStatementList(stmt.getParent())) return { start, end, text: '{}' };
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', end);
  const lineEnd = nl === -1 ? text.length : nl + 1;
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t]*\r?\n?$/.test(text.slice(end, lineEnd))) {
    return { start: lineStart, end: lineEnd, text: '' };
  }
  return { start, end, text: '' };
}

/** Unwraps `await f()`, `void f()`, `(f())` and `yield* f()` down to the call, if it is one. */
function callOf(expr: Node): Node | undefined {
  let e: Node = expr;
  for (;;) {
    if (Node.isParenthesizedExpression(e) || Node.isAwaitExpression(e) || Node.isVoidExpression(e)) e = e.getExpression();
    else if (Node.isYieldExpression(e) && e.getAsteriskToken() && e.getExpression()) e = e.getExpression()!;
    else break;
  }
  return Node.isCallExpression(e) ? e : undefined;
}

function isTrueLiteral(n: Node | undefined): boolean {
  return n !== undefined && n.getKind() === SyntaxKind.TrueKeyword;
}

// ---------------------------------------------------------------------------------------------
// The operators. Each returns the candidate sites of one source file, inside function bodies
// only: module-level code builds tables, not protocol steps.

type OperatorFn = (sf: SourceFile) => Candidate[];

/** Delete a call statement: an unmap, a wake-up, a re-check, a put that no longer happens. */
const deleteCall: OperatorFn = (sf) => {
  const text = sf.getFullText();
  return sf.getDescendantsOfKind(SyntaxKind.ExpressionStatement).flatMap((stmt) => {
    const call = callOf(stmt.getExpression());
    if (!call || !innermostFunction(stmt)) return [];
    return [{
      operator: 'delete-call' as const,
      anchor: stmt,
      edits: [deleteStatement(stmt, text)],
      description: `delete call \`${short(stmt.getText())}\``,
      key: stmt.getText(),
    }];
  });
};

/** Declarations are hoisted or inert: swapping them with a neighbour changes nothing. */
function isDeclarationOnly(n: Node): boolean {
  return (
    Node.isFunctionDeclaration(n) ||
    Node.isClassDeclaration(n) ||
    Node.isInterfaceDeclaration(n) ||
    Node.isTypeAliasDeclaration(n) ||
    Node.isEnumDeclaration(n) ||
    Node.isEmptyStatement(n)
  );
}

const SIDE_EFFECT_KINDS = new Set([
  SyntaxKind.CallExpression,
  SyntaxKind.NewExpression,
  SyntaxKind.AwaitExpression,
  SyntaxKind.YieldExpression,
  SyntaxKind.DeleteExpression,
  SyntaxKind.TaggedTemplateExpression,
  SyntaxKind.PostfixUnaryExpression,
]);

/**
 * `const a = x.y + 1;`: a declaration whose initializers neither call, assign nor yield. Two of
 * them in either order compute the same values (or, if the second reads the first, do not
 * compile), so swapping them only makes equivalent mutants.
 */
function isPureDeclaration(n: Node): boolean {
  if (!Node.isVariableStatement(n)) return false;
  return n.getDeclarations().every((d) => {
    const init = d.getInitializer();
    return !init || isPure(init);
  });
}

/** An expression that neither calls, constructs, assigns, increments, deletes nor yields. */
function isPure(e: Node): boolean {
  const impure = (x: Node): boolean =>
    SIDE_EFFECT_KINDS.has(x.getKind()) ||
    (Node.isPrefixUnaryExpression(x) && [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(x.getOperatorToken())) ||
    (Node.isBinaryExpression(x) && x.getOperatorToken().getKind() >= SyntaxKind.FirstAssignment && x.getOperatorToken().getKind() <= SyntaxKind.LastAssignment);
  return !impure(e) && e.getFirstDescendant(impure) === undefined;
}

/** The target and value of `target = value;` when the value neither calls, assigns nor yields. */
function pureAssignment(n: Node): { target: string; property: string; value: string } | undefined {
  if (!Node.isExpressionStatement(n)) return undefined;
  const e = n.getExpression();
  if (!Node.isBinaryExpression(e) || e.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) return undefined;
  const left = e.getLeft();
  const isPath = (x: Node): boolean =>
    Node.isIdentifier(x) || x.getKind() === SyntaxKind.ThisKeyword || (Node.isPropertyAccessExpression(x) && isPath(x.getExpression()));
  if (!isPath(left) || !isPure(e.getRight())) return undefined;
  return { target: left.getText(), property: Node.isPropertyAccessExpression(left) ? left.getName() : left.getText(), value: e.getRight().getText() };
}

/**
 * `page.mapping = null; page.index = 0;`: two plain assignments to different fields (or
 * locals), neither value reading the other's object. Either order leaves the same state, so the
 * swap is an equivalent mutant. Different field names are required because two paths may name
 * one object (`a.x = 1; b.x = 2`).
 */
function independentAssignments(a: Node, b: Node): boolean {
  const x = pureAssignment(a);
  const y = pureAssignment(b);
  if (!x || !y || x.property === y.property) return false;
  // Conservative: a value that names the other target's root object at all (`{ ...t }`) counts.
  const root = (target: string): string => target.split('.')[0]!;
  const mentions = (text: string, name: string): boolean => new RegExp(`(^|[^\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(text);
  return !mentions(y.value, root(x.target)) && !mentions(x.value, root(y.target)) && !y.target.startsWith(`${x.target}.`) && !x.target.startsWith(`${y.target}.`);
}

/**
 * `if (bad) throw …` or `if (bad) fail(…)` with a never-returning fail: a guard clause. Two
 * guards in either order accept the same inputs; swapping them changes only which message an
 * input that breaks both rules gets, so those swaps only make equivalent mutants.
 */
function isGuard(n: Node): boolean {
  if (!Node.isIfStatement(n) || n.getElseStatement() !== undefined) return false;
  let body: Node = n.getThenStatement();
  if (Node.isBlock(body)) {
    const inner = body.getStatements();
    if (inner.length !== 1) return false;
    body = inner[0]!;
  }
  if (Node.isThrowStatement(body)) return true;
  const call = Node.isExpressionStatement(body) ? callOf(body.getExpression()) : undefined;
  return Node.isCallExpression(call) && (call.getReturnType().getFlags() & ts.TypeFlags.Never) !== 0;
}

/** Swap two adjacent statements: steps of a protocol done in the wrong order. */
const swapStatements: OperatorFn = (sf) => {
  const text = sf.getFullText();
  const lists = [...sf.getDescendantsOfKind(SyntaxKind.Block), ...sf.getDescendantsOfKind(SyntaxKind.CaseClause), ...sf.getDescendantsOfKind(SyntaxKind.DefaultClause)];
  const out: Candidate[] = [];
  for (const list of lists) {
    if (!innermostFunction(list)) continue;
    const stmts = list.getStatements();
    for (let i = 0; i + 1 < stmts.length; i++) {
      const a = stmts[i]!;
      const b = stmts[i + 1]!;
      if (isDeclarationOnly(a) || isDeclarationOnly(b) || a.getText() === b.getText()) continue;
      if ((isPureDeclaration(a) && isPureDeclaration(b)) || (isGuard(a) && isGuard(b)) || independentAssignments(a, b)) continue;
      const between = text.slice(a.getEnd(), b.getStart());
      out.push({
        operator: 'swap-statements',
        anchor: a,
        edits: [{ start: a.getStart(), end: b.getEnd(), text: b.getText() + between + a.getText() }],
        description: `swap \`${short(a.getText())}\` with the next statement \`${short(b.getText())}\``,
        key: `${a.getText()}\n${b.getText()}`,
      });
    }
  }
  return out.sort((x, y) => x.anchor.getStart() - y.anchor.getStart());
};

/** Negate an if/while/do-while condition: the test that guards a step decides the other way. */
const negateCondition: OperatorFn = (sf) => {
  const out: Candidate[] = [];
  sf.forEachDescendant((n) => {
    if (!(Node.isIfStatement(n) || Node.isWhileStatement(n) || Node.isDoStatement(n)) || !innermostFunction(n)) return;
    const cond = n.getExpression();
    // Constant loop conditions are retry loops; drop-retry mutates those.
    if (cond.getKind() === SyntaxKind.TrueKeyword || cond.getKind() === SyntaxKind.FalseKeyword) return;
    const kind = Node.isIfStatement(n) ? 'if' : Node.isWhileStatement(n) ? 'while' : 'do-while';
    const negated =
      Node.isPrefixUnaryExpression(cond) && cond.getOperatorToken() === SyntaxKind.ExclamationToken
        ? cond.getOperand().getText()
        : `!(${cond.getText()})`;
    out.push({
      operator: 'negate-condition',
      anchor: n,
      edits: [{ start: cond.getStart(), end: cond.getEnd(), text: negated }],
      description: `negate ${kind} condition \`${short(cond.getText())}\``,
      key: `${kind}\n${cond.getText()}`,
    });
  });
  return out;
};

const BOUNDARY_SWAPS: ReadonlyMap<SyntaxKind, string> = new Map([
  [SyntaxKind.GreaterThanToken, '>='],
  [SyntaxKind.GreaterThanEqualsToken, '>'],
  [SyntaxKind.LessThanToken, '<='],
  [SyntaxKind.LessThanEqualsToken, '<'],
  [SyntaxKind.EqualsEqualsEqualsToken, '!=='],
  [SyntaxKind.ExclamationEqualsEqualsToken, '==='],
  [SyntaxKind.EqualsEqualsToken, '!='],
  [SyntaxKind.ExclamationEqualsToken, '=='],
]);

/** Move a comparison boundary (`>`↔`>=`, `<`↔`<=`) or flip an equality (`===`↔`!==`, `==`↔`!=`). */
const boundary: OperatorFn = (sf) =>
  sf.getDescendantsOfKind(SyntaxKind.BinaryExpression).flatMap((bin) => {
    const op = bin.getOperatorToken();
    const to = BOUNDARY_SWAPS.get(op.getKind());
    if (to === undefined || !innermostFunction(bin)) return [];
    return [{
      operator: 'boundary' as const,
      anchor: bin,
      edits: [{ start: op.getStart(), end: op.getEnd(), text: to }],
      description: `\`${op.getText()}\` → \`${to}\` in \`${short(bin.getText())}\``,
      key: `${bin.getText()}\n${to}`,
    }];
  });

/**
 * Drop a retry: delete a `continue`, or run a retry loop (`while`, `do … while`, `for (;;)`) at
 * most once. The single pass is `if (C) do S while (false)`, which keeps `break` and `continue`
 * in S meaningful (both leave after the one pass) and keeps a label on the loop.
 */
const dropRetry: OperatorFn = (sf) => {
  const text = sf.getFullText();
  const out: Candidate[] = [];
  sf.forEachDescendant((n) => {
    if (!innermostFunction(n)) return;
    if (Node.isContinueStatement(n)) {
      out.push({ operator: 'drop-retry', anchor: n, edits: [deleteStatement(n, text)], description: `delete \`${n.getText()}\``, key: `continue\n${n.getText()}` });
      return;
    }
    let cond: Node | undefined;
    let init: Node | undefined;
    let kind: string;
    if (Node.isWhileStatement(n)) [cond, kind] = [n.getExpression(), 'while'];
    else if (Node.isForStatement(n) && !n.getIncrementor()) [cond, init, kind] = [n.getCondition(), n.getInitializer(), 'for'];
    else if (Node.isDoStatement(n)) {
      if (n.getExpression().getKind() === SyntaxKind.FalseKeyword) return;
      kind = 'do-while';
    } else return;
    // Labels move onto the `do` so that `continue label` still names a loop.
    let outer: Node = n;
    let labels = '';
    while (Node.isLabeledStatement(outer.getParent())) {
      outer = outer.getParentOrThrow();
      labels = `${(outer as import('ts-morph').LabeledStatement).getLabel().getText()}: ${labels}`;
    }
    const body = n.getStatement().getText();
    let once = `${labels}do ${body} while (false)`;
    if (kind !== 'do-while' && cond && !isTrueLiteral(cond)) once = `if (${cond.getText()}) ${once}`;
    if (init) once = `{ ${init.getText()}; ${once} }`;
    // A do-while statement owns its trailing semicolon; the replacement must keep it.
    if (Node.isDoStatement(n) && n.getText().endsWith(';')) once += ';';
    const head = Node.isDoStatement(n) ? `do … while (${short(n.getExpression().getText())})` : short(text.slice(n.getStart(), n.getStatement().getStart()));
    out.push({
      operator: 'drop-retry',
      anchor: n,
      edits: [{ start: outer.getStart(), end: outer.getEnd(), text: once }],
      description: `run retry loop \`${head.trim()}\` at most once`,
      key: `loop\n${n.getText()}`,
    });
  });
  return out;
};

/**
 * Lock-mode spellings and their weaker form. Names are weakened as whole camelCase or
 * SCREAMING_CASE words, so `downWrite` → `downRead`, `XFS_MMAPLOCK_EXCL` → `XFS_MMAPLOCK_SHARED`,
 * `'excl'` → `'shared'`, but `writeback` stays `writeback`.
 */
const MODE_WORDS: readonly [RegExp, string][] = [
  [/Exclusive(?=[A-Z_\d]|$)/, 'Shared'],
  [/(?<![A-Za-z])exclusive(?=[A-Z_\d]|$)/, 'shared'],
  [/EXCLUSIVE(?![A-Z])/, 'SHARED'],
  [/Excl(?=[A-Z_\d]|$)/, 'Shared'],
  [/(?<![A-Za-z])excl(?=[A-Z_\d]|$)/, 'shared'],
  [/EXCL(?![A-Z])/, 'SHARED'],
  [/Write(?=[A-Z_\d]|$)/, 'Read'],
  [/(?<![A-Za-z])write(?=[A-Z_\d]|$)/, 'read'],
  [/WRITE(?![A-Z])/, 'READ'],
];

/** A callee that takes or releases a lock, by its name: down*, up*, *lock*, *sem*. */
const LOCK_CALL = /^(down|up)([A-Z_]|$)|lock|Lock|LOCK|sem|Sem|SEM/;
/** A name or string that is itself a lock mode (an argument, an enum member, a constant). */
const MODE_NAME = /excl|Excl|EXCL|exclusive|Exclusive|EXCLUSIVE|^write$|^Write$|^WRITE$|_WRITE$/;

function weakenWord(name: string): string | undefined {
  for (const [re, to] of MODE_WORDS) if (re.test(name)) return name.replace(re, to);
  return undefined;
}

/**
 * When `id` is a named import, the edit that imports `to` beside it from the same module (the
 * weak form of a lock function or mode constant is often exported but not imported yet:
 * `import { downWrite }` → `import { downWrite, downRead }`). None if `to` is imported already
 * or `id` is declared in this file.
 */
function importBeside(sf: SourceFile, id: Node, to: string): Edit[] {
  const name = id.getText();
  for (const decl of sf.getImportDeclarations()) {
    const names = decl.getNamedImports();
    if (names.some((n) => (n.getAliasNode()?.getText() ?? n.getName()) === to)) return [];
    const spec = names.find((n) => n.getAliasNode() === undefined && n.getName() === name);
    if (spec) return [{ start: spec.getEnd(), end: spec.getEnd(), text: `, ${to}` }];
  }
  return [];
}

/** The mode names in a call argument: `EXCL`, `LockMode.Excl`, and each part of `A | B`. */
function modeNamesIn(arg: Node): Node[] {
  if (Node.isIdentifier(arg)) return [arg];
  if (Node.isPropertyAccessExpression(arg)) return [arg.getNameNode()];
  if (Node.isParenthesizedExpression(arg)) return modeNamesIn(arg.getExpression());
  if (Node.isBinaryExpression(arg) && arg.getOperatorToken().getKind() === SyntaxKind.BarToken) {
    return [...modeNamesIn(arg.getLeft()), ...modeNamesIn(arg.getRight())];
  }
  return [];
}

/**
 * Weaken a lock mode: an exclusive acquisition or release becomes a shared one. Sites are the
 * callee names of lock calls (`downWrite`, `sem.upWrite`, `lockExcl`), mode constants and enum
 * members passed to any call (`xfsIlock(cur, ip, XFS_MMAPLOCK_EXCL, …)`, `LockMode.Excl`, each
 * flag of `XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL`), and string values (`'excl'`) in code. The weak
 * name is imported beside the strong one when needed; one that does not exist fails the type
 * check and is skipped, so the operator needs no list of the implementation's lock functions.
 */
const weakenLock: OperatorFn = (sf) => {
  const out: Candidate[] = [];
  const add = (site: Node, from: string, to: string, extra: Edit[] = [], start = site.getStart(), end = site.getEnd()): void => {
    out.push({
      operator: 'weaken-lock',
      anchor: site,
      edits: [{ start, end, text: to }, ...extra],
      description: `lock mode \`${from}\` → \`${to}\` in \`${short(site.getParent()?.getText() ?? site.getText())}\``,
      key: `${site.getParent()?.getText() ?? ''}\n${from}`,
    });
  };
  sf.forEachDescendant((n) => {
    if (!innermostFunction(n)) return;
    if (Node.isCallExpression(n)) {
      const callee = n.getExpression();
      const nameNode = Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : Node.isIdentifier(callee) ? callee : undefined;
      const to = nameNode && LOCK_CALL.test(nameNode.getText()) ? weakenWord(nameNode.getText()) : undefined;
      if (nameNode && to !== undefined) add(nameNode, nameNode.getText(), to, Node.isIdentifier(callee) ? importBeside(sf, callee, to) : []);
      // Mode constants and enum members passed to any call (string literals are found below).
      for (const modeNode of n.getArguments().flatMap(modeNamesIn)) {
        const weak = MODE_NAME.test(modeNode.getText()) ? weakenWord(modeNode.getText()) : undefined;
        if (weak === undefined) continue;
        const extra = Node.isIdentifier(modeNode) && !Node.isPropertyAccessExpression(modeNode.getParent()) ? importBeside(sf, modeNode, weak) : [];
        add(modeNode, modeNode.getText(), weak, extra);
      }
      return;
    }
    // Literal types ('excl' | 'shared') declare the modes; only values in code select one.
    if ((Node.isStringLiteral(n) || Node.isNoSubstitutionTemplateLiteral(n)) && !Node.isLiteralTypeNode(n.getParent())) {
      const v = n.getLiteralValue();
      const to = MODE_NAME.test(v) ? weakenWord(v) : undefined;
      if (to !== undefined) add(n, v, to, [], n.getStart() + 1, n.getEnd() - 1);
    }
  });
  return out;
};

const OPERATOR_FNS: Record<OperatorName, OperatorFn> = {
  'delete-call': deleteCall,
  'swap-statements': swapStatements,
  'negate-condition': negateCondition,
  boundary,
  'drop-retry': dropRetry,
  'weaken-lock': weakenLock,
};

// ---------------------------------------------------------------------------------------------
// Applying, naming and type-checking mutants.

function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 10);
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

/** The candidate sites of one file, for the chosen operators, as plain data. */
function candidatesOf(sf: SourceFile, operators: readonly OperatorName[]): Candidate[] {
  return operators.flatMap((op) => OPERATOR_FNS[op](sf));
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
  for (const c of candidatesOf(sf, operators)) {
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
    out.push({ id, file, operator: c.operator, line, functionName, description: c.description, diff: unifiedDiff(file, original, text), text });
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

/** Mutants of several files, in file order then operator order. */
export function mutantsOfFiles(files: readonly SourceFile[], opts: GenerateOptions): MutantSet {
  const out: MutantSet = { mutants: [], notCompiling: [] };
  for (const sf of files) {
    const r = mutantsOfFile(sf, opts);
    out.mutants.push(...r.mutants);
    out.notCompiling.push(...r.notCompiling);
  }
  return out;
}
