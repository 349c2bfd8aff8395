// A step oracle that asks the embedded engine for the successors of each state (explore_next,
// cached by state): for configs too large to enumerate as a graph. Slower, but needs nothing built.
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { Explorer } from '../../lib/embedded/explorer.ts';
import { valueKey, normalizeState } from '../../lib/values/canonical.ts';
import type { TlaState } from '../../lib/values/value.ts';
import type { RecordedStep, StepOracle } from './step-oracle.ts';

const GROUP: Record<RecordedStep['taskKind'], string> = { user: 'UserNext', fs: 'FsNext', syncer: 'SyncNext', mm: 'MmNext' };

const key = (s: TlaState): string => valueKey(normalizeState(s) as never);

/** Validates steps by explore_next. */
export class ExplorerOracle implements StepOracle {
  readonly explorer: Explorer;
  private initKeys: Set<string> | undefined;

  constructor(readonly config: string) {
    this.explorer = new Explorer(specFile(loadManifest()), configFile(config));
  }

  checkInit(s: TlaState): string | null {
    this.initKeys ??= new Set(this.explorer.initStates().map(key));
    return this.initKeys.has(key(s)) ? null : 'the initial state is not an initial state of the spec';
  }

  checkStep(step: RecordedStep): string | null {
    const target = key(step.after);
    const hit = this.explorer.transitions(step.before).find((t) => key(t.state) === target);
    if (!hit) return 'the spec has no such successor of the state before it';
    if (hit.action !== null && hit.action !== GROUP[step.taskKind] && hit.action !== step.label) {
      return `the spec takes this step as ${hit.action}`;
    }
    return null;
  }

  failingInvariant(s: TlaState): string | null {
    return this.explorer.failingInvariant(s) ?? null;
  }
}
