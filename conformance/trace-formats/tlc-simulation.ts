// Reader for the files TLC `-simulate num=N,file=PREFIX` writes, one behaviour per file
// (PREFIX_<worker>_<n>). Stands for tlc2.tool.Simulator's trace writer in TLC 2.20.
//
// What TLC 2.20 (rev bacd9d2) actually writes -- not a module with a trace definition, but one
// definition per state, each after a comment with the action header, and a footer:
//
//   ---------------- MODULE /abs/path/PREFIX_0_0 -----------------
//   \* <Init line 154, col 5 to line 173, col 41 of module DaxDma>
//   STATE_1 ==
//   /\ uref = (u1 :> None)
//   ...
//                                          (blank line)
//   \* <GupFastReadPte(u1,f1,0) line 216, col 5 to line 225, col 57 of module DaxDma>
//   STATE_2 ==
//   ...
//   =================================================
//
// The "module name" is the file's absolute path, so the file is not a module SANY would parse.
// lib/tlc's parseSimulationTrace reads the same blocks leniently (a cut-off file reads as a
// shorter trace); this reader wants the footer, consecutive STATE_k and headers that parse.
import type { TraceStep } from '../../lib/result/check-result.ts';
import { checkTrace } from './schema.ts';
import { type ReadOptions, type SpecTrace, TraceFormatError, quote } from './spec-trace.ts';
import { namedParams, readHeader, readState } from './tlc-common.ts';

/** Reads one TLC -simulate trace file. @throws TraceFormatError */
export function readTlcSimulation(text: string, opts: ReadOptions): SpecTrace {
  const { source, schema } = opts;
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length && !(lines[i] as string).trim()) i++;
  if (i >= lines.length) throw new TraceFormatError({ source }, 'empty file');
  if (!/^-{4,}\s*MODULE\s+\S.*?-{4,}\s*$/.test(lines[i] as string)) {
    throw new TraceFormatError({ source }, `not a TLC -simulate trace: expected a "---- MODULE ... ----" line, found ${quote(lines[i] as string)}`);
  }
  i++;
  const steps: TraceStep[] = [];
  let footer = false;
  while (i < lines.length) {
    const line = (lines[i] as string).trim();
    if (!line) {
      i++;
      continue;
    }
    if (/^={4,}$/.test(line)) {
      footer = true;
      i++;
      break;
    }
    const index = steps.length + 1;
    const hm = /^\\\*\s*(<.*>)\s*$/.exec(line);
    if (!hm) throw new TraceFormatError({ source, step: index }, `expected "\\* <action header>", found ${quote(line)}`);
    const header = readHeader(hm[1] as string, source, index);
    i++;
    const def = /^STATE_(\d+)\s*==\s*$/.exec((lines[i] ?? '').trim());
    if (!def) throw new TraceFormatError({ source, step: index }, `expected "STATE_${index} ==", found ${lines[i] === undefined ? 'end of file (truncated?)' : quote(lines[i] as string)}`);
    if (Number(def[1]) !== index) throw new TraceFormatError({ source, step: index }, `states out of order: STATE_${def[1]} where STATE_${index} belongs`);
    i++;
    const body: string[] = [];
    while (i < lines.length && !/^\s*(\\\*\s*<|={4,})/.test(lines[i] as string)) body.push(lines[i++] as string);
    const state = readState(body.join('\n'), source, index);
    const { action, params } = namedParams(header, schema, source, index);
    const step: TraceStep = { index, action, state };
    if (params) step.params = params;
    steps.push(step);
  }
  if (!footer) throw new TraceFormatError({ source, step: steps.length || undefined }, 'truncated: no closing "====" line');
  const rest = lines.slice(i).find((l) => l.trim());
  if (rest !== undefined) throw new TraceFormatError({ source }, `text after the closing "====" line: ${quote(rest)}`);
  return checkTrace({ source, format: 'tlc-simulation', steps }, schema);
}
