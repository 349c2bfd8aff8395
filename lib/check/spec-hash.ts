// A content hash of what a model's behaviours depend on: the spec's module tree and the
// configuration. Trace corpora, committed counterexamples and cached state graphs record it to
// detect that they are stale.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { flattenModule } from '../tla/flatten.ts';
import { configFile, loadManifest, specFile } from './manifest.ts';
import { REPO_ROOT } from '../paths.ts';

/**
 * sha256 (hex) over the spec's modules (the module tree of spec/MCDaxDma.tla: DaxDma.tla and
 * MCDaxDma.tla) and the config file (a name of spec/models or a .cfg path), each preceded by its
 * path relative to the repository, so that the hash changes when any of them does.
 */
export function specHash(config: string): string {
  const modules = flattenModule(specFile(loadManifest())).modules.map((m) => m.path);
  const cfg = config.endsWith('.cfg') ? path.resolve(config) : configFile(config);
  return hashFiles([...modules.sort(), cfg]);
}

/** sha256 (hex) over files, in the order given, each preceded by its repository-relative path. */
export function hashFiles(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(`${path.relative(REPO_ROOT, f).split(path.sep).join('/')}\n`);
    h.update(readFileSync(f));
    h.update('\n');
  }
  return h.digest('hex');
}
