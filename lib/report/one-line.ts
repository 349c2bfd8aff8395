// One-line error text: what a command prints for a failed TLC run, a malformed trace or cfg.
// Input quoted in an error (TLC's output, a trace file) may hold newlines; a report line may not.

/** Collapses whitespace (newlines included) to single spaces and caps the length with `…`. */
export function oneLine(s: string, max = 300): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A short JSON-quoted excerpt of input text, for naming what was found in an error message. */
export function quote(s: string, max = 40): string {
  // Cut before collapsing whitespace, so a huge input costs no more than a short one.
  const t = s.slice(0, 4 * max + 4).replace(/\s+/g, ' ');
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
}

/**
 * A bounded excerpt of any input value for an error message: strings JSON-quoted, other values as
 * JSON, at most `max` characters (then `…`). Never walks more than `max` characters' worth of
 * the value, so a huge or deeply nested input costs no more than a short one.
 */
export function excerpt(v: unknown, max = 200): string {
  const out: string[] = [];
  let left = max + 1;
  const put = (s: string): boolean => {
    out.push(s.length > left ? s.slice(0, left) : s);
    left -= s.length;
    return left > 0;
  };
  // Iterative walk: a stack of pending text pieces and values, so depth costs no call stack.
  const stack: unknown[] = [{ value: v }];
  while (stack.length && left > 0) {
    const top = stack.pop();
    if (typeof top === 'string') {
      put(top);
      continue;
    }
    const x = (top as { value: unknown }).value;
    if (typeof x === 'string') put(JSON.stringify(x.length > left ? x.slice(0, left) : x));
    else if (x === null || typeof x === 'number' || typeof x === 'boolean') put(String(x));
    else if (typeof x === 'bigint') put(`${x}`);
    else if (Array.isArray(x)) {
      stack.push(']');
      const n = Math.min(x.length, left);
      for (let i = n - 1; i >= 0; i--) stack.push({ value: x[i] }, i > 0 ? ',' : '');
      put('[');
    } else if (typeof x === 'object') {
      stack.push('}');
      const keys = Object.keys(x).slice(0, left);
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push(
          { value: (x as Record<string, unknown>)[keys[i] as string] },
          `${i > 0 ? ',' : ''}${JSON.stringify((keys[i] as string).slice(0, left))}:`,
        );
      put('{');
    } else put(String(typeof x));
  }
  const text = out.join('').replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** What was thrown, as "Name: message" (an Error) or its text (anything else). */
export function thrownText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
