// The machine-readable side of a benchmark: with `--json` a bench script prints one BenchFigures
// object (tables of figures and notes) instead of its human lines, so that bench/results.ts writes
// bench/RESULTS.md from data rather than by scraping prose. `--quick` asks for tiny sizes: only the
// results writer's own test uses it, its figures mean nothing.

/** One table of figures; a cell is a number (formatted by the reader) or a string. */
export interface FigureTable {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
}

/** What a bench script prints with --json. */
export interface BenchFigures {
  bench: string;
  quick: boolean;
  tables: FigureTable[];
  notes: string[];
}

/** The figures of one run, collected as the script goes, and its two ways out: human lines as
 *  they come (without --json), or the whole object at the end (with it). */
export class Figures {
  readonly json: boolean;
  readonly quick: boolean;
  private readonly data: BenchFigures;

  constructor(bench: string, argv: string[] = process.argv.slice(2)) {
    this.json = argv.includes('--json');
    this.quick = argv.includes('--quick');
    this.data = { bench, quick: this.quick, tables: [], notes: [] };
  }

  /** A human line: printed now unless --json. */
  say(line: string): void {
    if (!this.json) console.log(line);
  }

  /** A new table; returns the function that adds one row to it. */
  table(title: string, columns: string[]): (row: (string | number | null)[]) => void {
    const t: FigureTable = { title, columns, rows: [] };
    this.data.tables.push(t);
    return (row) => {
      t.rows.push(row);
    };
  }

  /** A figure or remark that is no table row (a ratio, a skip and its reason). */
  note(text: string): void {
    this.data.notes.push(text);
  }

  /** With --json, prints the collected figures as one JSON object. */
  done(): void {
    if (this.json) process.stdout.write(`${JSON.stringify(this.data, null, 2)}\n`);
  }
}

/** The arguments of a bench script other than --json and --quick. */
export function benchArgs(argv: string[] = process.argv.slice(2)): string[] {
  return argv.filter((a) => a !== '--json' && a !== '--quick');
}
