// What the commands write for a counterexample or trace: the HTML timeline and portable ITF, each
// written to a temp file and renamed, so that a failed run leaves nothing half-written. Shared by
// `dax-model check`, `replay-cex`, `replay` and `report` (tools/cli); a long trace's timeline is
// rendered in a worker thread (lib/in-worker.ts) that an interrupt terminates at once.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { callInWorker } from '../../lib/in-worker.ts';
import { InterruptedError } from '../../lib/interrupt.ts';
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { renderTimelineHtml } from '../../lib/report/html-timeline.ts';
import type { Counterexample } from '../../lib/result/check-result.ts';
import { flattenModule } from '../../lib/tla/flatten.ts';
import { writePortableItf } from '../trace-formats/itf-portable.ts';
import { loadTraceSchema } from '../trace-formats/schema.ts';
import { buildTimeline } from './timeline.ts';
import type { Explanation } from './why.ts';

/** One trace to write out, with where it came from. */
export interface TraceOutput {
  /** The config name (manifest) or .cfg path. */
  config: string;
  /** Where the trace came from: a file, or "<engine> check of <config>". */
  source: string;
  cex: Counterexample;
  explanation?: Explanation;
  /** More header lines (engine, version, ...). */
  meta?: [string, string][];
}

function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** FILE as given when it names a file of that extension, else DIR/<config><ext>. */
function outputFile(target: string, config: string, ext: '.html' | '.itf.json'): string {
  if (target.endsWith(ext)) return target;
  return path.join(target, `${path.basename(config).replace(/\.cfg$/, '')}${ext}`);
}

const cfgPath = (config: string): string => (config.endsWith('.cfg') ? path.resolve(config) : configFile(config));

/** The HTML timeline page of a trace.
 *  @public: also called by name in a worker (timelineHtmlInterruptibly), which knip cannot follow. */
export function timelineHtml(out: TraceOutput): string {
  const source = flattenModule(specFile(loadManifest())).source;
  const title = `${path.basename(out.config)}: ${out.explanation ? (out.explanation.kind === 'deadlock' ? 'deadlock' : out.explanation.property) : 'trace'}`;
  return renderTimelineHtml(
    buildTimeline(out.cex, {
      title,
      specSource: source,
      ...(out.explanation ? { explanation: out.explanation } : {}),
      meta: [['config', out.config], ['source', out.source], ...(out.meta ?? [])],
    }),
  );
}

/** The trace as portable ITF, "#meta" naming the config and the source. */
export function traceItf(out: TraceOutput): string {
  const schema = loadTraceSchema({ specFile: specFile(loadManifest()), configFile: cfgPath(out.config), shapes: false });
  const params = [...new Set(schema.actions.flatMap((a) => a.params))];
  const meta: Record<string, unknown> = { source: out.source, config: out.config, description: `dax-model trace of ${out.config}` };
  if (out.explanation) meta.property = out.explanation.property;
  for (const [k, v] of out.meta ?? []) meta[k] = v;
  return writePortableItf(
    { steps: out.cex.steps, ...(out.cex.loopsBackTo !== undefined ? { loopsBackTo: out.cex.loopsBackTo } : {}) },
    meta,
    schema.variables,
    params,
  );
}

/**
 * From this many states on, the timeline is rendered in a worker thread: 1,000 states take about
 * 0.2 s to render (6,000 about 1 s on an idle machine, 3 s on a busy one), which is where a signal
 * would start to wait; fewer are not worth the half second a worker costs to start.
 */
export const WORKER_RENDER_STATES = 1000;

/**
 * timelineHtml for a command that must stay interruptible: a trace of `workerFrom` states or more
 * is rendered in a worker thread.
 * @throws InterruptedError at once when `signal` is (or becomes) aborted.
 */
export async function timelineHtmlInterruptibly(
  out: TraceOutput,
  signal: AbortSignal | undefined,
  workerFrom = WORKER_RENDER_STATES,
): Promise<string> {
  if (out.cex.steps.length < workerFrom) return timelineHtml(out);
  return callInWorker<string>(new URL(import.meta.url), 'timelineHtml', [out], signal);
}

type Targets = { html?: string | undefined; itf?: string | undefined };

/** Writes each file of `texts` (temp file and rename); returns the files written. */
function writeAll(texts: [string, string][]): string[] {
  for (const [file, text] of texts) writeAtomic(file, text);
  return texts.map(([file]) => file);
}

/** Writes the HTML timeline and/or the ITF file a command was asked for; returns the files written. */
export function writeTraceOutputs(out: TraceOutput, targets: Targets): string[] {
  const texts: [string, string][] = [];
  if (targets.html) texts.push([outputFile(targets.html, out.config, '.html'), timelineHtml(out)]);
  if (targets.itf) texts.push([outputFile(targets.itf, out.config, '.itf.json'), traceItf(out)]);
  return writeAll(texts);
}

/**
 * writeTraceOutputs for a command that must stay interruptible: a long trace's timeline is rendered
 * in a worker, and nothing is written unless every text is ready and `signal` is not aborted.
 * @throws InterruptedError once `signal` is aborted.
 */
export async function writeTraceOutputsInterruptibly(
  out: TraceOutput,
  targets: Targets,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const texts: [string, string][] = [];
  if (targets.html) texts.push([outputFile(targets.html, out.config, '.html'), await timelineHtmlInterruptibly(out, signal)]);
  if (targets.itf) texts.push([outputFile(targets.itf, out.config, '.itf.json'), traceItf(out)]);
  if (signal?.aborted) throw new InterruptedError();
  return writeAll(texts);
}
