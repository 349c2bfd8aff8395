// The `--engine tlc|embedded|auto` option every command that model-checks takes: one parseArgs
// declaration and one check of its value, so that each command reads it, and words it, alike.
import type { EngineChoice } from '../../lib/check/check.ts';

const ENGINES: readonly EngineChoice[] = ['tlc', 'embedded', 'auto'];

/** The option as node:util parseArgs declares it (so `--engine tlc` and `--engine=tlc` both work). */
export const ENGINE_OPTION = { engine: { type: 'string', default: 'auto' } } as const;

/** The engine a parsed `--engine` value names, or a one-line error saying what is wrong. */
export function parseEngine(value: string | undefined): { engine: EngineChoice } | { error: string } {
  if (value === undefined) return { engine: 'auto' };
  return (ENGINES as readonly string[]).includes(value) ? { engine: value as EngineChoice } : { error: `--engine must be tlc, embedded or auto, not '${value}'` };
}
