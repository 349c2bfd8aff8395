// Mutation operator swap-statements: two adjacent steps of a protocol done in the wrong order,
// leaving out the swaps that cannot change behaviour (declarations, pure values, guards).
import { Node, SyntaxKind, ts } from 'ts-morph';
import { innermostFunction, short, callOf, type Operator, type Site } from './syntax.ts';

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
    (Node.isBinaryExpression(x) &&
      x.getOperatorToken().getKind() >= SyntaxKind.FirstAssignment &&
      x.getOperatorToken().getKind() <= SyntaxKind.LastAssignment);
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
  return {
    target: left.getText(),
    property: Node.isPropertyAccessExpression(left) ? left.getName() : left.getText(),
    value: e.getRight().getText(),
  };
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
  return (
    !mentions(y.value, root(x.target)) &&
    !mentions(x.value, root(y.target)) &&
    !y.target.startsWith(`${x.target}.`) &&
    !x.target.startsWith(`${y.target}.`)
  );
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
export const swapStatements: Operator = (sf) => {
  const text = sf.getFullText();
  const lists = [
    ...sf.getDescendantsOfKind(SyntaxKind.Block),
    ...sf.getDescendantsOfKind(SyntaxKind.CaseClause),
    ...sf.getDescendantsOfKind(SyntaxKind.DefaultClause),
  ];
  const out: Site[] = [];
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
        anchor: a,
        edits: [{ start: a.getStart(), end: b.getEnd(), text: b.getText() + between + a.getText() }],
        description: `swap \`${short(a.getText())}\` with the next statement \`${short(b.getText())}\``,
        key: `${a.getText()}\n${b.getText()}`,
      });
    }
  }
  return out.sort((x, y) => x.anchor.getStart() - y.anchor.getStart());
};
