// Loads tla-checker, the TLA+ model checker compiled to WebAssembly, once per thread.
// Stands for the `tla` binary of tla-rs (github.com/fabracht/tla-rs), here as an npm package.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tlaChecker from 'tla-checker';

const require = createRequire(import.meta.url);

/** The engine's functions, ready to call. */
export type TlaCheckerApi = typeof tlaChecker;

let compiled: WebAssembly.Module | undefined;
let ready = false;

/** Path of the engine's .wasm file inside the installed package. */
function wasmPath(): string {
  return require.resolve('tla-checker/tla_checker_bg.wasm');
}

/** The compiled engine module, shared with worker threads so they need not compile it again. */
export function wasmModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(wasmPath()));
  return compiled;
}

/** The engine in this thread, instantiated on first use. */
export function tlaCheckerApi(): TlaCheckerApi {
  if (!ready) {
    tlaChecker.initSync({ module: wasmModule() });
    ready = true;
  }
  return tlaChecker;
}

/** "tla-checker <version>" from the installed package. */
export function tlaCheckerVersion(): string {
  const pkg = require('tla-checker/package.json') as { version: string };
  return `tla-checker ${pkg.version}`;
}
