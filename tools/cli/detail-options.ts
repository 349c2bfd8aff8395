// How much a command prints about counterexamples: `--verbose` (every counterexample, even the
// expected ones), `--only VAR,...` (diffs limited to some spec variables) and `--full-init` (the
// initial state in full). One declaration for check, conform and main, which passes them on.
import { loadManifest, specFile } from '../../lib/check/manifest.ts';
import type { CounterexampleFormat } from '../../lib/report/counterexample.ts';
import { flattenModule } from '../../lib/tla/flatten.ts';
import { specVariables } from '../../lib/tla/spec-actions.ts';

/** The options as parseArgs declares them, with their help. */
export const DETAIL_OPTIONS = {
  verbose: { type: 'boolean', default: false, help: 'print every counterexample, the expected ones too' },
  only: { type: 'string', value: 'VAR,...', help: "limit the counterexamples' diffs to these spec variables" },
  'full-init': {
    type: 'boolean',
    default: false,
    help: "print a counterexample's initial state in full (else one line: how many variables)",
  },
} as const;

/** What the detail options say. */
export interface Detail {
  verbose: boolean;
  format: CounterexampleFormat;
}

/** Reads the parsed detail options; `--only` must name variables of the spec (read from its
 *  module tree, so a new variable needs no change here). Returns a one-line error otherwise. */
export function readDetail(values: { verbose?: boolean; only?: string; 'full-init'?: boolean }): Detail | { error: string } {
  const format: CounterexampleFormat = { fullInit: values['full-init'] === true };
  if (values.only !== undefined) {
    const wanted = values.only
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    const known = new Set(specVariables(flattenModule(specFile(loadManifest())).source));
    const unknown = wanted.filter((v) => !known.has(v));
    if (wanted.length === 0 || unknown.length > 0)
      return { error: `--only must list variables of the spec (${[...known].join(', ')}), not '${unknown.join(',') || values.only}'` };
    format.only = wanted;
  }
  return { verbose: values.verbose === true, format };
}

/** The detail options as command-line words, for a command that passes them on. */
export function detailWords(values: { verbose?: boolean; only?: string; 'full-init'?: boolean }): string[] {
  return [
    ...(values.verbose ? ['--verbose'] : []),
    ...(values.only !== undefined ? ['--only', values.only] : []),
    ...(values['full-init'] ? ['--full-init'] : []),
  ];
}
