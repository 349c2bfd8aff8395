// A worker thread that dies without answering must not leave a caller blocked on it forever
// (engine.ts waitForAnswer): the synchronous check path once hung a test run for 15 minutes.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { skipTitle } from '../skip-reason.ts';
import { waitForAnswer } from './engine.ts';

// Publishes its tid as worker.mjs does, then ends without posting an answer.
const DIES_SILENTLY = `
const { readlinkSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
Atomics.store(workerData.signal, 1, Number(readlinkSync('/proc/thread-self').split('/').pop()));
process.exit(0);`;

// The worker publishes its tid from /proc/thread-self, which only Linux has.
const notLinux = process.platform === 'linux' ? null : `/proc/thread-self is Linux only (this is ${process.platform})`;

describe.skipIf(notLinux !== null)(skipTitle('a blocked caller and its worker thread', notLinux), () => {
  it('learns within seconds that the worker ended without an answer', () => {
    const signal = new Int32Array(new SharedArrayBuffer(8));
    const worker = new Worker(DIES_SILENTLY, { eval: true, workerData: { signal } });
    const started = Date.now();
    const why = waitForAnswer(signal, 30_000);
    void worker.terminate();
    expect(why).toMatch(/ended without an answer/);
    // A hang runs to the 30 s limit; a loaded 2-core machine may take seconds to start the worker.
    expect(Date.now() - started).toBeLessThan(25_000);
  }, 60_000);

  it('returns as soon as the answer is flagged, and times out when none comes', () => {
    const answered = new Int32Array(new SharedArrayBuffer(8));
    Atomics.store(answered, 0, 1);
    expect(waitForAnswer(answered, 1_000)).toBeUndefined();
    expect(waitForAnswer(new Int32Array(new SharedArrayBuffer(8)), 300)).toBe('timed-out');
  });
});
