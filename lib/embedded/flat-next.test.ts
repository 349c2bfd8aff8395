// Tests for the Next relation rewritten for the engine (flat-next.ts): one labelled line per
// action with its guards hoisted, the old definitions renamed in place, and the engine building
// the same graph from it, edge labels included, as from the module as written.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { parseCfg } from '../tla/cfg.ts';
import { flattenModule } from '../tla/flatten.ts';
import { nextActions } from '../tla/spec-actions.ts';
import { adaptModel, PLACEHOLDER_INVARIANT } from './adapt.ts';
import { checkSpecRawAsync } from './engine.ts';
import { flattenNext } from './flat-next.ts';

const SPEC_DIR = path.join(REPO_ROOT, 'spec');
const configFile = (name: string): string => path.join(SPEC_DIR, 'models', `${name}.cfg`);
const daxDma = flattenModule(path.join(SPEC_DIR, 'MCDaxDma.tla'));

/** The adapted module of a config as the engine got it before the rewrite: Next as written. */
function asWritten(config: string): { source: string; cfg: string } {
  const m = adaptModel(daxDma, { ...parseCfg(readFileSync(configFile(config), 'utf8')), invariants: [], properties: [] });
  const at = m.source.search(/^Next_old ==/m);
  // Undo the rewrite: the old Next and Spec_ back under their names, the added ones dropped.
  const added = m.source.search(/^Next ==/m);
  const restored = m.source
    .slice(0, added)
    .replace(/^Next_old ==/m, 'Next ==')
    .replace(/^Spec__old ==/m, 'Spec_ ==');
  const source = `${restored}${PLACEHOLDER_INVARIANT} == TRUE\n====\n`;
  expect(at, 'the adapted module has the old Next renamed').toBeGreaterThan(0);
  return { source, cfg: m.cfg };
}

/** The engine's graph as sets of node labels and of (from label, to label, edge label). */
async function graph(source: string, cfg: string): Promise<{ states: Set<string>; edges: Set<string>; labels: Set<string> }> {
  const r = (await checkSpecRawAsync(source, {
    cfg_source: cfg,
    max_states: 100_000,
    max_depth: 4_294_967_295,
    allow_deadlock: true,
    export_dot: true,
    dot_mode: 'full',
  })) as { success: boolean; error_message?: string; dot?: string };
  expect(r.success, r.error_message).toBe(true);
  const node = new Map<string, string>();
  const edges: [string, string, string][] = [];
  for (const line of r.dot!.split('\n')) {
    const n = /^\s*(s\d+) \[label="(.*)"\];$/.exec(line);
    if (n) node.set(n[1]!, n[2]!);
    const e = /^\s*(s\d+) -> (s\d+) \[label="([^"]*)"\];$/.exec(line);
    if (e) edges.push([e[1]!, e[2]!, e[3]!]);
  }
  return {
    states: new Set(node.values()),
    edges: new Set(edges.map(([a, b, l]) => `${node.get(a)} -> ${node.get(b)} ${l}`)),
    labels: new Set(edges.map(([, , l]) => l)),
  };
}

describe('the Next relation rewritten for the engine', () => {
  const source = daxDma.source;
  const flat = flattenNext(source, 'Next', 'Spec');
  const added = flat.slice(flat.search(/^Next ==/m));

  it('is one line per action instance, labelled with its group, guards in front of the call', () => {
    const lines = added.split('\n').filter((l) => l.startsWith('  \\/ '));
    expect(lines[0]).toBe('  \\/ FALSE');
    // Every action of the tree is called on its own line.
    for (const a of nextActions(source).actions)
      expect(
        lines.some((l) => l.includes(` ${a.name}(`)),
        a.name,
      ).toBe(true);
    expect(new Set(lines.slice(1).map((l) => /^ {2}\\\/ (\w+):: /.exec(l)?.[1]))).toEqual(
      new Set(['UserNext', 'MmNext', 'FsNext', 'SyncNext']),
    );
    expect(lines).toContain('  \\/ FsNext:: \\E t \\in FsTasks : (fpc[t] = "FsUnlock") /\\ FsUnlock(t)');
    // A conjunct that calls an operator with a prime (ScanNext) is not hoisted, nor what follows.
    expect(lines.find((l) => l.includes('BreakLayoutsScanPaused(t)'))).not.toMatch(/ScanNext/);
  });

  it('keeps every line of the module in place: the old definitions renamed, the new ones at the end', () => {
    const before = source.split('\n');
    const after = flat.split('\n');
    const end = before.length - 2; // the ==== line and the empty one after it
    for (let i = 0; i < end; i++) {
      if (after[i] !== before[i]) expect(after[i]!.replace(/^(Next|Spec)_old ==/, '$1 ==')).toBe(before[i]);
    }
    expect(added).toMatch(/^Spec ==\s+Init \/\\ \[\]\[Next\]_vars/m);
  });

  it('leaves a Next that is not a tree of \\/, \\E and calls as it is', () => {
    const text = "---- MODULE M ----\nVARIABLE x\nInit == x = 0\nNext == x' = 1 - x\n====\n";
    expect(flattenNext(text, 'Next')).toBe(text);
  });

  it("binds each guard's variables only: a guard follows the last variable it reads, in the guards' order", () => {
    const lines = added.split('\n');
    // FsLockIo's pc test before the file and operation are bound: OpsOn(f) is built only for an idle task.
    expect(lines.find((l) => l.includes('FsLockIo('))).toMatch(
      /^ {2}\\\/ FsNext:: \\E t \\in FsTasks : \(fpc\[t\] = "idle"\) \/\\ \\E f \\in Files, op \\in OpsOn\(f\) : \(ValidOp\(op\)\)/,
    );
    // GupFastReadPte: the user's guards, then the file's, then the offset with none.
    expect(lines.find((l) => l.includes('GupFastReadPte('))).toBe(
      '  \\/ UserNext:: \\E u \\in Users : (upc[u] = "idle") /\\ (gupsLeft > 0) /\\ \\E f \\in Files : (vma[f]) /\\ \\E o \\in Offsets : GupFastReadPte(u, f, o)',
    );
  });

  it.each([
    ['no-break-layouts', ['UserNext', 'FsNext']],
    ['lost-wakeup-liveness', ['UserNext', 'FsNext']],
    ['zero-range-skips-break-ext4', ['UserNext', 'FsNext']],
    // A syncer and munmap: every group, and the nested binders of WritebackLockEntry and Munmap.
    ['history-6.14', ['UserNext', 'FsNext', 'MmNext', 'SyncNext']],
  ] as const)(
    '%s: the engine builds the same graph, edge labels included, as from Next as written',
    async (config, labels) => {
      const m = adaptModel(daxDma, { ...parseCfg(readFileSync(configFile(config), 'utf8')), invariants: [], properties: [] });
      const old = asWritten(config);
      const [a, b] = await Promise.all([graph(m.source, m.cfg), graph(old.source, old.cfg)]);
      expect(a.states.size).toBeGreaterThan(10);
      expect(a.states).toEqual(b.states);
      expect(a.edges).toEqual(b.edges);
      expect(a.labels).toEqual(new Set(labels));
    },
    60_000,
  );
});
