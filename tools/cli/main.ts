// The dax-model command line: dispatches to one module per command. Commands only parse arguments
// and print; the work is done by library functions that the tests call too.
import { checkCommand, CHECK_USAGE } from './check-command.ts';
import { historyCommand, HISTORY_USAGE } from './history-command.ts';
import { EXIT } from './exit-codes.ts';
import { runInterruptibly } from './interrupt.ts';
import { replayCexCommand, REPLAY_CEX_USAGE } from './replay-cex-command.ts';
import { replayCommand, REPLAY_USAGE } from './replay-command.ts';
import { conformCommand, CONFORM_USAGE } from './conform-command.ts';
import { mainCommand, MAIN_USAGE } from './main-command.ts';
import { tracesCommand, TRACES_USAGE } from './traces-command.ts';
import { mutateCommand, MUTATE_USAGE } from './mutate-command.ts';
import { linkCommand, LINK_USAGE } from './link-command.ts';
import { reportCommand, REPORT_USAGE } from './report-command.ts';
import { DISTRIBUTED_USAGE, workerCommand, WORKER_USAGE } from './distributed-command.ts';
import { simulateCommand, SIMULATE_USAGE } from './simulate-command.ts';
import { diffCommand, DIFF_USAGE } from './diff-command.ts';

type Command = (argv: string[], signal: AbortSignal) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  main: { run: mainCommand, usage: MAIN_USAGE },
  check: { run: checkCommand, usage: CHECK_USAGE },
  history: { run: historyCommand, usage: HISTORY_USAGE },
  conform: { run: conformCommand, usage: CONFORM_USAGE },
  traces: { run: tracesCommand, usage: TRACES_USAGE },
  mutate: { run: mutateCommand, usage: MUTATE_USAGE },
  link: { run: linkCommand, usage: LINK_USAGE },
  replay: { run: replayCommand, usage: REPLAY_USAGE },
  'replay-cex': { run: replayCexCommand, usage: REPLAY_CEX_USAGE },
  report: { run: reportCommand, usage: REPORT_USAGE },
  'check --distributed': { run: checkCommand, usage: DISTRIBUTED_USAGE },
  worker: { run: workerCommand, usage: WORKER_USAGE },
  simulate: { run: simulateCommand, usage: SIMULATE_USAGE },
  diff: { run: diffCommand, usage: DIFF_USAGE },
};

function usage(): string {
  return `usage: dax-model <command> [options]\n\ncommands:\n${Object.values(COMMANDS)
    .map((c) => `  ${c.usage.split('\n').join('\n  ')}`)
    .join('\n\n')}\n`;
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
    process.stdout.write(`${cmd.usage}\n`);
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
