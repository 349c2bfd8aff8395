// Which variant switches of a spec's BugNames shipped in a release and which are hypothetical, as
// the `\*` comment above each name says ("historical: ..." / "hypothetical: ..."). Reads the TLA+
// source only (scan.ts's masking finds the real definition, not one in a comment).
import { lineAt, maskTla } from './scan.ts';

/** What the comment above a switch says it is; 'unmarked' when it says neither. */
export type SwitchKind = 'historical' | 'hypothetical' | 'unmarked';

/**
 * The kind of every name in the set `name == { "A", "B", ... }` of a module's text, in order,
 * read from the first word of the `\*` comment lines directly above each name.
 * @returns an empty map when the module has no such definition.
 */
export function switchKinds(source: string, name = 'BugNames'): Map<string, SwitchKind> {
  const masked = maskTla(source);
  const head = new RegExp(`^${name}\\s*==\\s*\\{`, 'm').exec(masked);
  const out = new Map<string, SwitchKind>();
  if (!head) return out;
  const close = masked.indexOf('}', head.index + head[0].length);
  const lines = source.split('\n');
  // maskTla blanks string contents, so the quotes are found in the masked text and read in the source.
  const quoted = /"[^"\n]*"/g;
  quoted.lastIndex = head.index + head[0].length;
  for (let m = quoted.exec(masked); m && (close < 0 || m.index < close); m = quoted.exec(masked)) {
    const switchName = source.slice(m.index + 1, m.index + m[0].length - 1);
    let top: string | undefined;
    for (let i = lineAt(source, m.index) - 2; i >= 0; i--) {
      const t = (lines[i] ?? '').trim();
      if (!t.startsWith('\\*')) break;
      top = t;
    }
    const word = top
      ?.replace(/^\\\*\s*/, '')
      .split(/[\s:,]/)[0]
      ?.toLowerCase();
    out.set(switchName, word === 'historical' || word === 'hypothetical' ? word : 'unmarked');
  }
  return out;
}
