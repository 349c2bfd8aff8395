// vitest's own default is one worker fewer than the machine has cores, which on the 2-core
// machines CI and development run on means one test file at a time. Most files wait on TLC's JVM,
// a worker thread or the disk for part of their time, so two at a time use both cores.
import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
  },
});
