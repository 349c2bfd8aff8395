// `make bench-check`: model-checking figures. For `standard`: TLC distinct states, seconds,
// states/s and peak memory, with and without symmetry (the reduction factor); for `smoke`: TLC and
// the embedded engine, and their time ratio. Figures only: nothing here asserts a speed.
// `--json` prints them as one object (bench/figures.ts); `--quick` checks only the tiny variant
// `no-break-layouts` with the embedded engine (for the results writer's test).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tlcUnavailableReason } from '../lib/check/check.ts';
import { configFile, loadManifest, specFile } from '../lib/check/manifest.ts';
import { checkEmbedded } from '../lib/embedded/engine.ts';
import { runTlc, type TlcCheckResult } from '../lib/tlc/run.ts';
import { Figures } from './figures.ts';

const out = new Figures('check');
const noSymmetryTimeout = Number(process.env.BENCH_NOSYM_TIMEOUT ?? 600);
const manifest = loadManifest();
const spec = specFile(manifest);
const addRow = out.table('model checking', ['run', 'verdict', 'distinct states', 'seconds', 'states/s', 'peak MB']);

function row(
  label: string,
  r: { distinctStates: number; seconds: number; peakRssMB?: number; verdict: string; error?: { message: string } },
): void {
  const rate = r.seconds > 0 ? Math.round(r.distinctStates / r.seconds) : 0;
  const mem = r.peakRssMB === undefined ? '-' : `${r.peakRssMB} MB`;
  const note = r.error ? `  (${r.error.message})` : '';
  addRow([label + note, r.verdict, r.distinctStates, Number(r.seconds.toFixed(1)), rate, r.peakRssMB ?? null]);
  out.say(
    `${label.padEnd(34)} ${r.verdict.padEnd(8)} ${r.distinctStates.toLocaleString('en-US').padStart(12)} states ${r.seconds.toFixed(1).padStart(8)} s ${rate.toLocaleString('en-US').padStart(9)} states/s  peak ${mem}${note}`,
  );
}

function note(line: string): void {
  out.note(line);
  out.say(line);
}

async function tlc(cfg: string, timeoutSeconds?: number): Promise<TlcCheckResult> {
  return runTlc({
    specFile: spec,
    configFile: cfg,
    workers: 'auto',
    timeoutSeconds,
    onProgress: (p) => process.stderr.write(`  … ${p.distinct.toLocaleString('en-US')} distinct (${Math.round(p.seconds)} s)\n`),
  });
}

const why = out.quick ? '--quick: embedded engine only' : tlcUnavailableReason();
if (why) note(`TLC figures skipped: ${why}`);
else {
  const std = await tlc(configFile('standard'));
  row('standard, TLC, symmetry', std);
  // The same model without SYMMETRY: a temp copy of the cfg with that line removed.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-check-'));
  try {
    const noSym = path.join(dir, 'standard-nosym.cfg');
    writeFileSync(noSym, readFileSync(configFile('standard'), 'utf8').replace(/^SYMMETRY.*$/m, ''));
    const ns = await tlc(noSym, noSymmetryTimeout);
    row('standard, TLC, no symmetry', ns);
    const bound = ns.verdict === 'error' ? '≥ ' : '';
    note(
      `symmetry reduction factor: ${bound}${(ns.distinctStates / std.distinctStates).toFixed(1)}x${ns.verdict === 'error' ? ` (no-symmetry run stopped at ${noSymmetryTimeout} s)` : ''}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const small = out.quick ? 'no-break-layouts' : 'smoke';
const smokeEmb = checkEmbedded({ specFile: spec, configFile: configFile(small) });
row(`${small}, embedded`, smokeEmb);
if (!why) {
  const smokeTlc = await tlc(configFile('smoke'));
  row('smoke, TLC', smokeTlc);
  note(`smoke time ratio embedded/TLC: ${(smokeEmb.seconds / smokeTlc.seconds).toFixed(1)}x (TLC includes JVM start-up)`);
}
out.done();
