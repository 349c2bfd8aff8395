// A DMA-capable driver writing into user memory (as an RDMA or io_uring fixed-buffer path does):
// pin the user page (pin_user_pages_fast), let the device write, unpin on completion.
import { type Step, at } from '../kernel/sched.ts';
import type { UserTask } from '../locals.ts';
import type { Machine } from '../machine.ts';
import { getUserPagesFast } from '../mm/gup.ts';
import { type Page, unpinUserPage } from '../mm/page.ts';
import type { VmArea } from '../mm/pgtable.ts';

/**
 * The device's write into the pinned page, and an oracle that judges it: the write is corruption
 * if the block is free, or if the file no longer maps that block at the offset it was pinned
 * through (it was freed and reallocated, possibly to another file).
 */
function dmaWrite(k: Machine, cur: UserTask, page: Page, vma: VmArea, offset: number, seq: number): void {
  page.data = `${cur.id}@${vma.file.name}:${offset}#${seq}`;
  const ownedBy = vma.file.extents.lookup(offset);
  const reason = k.balloc.isFree(page.block) ? 'free' : ownedBy !== page.block ? 'foreign' : null;
  if (reason) k.log.corruption({ user: cur.id, file: vma.file.name, offset, block: page.name, reason });
}

/**
 * One user DMA operation into the mmap of a file at `offset`: GUP the page (GupFastReadPte ...),
 * then DmaComplete: the device's write lands and the pin is dropped with put_page, whose return to
 * idle runs the dev_pagemap's page_free callback.
 */
export function* dmaToUserPage(k: Machine, cur: UserTask, vma: VmArea, offset: number, seq: number): Step {
  const page = yield* getUserPagesFast(k, cur, vma, offset);
  yield at('DmaComplete');
  dmaWrite(k, cur, page, vma, offset, seq);
  unpinUserPage(k.pgmap, page);
  cur.locals.target = null;
  cur.locals.ref = null;
}
