// The suite's spec -> implementation phases: the committed TLC trace corpus replayed on the
// implementation, and every variant's committed counterexample replayed until it reproduces the
// violation TLC found. Each adds what it replayed and what diverged to the SuiteTally.
import path from 'node:path';
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { interruptionPoint } from '../../lib/interrupt.ts';
import type { ModelConstants } from '../model/model.ts';
import { readSavedCounterexample, reproduce } from '../replay/counterexample-replay.ts';
import { formatDivergence, replayTrace } from '../replay/replay.ts';
import { loadTraceSchema, readTraceFile, type TraceSchema } from '../trace-formats/index.ts';
import { corpusTraces, namingFile, savedCounterexamples } from './suite-inputs.ts';
import type { SuiteTally } from './suite-tally.ts';

/** Replays the trace corpus in `dir` (its manifest.json) under each config's profiles. */
export async function replayCorpus(tally: SuiteTally, dir: string, signal?: AbortSignal): Promise<void> {
  const { scope, divergences, progress } = tally;
  const schemas = new Map<string, TraceSchema>();
  const constants = new Map<string, ModelConstants | null>();
  const list = corpusTraces(dir);
  for (const t of list) {
    if (tally.stop()) break;
    await interruptionPoint(signal);
    if (!constants.has(t.config))
      constants.set(
        t.config,
        namingFile(t.file, () => scope.constants(t.config)),
      );
    if (constants.get(t.config) === null) {
      scope.skip('trace corpus', t.config, 'traces not replayed');
      continue;
    }
    if (!schemas.has(t.config)) {
      namingFile(t.file, () =>
        schemas.set(t.config, loadTraceSchema({ specFile: specFile(loadManifest()), configFile: configFile(t.config), shapes: false })),
      );
    }
    const trace = readTraceFile(t.file, schemas.get(t.config)!);
    for (const profile of tally.profilesOf(constants.get(t.config)!)) {
      const r = tally.timed(() =>
        namingFile(t.file, () => replayTrace(trace.steps, constants.get(t.config)!, { source: path.basename(t.file), profile })),
      );
      tally.traces++;
      tally.steps += r.steps;
      for (const s of trace.steps.slice(1, r.ok ? undefined : r.steps + 1)) if (s.action) tally.covered.add(s.action);
      if (!r.ok) {
        const [head, ...rest] = formatDivergence(r.divergence!);
        divergences.push({ check: 'corpus', message: `${path.basename(t.file)}${tally.tag(profile)}: ${head}`, details: rest });
      }
    }
    if (tally.traces % 25 === 0) progress(`corpus: ${tally.traces} trace replays of ${list.length} traces done`);
  }
  progress(`corpus: ${tally.traces} traces, ${tally.steps} steps replayed`);
}

/** Replays each committed counterexample in `dir` (*.cex.json): it must reach its violation. */
export async function replayCounterexamples(tally: SuiteTally, dir: string, signal?: AbortSignal): Promise<void> {
  const { scope, divergences } = tally;
  for (const file of savedCounterexamples(dir)) {
    if (tally.stop()) break;
    await interruptionPoint(signal);
    const saved = readSavedCounterexample(file);
    const constants = namingFile(file, () => scope.constants(saved.config));
    if (constants === null) {
      scope.skip('committed counterexamples', saved.config, 'not replayed');
      continue;
    }
    for (const profile of tally.profilesOf(constants)) {
      const r = tally.timed(() =>
        namingFile(file, () => reproduce(saved.config, saved.expected, saved.counterexample, constants, { profile })),
      );
      tally.steps += r.steps;
      for (const s of saved.counterexample.steps.slice(1, r.steps + 1)) if (s.action) tally.covered.add(s.action);
      const tag = tally.tag(profile);
      const prefix = `${tag.trimStart()}${tag ? ': ' : ''}`;
      if (!r.replayed) {
        const [head, ...rest] = formatDivergence(r.divergence!);
        divergences.push({ check: `cex:${saved.config}`, message: `${prefix}${head!}`, details: rest });
      } else if (!r.reproduced) {
        divergences.push({
          check: `cex:${saved.config}`,
          message: `${prefix}the implementation followed the counterexample but did not reach ${saved.expected}`,
          details: r.evidence,
        });
      }
    }
  }
  tally.progress('counterexample replays done');
}
