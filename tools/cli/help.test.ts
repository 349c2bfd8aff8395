// --help is printed from the declarations the parsers read (command-spec.ts): for every command,
// each option its real parser accepts has a row in its --help, and its --help names no option
// that parser refuses. The parsers are the commands' own, reached through main(): an option a
// command declared for --help but did not parse with would be refused here.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, runCaptured } from './capture-output.ts';
import { helpText, optionsTable, type CommandSpec } from './command-spec.ts';
import { COMMAND_SPECS, main } from './main.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Not an option of the command: main() answers it for every command. */
const HELP = '--help';
/** An option no command declares; a parser that sees it throws naming it. */
const UNKNOWN = '--zz-no-such-option';

/** The words typed after `dax-model` for the form `spec` declares: `check --distributed` -> [check, --distributed]. */
const words = (spec: CommandSpec): string[] => spec.name.split(' ');

/** The help `dax-model <form> --help` prints. */
async function printedHelp(spec: CommandSpec): Promise<string> {
  const r = await runCaptured(() => main([...words(spec), '--help']));
  expect(r.code, spec.name).toBe(0);
  return r.out;
}

afterEach(() => vi.restoreAllMocks());

describe('--help from the declarations', () => {
  it('covers every command of dax-model --help', async () => {
    const r = await runCaptured(() => main(['--help']));
    for (const s of COMMAND_SPECS) expect(r.out).toMatch(new RegExp(`^  ${s.name.replace(/[-]/g, '\\-')} +\\S`, 'm'));
    expect(COMMAND_SPECS.length).toBeGreaterThanOrEqual(15);
  });

  it.each(COMMAND_SPECS.map((s) => [s.name, s] as const))('%s: every option it declares has a row in its --help', async (_n, spec) => {
    const help = await printedHelp(spec);
    expect(help).toBe(helpText(spec));
    expect(help.startsWith(`usage: dax-model ${spec.usage[0]}`)).toBe(true);
    expect(Object.keys(spec.options).length).toBeGreaterThan(0);
    for (const [name, o] of Object.entries(spec.options)) {
      expect(help, `--${name}`).toMatch(new RegExp(`^  --${name}${o.type === 'string' ? ' \\S' : '( |$)'}`, 'm'));
      expect(o.help.trim(), `--${name}'s help`).not.toBe('');
      expect(o.help, `--${name}'s help is one line`).not.toMatch(/\n/);
    }
  });

  it.each(COMMAND_SPECS.map((s) => [s.name, s] as const))('%s: its parser accepts every option its --help names', async (_n, spec) => {
    const named = [...new Set((await printedHelp(spec)).match(/--[a-z][a-z-]*/g) ?? [])].filter((o) => o !== HELP);
    expect(named.length).toBeGreaterThan(0);
    for (const option of named) {
      // Strict parsing stops at the first option it does not know: a known one before UNKNOWN
      // lets UNKNOWN be the one named; nothing runs, as parsing comes first.
      const o = spec.options[option.slice(2)];
      const args = [...words(spec), option, ...(o?.type === 'string' ? ['x'] : []), UNKNOWN];
      const io = captureOutput();
      const code = await main(args);
      vi.restoreAllMocks();
      expect(io.err(), args.join(' ')).toContain(`'${UNKNOWN}'`);
      expect(code, args.join(' ')).toBe(2);
    }
  });

  it('the parser refuses an option its --help does not list (the check above can fail)', async () => {
    const io = captureOutput();
    expect(await main(['link', '--since', 'x'])).toBe(2);
    expect(io.err()).toContain("'--since'");
  });

  it("no command parses with a declaration of its own beside its spec's", () => {
    const commands = readdirSync(HERE).filter((f) => f.endsWith('-command.ts'));
    expect(commands.length).toBeGreaterThanOrEqual(12);
    for (const f of commands) expect(readFileSync(path.join(HERE, f), 'utf8'), f).not.toMatch(/\bparseArgs\s*\(/);
  });
});

describe('the options table', () => {
  it('aligns the help column, and moves a long option to its own line', () => {
    const rows = optionsTable({
      a: { type: 'boolean', help: 'first' },
      'bee-cee': { type: 'string', value: 'N', help: 'second' },
      [`x${'y'.repeat(40)}`]: { type: 'string', value: 'V', help: 'third' },
    });
    expect(rows).toEqual(['  --a          first', '  --bee-cee N  second', `  --x${'y'.repeat(40)} V`, `  ${' '.repeat(13)}third`]);
  });
});
