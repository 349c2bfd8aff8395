// Reads a dax-model command line that the project prints or commits as a hint ("regenerate with
// ...", "reproduce with ...") with the same parseArgs declarations the commands use, without
// running it: a hint naming an option that does not exist is caught by a test, not by a user.
// Any command's declaration is used (main.ts's COMMAND_SPECS), the one its parser reads.
import { parseCommandLine } from './command-spec.ts';
import { COMMAND_SPECS } from './main.ts';

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
  const spec = COMMAND_SPECS.find((s) => s.name === command);
  if (!spec) throw new Error(`'${line}': no command '${command}' among ${COMMAND_SPECS.map((s) => s.name).join(', ')}`);
  const { values, positionals } = parseCommandLine(spec, words.slice(start + 2));
  return { command, values, positionals };
}
