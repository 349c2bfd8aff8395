// Mutation operators over the implementation's TypeScript (impl/), one per file under
// operators/. Each re-creates, at one site, a classic way kernel concurrency code goes wrong: a
// missing unmap, wake-up, re-check or put; steps in the wrong order; a flipped test; an
// off-by-one bound; a lost retry; a lock taken shared where it must be exclusive.
import type { SourceFile } from 'ts-morph';
import { boundary } from './operators/boundary.ts';
import { deleteCall } from './operators/delete-call.ts';
import { dropRetry } from './operators/drop-retry.ts';
import { negateCondition } from './operators/negate-condition.ts';
import { swapStatements } from './operators/swap-statements.ts';
import type { Operator, Site } from './operators/syntax.ts';
import { weakenLock } from './operators/weaken-lock.ts';

/** The operators, in the order their mutants are listed. */
export const OPERATORS = ['delete-call', 'swap-statements', 'negate-condition', 'boundary', 'drop-retry', 'weaken-lock'] as const;
export type OperatorName = (typeof OPERATORS)[number];

const OPERATOR_FNS: Record<OperatorName, Operator> = {
  'delete-call': deleteCall,
  'swap-statements': swapStatements,
  'negate-condition': negateCondition,
  boundary,
  'drop-retry': dropRetry,
  'weaken-lock': weakenLock,
};

/** The sites of one file for the chosen operators, operator by operator, each with its operator. */
export function sitesOf(sf: SourceFile, operators: readonly OperatorName[]): (Site & { operator: OperatorName })[] {
  return operators.flatMap((operator) => OPERATOR_FNS[operator](sf).map((site) => ({ ...site, operator })));
}
