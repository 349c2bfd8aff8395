// The arguments of an operation checked as the spec's actions constrain them: a user's (file,
// offset), a file-system operation's ValidOp and OpsOn. No state changes; used by DaxSystem.start.
import type { ResolvedConfig } from './config.ts';
import { DaxModelError } from './errors.ts';
import type { Inode } from './fs/inode.ts';
import type { ResolvedFsOp } from './locals.ts';
import type { FsOp, Operation, TaskId } from './types.ts';

/** What operation arguments are checked against. */
export interface Operands {
  readonly config: ResolvedConfig;
  readonly maxOffset: number;
  readonly inodeByName: ReadonlyMap<string, Inode>;
}

function bad(code: ConstructorParameters<typeof DaxModelError>[0], message: string): never {
  throw new DaxModelError(code, message);
}

/** A file by its model-value name. @throws DaxModelError naming the files there are. */
export function resolveInode(c: Operands, name: unknown): Inode {
  const ip = typeof name === 'string' ? c.inodeByName.get(name) : undefined;
  if (!ip) bad('unknown-file', `unknown file '${String(name)}' (files: ${c.config.files.join(', ')})`);
  return ip;
}

function offset(c: Operands, o: unknown, what: string): number {
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || o > c.maxOffset) {
    bad('bad-offset', `${what} ${String(o)} is not an offset in 0..${c.maxOffset}`);
  }
  return o;
}

/** A user's or syncer's { file, offset }. @throws DaxModelError naming what is wrong. */
export function resolveTarget(c: Operands, op: Operation, who: TaskId): { inode: Inode; offset: number } {
  if (op === null || typeof op !== 'object' || !('file' in op) || !('offset' in op)) {
    bad('bad-op', `${who} takes an operation { file, offset }`);
  }
  const t = op as { file: unknown; offset: unknown };
  return { inode: resolveInode(c, t.file), offset: offset(c, t.offset, 'offset') };
}

/** The spec's ValidOp (and OpsOn: truncate's hi is the last offset). @throws DaxModelError. */
export function resolveFsOp(c: Operands, op: Operation, who: TaskId): ResolvedFsOp {
  if (op === null || typeof op !== 'object' || !('op' in op)) bad('bad-op', `${who} takes an operation { op, file, lo, hi }`);
  const f = op as FsOp;
  if (!c.config.fsOps.includes(f.op)) {
    bad('bad-op', `operation '${String(f.op)}' is not in FsOps (${c.config.fsOps.join(', ') || 'none'})`);
  }
  const ip = resolveInode(c, f.file);
  const lo = offset(c, f.lo, 'lo');
  const max = c.maxOffset;
  let hi: number;
  if (f.op === 'Truncate' || f.op === 'Evict') {
    if (f.hi !== undefined && f.hi !== max) bad('bad-op', `${f.op} removes lo..${max}: hi must be ${max} or omitted, not ${String(f.hi)}`);
    if (f.op === 'Evict' && lo !== 0) bad('bad-op', `Evict removes the whole file: lo must be 0, not ${lo}`);
    hi = max;
  } else {
    hi = offset(c, f.hi, 'hi');
  }
  if (lo > hi) bad('bad-op', `${f.op} needs lo <= hi, not ${lo} > ${hi}`);
  if ((f.op === 'CollapseRange' || f.op === 'InsertRange') && hi >= max)
    bad('bad-op', `${f.op} may not reach the last offset (${max}): -EINVAL`);
  return { op: f.op, inode: ip, lo, hi };
}
