// Mutation operator negate-condition: the test that guards a step decides the other way.
import { Node, SyntaxKind } from 'ts-morph';
import { innermostFunction, short, type Operator, type Site } from './syntax.ts';

/** Negate an if/while/do-while condition: the test that guards a step decides the other way. */
export const negateCondition: Operator = (sf) => {
  const out: Site[] = [];
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
      anchor: n,
      edits: [{ start: cond.getStart(), end: cond.getEnd(), text: negated }],
      description: `negate ${kind} condition \`${short(cond.getText())}\``,
      key: `${kind}\n${cond.getText()}`,
    });
  });
  return out;
};
