// What the system reports besides its state: the kernel's WARN_ON_ONCE splats (kernel/panic.c
// __warn) in fs/dax.c, and the corruption a DMA into a block it no longer owns would cause.
import type { BlockId, FileId, TaskId } from './types.ts';

/** DMA wrote into a block that is free, or that the file no longer maps at the pinned offset. */
export interface CorruptionEvent {
  readonly kind: 'corruption';
  /** Index of the step that caused it (0-based, counting every step of the system). */
  readonly step: number;
  readonly user: TaskId;
  /** The (file, offset) the page was pinned through. */
  readonly file: FileId;
  readonly offset: number;
  /** The block the device wrote. */
  readonly block: BlockId;
  /** 'free': the allocator owns it; 'foreign': the file's extent at that offset is another block. */
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
