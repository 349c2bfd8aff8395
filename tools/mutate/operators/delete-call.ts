// Mutation operator delete-call: a call statement that no longer happens -- the missing unmap,
// wake-up, re-check or put of kernel concurrency bugs.
import { SyntaxKind } from 'ts-morph';
import { innermostFunction, short, deleteStatement, callOf, type Operator } from './syntax.ts';

/** Delete a call statement: an unmap, a wake-up, a re-check, a put that no longer happens. */
export const deleteCall: Operator = (sf) => {
  const text = sf.getFullText();
  return sf.getDescendantsOfKind(SyntaxKind.ExpressionStatement).flatMap((stmt) => {
    const call = callOf(stmt.getExpression());
    if (!call || !innermostFunction(stmt)) return [];
    return [
      {
        anchor: stmt,
        edits: [deleteStatement(stmt, text)],
        description: `delete call \`${short(stmt.getText())}\``,
        key: stmt.getText(),
      },
    ];
  });
};
