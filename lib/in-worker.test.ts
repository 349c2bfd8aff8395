// callInWorker: the value comes back, a thrown error comes back with its name and fields, and an
// abort ends the call at once although the worker's function never yields.
import { describe, expect, it } from 'vitest';
import { callInWorker, WorkerCallError } from './in-worker.ts';
import { InterruptedError } from './interrupt.ts';

const SAMPLE = new URL('./fixtures/in-worker-sample.ts', import.meta.url);

describe('callInWorker', () => {
  it('resolves with what the function returns', async () => {
    expect(await callInWorker<number>(SAMPLE, 'double', [21])).toBe(42);
  });

  it("rejects with the thrown error's name, message and own fields", async () => {
    const e = await callInWorker(SAMPLE, 'fail', ['state 3']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkerCallError);
    expect(e).toMatchObject({ errorName: 'SampleError', errorMessage: 'bad input at state 3', fields: { where: 'state 3' } });
  });

  it('says so when the module has no such function', async () => {
    await expect(callInWorker(SAMPLE, 'triple', [1])).rejects.toThrow(/exports no function triple/);
  });

  it('rejects with InterruptedError at once on an abort, the function still running', async () => {
    const controller = new AbortController();
    const call = callInWorker(SAMPLE, 'spin', [20_000], controller.signal);
    setTimeout(() => controller.abort(), 1_000);
    const started = Date.now();
    await expect(call).rejects.toBeInstanceOf(InterruptedError);
    // Well below the 20 s the function spins, which is what waiting for it would take; the rest
    // is room for a loaded 2-core machine.
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);

  it('starts no worker for a signal already aborted', async () => {
    await expect(callInWorker(SAMPLE, 'double', [1], AbortSignal.abort())).rejects.toBeInstanceOf(InterruptedError);
  });
});
