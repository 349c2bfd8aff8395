// A DMA-capable driver writing into user memory (as an RDMA or io_uring fixed-buffer path does):
// pin the user page (pin_user_pages_fast), let the device write, unpin on completion.
import type { CorruptionEvent } from '../events.ts';
import { type Step, at } from '../kernel/sched.ts';
import type { UserTask } from '../locals.ts';
import type { Machine } from '../machine.ts';
import { getUserPagesFast } from '../mm/gup.ts';
import { type Page, unpinUserPage } from '../mm/page.ts';
import type { VmArea } from '../mm/pgtable.ts';

/** A DMA in flight: the page pinned for it and the (file, offset) it was pinned through. */
export interface DmaInFlight {
  readonly user: UserTask;
  readonly page: Page;
  readonly vma: VmArea;
  readonly offset: number;
  /** Has the oracle recorded this pin's corruption already? */
  judged: boolean;
}

/** Why a pinned page's block no longer belongs to its (file, offset), or null while it does. */
function foreignReason(k: Machine, d: DmaInFlight): CorruptionEvent['reason'] | null {
  if (k.balloc.isFree(d.page.block)) return 'free';
  return d.vma.file.extents.lookup(d.offset) !== d.page.block ? 'foreign' : null;
}

/**
 * The oracle of the spec's NoDmaIntoForeignBlock. The device may write at any moment while the
 * page is pinned, so a pin whose block is free, or no longer the block at the offset it was
 * pinned through, is corruption from the step that made it so -- even if the block comes back to
 * that very offset before the DMA completes. The system calls this after every step (a step that
 * frees a block, changes an extent, or pins a page whose block is already gone is where it turns
 * true); it records one event per pin, stamped with that step.
 */
export function judgeDmaInFlight(k: Machine): void {
  for (const d of k.dmaInFlight) {
    if (d.judged) continue;
    const reason = foreignReason(k, d);
    if (reason === null) continue;
    d.judged = true;
    k.log.corruption({ user: d.user.id, file: d.vma.file.name, offset: d.offset, block: d.page.name, reason });
  }
}

/**
 * One user DMA operation into the mmap of a file at `offset`: GUP the page (GupFastReadPte ...),
 * then DmaComplete: the device's write lands and the pin is dropped with put_page, whose return to
 * idle runs the dev_pagemap's page_free callback. From the pin to DmaComplete the DMA is in flight
 * (k.dmaInFlight), where judgeDmaInFlight watches it.
 */
export function* dmaToUserPage(k: Machine, cur: UserTask, vma: VmArea, offset: number, seq: number): Step {
  const page = yield* getUserPagesFast(k, cur, vma, offset);
  const dma: DmaInFlight = { user: cur, page, vma, offset, judged: false };
  k.dmaInFlight.add(dma);
  yield at('DmaComplete');
  k.dmaInFlight.delete(dma);
  page.data = `${cur.id}@${vma.file.name}:${offset}#${seq}`;
  unpinUserPage(k.pgmap, page);
  cur.locals.target = null;
  cur.locals.ref = null;
}
