// Which unit tests a mutant meets: impl/ test files importing its module directly or through impl/
// modules, found from the import statements (a tree written here: test files under fixtures/
// would be run by `npm test` itself); and how vitest's JSON report names the first failure.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstFailure, ImportGraph, importsOf } from './unit-tests.ts';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'unit-tests-test-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
    writeFileSync(path.join(tmp, f), text);
  }
}

describe('the import graph', () => {
  it('reads static, side-effect, re-export and dynamic imports', () => {
    expect(
      importsOf(
        "import { a } from './a.ts';\nimport './b.ts';\nexport { c } from '../c.ts';\nconst d = await import('./d.ts');\nimport { e } from 'vitest';\nimport {\n  f,\n} from './f.ts';",
      ),
    ).toEqual(['./a.ts', './b.ts', '../c.ts', './d.ts', './f.ts']);
  });

  it('finds the tests reaching a module directly or through impl/ modules, and no others', () => {
    write({
      'impl/kernel/wait.ts': 'export const w = 1;\n',
      'impl/kernel/rwsem.ts': "import { w } from './wait.ts';\nexport const r = w;\n",
      'impl/index.ts': "export { r } from './kernel/rwsem.ts';\n",
      'impl/lone.ts': 'export const l = 1;\n',
      'impl/kernel/wait.test.ts': "import { w } from './wait.ts';\n",
      'impl/system.test.ts': "import { r } from './index.ts';\n",
      'impl/lone.test.ts': "import { l } from './lone.ts';\n",
      'conformance/far.test.ts': "import { w } from '../impl/kernel/wait.ts';\n",
    });
    const g = new ImportGraph(tmp);
    expect(g.testsReaching('impl/kernel/wait.ts')).toEqual(['impl/kernel/wait.test.ts', 'impl/system.test.ts']);
    expect(g.testsReaching('impl/kernel/rwsem.ts')).toEqual(['impl/system.test.ts']);
    expect(g.testsReaching('impl/lone.ts')).toEqual(['impl/lone.test.ts']);
  });
});

describe("vitest's JSON report", () => {
  it('names the first failing test, or a file that failed to load, relative to the copy', () => {
    const root = '/tmp/copy';
    expect(
      firstFailure(
        {
          testResults: [
            { name: '/tmp/copy/impl/a.test.ts', status: 'passed', assertionResults: [{ fullName: 'a ok', status: 'passed' }] },
            {
              name: '/tmp/copy/impl/b.test.ts',
              status: 'failed',
              assertionResults: [
                { fullName: 'b woken', status: 'failed', failureMessages: ['AssertionError: expected [] to deeply equal [ 1 ]\n    at x'] },
              ],
            },
          ],
        },
        root,
      ),
    ).toEqual({ test: 'impl/b.test.ts > b woken', message: 'AssertionError: expected [] to deeply equal [ 1 ]' });
    expect(
      firstFailure(
        { testResults: [{ name: '/tmp/copy/impl/c.test.ts', status: 'failed', message: 'SyntaxError: x', assertionResults: [] }] },
        root,
      ),
    ).toEqual({
      test: 'impl/c.test.ts',
      message: 'SyntaxError: x',
    });
    expect(firstFailure({ testResults: [{ name: '/tmp/copy/impl/a.test.ts', status: 'passed', assertionResults: [] }] }, root)).toBeNull();
  });
});
