// A content hash of what a model's behaviours depend on: the protocol module, the MC module and
// the configuration. Corpora, cached state graphs and counterexamples record it to detect staleness.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configFile, SPEC_DIR } from './manifest.ts';

/** sha256 (hex) over spec/DaxDma.tla, spec/MCDaxDma.tla and the config's .cfg (by name or path). */
export function specHash(config: string): string {
  const h = createHash('sha256');
  const cfg = config.endsWith('.cfg') ? config : configFile(config);
  for (const f of [path.join(SPEC_DIR, 'DaxDma.tla'), path.join(SPEC_DIR, 'MCDaxDma.tla'), cfg]) {
    h.update(path.basename(f));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}
