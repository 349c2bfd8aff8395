// The manifest's kernel-history table: malformed rows are one-line errors naming the row and the
// field; a small version checks on the embedded engine with every bug refuted with its switch and
// holding without it; with TLC, every version matches.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tlcUnavailableReason } from './check.ts';
import { skipTitle } from '../skip-reason.ts';
import { checkHistory, describeChecks, hypotheticalSwitches, withoutSwitch } from './history.ts';
import { cfgBugs, loadHistory, NEVER, selectHistoryRows, validateHistory } from './history-table.ts';
import { configFile, loadManifest, MODELS_DIR } from './manifest.ts';

const manifest = loadManifest();
const doc = JSON.parse(readFileSync(path.join(MODELS_DIR, 'manifest.json'), 'utf8')) as { history: Record<string, unknown>[] };
const tlcMissing = tlcUnavailableReason();

describe('history table', () => {
  it('reads every row of the manifest, each with one fix per bug', () => {
    const rows = loadHistory(manifest);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const r of rows) expect(r.fixes.map((f) => f.switch).sort()).toEqual([...r.bugs].sort());
  });

  it("gives the bugs a row's file system never had fixed no fixing commit (ext2: no layout break in any release)", () => {
    const rows = loadHistory(manifest);
    for (const version of ['4.19-ext2', '6.14-ext2']) {
      const row = rows.find((r) => r.version === version)!;
      expect(row.fixes.map((f) => [f.switch, f.fix, f.release])).toEqual([
        ['NoBreakLayouts', NEVER, 'none'],
        ['EvictWithoutBreak', NEVER, 'none'],
      ]);
      expect(row.fixes[0]!.subject).toMatch(/ext2/);
    }
    // The same switch in an ext4 row keeps ext4's fix.
    expect(rows.find((r) => r.version === '4.18-ext4')!.fixes.find((f) => f.switch === 'NoBreakLayouts')!.fix).toBe('430657b6be89');
  });

  type Doc = { history: Record<string, unknown>[]; fixes: Record<string, Record<string, unknown>> };
  /** Row 0's config (history-4.18-xfs) read as having `bugs`; the others as their cfgs say. */
  const row0Bugs =
    (bugs: string[]) =>
    (config: string): string[] =>
      config === 'history-4.18-xfs' ? bugs : loadHistory(manifest).find((r) => r.config === config)!.bugs;
  it.each([
    [
      'a missing config',
      (d: Doc) => delete d.history[0]!.config,
      /^m\.json: history\[0\] \(4\.18-xfs\)\.config: must be a non-empty string$/,
    ],
    [
      'an unknown config',
      (d: Doc) => (d.history[0]!.config = 'nope'),
      /history\[0\] \(4\.18-xfs\)\.config: 'nope' is not a config of the manifest$/,
    ],
    [
      "a copy of the bugs in the row (they are the cfg's)",
      (d: Doc) => (d.history[0]!.bugs = ['RetryOnlyOnSleep']),
      /history\[0\] \(4\.18-xfs\)\.bugs: not written here: the version's bugs are history-4\.18-xfs\.cfg's Bugs/,
    ],
    [
      'a bug no config turns on',
      () => {},
      /history\[0\] \(4\.18-xfs\)\.config: history-4\.18-xfs\.cfg's Bugs\[0\] 'Nope' is the variant of no config$/,
      row0Bugs(['Nope']),
    ],
    [
      'a bug without its fix',
      (d: Doc) => delete d.fixes.RetryOnlyOnSleep,
      /history\[0\] \(4\.18-xfs\)\.config: history-4\.18-xfs\.cfg's Bugs has 'RetryOnlyOnSleep', which has no entry in "fixes"$/,
    ],
    [
      'a fix without a subject',
      (d: Doc) => delete d.fixes.SkipScanWhenUnmapped!.subject,
      /^m\.json: fixes\.SkipScanWhenUnmapped\.subject: must be a non-empty string$/,
    ],
    [
      'a fix of a switch no version had',
      (d: Doc) => (d.fixes.ScanBeforeUnmap = { ...d.fixes.SkipScanWhenUnmapped }),
      /^m\.json: fixes\.ScanBeforeUnmap: no version's Bugs has 'ScanBeforeUnmap'$/,
    ],
    [
      'a duplicate version',
      (d: Doc) => (d.history[0]!.version = '6.15.y'),
      /history\[\d+\] \(6\.15\.y\)\.version: '6\.15\.y' appears twice$/,
    ],
    [
      'an unfixed switch the version does not have',
      (d: Doc) => (d.history[0]!.unfixed = { NoBreakLayouts: 'xfs never fixed it' }),
      /history\[0\] \(4\.18-xfs\)\.unfixed\.NoBreakLayouts: not in history-4\.18-xfs\.cfg's Bugs$/,
    ],
    [
      'features that are not an object',
      (d: Doc) => (d.history[0]!.features = 3),
      /history\[0\] \(4\.18-xfs\)\.features: must be an object$/,
    ],
  ] as [string, (d: Doc) => unknown, RegExp, ((config: string) => string[])?][])(
    'rejects %s in one line naming the row and field',
    (_what, edit, message, bugsOf) => {
      const copy = structuredClone(doc) as unknown as Doc;
      edit(copy);
      const thrown = (() => {
        try {
          validateHistory(copy, manifest, 'm.json', bugsOf);
        } catch (e) {
          return (e as Error).message;
        }
        return 'no error';
      })();
      expect(thrown).toMatch(message);
      expect(thrown).not.toContain('\n');
    },
  );

  it('rejects a manifest without a history array or fixes, and a row that is not an object', () => {
    expect(() => validateHistory({}, manifest, 'm.json')).toThrow('m.json: expected "history": [...]');
    expect(() => validateHistory({ history: [] }, manifest, 'm.json')).toThrow('m.json: expected "fixes": {...}');
    expect(() => validateHistory({ history: [7], fixes: {} }, manifest, 'm.json')).toThrow('m.json: history[0]: must be an object');
  });

  it("reads each version's bugs from its cfg, in the cfg's order", () => {
    const rows = loadHistory(manifest);
    for (const r of rows) expect(r.bugs).toEqual(cfgBugs(readFileSync(configFile(r.config), 'utf8')));
    expect(rows.find((r) => r.version === '5.18')!.bugs).toEqual([
      'ScanSkipsLocked',
      'SkipScanWhenUnmapped',
      'EvictWithoutBreak',
      'UnpinMissesWake',
    ]);
  });

  it('rejects an unknown version, naming the known ones', () => {
    expect(() => selectHistoryRows(loadHistory(manifest), ['3.0'])).toThrow(
      /^unknown version '3\.0' \(known: 4\.18-xfs, 4\.18-ext4, .*6\.15\.0, 6\.15\.y\)$/,
    );
  });
});

describe('withoutSwitch', () => {
  const cfg =
    '\\* Bugs = {"A"} in a comment\nCONSTANTS\n  Bugs = {"A", "B"}\n  Features = {}\nSPECIFICATION Spec\nINVARIANT TypeOK\nCHECK_DEADLOCK FALSE\n';

  it('takes the switch out of the Bugs assignment and leaves the rest, comments included, alone', () => {
    expect(withoutSwitch(cfg, 'A')).toBe(cfg.replace('Bugs = {"A", "B"}', 'Bugs = {"B"}'));
    expect(withoutSwitch(withoutSwitch(cfg, 'A'), 'B')).toContain('Bugs = {}\n');
  });

  it('refuses a switch the config does not turn on', () => {
    expect(() => withoutSwitch(cfg, 'C', 'x.cfg')).toThrow("x.cfg: Bugs does not hold 'C'");
  });

  it('says what the config checks', () => {
    expect(describeChecks(cfg)).toBe('invariants TypeOK; deadlock not checked');
  });
});

describe('hypothetical switches', () => {
  it('are the switches no version had, each with its variant configs', () => {
    const hyp = hypotheticalSwitches(manifest);
    const shipped = new Set(loadHistory(manifest).flatMap((r) => r.bugs));
    expect(hyp.map((h) => h.switch)).toContain('ScanBeforeUnmap');
    for (const h of hyp) {
      expect(shipped.has(h.switch)).toBe(false);
      expect(h.configs.length).toBeGreaterThan(0);
    }
  });
});

describe('embedded engine', () => {
  it('4.19-ext4: refuted as expected, each bug refuted with its switch and holding without it', async () => {
    const row = loadHistory(manifest).find((r) => r.version === '4.19-ext4')!;
    expect(manifest.configs.find((c) => c.name === row.config)?.engines).toContain('embedded');
    const report = await checkHistory({ engine: 'embedded', versions: ['4.19-ext4'] });
    const [out] = report.rows;
    expect(out?.run).toMatchObject({
      config: 'history-4.19-ext4',
      verdict: 'NoDmaIntoForeignBlock',
      property: 'NoDmaIntoForeignBlock',
      matches: true,
    });
    expect(out?.run.cexLength).toBeGreaterThan(1);
    expect(out?.bugs.map((b) => [b.switch, b.refutedWith.verdict, b.holdsWithout.verdict, b.fix.id])).toEqual([
      ['SkipScanWhenUnmapped', 'NoDmaIntoForeignBlock', 'holds', 'cee91fa13a8e'],
      ['EvictWithoutBreak', 'NoDmaIntoForeignBlock', 'holds', '0e2f80afcfa6'],
      ['ReleasePagesMissesWake', 'FsOpCompletes', 'holds', 'c5d6c45e90c4'],
    ]);
    expect(out?.bugs.every((b) => b.matches && b.holdsWithout.without === b.switch)).toBe(true);
    expect(report.matches).toBe(true);
  }, 180_000);
});

describe.skipIf(tlcMissing !== null)(skipTitle('TLC', tlcMissing), () => {
  it('every version matches its verdict and every fix check', async () => {
    const report = await checkHistory({ engine: 'tlc', versions: loadHistory(manifest).map((r) => r.version), workers: 2 });
    expect(report.rows.filter((r) => !r.matches).map((r) => r.version)).toEqual([]);
  }, 1_200_000);
});
