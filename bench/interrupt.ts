// `make bench-interrupt`: how fast each command ends after SIGINT / SIGTERM (the target: within a
// second), over the scenarios interrupt.test.ts checks, ROUNDS times each (default 3), with the
// exit status and anything left behind. Figures only: run it on an idle machine, say the load.
// `--json` prints them as one object (bench/figures.ts); `--quick` (the results writer's test)
// runs the first scenario once.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tlcUnavailableReason } from '../lib/check/check.ts';
import { expectedExit, INTERRUPT_SCENARIOS, runScenario } from '../tools/cli/interrupt-scenarios.ts';
import { Figures } from './figures.ts';

const out = new Figures('interrupt');
const rounds = out.quick ? 1 : Number(process.env.ROUNDS ?? 3);
const scenarios = out.quick ? INTERRUPT_SCENARIOS.slice(0, 1) : INTERRUPT_SCENARIOS;
const tlcMissing = tlcUnavailableReason();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-interrupt-'));
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
out.note(`load average at start ${load}`);
out.say(`load average ${load}; ${rounds} rounds per command\n`);
const addRow = out.table(`time from the (last) signal to the exit, ${rounds} rounds per command`, ['command', 'max ms', 'all ms', 'exit']);
out.say(`${'max ms'.padStart(7)} ${'all ms'.padEnd(20)} ${'exit'.padEnd(8)} command`);
try {
  for (const s of scenarios) {
    if (s.needsTlc && tlcMissing) {
      addRow([s.name, null, '', `skipped (${tlcMissing})`]);
      out.say(`${'-'.padStart(7)} ${''.padEnd(20)} ${'skipped'.padEnd(8)} ${s.name} (${tlcMissing})`);
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
    addRow([s.name, Math.max(...times), times.join(' '), exit]);
    out.say(`${String(Math.max(...times)).padStart(7)} ${times.join(' ').padEnd(20)} ${exit.padEnd(8)} ${s.name}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
out.done();
