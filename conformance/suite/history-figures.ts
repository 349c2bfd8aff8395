// The figures of README.md's kernel-history table that come from committed files: each version's
// counterexample length (the states of conformance/regressions/history-VERSION.cex.json, read
// with readSavedCounterexample) and each historical switch's alone (its variant config's
// .cex.json). bench/README-figures.ts prints them; history-figures.test.ts holds the README to
// them, so a regenerated counterexample and a pasted figure cannot drift apart unnoticed.
import { existsSync } from 'node:fs';
import { loadHistory } from '../../lib/check/history-table.ts';
import { loadManifest } from '../../lib/check/manifest.ts';
import { readSavedCounterexample, regressionFiles } from '../replay/counterexample-replay.ts';
import { variantConfigs } from './variant-finding.ts';

/** One committed counterexample's length, as the history table quotes it. */
export interface CexFigure {
  /** The kernel version (a history row) or the switch (a variant config). */
  name: string;
  config: string;
  expected: string;
  /** States in the committed counterexample, the initial one included; null when none is
   *  committed (a config expected to hold, or one not yet regenerated). */
  states: number | null;
}

function cexStates(config: string): number | null {
  const file = regressionFiles(config).data;
  return existsSync(file) ? readSavedCounterexample(file).counterexample.steps.length : null;
}

/** Every history row of the manifest with its committed counterexample's length. */
export function historyCexFigures(): CexFigure[] {
  return loadHistory(loadManifest()).map((h) => ({
    name: h.version,
    config: h.config,
    expected: h.expected,
    states: h.expected === 'holds' ? null : cexStates(h.config),
  }));
}

/** Every switch some release shipped, with its own variant config's committed counterexample. */
export function historicalSwitchFigures(): CexFigure[] {
  const shipped = new Set(loadHistory(loadManifest()).flatMap((h) => h.bugs));
  return variantConfigs()
    .filter((v) => shipped.has(v.variant))
    .map((v) => ({ name: v.variant, config: v.name, expected: v.expected, states: cexStates(v.name) }));
}

/** The counterexample lengths the README's history table gives, by version: the verdict column
 *  ("NoDmaIntoForeignBlock, 17 states", "…, 17 / 17" for a row of two versions); a version whose
 *  config holds is left out (its figure there is a state count). @throws Error when the table or
 *  a row cannot be read. */
export function readmeHistoryLengths(readme: string): Map<string, number> {
  const lines = readme.split('\n');
  const header = lines.findIndex((l) => l.startsWith('| version (config) |'));
  if (header < 0) throw new Error('README.md: no history table (a "| version (config) |" header)');
  const cols = lines[header]!.split('|').map((c) => c.trim());
  const verdictCol = cols.findIndex((c) => c.startsWith('verdict of its config'));
  if (verdictCol < 0) throw new Error('README.md: the history table has no "verdict of its config" column');
  const out = new Map<string, number>();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').map((c) => c.trim());
    const versions = [...cells[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const verdict = cells[verdictCol]!;
    if (/^holds\b/.test(verdict)) continue;
    const m = /^[A-Za-z]+, ([\d,]+(?: \/ [\d,]+)*)(?: states)?$/.exec(verdict);
    if (!m) throw new Error(`README.md history row ${cells[1]}: cannot read the length in "${verdict}"`);
    const lengths = m[1]!.split(' / ').map((n) => Number(n.replace(/,/g, '')));
    if (lengths.length !== versions.length)
      throw new Error(`README.md history row ${cells[1]}: ${versions.length} versions but ${lengths.length} lengths in "${verdict}"`);
    versions.forEach((v, i) => out.set(v, lengths[i]!));
  }
  return out;
}

/** The lengths the README's "Every bug alone:" paragraph gives, by switch ("RetryOnlyOnSleep is
 *  refuted in 28 states …, SkipScanWhenUnmapped in 17"). @throws Error when there is no such paragraph. */
export function readmeSwitchLengths(readme: string): Map<string, number> {
  const start = readme.indexOf('Every bug alone:');
  if (start < 0) throw new Error('README.md: no "Every bug alone:" paragraph');
  const end = readme.indexOf('\n\n', start);
  const para = readme
    .slice(start, end < 0 ? undefined : end)
    .replace(/\([^)]*\)/g, '')
    .replace(/\s+/g, ' ');
  return new Map(
    [...para.matchAll(/\b([A-Z][a-z]+(?:[A-Z][a-z]+)+)(?: is refuted| deadlocks| violates [A-Za-z]+)? in (\d+)\b/g)].map((m) => [
      m[1]!,
      Number(m[2]),
    ]),
  );
}

/** The README's switch lengths that disagree with their variant configs' committed counterexamples. */
export function switchLengthDrift(readme: string, figures: CexFigure[] = historicalSwitchFigures()): string[] {
  const drift: string[] = [];
  for (const [name, q] of readmeSwitchLengths(readme)) {
    const f = figures.find((x) => x.name === name);
    if (!f) drift.push(`${name}: the README gives ${q}, but no shipped switch of that name has a variant config`);
    else if (f.states !== q)
      drift.push(`${name}: README ${q}, committed ${f.states ?? 'none'} (conformance/regressions/${f.config}.cex.json)`);
  }
  return drift;
}

/** The README's history-table lengths that disagree with the committed counterexamples, one
 *  line each ("4.18-ext4: README 16, committed 15 (conformance/regressions/…)"); empty when all agree. */
export function historyTableDrift(readme: string, figures: CexFigure[] = historyCexFigures()): string[] {
  const quoted = readmeHistoryLengths(readme);
  const drift: string[] = [];
  for (const f of figures) {
    if (f.expected === 'holds') continue;
    const q = quoted.get(f.name);
    if (q === undefined) drift.push(`${f.name}: no counterexample length in the README's history table`);
    else if (f.states === null) drift.push(`${f.name}: README ${q}, but no committed ${f.config}.cex.json`);
    else if (q !== f.states) drift.push(`${f.name}: README ${q}, committed ${f.states} (conformance/regressions/${f.config}.cex.json)`);
  }
  return drift;
}
