// Live progress lines on stderr: rewritten in place on a terminal, one line per report otherwise
// (CI logs), so long TLC runs and trace replays show that they are moving.
import type { Progress } from '../../lib/result/check-result.ts';

/** Writes progress lines for long work. */
export class ProgressLine {
  private last = '';
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {}

  update(text: string): void {
    if (this.quiet) return;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.last = text;
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  /** Ends an in-place line so that ordinary output starts on a fresh line. */
  done(): void {
    if (this.stream.isTTY && this.last) this.stream.write('\r\x1b[2K');
    this.last = '';
  }
}

/** A model-checking run's progress report as one line, for `name`. */
export function checkProgressText(name: string, p: Progress): string {
  return `[${name}] ${thousands(p.distinct)} distinct, ${thousands(p.generated)} generated, queue ${thousands(p.queue)} (${Math.round(p.seconds)} s)`;
}

/** 1234567 → "1,234,567". */
export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}
