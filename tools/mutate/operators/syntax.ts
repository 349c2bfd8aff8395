// The syntax-tree helpers every mutation operator shares (tools/mutate/operators/*.ts), built on
// ts-morph: what a site is (an edit and where it is reported), the function around a node and its
// name, and how a statement is deleted.
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';

/** A text replacement in the original source. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** One place an operator can change, and the change. */
export interface Site {
  /** The node the mutant is reported at (line, function). */
  anchor: Node;
  edits: Edit[];
  description: string;
  /** What makes this site and change unique within its function, for the id. */
  key: string;
}

/** An operator: the sites of one source file, inside function bodies only (module-level code
 *  builds tables, not protocol steps). */
export type Operator = (sf: SourceFile) => Site[];

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

export function innermostFunction(n: Node): Node | undefined {
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
export function functionNameOf(n: Node): string {
  for (let f = innermostFunction(n); f; f = innermostFunction(f)) {
    const name = nameOfFunction(f);
    if (name) return name;
  }
  return '<top level>';
}

/**
 * The declaration a reviewer reads to judge a mutant of `n`: the innermost named function around
 * it (as functionNameOf names it), else the top-level statement holding it. Its text is what an
 * equivalent record's function hash covers (tools/mutate/equivalents.ts).
 */
export function enclosingDeclaration(n: Node): Node {
  for (let f = innermostFunction(n); f; f = innermostFunction(f)) if (nameOfFunction(f)) return f;
  let top: Node = n;
  while (top.getParent() && !Node.isSourceFile(top.getParent())) top = top.getParentOrThrow();
  return top;
}

/** One line, at most 60 characters, for descriptions. */
export function short(text: string): string {
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
export function deleteStatement(stmt: Node, text: string): Edit {
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
export function callOf(expr: Node): Node | undefined {
  let e: Node = expr;
  for (;;) {
    if (Node.isParenthesizedExpression(e) || Node.isAwaitExpression(e) || Node.isVoidExpression(e)) e = e.getExpression();
    else if (Node.isYieldExpression(e) && e.getAsteriskToken() && e.getExpression()) e = e.getExpression()!;
    else break;
  }
  return Node.isCallExpression(e) ? e : undefined;
}

export function isTrueLiteral(n: Node | undefined): boolean {
  return n !== undefined && n.getKind() === SyntaxKind.TrueKeyword;
}
