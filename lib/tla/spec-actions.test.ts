// Reading the spec's variables and actions from its text: DaxDma's 20 variables and 23 actions
// (Next -> UserNext/FsNext/SyncNext -> actions) with their parameters, in Next's order.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flattenModule } from './flatten.ts';
import { SpecActionsError, definitions, initAndNext, nextActions, specVariables, stripComments } from './spec-actions.ts';

import { REPO_ROOT as REPO } from '../paths.ts';
const SPEC = path.join(REPO, 'spec', 'MCDaxDma.tla');

const source = flattenModule(SPEC).source;

describe('spec actions', () => {
  it("finds DaxDma's variables in declaration order", () => {
    expect(specVariables(source)).toEqual([
      'extent',
      'free',
      'entry',
      'locked',
      'pte',
      'refcount',
      'mapping',
      'ioLock',
      'mmapExcl',
      'mmapShared',
      'upc',
      'uat',
      'uref',
      'gupsLeft',
      'ulong',
      'fpc',
      'fop',
      'fscan',
      'fbusy',
      'fslept',
      'spc',
      'sat',
      'vma',
      'gone',
      'warned',
    ]);
  });

  it("finds the leaves of Next through the helpers, with the actions' own parameter names", () => {
    const { actions, helpers } = nextActions(source);
    expect(actions.map((a) => a.name)).toEqual([
      'GupFastReadPte',
      'GupFastGetRef',
      'GupFastRecheck',
      'FaultLockShared',
      'FaultGrabEntry',
      'FaultAllocBlock',
      'FaultInsertEntry',
      'FaultInstallPte',
      'FaultUnlockEntry',
      'FaultUnlockShared',
      'GupSlowPin',
      'DmaComplete',
      'Munmap',
      'Mmap',
      'FsLockIo',
      'FsLockMmap',
      'BreakLayoutsUnmap',
      'BreakLayoutsScan',
      'BreakLayoutsWait',
      'BreakLayoutsRelock',
      'BreakLayoutsScanPaused',
      'BreakLayoutsDelete',
      'BreakLayoutsDeletePaused',
      'TruncateUnmap',
      'DeleteEntry',
      'FreeBlocks',
      'FsPrealloc',
      'FsUnlock',
      'WritebackLockEntry',
      'WritebackUnlockEntry',
    ]);
    expect(actions.find((a) => a.name === 'GupFastReadPte')?.params).toEqual(['u', 'f', 'o']);
    expect(actions.find((a) => a.name === 'FsLockIo')?.params).toEqual(['t', 'op']);
    expect(actions.find((a) => a.name === 'DmaComplete')?.params).toEqual(['u', 'path']);
    expect(helpers.map((h) => h.def.name)).toEqual(['UserNext', 'MmNext', 'FsNext', 'SyncNext']);
  });

  it('reads an infix Next with parenthesised quantifiers (lib/tlc/fixtures/Live.tla)', () => {
    const live = flattenModule(path.join(REPO, 'lib', 'tlc', 'fixtures', 'Live.tla')).source;
    expect(nextActions(live).actions).toEqual([
      { name: 'Go', params: ['p', 'k'] },
      { name: 'Back', params: ['p'] },
    ]);
  });

  it('takes INIT and NEXT from the SPECIFICATION formula', () => {
    expect(initAndNext(source, { specification: 'Spec' })).toEqual({ init: 'Init', next: 'Next' });
  });

  it('refuses a Next that is not a disjunction of actions', () => {
    const src = "---- MODULE M ----\nVARIABLE x\nA == x' = 1\nNext == A /\\ x = 0\n====\n";
    expect(() => nextActions(src)).toThrow(SpecActionsError);
  });

  it('blanks comments but keeps strings, so definitions can be copied onto one line', () => {
    const text = 'F == "a \\* b" \\* gone\n  /\\ (* gone *) G';
    expect(stripComments(text)).toBe('F == "a \\* b"        \n  /\\            G');
    expect(definitions(text).get('F')?.body.replace(/\s+/g, ' ').trim()).toBe('"a \\* b" /\\ G');
  });
});
