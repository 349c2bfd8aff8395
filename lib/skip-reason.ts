// How every test names why it is skipped, the same way in every file: the reason goes into the
// skipped test's or suite's title (so vitest's verbose and JSON reports carry it) and is printed
// once as one line (so the default reporter's output carries it too). A test that cannot run here
// is skipped with `describe.skipIf(why !== null)(skipTitle('…', why), …)`, never left to pass
// without asserting.

/** `title`, or `title (skipped: why)` when `why` says why it cannot run here (then printed). */
export function skipTitle(title: string, why: string | null | undefined): string {
  if (!why) return title;
  console.log(`skipped "${title}": ${why}`);
  return `${title} (skipped: ${why})`;
}
