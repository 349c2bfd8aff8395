// Which model configs the conformance suite's fast-check executions run on (spec/models/manifest.json
// and its kernel-history table), and which of them end in a violation by design; shared by the
// suite (suite.ts) and the differential runs of `mutate --audit-equivalents` (differential.ts).
import path from 'node:path';
import { loadHistory } from '../../lib/check/history-table.ts';
import { loadManifest } from '../../lib/check/manifest.ts';
import { readModelConstants } from '../model/model.ts';

/**
 * The configs fast-check executions run on by default: smoke (two files, so that a block freed by
 * one is reused by the other; truncate and collapse), rich (one file, but a writeback task that
 * locks entries without i_mmap_lock, a second GUP pin and punch hole) and duo (two users: one
 * faults, pins and wakes while the truncate sleeps on the other's page, which is where a waiter
 * left on the wrong queue shows). The graphs build in 25 s (smoke, rich) and 45 s (duo), once:
 * they are cached.
 */
export const FAST_CHECK_CONFIGS: readonly string[] = ['smoke', 'rich', 'duo'];

/**
 * The merged protocol with the kernel-history features none of FAST_CHECK_CONFIGS has: zero and
 * insert range (fallocate-modes), munmap/mmap and inode eviction (munmap-evict), ext4's zero range
 * (ZeroRangeInPlace: zero-range-ext4, and without a layout break, zero-range-skips-break-ext4,
 * which has no variant field since it holds), and the 2025 design (design-2025-smoke).
 */
const FEATURE_CONFIGS: readonly string[] = [
  'fallocate-modes',
  'munmap-evict',
  'zero-range-ext4',
  'zero-range-skips-break-ext4',
  // the 2025 design (Feature Design2025) on smoke's constants
  'design-2025-smoke',
];

/**
 * The small configs fast-check also runs on, a few runs each: FEATURE_CONFIGS, every variant (one
 * bug switch on), trunc-warn, and every kernel version of the history table (its bugs and features
 * together: a path a switch guards may be reachable only beside another's, as 5.18's
 * UnpinMissesWake at a GUP-fast re-check needs the second GUP that unpin-misses-wake lacks).
 * Variants whose bug is a deadlock are included: an execution that ends with nothing runnable is
 * accepted where the spec has no successor either (validateExecution). Each has at most ~62,000
 * states, a graph either engine builds once (it is cached).
 * In this order: the feature configs and kernel versions (whole protocols, graphs of 10,000 to
 * 62,000 states that the embedded engine takes up to 30 s to build), then the variants and
 * trunc-warn (minimal models, a few hundred states): the suite builds graphs two at a time in the
 * order it asks for them, so the long builds start first and the short ones fill in beside them
 * rather than one long build running alone at the end.
 */
export function smallConfigs(): string[] {
  const manifest = loadManifest();
  const history = loadHistory(manifest).map((r) => r.config);
  const minimal = manifest.configs.filter((c) => c.variant !== undefined || c.name === 'trunc-warn').map((c) => c.name);
  return [...new Set([...FEATURE_CONFIGS, ...history, ...minimal])];
}

/** Does this config end in a violation by design (a bug switch on, or the spurious WARN), so that
 *  an execution's corruption and WARN events are what its graph allows, not divergences? */
export function expectsViolation(config: string): boolean {
  const name = path.basename(config, '.cfg');
  if (loadManifest().configs.some((c) => c.name === name && c.expected !== 'holds')) return true;
  // A bug switch on in a config whose checked invariants hold all the same
  // (zero-range-skips-break-ext4: NoBreakLayouts deletes a pinned entry, which WARNs, but the
  // block stays the offset's): the WARN is the switch's, not a divergence.
  return readModelConstants(name).bugs.length > 0;
}
