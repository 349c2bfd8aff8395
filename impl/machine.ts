// The globals every kernel path reads: the one mm, the pmem device's pages, the block allocator,
// the var wait table, the inodes, the variant switches, the DMA in flight and the event log.
// Passed as `k`.
import type { ResolvedConfig } from './config.ts';
import type { DmaInFlight } from './drivers/dma.ts';
import { fsdaxPagemapOps } from './drivers/pmem.ts';
import { EventLog } from './events.ts';
import { BlockAllocator } from './fs/balloc.ts';
import { Inode } from './fs/inode.ts';
import type { FsProfile } from './fs/profile.ts';
import { VarWaitTable } from './kernel/wait.ts';
import { DevPagemap } from './mm/page.ts';
import { MmStruct, type VmArea } from './mm/pgtable.ts';
import type { BugSwitches, FeatureSwitches } from './types.ts';

/** The machine a system runs on. */
export interface Machine {
  readonly bugs: Readonly<BugSwitches>;
  readonly features: Readonly<FeatureSwitches>;
  /** Has dax_disassociate_entry's reference-based trunc WARN fired (spec warned)? */
  warned: boolean;
  /** Refcount of an idle ZONE_DEVICE page (1 before, 0 after the 2025 rework). */
  readonly idleRef: 0 | 1;
  /** The last page offset of every file (NumOffsets - 1). */
  readonly maxOffset: number;
  readonly pgmap: DevPagemap;
  readonly mm: MmStruct;
  readonly balloc: BlockAllocator;
  readonly varWait: VarWaitTable;
  readonly inodes: readonly Inode[];
  /** The pins a device may be writing through right now (drivers/dma.ts). */
  readonly dmaInFlight: Set<DmaInFlight>;
  readonly log: EventLog;
}

/**
 * Boots a machine for a configuration: the pmem device's pages with the fs-dax pagemap ops, one
 * inode per file, each mmapped by the one mm with the profile's vm_ops. Returns the VMAs by inode.
 */
export function buildMachine(c: ResolvedConfig, fs: FsProfile): { k: Machine; vmas: VmArea[] } {
  const pgmap = new DevPagemap(c.blocks, c.idleRef, c.features.Design2025);
  const inodes = c.files.map((f, i) => new Inode(f, i, c.offsets));
  const k: Machine = {
    bugs: c.bugs,
    features: c.features,
    warned: false,
    idleRef: c.idleRef,
    maxOffset: c.offsets - 1,
    pgmap,
    mm: new MmStruct(pgmap),
    balloc: new BlockAllocator(c.blocks),
    varWait: new VarWaitTable(),
    inodes,
    dmaInFlight: new Set(),
    log: new EventLog(),
  };
  pgmap.ops = fsdaxPagemapOps(k);
  const vmas = inodes.map((ip) => k.mm.mmap(ip, fs.vmOps, c.offsets));
  return { k, vmas };
}
