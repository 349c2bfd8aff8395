// A fast-check failure is reproducible from what conform prints: fast-check's seed and path replay
// the same shrunk schedule (`conform --path`), and the schedule written as portable ITF replays on
// the implementation with `dax-model replay FILE` alone (its "#meta" names the config). The
// failure is a real one: the implementation with the lost-wakeup switch, against the merged graph.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fastCheckConformance, type ShrunkFailure } from '../../conformance/executions/fast-check-run.ts';
import { DEFAULT_MAX_STEPS } from '../../conformance/executions/executions.ts';
import { readModelConstants } from '../../conformance/model/model.ts';
import { GraphOracle } from '../../conformance/oracle/graph-oracle.ts';
import { StateGraph } from '../../conformance/oracle/state-graph.ts';
import type { ConformanceReport } from '../../conformance/index.ts';
import { configFile } from '../../lib/check/manifest.ts';
import { runCaptured } from './capture-output.ts';
import { parseHint } from './command-line.ts';
import { EXIT } from './exit-codes.ts';

const fake = vi.hoisted(() => ({ report: undefined as ConformanceReport | undefined }));
vi.mock('../../conformance/suite/suite.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../conformance/suite/suite.ts')>();
  return { ...real, runConformance: async (o: Parameters<typeof real.runConformance>[0]) => fake.report ?? real.runConformance(o) };
});
const { conformCommand } = await import('./conform-command.ts');
const { replayCommand } = await import('./replay-command.ts');

const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-conform-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** lost-wakeup's constants with its switch on, validated against the graph of Bugs = {}. */
async function lostWakeupAgainstMerged(): Promise<{
  run: (extra: { path?: string; seed: number }) => ReturnType<typeof fastCheckConformance>;
}> {
  const merged = path.join(dir, 'lost-wakeup-merged.cfg');
  writeFileSync(merged, readFileSync(configFile('lost-wakeup'), 'utf8').replace(/^\s*Bugs = .*$/m, '  Bugs = {}'));
  const oracle = new GraphOracle(merged, await StateGraph.load(merged, { cacheDir: path.join(dir, 'graphs'), engine: 'embedded' }));
  const constants = readModelConstants('lost-wakeup');
  return { run: (extra) => fastCheckConformance({ constants, oracle, runs: 3000, maxSteps: DEFAULT_MAX_STEPS, profile: 'xfs', ...extra }) };
}

describe('conform --path', () => {
  let failure: ShrunkFailure;

  it('fast-check seed and path replay the same shrunk schedule, in one run', async () => {
    const h = await lostWakeupAgainstMerged();
    failure = h.run({ seed: 7 }).failure!;
    expect(failure, 'lost-wakeup not caught').toBeDefined();
    const again = h.run({ seed: failure.seed, path: failure.path });
    expect(again.runs).toBe(1);
    expect(again.failure?.picks).toEqual(failure.picks);
    expect(again.failure?.failure.message).toBe(failure.failure.message);
  }, 60_000);

  it('a failure is written as ITF that `replay FILE` reads without --config, and the commands printed parse', async () => {
    fake.report = {
      traces: 0,
      steps: 10,
      actionsCovered: 0,
      actionsTotal: 23,
      actionsMissing: [],
      fastCheckRuns: 1,
      fastCheckSeed: failure.seed,
      fastCheckSeeds: [{ config: 'lost-wakeup', profile: 'xfs', seed: failure.seed, variant: true }],
      tlcBatch: null,
      stepsPerSecond: 1,
      validationSeconds: 1,
      seconds: 1,
      kernel: null,
      notApplicable: [],
      stateGraphs: [],
      divergences: [
        {
          check: 'fast-check',
          message: `lost-wakeup step ${failure.failure.step}: ${failure.failure.message}`,
          details: ['shrunk schedule'],
          fastCheck: {
            config: 'lost-wakeup',
            profile: 'xfs',
            seed: failure.seed,
            path: failure.path,
            maxSteps: DEFAULT_MAX_STEPS,
            shrunk: failure,
          },
        },
      ],
    };
    const itfDir = path.join(dir, 'itf');
    const r = await runCaptured(() =>
      conformCommand([
        '--config',
        'lost-wakeup',
        '--seed',
        String(failure.seed),
        '--path',
        failure.path,
        '--itf',
        itfDir,
        '--html',
        itfDir,
        '--quiet',
      ]),
    );
    fake.report = undefined;
    expect(r.code).toBe(EXIT.mismatch);
    expect(r.out).toMatch(/FAILS/);
    expect(r.out).toMatch(/\(initial state: \d+ variables, not shown\)/);
    const file = path.join(itfDir, 'lost-wakeup-xfs.itf.json');
    expect(r.out).toContain(`wrote ${path.join(itfDir, 'lost-wakeup-xfs.html')}`);
    const replayLine = /replay on the implementation: +(.*)$/m.exec(r.out)![1]!;
    const pathLine = /replay this execution: +(.*)$/m.exec(r.out)![1]!;
    expect(parseHint(replayLine)).toMatchObject({
      command: 'replay',
      positionals: [file],
      values: { config: 'lost-wakeup', profile: 'xfs' },
    });
    expect(parseHint(pathLine).values).toMatchObject({ config: 'lost-wakeup', seed: String(failure.seed), path: failure.path });
    // The implementation with lost-wakeup's switch follows the schedule it ran.
    const replayed = await runCaptured(() => replayCommand([file, '--profile', 'xfs']));
    expect(replayed.err).toBe('');
    expect(replayed.out).toMatch(/the implementation follows all \d+ steps/);
  }, 60_000);

  it.each([
    [['--path', '1:2'], /give the --config and the --seed/],
    [['--path', 'x', '--config', 'smoke', '--seed', '1'], /--path must be fast-check's path/],
    [['--only', 'nosuchvar'], /--only must list variables of the spec/],
  ])('refuses %j', async (args, message) => {
    const r = await runCaptured(() => conformCommand(args));
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(message);
  });
});
