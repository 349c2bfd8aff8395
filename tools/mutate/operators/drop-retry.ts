// Mutation operator drop-retry: a lost retry -- a deleted `continue`, or a retry loop run at most
// once (the kernel's "did_unlock" restart that never happens).
import { Node, SyntaxKind, type LabeledStatement } from 'ts-morph';
import { innermostFunction, short, deleteStatement, isTrueLiteral, type Operator, type Site } from './syntax.ts';

/**
 * Drop a retry: delete a `continue`, or run a retry loop (`while`, `do … while`, `for (;;)`) at
 * most once. The single pass is `if (C) do S while (false)`, which keeps `break` and `continue`
 * in S meaningful (both leave after the one pass) and keeps a label on the loop.
 */
export const dropRetry: Operator = (sf) => {
  const text = sf.getFullText();
  const out: Site[] = [];
  sf.forEachDescendant((n) => {
    if (!innermostFunction(n)) return;
    if (Node.isContinueStatement(n)) {
      out.push({ anchor: n, edits: [deleteStatement(n, text)], description: `delete \`${n.getText()}\``, key: `continue\n${n.getText()}` });
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
      labels = `${(outer as LabeledStatement).getLabel().getText()}: ${labels}`;
    }
    const body = n.getStatement().getText();
    let once = `${labels}do ${body} while (false)`;
    if (kind !== 'do-while' && cond && !isTrueLiteral(cond)) once = `if (${cond.getText()}) ${once}`;
    if (init) once = `{ ${init.getText()}; ${once} }`;
    // A do-while statement owns its trailing semicolon; the replacement must keep it.
    if (Node.isDoStatement(n) && n.getText().endsWith(';')) once += ';';
    const head = Node.isDoStatement(n)
      ? `do … while (${short(n.getExpression().getText())})`
      : short(text.slice(n.getStart(), n.getStatement().getStart()));
    out.push({
      anchor: n,
      edits: [{ start: outer.getStart(), end: outer.getEnd(), text: once }],
      description: `run retry loop \`${head.trim()}\` at most once`,
      key: `loop\n${n.getText()}`,
    });
  });
  return out;
};
