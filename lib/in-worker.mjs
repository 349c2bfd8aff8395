// Worker thread of in-worker.ts: loads one module (a .ts one through tsx), calls one of its
// exports with the arguments given, and posts back the value or what it threw.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { module, exportName, args } = workerData;
try {
  const fn = (await import(module))[exportName];
  if (typeof fn !== 'function') throw new Error(`${module} exports no function ${exportName}`);
  parentPort.postMessage({ value: await fn(...args) });
} catch (e) {
  parentPort.postMessage({
    error:
      e instanceof Error ? { name: e.name, message: e.message, fields: fieldsOf(e) } : { name: 'Error', message: String(e), fields: {} },
  });
}

/** An error's own fields as JSON carries them (none if they cannot be: a BigInt, a cycle). */
function fieldsOf(e) {
  try {
    return JSON.parse(JSON.stringify({ ...e }));
  } catch {
    return {};
  }
}
