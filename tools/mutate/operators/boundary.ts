// Mutation operator boundary: an off-by-one bound or a flipped equality in a comparison.
import { SyntaxKind } from 'ts-morph';
import { innermostFunction, short, type Operator } from './syntax.ts';

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
export const boundary: Operator = (sf) =>
  sf.getDescendantsOfKind(SyntaxKind.BinaryExpression).flatMap((bin) => {
    const op = bin.getOperatorToken();
    const to = BOUNDARY_SWAPS.get(op.getKind());
    if (to === undefined || !innermostFunction(bin)) return [];
    return [
      {
        anchor: bin,
        edits: [{ start: op.getStart(), end: op.getEnd(), text: to }],
        description: `\`${op.getText()}\` → \`${to}\` in \`${short(bin.getText())}\``,
        key: `${bin.getText()}\n${to}`,
      },
    ];
  });
