// Both engines name the violated property when a cfg lists several temporal properties: TLC does
// not say which (message 2116), so check re-checks each alone; the embedded engine does the same.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cfgWithOnlyProperty } from '../tla/cfg.ts';
import { checkFile, tlcUnavailableReason } from './check.ts';
import { skipTitle } from '../skip-reason.ts';
import { loadManifest, specFile } from './manifest.ts';

const CFG = path.join(import.meta.dirname, 'fixtures', 'lost-wakeup-two-properties.cfg');
const SPEC = specFile(loadManifest());
const tlcMissing = tlcUnavailableReason();

describe('naming the violated temporal property', () => {
  it('keeps every other directive and lists one PROPERTY in a single-property cfg copy', () => {
    const text = 'CONSTANTS\n  N = 2\nSPECIFICATION Spec\nPROPERTIES\n  A\n  B\nCHECK_DEADLOCK FALSE\n';
    expect(cfgWithOnlyProperty(text, 'B')).toBe('CONSTANTS\n  N = 2\nSPECIFICATION Spec\nCHECK_DEADLOCK FALSE\n\nPROPERTY B\n');
  });

  it('the embedded engine names FsOpCompletes', async () => {
    const r = await checkFile(SPEC, CFG, 'embedded');
    expect([r.verdict, r.property]).toEqual(['property', 'FsOpCompletes']);
  }, 120_000);

  it.skipIf(tlcMissing !== null)(
    skipTitle('TLC names FsOpCompletes too, with its counterexample', tlcMissing),
    async () => {
      const r = await checkFile(SPEC, CFG, 'tlc', { workers: 1 });
      expect([r.verdict, r.property]).toEqual(['property', 'FsOpCompletes']);
      expect(r.counterexample?.steps.length).toBeGreaterThan(1);
    },
    120_000,
  );
});
