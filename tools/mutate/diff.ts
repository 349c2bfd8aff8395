// A minimal unified diff between a source file and its mutant. A mutant changes one contiguous
// region, so one hunk found by trimming the common prefix and suffix lines is the whole diff.

/** Lines of unchanged context printed around the changed region. */
const CONTEXT = 2;

/**
 * One-hunk unified diff of `before` → `after` (the format `git diff` prints), labelled with
 * `file`; empty when the texts are equal.
 */
export function unifiedDiff(file: string, before: string, after: string, context = CONTEXT): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const from = Math.max(0, head - context);
  const aEnd = Math.min(a.length, a.length - tail + context);
  const bEnd = Math.min(b.length, b.length - tail + context);
  const lines: string[] = [];
  for (let i = from; i < head; i++) lines.push(` ${a[i]}`);
  for (let i = head; i < a.length - tail; i++) lines.push(`-${a[i]}`);
  for (let i = head; i < b.length - tail; i++) lines.push(`+${b[i]}`);
  for (let i = a.length - tail; i < aEnd; i++) lines.push(` ${a[i]}`);
  const aCount = aEnd - from;
  const bCount = bEnd - from;
  // git prints start 0 for an empty side; line numbers are 1-based otherwise.
  const range = (start: number, count: number): string => `${count === 0 ? start : start + 1},${count}`;
  return [`--- a/${file}`, `+++ b/${file}`, `@@ -${range(from, aCount)} +${range(from, bCount)} @@`, ...lines].join('\n');
}
