// The operations an idle task can start now (DaxSystem.startable): each is one enabled first
// action of the spec, with the arguments the spec's actions range over (GupFastReadPte's file
// and offset, FsLockIo's ValidOp, WritebackLockEntry's entry).
import { daxIsEmptyEntry } from './fs/dax.ts';
import { daxIsLocked } from './fs/inode.ts';
import type { AnyTask } from './locals.ts';
import { ConfigMemo } from './config-memo.ts';
import { deepFreeze, type SystemState } from './snapshot.ts';
import type { SpecFsOp, Startable } from './types.ts';

/** The operations the idle tasks among `list` could start in state `s`, in task order. */
export function startableOps(s: SystemState, list: readonly AnyTask[]): Startable[] {
  const out: Startable[] = [];
  for (const t of list) {
    if (t.state !== 'idle') continue;
    const c = CANDIDATES.get(s.config, t);
    if (t.kind === 'user') {
      if (s.gupsLeft === 0) continue;
      for (const x of c) if (s.vmas[x.file]!.mapped) out.push(x.start);
    } else if (t.kind === 'fs') {
      for (const x of c) {
        const ip = s.k.inodes[x.file]!;
        if (ip.ioLock.owner || ip.freeing) continue;
        if (x.unmappedOnly && s.vmas[ip.ino]!.mapped) continue;
        out.push(x.start);
      }
    } else {
      for (const x of c) {
        const e = s.k.inodes[x.file]!.mapping.xa[x.offset]!;
        if (e !== 0 && !daxIsEmptyEntry(e) && !daxIsLocked(e)) out.push(x.start);
      }
    }
  }
  return out;
}

/** One operation a task may start, and what it needs: its file (by inode number) mapped or not,
 *  the entry at `offset` present (a syncer's). */
interface Candidate {
  readonly start: Startable;
  readonly file: number;
  readonly offset: number;
  /** Evict: only once no VMA maps the file. */
  readonly unmappedOnly: boolean;
}

/** Every operation a task of a config may ever start, in startableOps' order, frozen: built once
 *  per config and task (systems built from one resolved config share it), so that asking what can
 *  start, every step of a harness, allocates nothing but the answer's array. */
const CANDIDATES = new ConfigMemo<readonly Candidate[]>(buildCandidates);

function buildCandidates(config: SystemState['config'], t: AnyTask): readonly Candidate[] {
  const { files, offsets, fsOps } = config;
  const max = offsets - 1;
  const out: Candidate[] = [];
  const add = (start: Startable, file: number, offset = 0, unmappedOnly = false): void => {
    out.push(Object.freeze({ start: deepFreeze(start), file, offset, unmappedOnly }));
  };
  files.forEach((f, i) => {
    if (t.kind === 'user') {
      for (let o = 0; o < offsets; o++) {
        add({ task: t.id, label: 'GupFastReadPte', op: { file: f, offset: o }, params: { u: t.id, f, o } }, i);
        if (config.bugs.LongtermPinAllowed)
          add({ task: t.id, label: 'GupFastReadPte', op: { file: f, offset: o, longterm: true }, params: { u: t.id, f, o } }, i);
      }
    } else if (t.kind === 'fs') {
      const fsOp = (op: SpecFsOp, unmappedOnly = false): void =>
        add({ task: t.id, label: 'FsLockIo', op, params: { t: t.id, op } }, i, 0, unmappedOnly);
      for (const name of fsOps) {
        for (let lo = 0; lo <= max; lo++) {
          if (name === 'Truncate') fsOp({ op: name, file: f, lo, hi: max });
          else if (name === 'Evict') {
            if (lo === 0) fsOp({ op: name, file: f, lo, hi: max }, true);
          } else
            for (let hi = lo; hi <= (name === 'CollapseRange' || name === 'InsertRange' ? max - 1 : max); hi++)
              fsOp({ op: name, file: f, lo, hi });
        }
      }
    } else {
      for (let o = 0; o < offsets; o++)
        add({ task: t.id, label: 'WritebackLockEntry', op: { file: f, offset: o }, params: { s: t.id, f, o } }, i, o);
    }
  });
  return out;
}
