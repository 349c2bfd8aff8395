// The `--engine tlc|embedded|auto` option every command that model-checks takes: one parseArgs
// declaration and one check of its value, so that each command reads it, and words it, alike.
import { tlcUnavailableReason, type EngineChoice } from '../../lib/check/check.ts';
import { EXIT } from './exit-codes.ts';

const ENGINES: readonly EngineChoice[] = ['tlc', 'embedded', 'auto'];

/** The option as node:util parseArgs declares it (so `--engine tlc` and `--engine=tlc` both work), with its help. */
export const ENGINE_OPTION = {
  engine: {
    type: 'string',
    default: 'auto',
    value: 'tlc|embedded|auto',
    help: 'who model-checks: TLC, the embedded engine (tla-checker), or TLC when found (default auto)',
  },
} as const;

/** The engine a parsed `--engine` value names, or a one-line error saying what is wrong. */
export function parseEngine(value: string | undefined): { engine: EngineChoice } | { error: string } {
  if (value === undefined) return { engine: 'auto' };
  return (ENGINES as readonly string[]).includes(value)
    ? { engine: value as EngineChoice }
    : { error: `--engine must be tlc, embedded or auto, not '${value}'` };
}

/** Reads `--engine` for `command`, printing the one-line error where it fails: exit 2 for a bad
 *  value, 3 when TLC is asked for and cannot be found. */
export function engineOption(command: string, value: string | undefined): { engine: EngineChoice } | { exit: number } {
  const parsed = parseEngine(value);
  const why = 'error' in parsed ? parsed.error : parsed.engine === 'tlc' ? tlcUnavailableReason() : null;
  if (why === null) return parsed as { engine: EngineChoice };
  process.stderr.write(`dax-model ${command}: ${why}\n`);
  return { exit: 'error' in parsed ? EXIT.usage : EXIT.runFailed };
}
