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
    expect(actions).toHaveLength(27);
    expect(actions.slice(0, 3).map((a) => a.name)).toEqual(['GupFastReadPte', 'GupFastGetRef', 'GupFastRecheck']);
    expect(actions.map((a) => a.name)).toContain('FsLockIo');
    expect(actions.map((a) => a.name)).not.toContain('OpsOn');
    expect(actions.map((a) => a.name).slice(-2)).toEqual(['WritebackLockEntry', 'WritebackUnlockEntry']);
    const line = actions.find((a) => a.name === 'FsUnlock')!.line;
    expect(text.split('\n')[line - 1]).toMatch(/^FsUnlock\(t\) ==/);
    expect(specBugNames(text, 'spec/DaxDma.tla').map((b) => b.name)).toEqual([
      'NoBreakLayouts', 'ScanBeforeUnmap', 'NoGupFastRecheck', 'NoRestartAfterWait', 'RetryOnlyOnSleep', 'LostWakeup', 'UnpinMissesWake',
      'ReleasePagesMissesWake', 'CollapseSkipsBreak', 'ScanSkipsLocked', 'SkipScanWhenUnmapped', 'EvictWithoutBreak', 'LongtermPinAllowed',
    ]);
  });

  it('ignores commented-out actions and switches, and fails clearly without Next', () => {
    const text = '---- MODULE M ----\nA == TRUE\nB == TRUE\n\\* C == TRUE\nNext ==\n  \\/ A\n  (* \\/ C *)\n  \\/ B\nBugNames == { "X", (* "Y", *) "Z" } \\* "W"\n====';
    expect(specActions(text, 'M.tla')).toEqual([{ name: 'A', file: 'M.tla', line: 2 }, { name: 'B', file: 'M.tla', line: 3 }]);
    expect(specBugNames(text, 'M.tla').map((b) => [b.name, b.line])).toEqual([['X', 9], ['Z', 9]]);
    expect(() => specActions('---- MODULE M ----\nInit == TRUE\n====', 'M.tla')).toThrow(new SpecNamesError('M.tla: no Next == \\/ … definition'));
  });
});

describe('linkSpecAndImpl', () => {
  it('reports every missing or extra name at file:line', () => {
    const r = linkSpecAndImpl({ rootDir: FIXTURES, spec: 'spec/Mini.tla' });
    expect(r.actions.map((a) => a.name)).toEqual(['A', 'B', 'C', 'Tick']);
    expect(Object.keys(r.steps).sort()).toEqual(['A', 'B', 'D', 'Tick']);
    expect(r.problems.map((p) => `${p.file}:${p.line}: ${p.kind} ${p.name}`)).toEqual([
      'impl/steps.ts:16: label-not-an-action D',
      'impl/types.ts:3: label-not-an-action D',
      'impl/types.ts:6: switch-not-in-spec Extra',
      'impl/types.ts:6: switch-never-read Unused',
      'spec/Mini.tla:11: switch-missing-in-impl Missing',
      // testing.ts passes 'C' too, but test support drives steps, it does not implement them.
      'spec/Mini.tla:24: action-without-step C',
    ]);
  });

  it('needs the label type to find labels', () => {
    expect(() => linkSpecAndImpl({ rootDir: FIXTURES, spec: 'spec/Mini.tla', labelType: 'Nope' })).toThrow(LinkError);
  });

  it('finds every spec action labelled in the repository, and the same switches on both sides', () => {
    const r = linkSpecAndImpl();
    expect(r.problems).toEqual([]);
    expect(r.actions.every((a) => (r.steps[a.name] ?? []).length > 0)).toBe(true);
  }, 20_000);
});
