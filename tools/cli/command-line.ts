// Reads a dax-model command line that the project prints or commits as a hint ("regenerate with
// ...", "reproduce with ...") with the same parseArgs declarations the commands use, without
// running it: a hint naming an option that does not exist is caught by a test, not by a user.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CONFORM_OPTIONS } from './conform-command.ts';
import { DIFF_OPTIONS } from './diff-command.ts';
import { REPLAY_CEX_OPTIONS } from './replay-cex-command.ts';
import { REPLAY_OPTIONS } from './replay-command.ts';
import { TRACES_OPTIONS } from './traces-command.ts';

/** The commands whose command lines the project writes as hints, with their options. */
const HINTED: Record<string, { options: ParseArgsConfig['options']; positionals: boolean }> = {
  conform: { options: CONFORM_OPTIONS, positionals: false },
  diff: { options: DIFF_OPTIONS, positionals: false },
  replay: { options: REPLAY_OPTIONS, positionals: true },
  'replay-cex': { options: REPLAY_CEX_OPTIONS, positionals: true },
  traces: { options: TRACES_OPTIONS, positionals: true },
};

/** Splits a command line as a POSIX shell would for the quoting the hints use ('…' and "…"). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+)/g;
  let current: string | undefined;
  let last = -1;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const piece = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!);
    // Adjacent pieces (--path="0:1") form one word.
    if (current !== undefined && m.index === last) current += piece;
    else {
      if (current !== undefined) words.push(current);
      current = piece;
    }
    last = re.lastIndex;
  }
  if (current !== undefined) words.push(current);
  return words;
}

/**
 * Parses a hint ("npx dax-model replay-cex lost-wakeup --engine tlc", or without "npx") with the
 * named command's own option declarations, strictly. @throws Error naming what is not accepted.
 */
export function parseHint(line: string): { command: string; values: Record<string, unknown>; positionals: string[] } {
  const words = shellWords(line);
  const start = words[0] === 'npx' ? 1 : 0;
  if (words[start] !== 'dax-model' && !/bin\/dax-model\.mjs$/.test(words[start] ?? ''))
    throw new Error(`'${line}' is not a dax-model command line`);
  const command = words[start + 1] ?? '';
  const spec = HINTED[command];
  if (!spec) throw new Error(`'${line}': no command '${command}' among ${Object.keys(HINTED).join(', ')}`);
  const { values, positionals } = parseArgs({
    args: words.slice(start + 2),
    options: spec.options,
    allowPositionals: spec.positionals,
    strict: true,
  });
  return { command, values, positionals };
}
