// Preallocation for zero range: fs/xfs/xfs_bmap_util.c xfs_alloc_file_space and
// fs/ext4/extents.c ext4_alloc_file_blocks, one FsPrealloc step per page offset.
import { type Step, at, atChoosing } from '../kernel/sched.ts';
import type { FsTask } from '../locals.ts';
import type { Machine } from '../machine.ts';
import { HOLE } from './extents.ts';
import type { Inode } from './inode.ts';
import { preallocChoiceRule } from './iomap.ts';

/**
 * xfs_alloc_file_space / ext4_alloc_file_blocks over lo..hi: any free block will do (the step's
 * choice; default the first free), one just freed by this operation or another file included.
 * The cursor is the task's scanIndex (spec fscan). An offset that already has a block keeps it
 * (ext4_alloc_file_blocks with EXT4_GET_BLOCKS_CONVERT_UNWRITTEN converts it to unwritten in
 * place, which the model does not tell apart; xfs_alloc_file_space only meets holes, its
 * xfs_free_file_space having emptied the range): a step with no choice that changes nothing.
 */
export function* allocFileBlocks(k: Machine, cur: FsTask, ip: Inode, lo: number, hi: number): Step {
  for (let o = lo; ; o++) {
    if (ip.extents.lookup(o) !== HOLE) {
      yield at('FsPrealloc');
      if (o === hi) return;
      cur.locals.scanIndex = o + 1;
      continue;
    }
    const choice = yield atChoosing('FsPrealloc', preallocChoiceRule(k));
    const want = choice?.block === undefined ? undefined : k.balloc.lookup(choice.block);
    const b = k.balloc.alloc(want);
    ip.extents.map(o, b);
    cur.chose = { block: k.balloc.names[b]! };
    if (o === hi) return;
    cur.locals.scanIndex = o + 1;
  }
}
