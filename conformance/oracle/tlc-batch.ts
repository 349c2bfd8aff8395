// Validates a batch of traces (sequences of spec states, e.g. mapped implementation runs) with TLC
// in one start: spec/TraceDaxDma.tla reads them with the Json module that ships in tla2tools and
// explores only the DaxDma behaviours through exactly those states; spec/TraceDaxDma.cfg is its cfg.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SPEC_DIR } from '../../lib/check/manifest.ts';
import type { CheckResult } from '../../lib/result/check-result.ts';
import { runTlc, type TlcRunOptions } from '../../lib/tlc/run.ts';
import { removeOnExit } from '../../lib/interrupt.ts';
import type { TlaRecord, TlaState, TlaValue } from '../../lib/values/value.ts';
import type { ModelConstants } from '../model/model.ts';

/** Per trace: how many of its states TLC matched, and whether that is all of them. */
interface BatchVerdict {
  trace: number;
  states: number;
  reached: number;
  accepted: boolean;
}

export interface BatchResult {
  verdicts: BatchVerdict[];
  seconds: number;
  /** TLC's own result, for its error when the run itself failed. */
  tlc: CheckResult;
}

/** A value as plain JSON for TLC's JsonDeserialize: model values become their names, sets and
 *  functions over offsets (integer keys 0..n-1) become arrays, other functions objects. */
export function toTraceJson(v: TlaValue): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(toTraceJson);
  if ('#model' in v) return (v as { '#model': string })['#model'];
  if ('#bigint' in v) return Number((v as { '#bigint': string })['#bigint']);
  if ('#set' in v) return (v as { '#set': TlaValue[] })['#set'].map(toTraceJson);
  if ('#map' in v) {
    const pairs = (v as { '#map': [TlaValue, TlaValue][] })['#map'];
    if (pairs.every(([k], i) => k === i)) return pairs.map(([, x]) => toTraceJson(x));
    const out: Record<string, unknown> = {};
    for (const [k, x] of pairs) {
      const key = typeof k === 'object' && k !== null && '#model' in k ? (k as { '#model': string })['#model'] : String(k);
      out[key] = toTraceJson(x);
    }
    return out;
  }
  const rec = v as TlaRecord;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec)) out[k] = toTraceJson(rec[k] as TlaValue);
  return out;
}

/** The batch's cfg template: TraceDaxDma.tla's constants as $Name placeholders. */
const BATCH_CFG_TEMPLATE = path.join(SPEC_DIR, 'TraceDaxDma.cfg');

const asStrings = (xs: readonly string[]): string => `{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;

/**
 * The cfg of a batch run: the template with the model's constants (model values as strings)
 * and the trace file filled in, plus the invariants to check.
 * @throws Error naming a placeholder of the template that has no value.
 */
export function batchConfig(
  c: ModelConstants,
  traceFile: string,
  invariants: readonly string[],
  template = readFileSync(BATCH_CFG_TEMPLATE, 'utf8'),
): string {
  const values: Record<string, string> = {
    Files: asStrings(c.files),
    NumOffsets: String(c.numOffsets),
    Blocks: asStrings(c.blocks),
    Users: asStrings(c.users),
    FsTasks: asStrings(c.fsTasks),
    Syncers: asStrings(c.syncers),
    FsOps: asStrings(c.fsOps),
    MaxGups: String(c.maxGups),
    IdleRef: String(c.idleRef),
    Bugs: asStrings(c.bugs),
    Features: asStrings(c.features),
    TraceFile: JSON.stringify(traceFile),
  };
  const filled = template.replace(/\$([A-Za-z]\w*)/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`${BATCH_CFG_TEMPLATE}: no value for placeholder $${name}`);
    return v;
  });
  return `${filled.trimEnd()}\n${invariants.length > 0 ? `INVARIANT ${invariants.join(' ')}\n` : ''}`;
}

/** Validates traces with one TLC run. Needs TLC (see lib/tlc/locate.ts). */
export async function validateBatchWithTlc(
  traces: TlaState[][],
  constants: ModelConstants,
  opts: { invariants?: string[]; timeoutSeconds?: number; tlc?: Partial<TlcRunOptions> } = {},
): Promise<BatchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-batch-'));
  const release = removeOnExit(dir);
  try {
    const traceFile = path.join(dir, 'batch.json');
    writeFileSync(traceFile, JSON.stringify(traces.map((t) => t.map((s) => toTraceJson(s as unknown as TlaValue)))));
    const cfg = path.join(dir, 'batch.cfg');
    writeFileSync(cfg, batchConfig(constants, traceFile, opts.invariants ?? []));
    const reached = traces.map(() => 0);
    const tlc = await runTlc({
      specFile: path.join(SPEC_DIR, 'TraceDaxDma.tla'),
      configFile: cfg,
      workers: 1,
      deadlock: false,
      timeoutSeconds: opts.timeoutSeconds ?? 600,
      ...opts.tlc,
      onOutputLine: (line: string) => {
        const m = /^<<"TRACE_REACHED", (\d+), (\d+), (TRUE|FALSE)>>$/.exec(line.trim());
        if (m) reached[Number(m[1]) - 1] = Math.max(reached[Number(m[1]) - 1] ?? 0, Number(m[2]));
      },
    });
    const verdicts = traces.map((t, i) => ({ trace: i + 1, states: t.length, reached: reached[i]!, accepted: reached[i] === t.length }));
    return { verdicts, seconds: tlc.seconds, tlc };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    release();
  }
}
