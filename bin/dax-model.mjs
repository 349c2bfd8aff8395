#!/usr/bin/env node
// Entry point of the dax-model command: registers tsx so the TypeScript sources run as they are
// (no build step to go stale), then hands over to tools/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../tools/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
