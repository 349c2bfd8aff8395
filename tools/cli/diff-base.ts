// `dax-model diff --base REF`'s base: the implementation at a git ref, materialised in a temp
// folder beside a copy of this work tree's harness (conformance/, lib/, spec/), so that the
// harness's relative imports (../impl/index.ts) bind the base's impl/ while everything else is
// the work tree's. git runs without a shell, bounded in time; the folder is removed at exit.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeOnExit } from '../../lib/interrupt.ts';

/** A ref git does not know, or a base that cannot be materialised: one line, exit 2. */
export class BaseRefError extends Error {
  override name = 'BaseRefError';
}

/** How long one git command may take. */
const GIT_TIMEOUT_MS = 60_000;

/** What of the work tree the copy holds beside the base's impl/: the harness and its inputs. */
const HARNESS = ['conformance', 'lib', 'spec', 'package.json', 'tsconfig.json'];

/** Trace corpora and saved regressions: data the differential harness does not read. */
const NOT_NEEDED = new Set([path.join('conformance', 'traces'), path.join('conformance', 'regressions')]);

function git(cwd: string, args: readonly string[], input?: Buffer): Buffer {
  return execFileSync('git', [...args], {
    cwd,
    timeout: GIT_TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(input ? { input } : {}),
  });
}

/** The commit a ref names in the repository at `root`. @throws BaseRefError naming the ref. */
function resolveCommit(root: string, ref: string): string {
  if (ref === '' || ref.startsWith('-')) throw new BaseRefError(`unknown git ref '${ref}'`);
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])
      .toString()
      .trim();
  } catch {
    throw new BaseRefError(`unknown git ref '${ref}'`);
  }
}

export interface MaterialisedBase {
  /** The copy's root: the base's impl/ and this work tree's harness. */
  dir: string;
  commit: string;
  /** Removes the copy (also done at exit and on interrupt). */
  remove(): void;
}

/**
 * Materialises `ref`'s impl/ (`git archive COMMIT impl`, unpacked by `tar`) in a temp folder under
 * os.tmpdir(), with copies of `root`'s harness and a symlink to its node_modules.
 * @throws BaseRefError for an unknown ref or a commit without impl/.
 */
export function materialiseBase(root: string, ref: string): MaterialisedBase {
  const commit = resolveCommit(root, ref);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-diff-base-'));
  const release = removeOnExit(dir);
  const remove = (): void => {
    release();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  };
  try {
    let archive: Buffer;
    try {
      archive = git(root, ['archive', '--format=tar', commit, 'impl']);
    } catch {
      throw new BaseRefError(`${ref} (${commit.slice(0, 12)}) has no impl/ to compare with`);
    }
    execFileSync('tar', ['-x', '-f', '-', '-C', dir], { input: archive, timeout: GIT_TIMEOUT_MS, stdio: ['pipe', 'ignore', 'pipe'] });
    for (const entry of HARNESS) {
      const from = path.join(root, entry);
      if (!existsSync(from)) continue;
      cpSync(from, path.join(dir, entry), {
        recursive: true,
        filter: (src) => {
          const rel = path.relative(root, src);
          return !NOT_NEEDED.has(rel) && !rel.split(path.sep).includes('node_modules') && !/\.test\.ts$/.test(rel);
        },
      });
    }
    symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(dir, 'node_modules'), 'dir');
  } catch (e) {
    remove();
    throw e;
  }
  return { dir, commit, remove };
}
