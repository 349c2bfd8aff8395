// Writes one config's part of the trace corpus atomically (corpus.ts generates it): the traces
// into a staging folder, each read back with the ITF reader, then swapped into place with the
// updated manifest by renames, so that no reader ever sees a half-written corpus.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readItf, writeItf } from '../trace-formats/itf.ts';
import type { TraceSchema } from '../trace-formats/schema.ts';
import type { SpecTrace } from '../trace-formats/spec-trace.ts';
import {
  emptyManifest,
  loadCorpusManifest,
  MANIFEST_NAME,
  type CorpusConfigEntry,
  type CorpusEntry,
  type CorpusManifest,
} from './corpus-manifest.ts';

/**
 * Writes a config's traces and the updated manifest so that no reader ever sees a half-written
 * corpus: everything goes to a staging folder beside the target first (same file system), each
 * file is read back with the ITF reader, then the old folder is moved aside, the staging folder
 * renamed into place, the manifest replaced by rename, and the old folder removed.
 * Returns the bytes written.
 */
export function writeCorpus(
  outDir: string,
  name: string,
  cfgEntry: CorpusConfigEntry,
  files: { entry: CorpusEntry; trace: SpecTrace }[],
  schema: TraceSchema,
  progress: (l: string) => void,
): number {
  mkdirSync(outDir, { recursive: true });
  const manifest = loadCorpusManifest(outDir);
  const stage = mkdtempSync(path.join(outDir, `.staging-${name}-`));
  // mkdtemp makes the folder private; the corpus is an ordinary, shared folder.
  chmodSync(stage, 0o755);
  const target = path.join(outDir, name);
  const old = path.join(outDir, `.old-${name}-${process.pid}`);
  const manifestTmp = path.join(outDir, `.${MANIFEST_NAME}.${process.pid}.tmp`);
  let bytes = 0;
  let moved = false;
  try {
    for (const { entry, trace } of files) {
      const meta = {
        description: `a behaviour of spec/MCDaxDma.tla under spec/models/${name}.cfg`,
        config: name,
        kind: entry.kind,
        ...(entry.targets ? { targets: entry.targets } : {}),
        engine: entry.engine,
        engineVersion: entry.engineVersion,
        seed: entry.seed,
        specHash: entry.specHash,
      };
      const text = writeItf(trace, meta, schema.variables);
      const file = path.join(stage, path.basename(entry.file));
      // Read back what was written: a corpus file the reader rejects must never be committed.
      readItf(text, { source: entry.file, schema });
      writeFileSync(file, text);
      bytes += Buffer.byteLength(text);
    }
    progress(`[${name}] ${files.length} traces written (${Math.round(bytes / 1024)} KiB)`);
    const updated: CorpusManifest = {
      $comment: manifest.$comment || emptyManifest().$comment,
      configs: Object.fromEntries(Object.entries({ ...manifest.configs, [name]: cfgEntry }).sort(([a], [b]) => a.localeCompare(b))),
      traces: [...manifest.traces.filter((t) => t.config !== name), ...files.map((f) => f.entry)].sort((a, b) =>
        a.file.localeCompare(b.file),
      ),
    };
    writeFileSync(manifestTmp, `${JSON.stringify(updated, null, 2)}\n`);
    if (existsSync(target)) {
      renameSync(target, old);
      moved = true;
    }
    renameSync(stage, target);
    renameSync(manifestTmp, path.join(outDir, MANIFEST_NAME));
    rmSync(old, { recursive: true, force: true });
    return bytes;
  } catch (e) {
    if (moved && !existsSync(target)) renameSync(old, target);
    throw e;
  } finally {
    rmSync(stage, { recursive: true, force: true });
    rmSync(manifestTmp, { force: true });
  }
}
