// The project's unit tests as a mutation check: which impl/ test files can see a mutated module
// (found statically from the import statements, once per run), and one vitest run of them on the
// mutant's temp copy, in a child process (no shell, its own process group), bounded in time.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** The unit tests: impl/'s own test files. conformance/'s and tools/' tests are the suite's own
 *  and end-to-end tests (state graphs, TLC, whole mutation runs): minutes, not seconds. */
const UNIT_TEST_DIR = 'impl';

/** Relative import specifiers of a module: `from '…'`, `import '…'`, `import('…')`. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

/** Repository-relative paths (forward slashes) of the .ts files under `dir`. */
function tsFilesUnder(rootDir: string, dir: string): string[] {
  const abs = path.join(rootDir, dir);
  if (!existsSync(abs)) return [];
  return (readdirSync(abs, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => `${dir}/${f.split(path.sep).join('/')}`)
    .sort();
}

/** Who imports whom among impl/'s files, tests included: built once per run. */
export class ImportGraph {
  /** module -> the modules (and tests) that import it directly. */
  private readonly importers = new Map<string, Set<string>>();
  readonly tests: string[];

  constructor(rootDir: string) {
    const files = tsFilesUnder(rootDir, UNIT_TEST_DIR);
    this.tests = files.filter((f) => f.endsWith('.test.ts'));
    for (const f of files) {
      for (const spec of importsOf(readFileSync(path.join(rootDir, f), 'utf8'))) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), spec));
        if (!this.importers.has(target)) this.importers.set(target, new Set());
        this.importers.get(target)!.add(f);
      }
    }
  }

  /**
   * The test files that import `file` directly or through a chain of impl/ modules (the barrel
   * impl/index.ts re-exports nearly everything, so most tests reach most modules), sorted.
   */
  testsReaching(file: string): string[] {
    const seen = new Set([file]);
    const todo = [file];
    for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
      for (const by of this.importers.get(f) ?? []) if (!seen.has(by)) (seen.add(by), todo.push(by));
    }
    return this.tests.filter((t) => seen.has(t) && t !== file);
  }
}

/** How one vitest run ended. */
export type UnitOutcome =
  | { kind: 'passed'; seconds: number; files: number }
  | { kind: 'failed'; seconds: number; test: string; message: string }
  | { kind: 'timeout' }
  | { kind: 'crashed'; message: string }
  | { kind: 'aborted' };

interface VitestJson {
  testResults?: {
    name: string;
    status: string;
    message?: string;
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

/** The first failing test of a vitest JSON report, as `file > test` and its first message line. */
export function firstFailure(report: VitestJson, rootDir: string): { test: string; message: string } | null {
  for (const f of report.testResults ?? []) {
    const file = path.relative(rootDir, f.name).split(path.sep).join('/');
    const a = (f.assertionResults ?? []).find((x) => x.status === 'failed');
    if (a) return { test: `${file} > ${a.fullName}`, message: (a.failureMessages?.[0] ?? 'failed').split('\n')[0]!.slice(0, 400) };
    if (f.status === 'failed') return { test: file, message: (f.message ?? 'the file failed to load').split('\n')[0]!.slice(0, 400) };
  }
  return null;
}

/**
 * Runs `tests` (paths relative to `copyDir`, passed absolute: vitest takes them as filters) with the vitest of `copyDir`'s node_modules, stopping
 * at the first failure (--bail 1); never rejects. The child gets its own process group, so that a
 * timeout or an abort ends vitest's own workers too.
 */
export function runUnitTests(copyDir: string, tests: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<UnitOutcome> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ kind: 'aborted' });
    const started = performance.now();
    const out = path.join(copyDir, `.unit-report-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
    const vitest = path.join(copyDir, 'node_modules/vitest/vitest.mjs');
    const args = [
      vitest,
      'run',
      '--root',
      copyDir,
      '--bail',
      '1',
      '--reporter',
      'json',
      '--outputFile',
      out,
      ...tests.map((t) => path.join(copyDir, t)),
    ];
    const child = spawn(process.execPath, args, {
      cwd: copyDir,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
      env: { ...process.env, CI: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    let settled = false;
    const finish = (o: UnitOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      rmSync(out, { force: true });
      resolve(o);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    const onAbort = (): void => finish({ kind: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (e) => finish({ kind: 'crashed', message: `vitest did not start: ${e.message}` }));
    child.once('exit', (code, sig) => {
      const seconds = (performance.now() - started) / 1000;
      let report: VitestJson | null = null;
      try {
        report = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
      } catch {
        report = null;
      }
      const failed = report ? firstFailure(report, copyDir) : null;
      if (failed) return finish({ kind: 'failed', seconds, ...failed });
      if (code === 0 && report) return finish({ kind: 'passed', seconds, files: report.testResults?.length ?? 0 });
      // No failing test named, yet no clean exit: vitest itself died (OOM, a signal), not a check.
      const last = stderr.trim().split('\n').at(-1) ?? '';
      finish({
        kind: 'crashed',
        message: `vitest exited with ${sig ?? `code ${code}`} without naming a failing test${last ? `: ${last}` : ''}`,
      });
    });
  });
}
