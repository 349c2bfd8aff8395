// Tests for the module the Explorer evaluates state predicates in (prune.ts): it keeps what the
// roots reach and the declarations, blanks the rest without moving a line, and answers as the
// whole module does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { parseCfg } from '../tla/cfg.ts';
import { flattenModule } from '../tla/flatten.ts';
import { adaptModel } from './adapt.ts';
import { stateToJson } from './json.ts';
import { prunedCfg, prunedSource, successorModel } from './prune.ts';
import { tlaCheckerApi } from './wasm.ts';

const INVARIANTS = ['NoPinnedEntryDeleted', 'NoDmaIntoForeignBlock'];

function daxModel(config: string): ReturnType<typeof adaptModel> {
  // The project's model (lib/check/manifest.ts names the same files, from a layer above this one).
  const spec = path.join(REPO_ROOT, 'spec');
  return adaptModel(
    flattenModule(path.join(spec, 'MCDaxDma.tla')),
    parseCfg(readFileSync(path.join(spec, 'models', `${config}.cfg`), 'utf8')),
  );
}

/** The states of a committed counterexample of history-6.15.0 (TLC's). */
function saved(): { state: Record<string, never> }[] {
  const doc = JSON.parse(readFileSync(path.join(REPO_ROOT, 'conformance/regressions/history-6.15.0.cex.json'), 'utf8')) as {
    counterexample: { steps: { state: Record<string, never> }[] };
  };
  return doc.counterexample.steps;
}

describe('prunedSource', () => {
  const model = daxModel('history-6.15.0');
  const pruned = prunedSource(model.source, INVARIANTS);
  const defined = (src: string, name: string): boolean => new RegExp(`^${name}(\\(|\\[| ==)`, 'm').test(src);

  it('keeps every line, the declarations, the roots and what they read, and blanks the rest', () => {
    expect(pruned.split('\n').length).toBe(model.source.split('\n').length);
    expect(pruned).toMatch(/^VARIABLES/m);
    expect(pruned).toMatch(/^CONSTANTS?/m);
    for (const name of INVARIANTS) expect(defined(pruned, name)).toBe(true);
    // NoDmaIntoForeignBlock reads the pins' blocks through definitions of its own.
    expect(defined(pruned, 'Next')).toBe(false);
    expect(defined(pruned, 'Init')).toBe(false);
    expect(defined(model.source, 'Next')).toBe(true);
    expect(pruned).not.toMatch(/^ASSUME/m);
  });

  it('gives the successors the whole module gives, without the invariants and properties', () => {
    const api = tlaCheckerApi();
    const m = successorModel(model);
    expect(m.cfg).toMatch(/^SPECIFICATION Spec_$/m);
    expect(m.cfg).not.toMatch(/INVARIANT|PROPERTY/);
    expect(defined(m.source, 'Next')).toBe(true);
    expect(defined(m.source, 'NoDmaIntoForeignBlock')).toBe(false);
    const next = (source: string, c: string): string[] =>
      saved().map((s) => {
        const out = JSON.parse(api.explore_next(source, c, '{}', JSON.stringify(stateToJson(s.state)))) as {
          transitions: { action: string; state: { json: unknown } }[];
        };
        return JSON.stringify(out.transitions.map((t) => [t.action, t.state.json]));
      });
    const full = next(model.source, model.cfg);
    expect(next(m.source, m.cfg)).toEqual(full);
    expect(full.every((t) => t.length > 2)).toBe(true);
  });

  it('evaluates the invariants as the whole module does, in every state of a counterexample', () => {
    const api = tlaCheckerApi();
    const expr = `<<${INVARIANTS.join(', ')}>>`;
    const cfg = prunedCfg(model);
    expect(cfg).not.toMatch(/INIT|NEXT|INVARIANT/);
    const answers = (source: string, c: string): string[] =>
      saved().map((s) => JSON.parse(api.explore_eval(source, c, '{}', JSON.stringify(stateToJson(s.state)), expr)).value);
    const full = answers(model.source, model.cfg);
    expect(answers(pruned, cfg)).toEqual(full);
    // The counterexample breaks both, so the comparison covers both answers.
    expect(full.at(-1)).toBe('<<false, false>>');
  });
});
