// The lines of impl/ changed since a git ref (`git diff --unified=0 REF -- impl/`, plus untracked
// files), so that `dax-model mutate --since REF` mutates only the functions a change touched.
import { execFile } from 'node:child_process';

/** A bad ref or a directory that is not a git work tree: one line, for the command line. */
export class SinceError extends Error {
  override name = 'SinceError';
}

/** Changed line ranges (1-based, inclusive) per repository-relative file path. */
export type ChangedLines = Map<string, [number, number][]>;

function git(cwd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // An argument array and no shell: a ref is never interpreted by a shell.
    execFile('git', [...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * Parses `git diff --unified=0` output into new-side line ranges. A pure deletion (`+c,0`) marks
 * the lines around it, c and c+1, so that the function it was deleted from counts as changed.
 */
export function parseUnifiedZeroDiff(diff: string): ChangedLines {
  const out: ChangedLines = new Map();
  let file: string | null = null;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = line.slice(4).trim();
      file = target === '/dev/null' ? null : target.replace(/^b\//, '');
      continue;
    }
    const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (m && file !== null) {
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      const range: [number, number] = count === 0 ? [Math.max(1, start), start + 1] : [start, start + count - 1];
      const list = out.get(file) ?? [];
      list.push(range);
      out.set(file, list);
    }
  }
  return out;
}

/**
 * The lines under `dir` (default impl/) that differ between `ref` and the working tree; files git
 * does not track yet count as wholly changed (range [1, Infinity]).
 * @throws SinceError when `ref` is not a commit or `rootDir` is not in a git work tree.
 */
export async function changedLinesSince(rootDir: string, ref: string, dir = 'impl'): Promise<ChangedLines> {
  if (ref.startsWith('-')) throw new SinceError(`unknown git ref '${ref}'`);
  const verify = await git(rootDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (verify.code !== 0) {
    const inRepo = await git(rootDir, ['rev-parse', '--is-inside-work-tree']);
    if (inRepo.code !== 0) throw new SinceError(`${rootDir} is not a git work tree: --since needs git history`);
    throw new SinceError(`unknown git ref '${ref}'`);
  }
  // Paths relative to the root, whatever git's own prefix for the cwd is.
  const diff = await git(rootDir, ['diff', '--unified=0', '--no-color', '--no-ext-diff', '--relative', ref, '--', `${dir}/`]);
  if (diff.code !== 0) throw new SinceError(`git diff ${ref} failed: ${diff.stderr.trim().split('\n')[0] ?? ''}`);
  const changed = parseUnifiedZeroDiff(diff.stdout);
  const untracked = await git(rootDir, ['ls-files', '--others', '--exclude-standard', '--', `${dir}/`]);
  for (const f of untracked.stdout.split('\n').filter(Boolean)) changed.set(f, [[1, Number.POSITIVE_INFINITY]]);
  return changed;
}
