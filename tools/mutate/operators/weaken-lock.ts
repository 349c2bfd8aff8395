// Mutation operator weaken-lock: a lock taken or released shared where it must be exclusive
// (down_write -> down_read, XFS_MMAPLOCK_EXCL -> XFS_MMAPLOCK_SHARED).
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { innermostFunction, short, type Operator, type Site, type Edit } from './syntax.ts';

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
export const weakenLock: Operator = (sf) => {
  const out: Site[] = [];
  const add = (site: Node, from: string, to: string, extra: Edit[] = [], start = site.getStart(), end = site.getEnd()): void => {
    out.push({
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
      if (nameNode && to !== undefined)
        add(nameNode, nameNode.getText(), to, Node.isIdentifier(callee) ? importBeside(sf, callee, to) : []);
      // Mode constants and enum members passed to any call (string literals are found below).
      for (const modeNode of n.getArguments().flatMap(modeNamesIn)) {
        const weak = MODE_NAME.test(modeNode.getText()) ? weakenWord(modeNode.getText()) : undefined;
        if (weak === undefined) continue;
        const extra =
          Node.isIdentifier(modeNode) && !Node.isPropertyAccessExpression(modeNode.getParent()) ? importBeside(sf, modeNode, weak) : [];
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
