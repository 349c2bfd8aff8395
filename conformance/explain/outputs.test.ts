// ITF out: every committed counterexample written as portable ITF reads back with the project's
// ITF reader, replays on the implementation, and writes again byte for byte; the file is ITF
// without extensions (no "#model", string-only "#meta", integers as #bigint).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../lib/interrupt.ts';
import { readSavedCounterexample, REGRESSIONS_DIR, regressionFiles } from '../replay/counterexample-replay.ts';
import { readModelConstants } from '../model/model.ts';
import { replayTrace } from '../replay/replay.ts';
import { readItf } from '../trace-formats/itf.ts';
import { schemaFor } from '../trace-formats/test-support.ts';
import { timelineHtml, timelineHtmlInterruptibly, traceItf, writeTraceOutputsInterruptibly } from './outputs.ts';
import { explainCounterexample } from './why.ts';

const configs = readdirSync(REGRESSIONS_DIR)
  .filter((f) => f.endsWith('.cex.json'))
  .map((f) => f.replace('.cex.json', ''));

describe('portable ITF round trip: ITF -> read -> replay -> ITF', () => {
  for (const config of configs) {
    it(`${config}: equal after a round trip, and replays on the implementation`, () => {
      const saved = readSavedCounterexample(regressionFiles(config).data);
      const out = {
        config,
        source: `conformance/regressions/${config}.cex.json`,
        cex: saved.counterexample,
        explanation: explainCounterexample(saved.counterexample, saved.expected),
      };
      const text = traceItf(out);
      const back = readItf(text, { source: `${config}.itf.json`, schema: schemaFor(config) });
      expect(back.steps).toEqual(saved.counterexample.steps);
      expect(replayTrace(back.steps, readModelConstants(config), { source: config }).ok).toBe(true);
      const cex = { steps: back.steps, ...(back.loopsBackTo !== undefined ? { loopsBackTo: back.loopsBackTo } : {}) };
      expect(traceItf({ ...out, cex })).toBe(text);
    });
  }

  it('is ITF without extensions: #meta strings naming config and source, no #model, #bigint integers', () => {
    const saved = readSavedCounterexample(regressionFiles('scan-before-unmap').data);
    const text = traceItf({ config: 'scan-before-unmap', source: 'x.cex.json', cex: saved.counterexample });
    const doc = JSON.parse(text);
    expect(doc['#meta']).toMatchObject({ format: 'ITF', config: 'scan-before-unmap', source: 'x.cex.json' });
    expect(Object.values(doc['#meta']).every((v) => typeof v === 'string')).toBe(true);
    expect(text).not.toContain('#model');
    expect(doc.states.every((s: Record<string, unknown>) => JSON.stringify(s['#meta']) === `{"index":${doc.states.indexOf(s)}}`)).toBe(
      true,
    );
    expect(doc.states[1]['mbt::actionTaken']).toBe('GupFastReadPte');
    expect(doc.states[1]['mbt::nondetPicks'].u).toEqual({ tag: 'Some', value: 'u1_OF_MODEL' });
    expect(doc.states[0].gupsLeft).toEqual({ '#bigint': '2' });
  });

  it('keeps a lasso as "loop"', () => {
    const saved = readSavedCounterexample(regressionFiles('lost-wakeup-liveness').data);
    const cex = { ...saved.counterexample, loopsBackTo: 3 };
    expect(JSON.parse(traceItf({ config: 'lost-wakeup-liveness', source: 's', cex })).loop).toBe(2);
  });
});

describe('timelineHtml', () => {
  it('is one self-contained page with a lane per task and the why sentence', () => {
    const saved = readSavedCounterexample(regressionFiles('lost-wakeup').data);
    const html = timelineHtml({
      config: 'lost-wakeup',
      source: 's',
      cex: saved.counterexample,
      explanation: explainCounterexample(saved.counterexample, 'deadlock'),
    });
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).toContain('u1 (user)');
    expect(html).toContain('t1 (fs task)');
    expect(html).toContain('no wake-up came');
    expect(html).toContain('___wait_var_event');
  });
});

describe('timelineHtmlInterruptibly', () => {
  const saved = readSavedCounterexample(regressionFiles('lost-wakeup').data);
  const out = {
    config: 'lost-wakeup',
    source: 's',
    cex: saved.counterexample,
    explanation: explainCounterexample(saved.counterexample, 'deadlock'),
  };

  it('renders in a worker the same page as in this thread', async () => {
    expect(await timelineHtmlInterruptibly(out, undefined, 0)).toBe(timelineHtml(out));
  }, 30_000);

  it('renders a short trace in this thread, even with a signal already aborted', async () => {
    expect(await timelineHtmlInterruptibly(out, AbortSignal.abort())).toBe(timelineHtml(out));
  });

  it('writes nothing once the signal is aborted, neither the page nor the ITF', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-outputs-test-'));
    try {
      const controller = new AbortController();
      const written = writeTraceOutputsInterruptibly(
        out,
        { html: path.join(dir, 'x.html'), itf: path.join(dir, 'x.itf.json') },
        controller.signal,
      );
      controller.abort();
      await expect(written).rejects.toBeInstanceOf(InterruptedError);
      expect(readdirSync(dir)).toEqual([]);
      expect(await writeTraceOutputsInterruptibly(out, { html: path.join(dir, 'x.html') }, new AbortController().signal)).toEqual([
        path.join(dir, 'x.html'),
      ]);
      expect(existsSync(path.join(dir, 'x.html'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
