// The "history" table of spec/models/manifest.json: one row per kernel version with the Bugs
// switches it had and the commits that fixed them. Reads and validates it; a malformed table is
// a one-line ManifestError naming the row and the field.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MODELS_DIR, ManifestError, type Manifest } from './manifest.ts';

/** Per bug of a version: the commit that introduced it and the one that fixed it. */
interface HistoryFix {
  switch: string;
  introduced: string;
  /** The fixing commit's id, or "not found" where the research notes give none. */
  fix: string;
  subject: string;
  release: string;
}

/** One kernel version: its switches, the config it is checked with and the verdict expected. */
export interface HistoryRow {
  version: string;
  config: string;
  bugs: string[];
  features: Record<string, unknown>;
  expected: string;
  fixes: HistoryFix[];
  notes?: string;
}

/** The id every unknown commit is written as. */
export const NOT_FOUND = 'not found';

const FIX_FIELDS = ['switch', 'introduced', 'fix', 'subject', 'release'] as const;

/**
 * Validates `doc.history` against the manifest's configs: every row names a known config, its
 * bugs are switches some variant config turns on, and it has exactly one fix per bug.
 * @throws ManifestError `<file>: history[i] (version).field: what is wrong`.
 */
export function validateHistory(doc: unknown, manifest: Manifest, file = 'manifest.json'): HistoryRow[] {
  const table = (doc as { history?: unknown } | null)?.history;
  if (!Array.isArray(table)) throw new ManifestError(`${file}: expected "history": [...]`);
  const configs = new Set(manifest.configs.map((c) => c.name));
  const variants = new Set(manifest.configs.flatMap((c) => (c.variant ? [c.variant] : [])));
  const versions = new Set<string>();
  return table.map((raw, i) => {
    const row = (raw ?? {}) as Record<string, unknown>;
    const where = `${file}: history[${i}]${typeof row.version === 'string' ? ` (${row.version})` : ''}`;
    const fail = (field: string, why: string): never => {
      throw new ManifestError(`${where}.${field}: ${why}`);
    };
    const text = (field: string, v: unknown): string =>
      typeof v === 'string' && v.trim() !== '' ? v : fail(field, 'must be a non-empty string');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ManifestError(`${where}: must be an object`);
    const version = text('version', row.version);
    if (versions.has(version)) fail('version', `'${version}' appears twice`);
    versions.add(version);
    const config = text('config', row.config);
    if (!configs.has(config)) fail('config', `'${config}' is not a config of the manifest`);
    const expected = text('expected', row.expected);
    if (!Array.isArray(row.bugs)) fail('bugs', 'must be an array of switch names');
    const bugs = (row.bugs as unknown[]).map((b, j) => text(`bugs[${j}]`, b));
    bugs.forEach((b, j) => {
      if (!variants.has(b)) fail(`bugs[${j}]`, `'${b}' is the variant of no config`);
      if (bugs.indexOf(b) !== j) fail(`bugs[${j}]`, `'${b}' appears twice`);
    });
    const features = row.features;
    if (typeof features !== 'object' || features === null || Array.isArray(features)) fail('features', 'must be an object');
    if (!Array.isArray(row.fixes)) fail('fixes', 'must be an array');
    const fixes = (row.fixes as unknown[]).map((f, j) => {
      if (typeof f !== 'object' || f === null) return fail(`fixes[${j}]`, 'must be an object');
      const o = f as Record<string, unknown>;
      const fix = Object.fromEntries(FIX_FIELDS.map((k) => [k, text(`fixes[${j}].${k}`, o[k])])) as unknown as HistoryFix;
      if (!bugs.includes(fix.switch)) fail(`fixes[${j}].switch`, `'${fix.switch}' is not in bugs`);
      return fix;
    });
    for (const b of bugs) {
      const n = fixes.filter((f) => f.switch === b).length;
      if (n !== 1) fail('fixes', `${n === 0 ? 'no' : n} entries for bug '${b}' (one expected)`);
    }
    if (row.notes !== undefined && typeof row.notes !== 'string') fail('notes', 'must be a string');
    return {
      version,
      config,
      bugs,
      features: features as Record<string, unknown>,
      expected,
      fixes,
      ...(typeof row.notes === 'string' ? { notes: row.notes } : {}),
    };
  });
}

/** Reads the history table of spec/models/manifest.json (or `file`). */
export function loadHistory(manifest: Manifest, file = path.join(MODELS_DIR, 'manifest.json')): HistoryRow[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ManifestError(`${file}: cannot read manifest: ${(e as Error).message}`);
  }
  return validateHistory(doc, manifest, file);
}

/** Looks rows up by version; an unknown one is a ManifestError listing the known versions. */
export function selectHistoryRows(rows: HistoryRow[], versions: string[]): HistoryRow[] {
  return versions.map((v) => {
    const row = rows.find((r) => r.version === v);
    if (!row) throw new ManifestError(`unknown version '${v}' (known: ${rows.map((r) => r.version).join(', ')})`);
    return row;
  });
}
