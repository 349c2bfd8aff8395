// A bounded cache of text transformations by their inputs' text: the adapter's module text and
// the pruned modules are the same for every config of one module, and worth computing once per
// process, while a long run (a mutation campaign rewriting modules) must not keep every version.

/** Results by key, the oldest dropped beyond `kept` entries. */
export class TextMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly kept: number) {}

  /** The result for `key`, computed by `compute` the first time. */
  get(key: string, compute: () => T): T {
    let out = this.entries.get(key);
    if (out === undefined) {
      out = compute();
      if (this.entries.size >= this.kept) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, out);
    }
    return out;
  }
}
