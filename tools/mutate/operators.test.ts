// Each mutation operator finds exactly the sites it should in small fixture sources, writes the
// expected mutant text, names it stably, and skips (and counts) mutants that do not compile.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, type SourceFile } from 'ts-morph';
import { beforeAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from './diff.ts';
import { mutantsOfFile, type MutantSet } from './mutants.ts';
import { OPERATORS, type OperatorName } from './operators.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'tools/mutate/fixtures/operators');

let project: Project;
const fixture = (name: string): SourceFile => project.getSourceFileOrThrow(path.join(FIXTURES, `${name}.ts`));
const run = (name: string, op: OperatorName): MutantSet => mutantsOfFile(fixture(name), { rootDir: ROOT, operators: [op] });
/** The mutated lines of a mutant: its diff's `+` lines without the marker, trimmed. */
const added = (diff: string): string[] =>
  diff
    .split('\n')
    .filter((l) => l.startsWith('+') && !l.startsWith('+++'))
    .map((l) => l.slice(1).trim());
const removed = (diff: string): string[] =>
  diff
    .split('\n')
    .filter((l) => l.startsWith('-') && !l.startsWith('---'))
    .map((l) => l.slice(1).trim());

beforeAll(() => {
  // The repository's compiler options without @types/node and the DOM, which the fixtures do
  // not use and which would triple the type checker's start-up.
  project = new Project({
    tsConfigFilePath: path.join(ROOT, 'tsconfig.json'),
    skipAddingFilesFromTsConfig: true,
    compilerOptions: { types: [], lib: ['lib.es2022.d.ts'] },
  });
  project.addSourceFilesAtPaths(path.join(FIXTURES, '*.ts'));
}, 30_000);

describe('delete-call', () => {
  it('deletes plain, awaited and if-body call statements, and nothing else', () => {
    const { mutants, notCompiling } = run('calls', 'delete-call');
    expect(notCompiling).toEqual([]);
    expect(mutants.map((m) => [m.line, m.functionName, m.description])).toEqual([
      [16, 'dmaComplete', 'delete call `putPage(p);`'],
      [17, 'dmaComplete', 'delete call `wakeUpVar(p);`'],
      [18, 'dmaComplete', 'delete call `await flush();`'],
    ]);
    expect(removed(mutants[0]!.diff)).toEqual(['putPage(p);']);
    expect(added(mutants[0]!.diff)).toEqual([]);
    // A call that is the whole body of an if becomes an empty block, which still parses.
    expect(added(mutants[1]!.diff)).toEqual(['if (p.refcount === 1) {}']);
  });
});

describe('swap-statements', () => {
  it('swaps adjacent statements and skips, counting them, swaps that use a declaration before it', () => {
    const { mutants, notCompiling } = run('swap', 'swap-statements');
    expect(mutants.map((m) => m.description)).toEqual([
      'swap `t.scan = 0;` with the next statement `const next = t.scan + 1;`',
      "swap `if (n > 10) throw new Error('too big');` with the next statement `p.mapping = null;`",
      'swap `p.index = 0;` with the next statement `const a = n + 1;`',
    ]);
    expect(mutants[0]!.text).toContain('t.held = true;\n  const next = t.scan + 1;\n  t.scan = 0;\n  t.scan = next;');
    expect(notCompiling.map((m) => [m.line, m.error.slice(0, 6)])).toEqual([
      [11, 'TS2448'],
      [22, 'TS2448'],
    ]);
    expect(notCompiling[0]!.error).toMatch(/^TS2448: Block-scoped variable 'next' used before its declaration/);
  });

  it('leaves out swaps of two guard clauses, two independent fields and two pure declarations', () => {
    const descriptions = run('swap', 'swap-statements')
      .mutants.map((m) => m.description)
      .join('\n');
    expect(descriptions).not.toContain("swap `if (n < 0) throw new Error('negative');`");
    expect(descriptions).not.toContain('swap `t.held = true;`');
    expect(descriptions).not.toContain('swap `p.mapping = null;`');
    expect(descriptions).not.toContain('swap `const a = n + 1;`');
  });
});

describe('negate-condition', () => {
  it('negates if and while conditions, removing a leading ! rather than doubling it', () => {
    const { mutants } = run('conditions', 'negate-condition');
    expect(mutants.map((m) => added(m.diff)[0])).toEqual([
      "if (!(refcount > idle && !locked)) return 'busy';",
      'while (!(refcount <= idle)) refcount++;',
      "if (locked) return 'next';",
    ]);
  });

  it('leaves constant loop conditions to drop-retry', () => {
    expect(run('loops', 'negate-condition').mutants.map((m) => m.description)).toEqual([
      'negate if condition `busy()`',
      'negate while condition `n < 3`',
      'negate if condition `t < 0`',
      'negate do-while condition `n > 10`',
    ]);
  });
});

describe('boundary', () => {
  it('moves > and <= boundaries and flips ===', () => {
    const { mutants } = run('conditions', 'boundary');
    expect(mutants.map((m) => m.description)).toEqual([
      '`>` → `>=` in `refcount > idle`',
      '`<=` → `<` in `refcount <= idle`',
      '`===` → `!==` in `refcount === idle`',
    ]);
    expect(added(mutants[2]!.diff)).toEqual(["return refcount !== idle ? 'idle' : 'done';"]);
  });
});

describe('drop-retry', () => {
  it('deletes continue and runs while, for (;;) and do-while loops at most once, keeping labels on a loop', () => {
    const { mutants, notCompiling } = run('loops', 'drop-retry');
    expect(notCompiling).toEqual([]);
    expect(mutants.map((m) => [m.line, m.description])).toEqual([
      [4, 'run retry loop `for (;;)` at most once'],
      [8, 'delete `continue;`'],
      [16, 'run retry loop `while (n < 3)` at most once'],
      [18, 'delete `continue outer;`'],
      [20, 'run retry loop `do … while (n > 10)` at most once'],
    ]);
    const text = (i: number): string => mutants[i]!.text;
    expect(text(0)).toContain("  do {\n    yield 'BreakLayoutsUnmap';");
    expect(text(0)).toContain('    break;\n  } while (false)\n}');
    expect(text(2)).toContain('if (n < 3) outer: do {\n    n++;');
    expect(added(mutants[3]!.diff)).toEqual(['for (const t of tries) if (t < 0) {}']);
    expect(added(mutants[4]!.diff)).toEqual(['} while (false);']);
  });
});

describe('weaken-lock', () => {
  it('weakens rwsem calls, mode constants and string modes; a weak name that does not exist does not compile', () => {
    const { mutants, notCompiling } = run('locks', 'weaken-lock');
    expect(mutants.map((m) => added(m.diff)[0])).toEqual([
      'sem.downRead();',
      'xfsIlock(sem, XFS_MMAPLOCK_SHARED);',
      "lockMode(sem, 'shared');",
      'sem.upRead();',
    ]);
    // writebackLockEntry is a lock call by name, but 'Write' in it is not a whole word.
    expect(mutants.some((m) => m.text.includes('readbackLockEntry'))).toBe(false);
    expect(notCompiling.map((m) => m.error)).toEqual([expect.stringMatching(/^TS2339: Property 'lockShared' does not exist/)]);
  });
});

describe('mutant identity', () => {
  it('keeps ids when code above the site moves, and makes them unique per file', () => {
    const sf = fixture('loops');
    const before = mutantsOfFile(sf, { rootDir: ROOT, typeCheck: false });
    const original = sf.getFullText();
    sf.insertText(0, '// a new first line\n\n');
    try {
      const after = mutantsOfFile(sf, { rootDir: ROOT, typeCheck: false });
      expect(after.mutants.map((m) => m.id)).toEqual(before.mutants.map((m) => m.id));
      expect(after.mutants.map((m) => m.line)).toEqual(before.mutants.map((m) => m.line + 2));
    } finally {
      sf.replaceWithText(original);
    }
    const ids = before.mutants.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^tools\/mutate\/fixtures\/operators\/loops\.ts:[a-z-]+:[0-9a-f]{10}$/);
  });

  it('leaves the source file as it was, and applies every operator by default', () => {
    const sf = fixture('locks');
    const original = sf.getFullText();
    const all = mutantsOfFile(sf, { rootDir: ROOT });
    expect(sf.getFullText()).toBe(original);
    expect(new Set(all.mutants.map((m) => m.operator))).toEqual(new Set<OperatorName>(['delete-call', 'swap-statements', 'weaken-lock']));
    expect(OPERATORS).toHaveLength(6);
  });

  it('keeps only the sites the include filter accepts', () => {
    const { mutants } = mutantsOfFile(fixture('loops'), { rootDir: ROOT, include: (s) => s.functionName === 'retry', typeCheck: false });
    expect(mutants.length).toBeGreaterThan(0);
    expect(mutants.every((m) => m.functionName === 'retry' && m.line >= 14)).toBe(true);
  });
});

describe('unifiedDiff', () => {
  it('prints one hunk with two lines of context', () => {
    expect(unifiedDiff('x.ts', 'a\nb\nc\nd\ne\nf\n', 'a\nb\nc\nD\ne\nf\n')).toBe(
      ['--- a/x.ts', '+++ b/x.ts', '@@ -2,5 +2,5 @@', ' b', ' c', '-d', '+D', ' e', ' f'].join('\n'),
    );
    expect(unifiedDiff('x.ts', 'same', 'same')).toBe('');
  });
});
