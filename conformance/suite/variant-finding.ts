// How well fast-check finds each variant's bug: runs until an execution of the implementation with
// the switch on shows the violation TLC reports for the variant config (manifest "expected"),
// validated against that variant's state graph with its invariants evaluated, and the shrunk
// length next to TLC's shortest counterexample (BFS). bench/conform.ts prints it; a test bounds it.
import { loadManifest } from '../../lib/check/manifest.ts';
import { readSavedCounterexample, regressionFiles } from '../replay/counterexample-replay.ts';
import { isExpectedFailure } from '../executions/expected-violation.ts';
import { fastCheckConformance } from '../executions/fast-check-run.ts';
import { readModelConstants } from '../model/model.ts';
import { GraphOracle } from '../oracle/graph-oracle.ts';
import { StateGraph, type GraphLoadOptions } from '../oracle/state-graph.ts';

/** One variant config under one seed. */
export interface VariantFinding {
  config: string;
  variant: string;
  expected: string;
  seed: number;
  /** Runs made: to the first failure, or all of them when none failed. */
  runs: number;
  /** Actions in TLC's committed counterexample (not counting the initial state). */
  tlcLength: number;
  /** The first failing run, shrunk; absent when no run failed. */
  failure?: {
    runsToFind: number;
    /** Actions in the shrunk execution up to the failure. */
    length: number;
    /** Which check failed (ExecutionFailure.check) and the property it refutes, if any. */
    check: string;
    property: string | null;
    message: string;
    /** Is it TLC's violation (the expected property), rather than a divergence or another property? */
    isExpected: boolean;
  };
}

/** The variant configs of the manifest: name, switch, expected verdict. */
export function variantConfigs(): { name: string; variant: string; expected: string }[] {
  return loadManifest().configs.flatMap((c) => (c.variant ? [{ name: c.name, variant: c.variant, expected: c.expected }] : []));
}

/**
 * Runs fast-check on a variant config, once per seed: the implementation with the config's switch,
 * every execution validated against the variant's own state graph (a divergence fails a run too,
 * and is reported as what it is), invariants evaluated, a deadlock or a temporal violation
 * recognised as the spec's (expected-violation.ts). WARN and corruption events are not failures:
 * TLC's counterexample refutes a spec property, and the events come later, or never.
 */
export async function findVariantBug(
  config: string,
  opts: { seeds: readonly number[]; runs: number; maxSteps?: number; graph?: GraphLoadOptions },
): Promise<VariantFinding[]> {
  const c = variantConfigs().find((v) => v.name === config);
  if (!c) throw new Error(`findVariantBug: ${config} is not a variant config of the manifest`);
  const saved = readSavedCounterexample(regressionFiles(config).data);
  const constants = readModelConstants(config);
  const oracle = new GraphOracle(config, await StateGraph.load(config, opts.graph ?? {}), true);
  return opts.seeds.map((seed) => {
    const out = fastCheckConformance({
      constants,
      oracle,
      runs: opts.runs,
      seed,
      eventsFail: false,
      expected: c.expected,
      movesOnly: true,
      ...(opts.maxSteps ? { maxSteps: opts.maxSteps } : {}),
    });
    const f = out.failure;
    return {
      config,
      variant: c.variant,
      expected: c.expected,
      seed,
      runs: out.runs,
      tlcLength: saved.counterexample.steps.length - 1,
      ...(f
        ? {
            failure: {
              runsToFind: f.runsToFind,
              length: f.length,
              check: f.failure.check,
              property: f.failure.property ?? null,
              message: f.failure.message,
              isExpected: isExpectedFailure(f.failure, c.expected),
            },
          }
        : {}),
    };
  });
}

/** The findings as a table: one line per config and seed. */
export function findingTable(rows: readonly VariantFinding[]): string[] {
  const head = `${'variant config'.padEnd(26)} ${'seed'.padStart(10)}  ${'runs to find'.padStart(12)}  ${'shrunk'.padStart(6)}  ${'TLC'.padStart(3)}  diff  failing check`;
  return [
    head,
    ...rows.map((r) => {
      const f = r.failure;
      const diff = f ? `${f.length - r.tlcLength >= 0 ? '+' : ''}${f.length - r.tlcLength}` : '-';
      const what = f
        ? `${f.check}${f.property ? ` ${f.property}` : ''}${f.isExpected ? '' : ` (NOT ${r.expected}: ${f.message})`}`
        : `none (${r.expected} not found)`;
      return `${r.config.padEnd(26)} ${String(r.seed).padStart(10)}  ${String(f ? f.runsToFind : `> ${r.runs}`).padStart(12)}  ${String(f?.length ?? '-').padStart(6)}  ${String(r.tlcLength).padStart(3)}  ${diff.padStart(4)}  ${what}`;
    }),
  ];
}
