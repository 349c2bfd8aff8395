// The operations an idle task can start now (DaxSystem.startable): each is one enabled first
// action of the spec, with the arguments the spec's actions range over (GupFastReadPte's file
// and offset, FsLockIo's ValidOp, WritebackLockEntry's entry).
import { daxIsEmptyEntry } from './fs/dax.ts';
import { daxIsLocked } from './fs/inode.ts';
import type { AnyTask } from './locals.ts';
import type { SystemState } from './snapshot.ts';
import type { SpecFsOp, Startable } from './types.ts';

/** The operations the idle tasks among `list` could start in state `s`, in task order. */
export function startableOps(s: SystemState, list: readonly AnyTask[]): Startable[] {
  const out: Startable[] = [];
  const { files, offsets, fsOps } = s.config;
  const max = offsets - 1;
  for (const t of list) {
    if (t.state !== 'idle') continue;
    if (t.kind === 'user') {
      if (s.gupsLeft === 0) continue;
      for (const [i, f] of files.entries()) {
        if (!s.vmas[i]!.mapped) continue;
        for (let o = 0; o < offsets; o++) {
          out.push({ task: t.id, label: 'GupFastReadPte', op: { file: f, offset: o }, params: { u: t.id, f, o } });
          if (s.k.bugs.LongtermPinAllowed)
            out.push({ task: t.id, label: 'GupFastReadPte', op: { file: f, offset: o, longterm: true }, params: { u: t.id, f, o } });
        }
      }
    } else if (t.kind === 'fs') {
      for (const ip of s.k.inodes) {
        if (ip.ioLock.owner || ip.freeing) continue;
        const add = (op: SpecFsOp): void => {
          out.push({ task: t.id, label: 'FsLockIo', op, params: { t: t.id, op } });
        };
        for (const name of fsOps) {
          for (let lo = 0; lo <= max; lo++) {
            if (name === 'Truncate') add({ op: name, file: ip.name, lo, hi: max });
            else if (name === 'Evict') {
              if (lo === 0 && !s.vmas[ip.ino]!.mapped) add({ op: name, file: ip.name, lo, hi: max });
            } else
              for (let hi = lo; hi <= (name === 'CollapseRange' || name === 'InsertRange' ? max - 1 : max); hi++)
                add({ op: name, file: ip.name, lo, hi });
          }
        }
      }
    } else {
      for (const ip of s.k.inodes) {
        for (let o = 0; o < offsets; o++) {
          const e = ip.mapping.xa[o]!;
          if (e !== 0 && !daxIsEmptyEntry(e) && !daxIsLocked(e))
            out.push({ task: t.id, label: 'WritebackLockEntry', op: { file: ip.name, offset: o }, params: { s: t.id, f: ip.name, o } });
        }
      }
    }
  }
  return out;
}
