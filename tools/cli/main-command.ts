// `dax-model main` (`npm start`): the main job on the default configuration — model-check smoke
// and every variant config (TLC when present, else the embedded engine), then the conformance suite.
import { checkCommand } from './check-command.ts';
import { conformCommand } from './conform-command.ts';
import { EXIT } from './exit-codes.ts';

export const MAIN_USAGE = `dax-model main [--engine tlc|embedded|auto]
  The main job: \`check\` on smoke and the variant configs, then \`conform\`. Exit 0 iff both pass.`;

/** Runs the main job; returns the exit code. */
export async function mainCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const engineArgs = argv.includes('--engine') ? argv.slice(argv.indexOf('--engine'), argv.indexOf('--engine') + 2) : [];
  const { loadManifest } = await import('../../lib/check/manifest.ts');
  const configs = loadManifest().configs.filter((c) => c.name === 'smoke' || c.variant).map((c) => c.name);
  process.stdout.write(`== model checking: ${configs.join(', ')}\n`);
  const checked = await checkCommand([...configs, ...engineArgs], signal);
  if (checked === EXIT.interrupted) return checked;
  process.stdout.write(`\n== conformance\n`);
  const conformed = await conformCommand([]);
  return checked !== EXIT.ok ? checked : conformed;
}
