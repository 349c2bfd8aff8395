// What the system reports besides its state: the kernel's WARN_ON_ONCE splats (kernel/panic.c
// __warn) in fs/dax.c, and the corruption of a DMA in flight once its file gave up the block.
import type { BlockId, FileId, TaskId } from './types.ts';

/** A page pinned for DMA whose block became free, or no longer the block the file maps at the
 *  offset it was pinned through: the device's write lands in someone else's data (the spec's
 *  NoDmaIntoForeignBlock). Recorded once per pin. */
export interface CorruptionEvent {
  readonly kind: 'corruption';
  /** Index of the step after which it first held (0-based, counting every step of the system):
   *  the free, the extent change, or the pin of a block already gone. */
  readonly step: number;
  readonly user: TaskId;
  /** The (file, offset) the page was pinned through. */
  readonly file: FileId;
  readonly offset: number;
  /** The pinned block, which the device writes. */
  readonly block: BlockId;
  /** When it first held: 'free', the allocator owns the block; 'foreign', the file's extent at
   *  that offset is another block or a hole. */
  readonly reason: 'free' | 'foreign';
}

/** A WARN_ON_ONCE in fs/dax.c. */
export interface WarnEvent {
  readonly kind: 'warn';
  readonly step: number;
  /** The task whose step hit the WARN. */
  readonly task: TaskId;
  /** 'disassociate-pinned': dax_disassociate_entry deleted an entry whose page is pinned for DMA;
   *  'associate-twice': dax_associate_entry found page->mapping already set. */
  readonly warn: 'disassociate-pinned' | 'associate-twice';
  readonly function: 'daxDisassociateEntry' | 'daxAssociateEntry';
  readonly block: BlockId;
  /** The (file, offset) being associated or disassociated. */
  readonly file: FileId;
  readonly offset: number;
}

export type DaxEvent = CorruptionEvent | WarnEvent;

/** Collects events, stamping each with the step that is running. */
export class EventLog {
  readonly events: DaxEvent[] = [];
  /** The step being executed and its task; set by the system before each step. */
  step = 0;
  task: TaskId = '';

  corruption(e: Omit<CorruptionEvent, 'kind' | 'step'>): void {
    this.events.push({ kind: 'corruption', step: this.step, ...e });
  }

  warn(e: Omit<WarnEvent, 'kind' | 'step' | 'task'>): void {
    this.events.push({ kind: 'warn', step: this.step, task: this.task, ...e });
  }
}
