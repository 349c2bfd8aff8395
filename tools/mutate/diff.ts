// A small unified diff (the format `git diff` prints) between a source file and its mutant. A
// mutant changes one site, sometimes plus an import, so the texts differ in a few short regions:
// common prefix and suffix lines are trimmed and only the middle is aligned by an LCS.

/** Lines of unchanged context printed around each change. */
const CONTEXT = 2;

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

/** Line-level edit script of a → b: common lines kept, the rest removed then added. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ma = a.slice(head, a.length - tail);
  const mb = b.slice(head, b.length - tail);
  // LCS table over the middle only: a few dozen lines at most for a mutant.
  const lcs: number[][] = Array.from({ length: ma.length + 1 }, () => new Array<number>(mb.length + 1).fill(0));
  for (let i = ma.length - 1; i >= 0; i--) {
    for (let j = mb.length - 1; j >= 0; j--) {
      lcs[i]![j] = ma[i] === mb[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: ' ', line: a[i]!, a: i, b: i });
  let i = 0;
  let j = 0;
  while (i < ma.length || j < mb.length) {
    if (i < ma.length && j < mb.length && ma[i] === mb[j]) {
      ops.push({ kind: ' ', line: ma[i]!, a: head + i, b: head + j });
      i++;
      j++;
    } else if (j >= mb.length || (i < ma.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ kind: '-', line: ma[i]!, a: head + i, b: head + j });
      i++;
    } else {
      ops.push({ kind: '+', line: mb[j]!, a: head + i, b: head + j });
      j++;
    }
  }
  for (let k = 0; k < tail; k++) ops.push({ kind: ' ', line: a[a.length - tail + k]!, a: a.length - tail + k, b: b.length - tail + k });
  return ops;
}

/**
 * Unified diff of `before` → `after`, labelled with `file`, one hunk per group of changes
 * closer than 2 × `context` lines; empty when the texts are equal.
 */
export function unifiedDiff(file: string, before: string, after: string, context = CONTEXT): string {
  if (before === after) return '';
  const ops = editScript(before.split('\n'), after.split('\n'));
  const changed = ops.map((o, k) => (o.kind === ' ' ? -1 : k)).filter((k) => k >= 0);
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let g = 0;
  while (g < changed.length) {
    // Extend the hunk while the next change is within reach of this one's trailing context.
    let last = g;
    while (last + 1 < changed.length && changed[last + 1]! - changed[last]! <= 2 * context + 1) last++;
    const from = Math.max(0, changed[g]! - context);
    const to = Math.min(ops.length - 1, changed[last]! + context);
    const hunk = ops.slice(from, to + 1);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    // git prints the line before an empty side (0 at the top); ranges are 1-based otherwise.
    const range = (start: number, count: number): string => `${count === 0 ? start : start + 1},${count}`;
    out.push(`@@ -${range(hunk[0]!.a, aCount)} +${range(hunk[0]!.b, bCount)} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
    g = last + 1;
  }
  return out.join('\n');
}
