// The spec hash covers the module tree and the named config only: spec/MCDaxDma.cfg (the editors'
// model) may sit beside the modules without making corpora or counterexamples stale, and it is
// smoke's model, so that what an editor checks is what `dax-model check smoke` checks.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCfg } from '../tla/cfg.ts';
import { flattenModule } from '../tla/flatten.ts';
import { configFile, loadManifest, SPEC_DIR, specFile } from './manifest.ts';
import { hashFiles, specHash, withoutComments } from './spec-hash.ts';

describe('specHash', () => {
  it('hashes the spec modules and the named config, nothing else in spec/', () => {
    const modules = flattenModule(specFile(loadManifest()))
      .modules.map((m) => m.path)
      .sort();
    expect(modules.map((m) => path.basename(m))).not.toContain('MCDaxDma.cfg');
    expect(specHash('smoke')).toBe(hashFiles([...modules, configFile('smoke')]));
  });

  it('spec/MCDaxDma.cfg is the smoke model (constants, invariants, properties)', () => {
    // What the cfgs say, not where in their text they say it (valueSpan).
    const meaning = (file: string): unknown => {
      const cfg = parseCfg(readFileSync(file, 'utf8'));
      return { ...cfg, constants: cfg.constants.map(({ valueSpan: _at, ...c }) => c) };
    };
    expect(meaning(path.join(SPEC_DIR, 'MCDaxDma.cfg'))).toEqual(meaning(configFile('smoke')));
  });

  it('leaves comments out, and keeps what behaviours depend on, indentation included', () => {
    const spec = "Next ==  \\* the step\n    /\\ x' = x + 1  (* a note\n spanning lines *)\n\n    /\\ y' = y\n";
    expect(withoutComments(spec)).toBe(withoutComments(spec.replace('the step', 'one step, longer').replace('a note', 'a\n\nnote')));
    expect(withoutComments(spec)).not.toBe(withoutComments(spec.replace('x + 1', 'x + 2')));
    expect(withoutComments(spec)).not.toBe(withoutComments(spec.replace('    /\\ y', '  /\\ y')));
  });
});
