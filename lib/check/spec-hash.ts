// A content hash of what a model's behaviours depend on: the spec's module tree and the
// configuration, comments left out. Trace corpora, committed counterexamples and cached state
// graphs record it to detect that they are stale; a comment edit does not make them so.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { flattenModule } from '../tla/flatten.ts';
import { maskTla } from '../tla/scan.ts';
import { configFile, configSpecFile, loadManifest, specFile } from './manifest.ts';
import { REPO_ROOT } from '../paths.ts';

/**
 * sha256 (hex) over the spec's modules (the module tree of spec/MCDaxDma.tla: DaxDma.tla and
 * MCDaxDma.tla, or of the config's own module: a refinement config's RefineDaxDma.tla with the
 * promise and the mapping it instantiates) and the config file (a name of spec/models or a .cfg
 * path), each preceded by its path relative to the repository, so that the hash changes when any
 * of them does.
 */
export function specHash(config: string): string {
  const manifest = loadManifest();
  const entry = config.endsWith('.cfg') ? undefined : manifest.configs.find((c) => c.name === config);
  const modules = entry?.module
    ? moduleTree(configSpecFile(manifest, entry))
    : flattenModule(specFile(manifest)).modules.map((m) => m.path);
  const cfg = config.endsWith('.cfg') ? path.resolve(config) : configFile(config);
  return hashFiles([...modules.sort(), cfg]);
}

/**
 * A module and every module of its folder it EXTENDS or INSTANCEs, transitively (standard modules,
 * which have no file there, left out). flattenModule refuses INSTANCE, which a refinement module
 * needs (`Abs == INSTANCE DaxAbstract WITH ...`); a hash only needs the files.
 */
function moduleTree(file: string): string[] {
  const seen = new Set<string>();
  const visit = (f: string): void => {
    if (seen.has(f) || !existsSync(f)) return;
    seen.add(f);
    const text = maskTla(readFileSync(f, 'utf8'));
    const names = [
      ...[...text.matchAll(/(?<![A-Za-z0-9_])EXTENDS\s+([A-Za-z0-9_,\s]+?)(?=\n\s*\n|\n[A-Z]|$)/g)].flatMap((m) => m[1]!.split(',')),
      ...[...text.matchAll(/(?<![A-Za-z0-9_])INSTANCE\s+([A-Za-z0-9_]+)/g)].map((m) => m[1]!),
    ];
    for (const n of names) visit(path.join(path.dirname(f), `${n.trim()}.tla`));
  };
  visit(file);
  return [...seen];
}

/**
 * sha256 (hex) over files, in the order given, each preceded by its repository-relative path and
 * read as TLA+ text without its comments (modules and cfg files share TLA+'s comment syntax): the
 * comments blanked, trailing blanks and blank lines dropped. Indentation stays, since TLA+'s
 * bulleted conjunctions and disjunctions depend on it.
 */
export function hashFiles(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(`${path.relative(REPO_ROOT, f).split(path.sep).join('/')}\n`);
    h.update(withoutComments(readFileSync(f, 'utf8')));
    h.update('\n');
  }
  return h.digest('hex');
}

/** TLA+ text with its comments, trailing blanks and blank lines left out. */
export function withoutComments(text: string): string {
  return maskTla(text)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .join('\n');
}
