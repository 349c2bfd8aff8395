// Tests for adapting module and cfg to tla-checker: merged VARIABLE declarations, renamed
// ...Spec definitions, the placeholder invariant, refused directives.
import { describe, expect, it } from 'vitest';
import { ModelConfigError, parseCfg } from '../tla/cfg.ts';
import { adaptModel, PLACEHOLDER_INVARIANT, withProperties } from './adapt.ts';
import type { FlatModule } from '../tla/flatten.ts';

const module = (body: string): FlatModule => ({
  name: 'M',
  source: `---- MODULE M ----\nEXTENDS Naturals\n${body}\n====\n`,
  modules: [{ name: 'M', path: 'M.tla', firstLine: 3, lineCount: body.split('\n').length, fileFirstLine: 2 }],
  standardModules: ['Naturals'],
});

describe('adaptModel', () => {
  const base = "VARIABLE x\nVARIABLE y   \\* second declaration\nInit == x = 0 /\\ y = 0\nNext == x' = x /\\ y' = y\n";

  it('merges VARIABLE declarations into one, keeping every line in place', () => {
    const m = adaptModel(module(base), parseCfg('INIT Init\nNEXT Next\nINVARIANT TypeOK\n'));
    const lines = m.source.split('\n');
    expect(lines[2]).toBe('VARIABLES x, y');
    expect(lines[3]?.trim()).toBe('\\* second declaration');
    expect(lines.length).toBe(module(base).source.split('\n').length);
  });

  it('renames every ...Spec definition so fairness cannot leak between them', () => {
    const src = `${base}Spec == Init /\\ [][Next]_<<x, y>>\nFairSpec == Spec /\\ WF_<<x, y>>(Next)\nNote == "Spec"\n`;
    const m = adaptModel(module(src), parseCfg('SPECIFICATION Spec\nPROPERTY Live\n'));
    expect(m.source).toContain('Spec_ == Init');
    expect(m.source).toContain('FairSpec_ == Spec_ /\\ WF');
    expect(m.source).toContain('Note == "Spec"');
    expect(m.cfg).toContain('SPECIFICATION Spec_\n');
    expect(m.renames.get('FairSpec_')).toBe('FairSpec');
    expect(withProperties(m, ['Other'])).toContain('PROPERTY Other');
  });

  it('lists an always-true invariant when the cfg has none, so none is picked by name', () => {
    const m = adaptModel(module(`${base}TypeOK == x = 0\n`), parseCfg('INIT Init\nNEXT Next\n'));
    expect(m.cfg).toContain(`INVARIANT ${PLACEHOLDER_INVARIANT}\n`);
    expect(m.source).toContain(`${PLACEHOLDER_INVARIANT} == TRUE\n====`);
    expect(m.engineInvariants).toEqual([PLACEHOLDER_INVARIANT]);
  });

  it('refuses what tla-checker would ignore or misread, and drops ALIAS with a warning', () => {
    const refused = (cfg: string): string => {
      try {
        adaptModel(module(base), parseCfg(cfg));
      } catch (e) {
        expect((e as ModelConfigError).kind).toBe('unsupported');
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(refused('CONSTANT N <- Def\nINIT Init\nNEXT Next\n')).toMatch(/N <- Def/);
    expect(refused('INIT Init\nNEXT Next\nVIEW V\n')).toMatch(/VIEW/);
    expect(refused('INIT Init\nNEXT Next\nACTION_CONSTRAINT A\n')).toMatch(/ACTION_CONSTRAINT/);
    const m = adaptModel(module(base), parseCfg('INIT Init\nNEXT Next\nALIAS A\nSYMMETRY S\n'));
    expect(m.cfg).not.toContain('ALIAS');
    expect(m.warnings).toHaveLength(2);
  });
});
