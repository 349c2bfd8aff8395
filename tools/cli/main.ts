// The dax-model command line: dispatches to one module per command. Commands only parse arguments
// and print; the work is done by library functions that the tests call too. Each command's
// declaration (command-spec.ts) is what its parser reads and what its --help prints.
import { CHECK, checkCommand } from './check-command.ts';
import { HISTORY, historyCommand } from './history-command.ts';
import { helpText, type CommandSpec } from './command-spec.ts';
import { EXIT } from './exit-codes.ts';
import { runInterruptibly } from './interrupt.ts';
import { REPLAY_CEX, replayCexCommand } from './replay-cex-command.ts';
import { REPLAY, replayCommand } from './replay-command.ts';
import { CONFORM, conformCommand } from './conform-command.ts';
import { MAIN, mainCommand } from './main-command.ts';
import { TRACES, tracesCommand } from './traces-command.ts';
import { MUTATE, mutateCommand } from './mutate-command.ts';
import { LINK, linkCommand } from './link-command.ts';
import { REPORT, reportCommand } from './report-command.ts';
import { DISTRIBUTED, WORKER, workerCommand } from './distributed-command.ts';
import { SIMULATE, SIMULATE_MERGE, simulateCommand } from './simulate-command.ts';
import { DIFF, diffCommand } from './diff-command.ts';

type Command = (argv: string[], signal: AbortSignal) => Promise<number>;

/** The commands by the name typed after `dax-model`, each with its declaration. */
const COMMANDS: Record<string, { run: Command; spec: CommandSpec }> = {
  main: { run: mainCommand, spec: MAIN },
  check: { run: checkCommand, spec: CHECK },
  history: { run: historyCommand, spec: HISTORY },
  conform: { run: conformCommand, spec: CONFORM },
  traces: { run: tracesCommand, spec: TRACES },
  mutate: { run: mutateCommand, spec: MUTATE },
  link: { run: linkCommand, spec: LINK },
  replay: { run: replayCommand, spec: REPLAY },
  'replay-cex': { run: replayCexCommand, spec: REPLAY_CEX },
  report: { run: reportCommand, spec: REPORT },
  worker: { run: workerCommand, spec: WORKER },
  simulate: { run: simulateCommand, spec: SIMULATE },
  diff: { run: diffCommand, spec: DIFF },
};

/** Every declaration, the forms with their own options included (`check --distributed`,
 *  `simulate merge`): what the help test checks against the parsers. */
export const COMMAND_SPECS: readonly CommandSpec[] = Object.values(COMMANDS).flatMap(({ spec }) =>
  spec === CHECK ? [spec, DISTRIBUTED] : spec === SIMULATE ? [spec, SIMULATE_MERGE] : [spec],
);

/** The declaration whose options `argv` (after the command name) is parsed with. */
function specFor(name: string, rest: readonly string[]): CommandSpec {
  if (name === 'check' && rest.includes('--distributed')) return DISTRIBUTED;
  if (name === 'simulate' && rest[0] === 'merge') return SIMULATE_MERGE;
  return COMMANDS[name]!.spec;
}

function usage(): string {
  const width = Math.max(...COMMAND_SPECS.map((s) => s.name.length));
  return [
    'usage: dax-model <command> [options]',
    '',
    'commands:',
    ...COMMAND_SPECS.map((s) => `  ${s.name.padEnd(width + 2)}${s.summary}`),
    '',
    "dax-model <command> --help prints the command's usage, what it does and its options.",
    '',
  ].join('\n');
}

/** Runs the command line; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`dax-model: unknown command '${name}' (try dax-model --help)\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpText(specFor(name, rest)));
    return EXIT.ok;
  }
  // SIGINT / SIGTERM abort the run (TLC killed, temp dirs removed) instead of killing us mid-write.
  return runInterruptibly(name, async (signal) => {
    try {
      return await cmd.run(rest, signal);
    } catch (e) {
      const err = e as Error;
      if (err && err.name === 'TypeError' && 'code' in err && String((err as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`dax-model ${name}: ${err.message}\n`);
        return EXIT.usage;
      }
      throw e;
    }
  });
}
