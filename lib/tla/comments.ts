// The comments that document a module's definitions: the `\*` lines right above each top-level
// definition and the `(* ... *)` banner of the section it sits in. Uses scan.ts's masking to find
// real definitions; stands for what SANY keeps as a definition's pre-comment (tla2sany.st).
import { maskTla, topLevelDefinitions } from './scan.ts';

/** What documents one definition. */
export interface DefinitionDoc {
  /** The `\*` comment lines directly above the definition, joined with spaces ("" if none). */
  comment: string;
  /** The text of the last `(* ... *)` block comment before it (the section banner), if any. */
  section?: string;
}

function bannerText(block: string): string {
  return block
    .split('\n')
    .map((l) =>
      l
        .replace(/^\s*\(?\*+\)?/, '')
        .replace(/\(?\*+\)?\s*$/, '')
        .trim(),
    )
    .filter((l) => l.length > 0)
    .join(' ');
}

/** The comment and section banner of every top-level definition of a module's text. */
export function definitionDocs(source: string): Map<string, DefinitionDoc> {
  const masked = maskTla(source);
  const lines = source.split('\n');
  const banners: { end: number; text: string }[] = [];
  // A banner is a run of lines that are each a whole `(* ... *)` comment, as in Lamport's style.
  const re = /(?:^[ \t]*\(\*.*\*\)[ \t]*(?:\n|$))+/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) banners.push({ end: m.index + m[0].length, text: bannerText(m[0]) });
  const out = new Map<string, DefinitionDoc>();
  for (const def of topLevelDefinitions(masked)) {
    const above: string[] = [];
    for (let i = def.line - 2; i >= 0; i--) {
      const t = (lines[i] ?? '').trim();
      if (!t.startsWith('\\*')) break;
      above.unshift(t.replace(/^\\\*\s?/, ''));
    }
    const section = banners.filter((b) => b.end <= def.offset && b.text).pop()?.text;
    out.set(def.name, { comment: above.join(' ').replace(/\s+/g, ' ').trim(), ...(section ? { section } : {}) });
  }
  return out;
}
