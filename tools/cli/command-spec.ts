// A command's options, declared once: each with its name, its value's placeholder and one line of
// help. The parser reads the declaration (node:util parseArgs, which ignores the help fields) and
// `dax-model <command> --help` prints it, so that an option cannot be accepted and undocumented,
// or documented and refused.
import { parseArgs } from 'node:util';

/** One option: what parseArgs needs, and what --help prints. */
interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in the help (`--runs N`); string options only. */
  readonly value?: string;
  /** One line for the options table: what it does, and its default. */
  readonly help: string;
  readonly default?: string | boolean;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** A command (or one form of it, as `check --distributed`): how it is called, what it does, its options. */
export interface CommandSpec<O extends OptionTable = OptionTable> {
  /** As typed after `dax-model` (`check`, `check --distributed`, `simulate merge`). */
  readonly name: string;
  /** Synopsis lines, each after `dax-model `; options are summed up as [options]. */
  readonly usage: readonly string[];
  /** One line for `dax-model --help`. */
  readonly summary: string;
  /** The prose of `dax-model <command> --help`: what it does and its exit codes. */
  readonly description: string;
  /** Whether it takes operands (configs, files) besides its options. */
  readonly positionals: boolean;
  readonly options: O;
}

/** Declares a command; `const` keeps the option types literal, so that parsed values are typed. */
export function defineCommand<const O extends OptionTable>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** Parses `argv` with the command's own declarations, strictly.
 *  @throws TypeError (code ERR_PARSE_ARGS_*) for an option it does not declare. */
export function parseCommandLine<const O extends OptionTable>(spec: CommandSpec<O>, argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: spec.options, allowPositionals: spec.positionals, strict: true });
}

/** The left column of an option's row: `--name VALUE`. */
function optionWords(name: string, o: OptionSpec): string {
  return o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`;
}

/** Widest left column kept beside its help; a longer one puts the help on the next line. */
const MAX_LEFT = 30;

/** The options table: one row per option, the help column aligned. */
export function optionsTable(options: OptionTable, indent = '  '): string[] {
  const rows = Object.entries(options).map(([name, o]) => [optionWords(name, o), o.help] as const);
  const width = Math.max(0, ...rows.map(([l]) => l.length).filter((n) => n <= MAX_LEFT));
  return rows.flatMap(([left, help]) =>
    left.length > width ? [`${indent}${left}`, `${indent}${' '.repeat(width + 2)}${help}`] : [`${indent}${left.padEnd(width + 2)}${help}`],
  );
}

/** `dax-model <command> --help`: the usage lines, the description, the options table. */
export function helpText(spec: CommandSpec): string {
  const usage = spec.usage.map((u, i) => `${i === 0 ? 'usage: ' : '       '}dax-model ${u}`);
  const description = spec.description.split('\n').map((l) => (l === '' ? '' : `  ${l}`));
  const options = Object.keys(spec.options).length > 0 ? ['', 'options:', ...optionsTable(spec.options)] : [];
  return [...usage, '', ...description, ...options, ''].join('\n');
}
