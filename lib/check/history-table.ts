// The "history" table of spec/models/manifest.json: one row per kernel version with its config,
// whose Bugs are the switches it had (read from the cfg, never copied into the manifest), and
// from the manifest's "fixes" the commits that introduced and fixed each. Reads and validates it;
// a malformed table is a one-line ManifestError naming the row and the field.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCfg } from '../tla/cfg.ts';
import { configFile, MODELS_DIR, ManifestError, type Manifest } from './manifest.ts';

/** Per bug of a version: the commit that introduced it and the one that fixed it (the manifest's
 *  "fixes" entry of the switch). */
interface HistoryFix {
  switch: string;
  introduced: string;
  /** The fixing commit's id, "not found" where the research notes give none, or "never" where the
   *  row's file system never got a fix (its subject then says why). */
  fix: string;
  subject: string;
  release: string;
}

/** One kernel version: its switches, the config it is checked with and the verdict expected. */
export interface HistoryRow {
  version: string;
  config: string;
  /** The config's Bugs, in the cfg's order. */
  bugs: string[];
  features: Record<string, unknown>;
  expected: string;
  fixes: HistoryFix[];
  notes?: string;
}

/** The id every unknown commit is written as. */
export const NOT_FOUND = 'not found';

/** The id of the fix of a bug the row's file system never got fixed (the row's "unfixed"). */
export const NEVER = 'never';

const FIX_FIELDS = ['introduced', 'fix', 'subject', 'release'] as const;

/** The Bugs of a cfg's text, in the order written: the one reader of a version's bug set (its
 *  cfg is where the set is written; impl/releases.ts is the other copy, held to it by a test).
 *  @throws ManifestError `<where>: Bugs is not a set of switch names`. */
export function cfgBugs(cfgText: string, where = 'cfg'): string[] {
  const bugs = parseCfg(cfgText).constants.find((c) => c.name === 'Bugs')?.value;
  if (bugs === undefined || !/^\{\s*("[^"]*"\s*(,\s*"[^"]*"\s*)*)?\}$/.test(bugs))
    throw new ManifestError(`${where}: Bugs is not a set of switch names`);
  return [...bugs.matchAll(/"([^"]*)"/g)].map((m) => m[1] as string);
}

/** A config's Bugs, read from spec/models/<config>.cfg. */
function configBugs(config: string): string[] {
  const file = configFile(config);
  return cfgBugs(readFileSync(file, 'utf8'), file);
}

/**
 * Validates `doc.history` against the manifest's configs: every row names a known config, whose
 * Bugs (read from the cfg by `bugsOf`: the manifest holds no copy of them) are switches some
 * variant config turns on, each with its entry in `doc.fixes`.
 * @throws ManifestError `<file>: history[i] (version).field: what is wrong`.
 */
export function validateHistory(
  doc: unknown,
  manifest: Manifest,
  file = 'manifest.json',
  bugsOf: (config: string) => string[] = configBugs,
): HistoryRow[] {
  const table = (doc as { history?: unknown } | null)?.history;
  if (!Array.isArray(table)) throw new ManifestError(`${file}: expected "history": [...]`);
  const configs = new Set(manifest.configs.map((c) => c.name));
  const variants = new Set(manifest.configs.flatMap((c) => (c.variant ? [c.variant] : [])));
  const fixes = validateFixes((doc as { fixes?: unknown }).fixes, variants, file);
  const versions = new Set<string>();
  const rows = table.map((raw, i): HistoryRow => {
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
    // The bug set is the config's; a second copy here could only drift from it.
    for (const copy of ['bugs', 'fixes'])
      if (copy in row) fail(copy, `not written here: the version's bugs are ${config}.cfg's Bugs, their fixes in "fixes"`);
    const bugs = bugsOf(config);
    bugs.forEach((b, j) => {
      if (!variants.has(b)) fail('config', `${config}.cfg's Bugs[${j}] '${b}' is the variant of no config`);
      if (bugs.indexOf(b) !== j) fail('config', `${config}.cfg's Bugs has '${b}' twice`);
      if (!fixes.has(b)) fail('config', `${config}.cfg's Bugs has '${b}', which has no entry in "fixes"`);
    });
    const features = row.features;
    if (typeof features !== 'object' || features === null || Array.isArray(features)) fail('features', 'must be an object');
    if (row.notes !== undefined && typeof row.notes !== 'string') fail('notes', 'must be a string');
    // "unfixed": the bugs this version's file system never had fixed (ext2: no layout break in any
    // release), each with why; the switch's "fixes" entry is another file system's fix.
    const unfixed = row.unfixed ?? {};
    if (typeof unfixed !== 'object' || unfixed === null || Array.isArray(unfixed)) fail('unfixed', 'must be an object');
    for (const [b, why] of Object.entries(unfixed as Record<string, unknown>)) {
      if (!bugs.includes(b)) fail(`unfixed.${b}`, `not in ${config}.cfg's Bugs`);
      text(`unfixed.${b}`, why);
    }
    const fixOf = (b: string): HistoryFix => {
      const why = (unfixed as Record<string, string>)[b];
      const f = fixes.get(b)!;
      return why === undefined ? f : { ...f, fix: NEVER, subject: why, release: 'none' };
    };
    return {
      version,
      config,
      bugs,
      features: features as Record<string, unknown>,
      expected,
      fixes: bugs.map(fixOf),
      ...(typeof row.notes === 'string' ? { notes: row.notes } : {}),
    };
  });
  const shipped = new Set(rows.flatMap((r) => r.bugs));
  for (const name of fixes.keys())
    if (!shipped.has(name)) throw new ManifestError(`${file}: fixes.${name}: no version's Bugs has '${name}'`);
  return rows;
}

/** `doc.fixes`: per switch, the commit that introduced it and the one that fixed it. */
function validateFixes(raw: unknown, variants: ReadonlySet<string>, file: string): Map<string, HistoryFix> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ManifestError(`${file}: expected "fixes": {...}`);
  return new Map(
    Object.entries(raw).map(([name, f]) => {
      const fail = (field: string, why: string): never => {
        throw new ManifestError(`${file}: fixes.${name}${field}: ${why}`);
      };
      if (!variants.has(name)) fail('', `'${name}' is the variant of no config`);
      if (typeof f !== 'object' || f === null || Array.isArray(f)) fail('', 'must be an object');
      const o = f as Record<string, unknown>;
      const text = (k: string): string =>
        typeof o[k] === 'string' && (o[k] as string).trim() !== '' ? (o[k] as string) : fail(`.${k}`, 'must be a non-empty string');
      return [name, { switch: name, ...Object.fromEntries(FIX_FIELDS.map((k) => [k, text(k)])) } as HistoryFix];
    }),
  );
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
