// `make bench-interrupt`: how fast each command ends after SIGINT / SIGTERM (the target: within a
// second), over the scenarios interrupt.test.ts checks, ROUNDS times each (default 3), with the
// exit status and anything left behind. Figures only: run it on an idle machine, say the load.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tlcUnavailableReason } from '../lib/check/check.ts';
import { expectedExit, INTERRUPT_SCENARIOS, runScenario } from '../tools/cli/interrupt-scenarios.ts';

const rounds = Number(process.env.ROUNDS ?? 3);
const tlcMissing = tlcUnavailableReason();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-interrupt-'));
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${rounds} rounds per command\n`,
);
console.log(`${'max ms'.padStart(7)} ${'all ms'.padEnd(20)} ${'exit'.padEnd(8)} command`);
try {
  for (const s of INTERRUPT_SCENARIOS) {
    if (s.needsTlc && tlcMissing) {
      console.log(`${'-'.padStart(7)} ${''.padEnd(20)} ${'skipped'.padEnd(8)} ${s.name} (${tlcMissing})`);
      continue;
    }
    const times: number[] = [];
    const bad: string[] = [];
    for (let i = 0; i < rounds; i++) {
      const r = await runScenario(scratch, s);
      times.push(r.ms);
      if (r.code !== expectedExit(s)) bad.push(`exit ${r.code}`);
      if (r.left.length > 0) bad.push(`${r.left.length} processes left`);
      if (r.tempLeft.length > 0) bad.push(`left ${r.tempLeft.join(' ')}`);
    }
    const exit = bad.length > 0 ? bad.join('; ') : String(expectedExit(s));
    console.log(`${String(Math.max(...times)).padStart(7)} ${times.join(' ').padEnd(20)} ${exit.padEnd(8)} ${s.name}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
