// Preallocation for zero range: fs/xfs/xfs_bmap_util.c xfs_alloc_file_space and
// fs/ext4/extents.c ext4_alloc_file_blocks, one FsPrealloc step per page offset.
import { type Step, atChoosing } from '../kernel/sched.ts';
import type { FsTask } from '../locals.ts';
import type { Machine } from '../machine.ts';
import type { Inode } from './inode.ts';
import { preallocChoiceRule } from './iomap.ts';

/**
 * xfs_alloc_file_space / ext4_alloc_file_blocks over lo..hi: any free block will do (the step's
 * choice; default the first free), one just freed by this operation or another file included.
 * The cursor is the task's scanIndex (spec fscan).
 */
export function* allocFileBlocks(k: Machine, cur: FsTask, ip: Inode, lo: number, hi: number): Step {
  for (let o = lo; ; o++) {
    const choice = yield atChoosing('FsPrealloc', preallocChoiceRule(k));
    const want = choice?.block === undefined ? undefined : k.balloc.lookup(choice.block);
    const b = k.balloc.alloc(want);
    ip.extents.map(o, b);
    cur.chose = { block: k.balloc.names[b]! };
    if (o === hi) return;
    cur.locals.scanIndex = o + 1;
  }
}
