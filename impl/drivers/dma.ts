// A DMA-capable driver writing into user memory (as an RDMA or io_uring fixed-buffer path does):
// pin the user page (pin_user_pages_fast), let the device write, unpin on completion.
import type { CorruptionEvent } from '../events.ts';
import { type Blocker, type ChoiceRule, type Step, atBlocking, atChoosing } from '../kernel/sched.ts';
import { WaitQueue } from '../kernel/wait.ts';
import type { UserTask } from '../locals.ts';
import type { Machine } from '../machine.ts';
import { getUserPagesFast } from '../mm/gup.ts';
import { type Page, putPinnedPage, releasePages, unpinUserPage } from '../mm/page.ts';
import type { VmArea } from '../mm/pgtable.ts';
import { PUT_PATHS, type PutPath } from '../types.ts';

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

/** The put paths DmaComplete may take (the spec's PutPaths). */
const putPathRule: ChoiceRule<'path'> = {
  field: 'path',
  options: () => PUT_PATHS,
  check: (choice) =>
    choice.path === undefined || (PUT_PATHS as readonly string[]).includes(choice.path)
      ? null
      : `unknown put path '${String(choice.path)}' (PutPaths: ${PUT_PATHS.join(', ')})`,
};

/** A FOLL_LONGTERM pin (RDMA memory registration) is never released while the file lives: the
 *  DMA's completion never comes. Nobody wakes its queue. */
function neverReleased(cur: UserTask): Blocker {
  const q = new WaitQueue();
  return { blocked: () => true, waitQueue: () => q, describe: () => `${cur.id}'s FOLL_LONGTERM pin, never released` };
}

/**
 * Drop the DMA's pin through `path`: put_page (a get_user_pages driver; put_devmap_managed_page
 * -> page_free -> wake_up_var), unpin_user_page (gup_put_folio; UnpinMissesWake, 5.18) or
 * release_pages (ReleasePagesMissesWake, until c5d6c45e90c4).
 */
function dropPin(k: Machine, page: Page, path: PutPath): void {
  if (path === 'gup_put_folio') unpinUserPage(k.pgmap, page, k.bugs.UnpinMissesWake);
  else if (path === 'release_pages') releasePages(k.pgmap, page, k.bugs.ReleasePagesMissesWake);
  else putPinnedPage(k.pgmap, page);
}

/**
 * One user DMA operation into the mmap of a file at `offset`: GUP the page (GupFastReadPte ...),
 * then DmaComplete: the device's write lands and the pin is dropped through one of the put paths
 * (the step's choice, default put_page), whose return to idle should run the dev_pagemap's
 * page_free callback. A FOLL_LONGTERM pin never completes. From the pin to DmaComplete the DMA is in flight
 * (k.dmaInFlight), where judgeDmaInFlight watches it.
 */
export function* dmaToUserPage(k: Machine, cur: UserTask, vma: VmArea, offset: number, seq: number): Step {
  const page = yield* getUserPagesFast(k, cur, vma, offset);
  if (page === null) return;
  const dma: DmaInFlight = { user: cur, page, vma, offset, judged: false };
  k.dmaInFlight.add(dma);
  if (cur.locals.longterm) yield atBlocking('DmaComplete', neverReleased(cur));
  const choice = yield atChoosing('DmaComplete', putPathRule);
  const path = choice?.path ?? 'put_page';
  cur.chose = { path };
  k.dmaInFlight.delete(dma);
  page.data = `${cur.id}@${vma.file.name}:${offset}#${seq}`;
  dropPin(k, page, path);
  cur.locals.target = null;
  cur.locals.ref = null;
}
