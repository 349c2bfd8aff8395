// The link between spec and implementation: actions reached from Next (through nested
// disjunctions and quantifiers), labels found by their type wherever they are passed, switches
// read through the switches type; every mismatch reported at file:line; the repository agrees.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { linkSpecAndImpl, LinkError } from './link.ts';
import { specActions, specBugNames, SpecNamesError } from './spec-names.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'tools/link/fixtures');

describe('spec names', () => {
  it('reads the actions of DaxDma.tla from Next through UserNext, MmNext, FsNext and SyncNext', () => {
    const text = readFileSync(path.join(ROOT, 'spec/DaxDma.tla'), 'utf8');
    const actions = specActions(text, 'spec/DaxDma.tla');
    expect(actions).toHaveLength(30);
    expect(actions.slice(0, 3).map((a) => a.name)).toEqual(['GupFastReadPte', 'GupFastGetRef', 'GupFastRecheck']);
    expect(actions.map((a) => a.name)).toContain('FsLockIo');
    expect(actions.map((a) => a.name)).not.toContain('OpsOn');
    expect(actions.map((a) => a.name).slice(-2)).toEqual(['WritebackLockEntry', 'WritebackUnlockEntry']);
    const line = actions.find((a) => a.name === 'FsUnlock')!.line;
    expect(text.split('\n')[line - 1]).toMatch(/^FsUnlock\(t\) ==/);
    expect(specBugNames(text, 'spec/DaxDma.tla').map((b) => b.name)).toEqual([
      'NoBreakLayouts',
      'ScanBeforeUnmap',
      'NoGupFastRecheck',
      'NoRestartAfterWait',
      'RetryOnlyOnSleep',
      'LostWakeup',
      'UnpinMissesWake',
      'ReleasePagesMissesWake',
      'CollapseSkipsBreak',
      'ScanSkipsLocked',
      'WaitSkipsEntry',
      'DeleteWaitSkipsEntry',
      'SkipScanWhenUnmapped',
      'EvictWithoutBreak',
      'LongtermPinAllowed',
    ]);
  });

  it('ignores commented-out actions and switches, and fails clearly without Next', () => {
    const text =
      '---- MODULE M ----\nA == TRUE\nB == TRUE\n\\* C == TRUE\nNext ==\n  \\/ A\n  (* \\/ C *)\n  \\/ B\nBugNames == { "X", (* "Y", *) "Z" } \\* "W"\n====';
    expect(specActions(text, 'M.tla')).toEqual([
      { name: 'A', file: 'M.tla', line: 2 },
      { name: 'B', file: 'M.tla', line: 3 },
    ]);
    expect(specBugNames(text, 'M.tla').map((b) => [b.name, b.line])).toEqual([
      ['X', 9],
      ['Z', 9],
    ]);
    expect(() => specActions('---- MODULE M ----\nInit == TRUE\n====', 'M.tla')).toThrow(
      new SpecNamesError('M.tla: no Next == \\/ … definition'),
    );
  });
});

describe('linkSpecAndImpl', () => {
  it('reports every missing or extra name at file:line', () => {
    const r = linkSpecAndImpl({ rootDir: FIXTURES, spec: 'spec/Mini.tla' });
    expect(r.actions.map((a) => a.name)).toEqual(['A', 'B', 'C', 'Tick']);
    expect(Object.keys(r.steps).sort()).toEqual(['A', 'B', 'D', 'Tick']);
    expect(r.problems.map((p) => `${p.file}:${p.line}: ${p.kind} ${p.name}`)).toEqual([
      'impl/steps.ts:17: label-not-an-action D',
      'impl/types.ts:4: label-not-an-action D',
      'impl/types.ts:7: switch-not-in-spec Extra',
      'impl/types.ts:7: switch-never-read Unused',
      'impl/types.ts:10: switch-not-in-spec Slow',
      // IdleRef: declared in the spec only, read by no definition, with no kernel comment.
      'spec/Mini.tla:7: switch-missing-in-impl IdleRef',
      'spec/Mini.tla:7: switch-never-read-in-spec IdleRef',
      'spec/Mini.tla:7: switch-undocumented IdleRef',
      'spec/Mini.tla:12: switch-missing-in-impl Missing',
      'spec/Mini.tla:12: switch-never-read-in-spec Missing',
      'spec/Mini.tla:12: switch-undocumented Missing',
      'spec/Mini.tla:13: switch-never-read-in-spec Unused',
      'spec/Mini.tla:13: switch-undocumented Unused',
      // testing.ts passes 'C' too, but test support drives steps, it does not implement them.
      'spec/Mini.tla:31: action-without-step C',
    ]);
    // Skip and Fast: named, read and commented with a kernel function or commit on both sides.
    const byGroup = Object.fromEntries(r.switchGroups.map((g) => [g.group, g]));
    expect(byGroup.Bugs!.documented).toEqual(['Skip', 'Extra']);
    expect(byGroup.Features!.spec.map((s) => [s.name, s.reads])).toEqual([['Fast', 1]]);
    expect(byGroup.Features!.documented).toEqual(['Fast', 'Slow']);
  });

  it('needs the label type to find labels', () => {
    expect(() => linkSpecAndImpl({ rootDir: FIXTURES, spec: 'spec/Mini.tla', labelType: 'Nope' })).toThrow(LinkError);
  });

  it('finds every spec action labelled in the repository, and the same switches on both sides', () => {
    const r = linkSpecAndImpl();
    expect(r.problems).toEqual([]);
    expect(r.actions.every((a) => (r.steps[a.name] ?? []).length > 0)).toBe(true);
    // Bugs, Features (Design2025, Munmap, TruncWarn, ZeroRangeInPlace) and IdleRef: each named, read and
    // documented on both sides.
    expect(r.switchGroups.map((g) => [g.group, g.spec.map((s) => s.name).sort(), g.documented.length])).toEqual([
      ['Bugs', [...r.bugNames.map((b) => b.name)].sort(), 15],
      ['Features', ['Design2025', 'Munmap', 'TruncWarn', 'ZeroRangeInPlace'], 4],
      ['IdleRef', ['IdleRef'], 1],
    ]);
  }, 20_000);
});
