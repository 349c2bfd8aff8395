// What the commands write for a counterexample or trace: the HTML timeline and portable ITF, each
// written to a temp file and renamed, so that a failed run leaves nothing half-written. Shared by
// `dax-model check`, `replay-cex` and `report` (tools/cli).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
export function outputFile(target: string, config: string, ext: '.html' | '.itf.json'): string {
  if (target.endsWith(ext)) return target;
  return path.join(target, `${path.basename(config).replace(/\.cfg$/, '')}${ext}`);
}

const cfgPath = (config: string): string => (config.endsWith('.cfg') ? path.resolve(config) : configFile(config));

/** The HTML timeline page of a trace. */
export function timelineHtml(out: TraceOutput): string {
  const source = flattenModule(specFile(loadManifest())).source;
  const title = `${path.basename(out.config)}: ${out.explanation ? (out.explanation.kind === 'deadlock' ? 'deadlock' : out.explanation.property) : 'trace'}`;
  return renderTimelineHtml(buildTimeline(out.cex, { title, specSource: source, ...(out.explanation ? { explanation: out.explanation } : {}), meta: [['config', out.config], ['source', out.source], ...(out.meta ?? [])] }));
}

/** The trace as portable ITF, "#meta" naming the config and the source. */
export function traceItf(out: TraceOutput): string {
  const schema = loadTraceSchema({ specFile: specFile(loadManifest()), configFile: cfgPath(out.config), shapes: false });
  const params = [...new Set(schema.actions.flatMap((a) => a.params))];
  const meta: Record<string, unknown> = { source: out.source, config: out.config, description: `dax-model trace of ${out.config}` };
  if (out.explanation) meta.property = out.explanation.property;
  for (const [k, v] of out.meta ?? []) meta[k] = v;
  return writePortableItf({ steps: out.cex.steps, ...(out.cex.loopsBackTo !== undefined ? { loopsBackTo: out.cex.loopsBackTo } : {}) }, meta, schema.variables, params);
}

/** Writes the HTML timeline and/or the ITF file a command was asked for; returns the files written. */
export function writeTraceOutputs(out: TraceOutput, targets: { html?: string; itf?: string }): string[] {
  const written: string[] = [];
  if (targets.html) {
    const f = outputFile(targets.html, out.config, '.html');
    writeAtomic(f, timelineHtml(out));
    written.push(f);
  }
  if (targets.itf) {
    const f = outputFile(targets.itf, out.config, '.itf.json');
    writeAtomic(f, traceItf(out));
    written.push(f);
  }
  return written;
}
