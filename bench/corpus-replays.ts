// The trace corpus (conformance/traces) read once for bench/conform.ts's replay figures: each
// trace with its config's constants and the profile the suite replays it under (suiteProfiles).
import { configFile, loadManifest, specFile } from '../lib/check/manifest.ts';
import { readModelConstants, type ModelConstants } from '../conformance/model/model.ts';
import { suiteProfiles } from '../conformance/model/release-model.ts';
import { corpusTraces } from '../conformance/suite/suite-inputs.ts';
import { loadTraceSchema, readTraceFile, type TraceSchema } from '../conformance/trace-formats/index.ts';
import { TRACES_DIR } from '../conformance/traces/corpus-manifest.ts';
import type { TraceStep } from '../lib/result/check-result.ts';
import type { FsProfileName } from '../impl/index.ts';

export interface CorpusReplay {
  steps: TraceStep[];
  constants: ModelConstants;
  profile: FsProfileName;
}

/** Every corpus trace once per suite profile of its config; `quick`: the first config's only. */
export function corpusReplays(quick: boolean): CorpusReplay[] {
  const all = corpusTraces(TRACES_DIR);
  const list = quick ? all.filter((t) => t.config === all[0]?.config) : all;
  const schemas = new Map<string, TraceSchema>();
  const constants = new Map<string, ModelConstants>();
  return list.flatMap((t) => {
    if (!schemas.has(t.config)) {
      schemas.set(t.config, loadTraceSchema({ specFile: specFile(loadManifest()), configFile: configFile(t.config), shapes: false }));
      constants.set(t.config, readModelConstants(t.config));
    }
    const c = constants.get(t.config)!;
    const { steps } = readTraceFile(t.file, schemas.get(t.config)!);
    return suiteProfiles(c).profiles.map((profile) => ({ steps, constants: c, profile }));
  });
}
