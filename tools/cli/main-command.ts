// `dax-model main` (`npm start`): the main job on the default configuration — model-check smoke
// and every variant config (TLC when present, else the embedded engine), then the conformance suite.
import { defineCommand, parseCommandLine } from './command-spec.ts';
import { checkCommand } from './check-command.ts';
import { conformCommand } from './conform-command.ts';
import { DETAIL_OPTIONS, detailWords, readDetail } from './detail-options.ts';
import { ENGINE_OPTION, parseEngine } from './engine-option.ts';
import { loadManifest } from '../../lib/check/manifest.ts';
import { errorExit } from './errors.ts';
import { EXIT } from './exit-codes.ts';

export const MAIN = defineCommand({
  name: 'main',
  usage: ['main [options]'],
  summary: 'the main job (npm start): check smoke and the variant configs, then conform',
  description: `The main job: \`check\` on smoke and the variant configs, then \`conform\`, both with the engine
named: one line per config and the conformance summary; counterexamples only where a verdict
does not match or conformance fails (the detail options are passed on to both).
Exit 0 iff both pass.`,
  positionals: false,
  options: { ...ENGINE_OPTION, ...DETAIL_OPTIONS },
});

/** The commands the main job runs; tests substitute them to check what they are given. */
export interface MainSteps {
  check: (argv: string[], signal: AbortSignal) => Promise<number>;
  conform: (argv: string[], signal: AbortSignal) => Promise<number>;
}

/** Runs the main job; returns the exit code. A bad command line runs nothing. */
export async function mainCommand(
  argv: string[],
  signal: AbortSignal,
  steps: MainSteps = { check: checkCommand, conform: conformCommand },
): Promise<number> {
  const { values } = parseCommandLine(MAIN, argv);
  const parsed = parseEngine(values.engine);
  const detail = readDetail(values);
  const error = 'error' in parsed ? parsed.error : 'error' in detail ? detail.error : undefined;
  if (error !== undefined) {
    process.stderr.write(`dax-model main: ${error}\n`);
    return EXIT.usage;
  }
  const engineArgs = ['--engine', (parsed as { engine: string }).engine, ...detailWords(values)];
  let configs: string[];
  try {
    configs = loadManifest()
      .configs.filter((c) => c.name === 'smoke' || c.variant)
      .map((c) => c.name);
  } catch (e) {
    return errorExit('main', e);
  }
  process.stdout.write(`== model checking: ${configs.join(', ')}\n`);
  const checked = await steps.check([...configs, ...engineArgs], signal);
  if (checked === EXIT.interrupted || signal.aborted) return EXIT.interrupted;
  process.stdout.write(`\n== conformance\n`);
  const conformed = await steps.conform(engineArgs, signal);
  return checked !== EXIT.ok ? checked : conformed;
}
