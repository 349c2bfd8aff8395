// Every command line the repository gives as a hint — each committed counterexample's
// "regenerate", each corpus config's "command", the replay commands conform prints — is accepted by
// the named command's own argument parser (parsed, not run); a hint with an option the command
// lacks (as `replay-cex --save` was) fails here.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGRESSIONS_DIR } from '../../conformance/replay/counterexample-replay.ts';
import { loadCorpusManifest } from '../../conformance/traces/corpus.ts';
import { parseHint, shellWords } from './command-line.ts';
import { replayPathCommand } from './conform-command.ts';

const committed: [string, string][] = [
  ...readdirSync(REGRESSIONS_DIR)
    .filter((f) => f.endsWith('.cex.json'))
    .map((f): [string, string] => [
      f,
      (JSON.parse(readFileSync(path.join(REGRESSIONS_DIR, f), 'utf8')) as { regenerate: string }).regenerate,
    ]),
  ...Object.entries(loadCorpusManifest().configs).map(([name, c]): [string, string] => [`traces manifest: ${name}`, c.command]),
];

describe('hints in the repository', () => {
  it('there are some to check', () => expect(committed.length).toBeGreaterThanOrEqual(8));

  it.each(committed)('%s: %s parses', (_where, hint) => {
    expect(() => parseHint(hint)).not.toThrow();
  });

  it('the corpus is regenerated into the committed corpus, not a scratch folder', () => {
    for (const [, hint] of committed.filter(([w]) => w.startsWith('traces manifest')))
      expect(parseHint(hint).values['update-corpus']).toBe(true);
  });

  it('conform prints a --path command that conform accepts, with the failure seed, path and profile', () => {
    const line = replayPathCommand({ config: 'smoke', profile: 'ext4', seed: 123, path: '4:0:2', maxSteps: 30 });
    const { command, values } = parseHint(line);
    expect(command).toBe('conform');
    expect(values).toMatchObject({ config: 'smoke', profile: 'ext4', seed: '123', path: '4:0:2', 'max-steps': '30' });
  });
});

describe('parseHint', () => {
  it('refuses an option the command does not have', () =>
    expect(() => parseHint('npx dax-model replay-cex lost-wakeup --engine tlc --save')).toThrow(/--save/));
  it('refuses what is not a dax-model command line', () => expect(() => parseHint('npm test')).toThrow(/not a dax-model command line/));
  it('splits quoted words as a shell does', () => expect(shellWords(`a "b c" --x='d e' f`)).toEqual(['a', 'b c', '--x=d e', 'f']));
});
