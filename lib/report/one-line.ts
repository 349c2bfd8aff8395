// One-line error text: what a command prints for a failed TLC run, a malformed trace or cfg.
// Input quoted in an error (TLC's output, a trace file) may hold newlines; a report line may not.

/** Collapses whitespace (newlines included) to single spaces and caps the length with `…`. */
export function oneLine(s: string, max = 300): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A short JSON-quoted excerpt of input text, for naming what was found in an error message. */
export function quote(s: string, max = 40): string {
  const t = s.replace(/\s+/g, ' ');
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
}
