// The kind of each variant switch is read from the comment above its name in BugNames, and only
// from the real definition (not one quoted in a comment).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { switchKinds } from './switch-kinds.ts';

const MODULE = `---- MODULE M ----
(* BugNames == { "Decoy" } *)
BugNames == {
    \\* historical: shipped in 4.18.
    "A",
    \\* hypothetical for PTEs:
    \\* more words.
    "B",
    "C"
}
====`;

describe('switchKinds', () => {
  it('reads historical, hypothetical and unmarked from the first comment line above each name', () => {
    expect([...switchKinds(MODULE)]).toEqual([
      ['A', 'historical'],
      ['B', 'hypothetical'],
      ['C', 'unmarked'],
    ]);
  });

  it('is empty for a module without the definition', () => {
    expect(switchKinds('---- MODULE M ----\nX == 1\n====').size).toBe(0);
  });

  it('marks every switch of the spec one way or the other', () => {
    const kinds = switchKinds(readFileSync(path.join(REPO_ROOT, 'spec', 'DaxDma.tla'), 'utf8'));
    expect(kinds.size).toBeGreaterThan(0);
    expect([...kinds.values()].filter((k) => k === 'unmarked')).toEqual([]);
  });
});
