// For the commands' tests: what a command writes to stdout and stderr, captured with vitest spies
// instead of printed (the commands write to process.stdout/stderr, as the CLI does).
import { vi } from 'vitest';

/** Starts capturing stdout and stderr until vi.restoreAllMocks(); read them with out() / err(). */
export function captureOutput(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  return { out: () => out, err: () => err };
}

/** Runs a command with its output captured; the spies are removed afterwards. */
export async function runCaptured(command: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const io = captureOutput();
  try {
    const code = await command();
    return { code, out: io.out(), err: io.err() };
  } finally {
    vi.restoreAllMocks();
  }
}
