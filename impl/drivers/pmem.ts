// The pmem driver's fs-dax dev_pagemap: drivers/nvdimm/pmem.c (fsdax_pagefree, 2018) / the
// MEMORY_DEVICE_FS_DAX case of free_zone_device_folio (2025): a page back to idle wakes waiters.
import { wakeUpVar } from '../kernel/wait.ts';
import type { Machine } from '../machine.ts';
import type { DevPagemapOps, Page } from '../mm/page.ts';

/**
 * The dev_pagemap_ops of fs-dax memory. page_free runs when put_page brings a page back to idle
 * and wakes whoever sleeps in wait_var_event(&page->_refcount) -- a file system breaking layouts.
 * LostWakeup drops that call, so such a sleeper is never woken.
 */
export function fsdaxPagemapOps(k: Machine): DevPagemapOps {
  return {
    pageFree(page: Page): void {
      // LostWakeup (hypothetical): fsdax_pagefree returns without wake_up_var.
      if (k.bugs.LostWakeup) return;
      wakeUpVar(k.varWait, page);
    },
  };
}
