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
// lib/tlc's grammar reads the blocks; leniently for a run's own files (a cut-off file reads as a
// shorter trace), strictly here: the footer, consecutive STATE_k and headers that parse.
import type { TraceStep } from '../../lib/result/check-result.ts';
import { readSimulationBlocks } from '../../lib/tlc/index.ts';
import { checkTrace } from './schema.ts';
import type { ReadOptions, SpecTrace } from './spec-trace.ts';
import { inSource, namedParams } from './tlc-common.ts';

/** Reads one TLC -simulate trace file strictly (lib/tlc's grammar). @throws TraceFormatError */
export function readTlcSimulation(text: string, opts: ReadOptions): SpecTrace {
  const { source, schema } = opts;
  const steps = inSource(source, () => readSimulationBlocks(text, { strict: true })).map(({ index, header, state }): TraceStep => {
    const { action, params } = namedParams(header, schema, source, index);
    return params ? { index, action, state, params } : { index, action, state };
  });
  return checkTrace({ source, format: 'tlc-simulation', steps }, schema);
}
