// The config an ITF file says it is a behaviour of: the "config" field of its top-level "#meta",
// which the portable writer (itf-portable.ts, via conformance/explain/outputs.ts) records, so that
// `dax-model replay FILE` needs no --config for files this project wrote.
import { readFileSync } from 'node:fs';

/** The "#meta".config of an ITF file, or undefined when the file is not JSON or names none. */
export function itfMetaConfig(file: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const meta = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>)['#meta'] : undefined;
  const config = meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>).config : undefined;
  return typeof config === 'string' && config !== '' ? config : undefined;
}
