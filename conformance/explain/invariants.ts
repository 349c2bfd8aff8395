// Why each safety invariant of spec/DaxDma.tla fails in a state, in words: one row per invariant,
// each finding the tasks and values that break it and citing the steps that made them so. A new
// invariant is one more row; one without a row is explained generically by why.ts.
import type { TlaState, TlaValue } from '../../lib/values/value.ts';
import { cite, type History } from './history.ts';
import { at, domain, isMember, isNothing, members, modelName, same, show } from './values.ts';

/** The fs pcs at which LockDiscipline wants both of the file's locks held (the spec's list; the
 *  2025 design adds its deletion and 6.15.0's paused waits). */
const LOCKED_FS_PCS = [
  'BreakLayoutsUnmap',
  'BreakLayoutsScan',
  'BreakLayoutsWait',
  'DeleteEntry',
  'FreeBlocks',
  'FsUnlock',
  'BreakLayoutsScanPaused',
  'BreakLayoutsDelete',
  'BreakLayoutsDeletePaused',
];

/** One reason a property fails: a sentence and the tasks and blocks it is about. */
export interface Finding {
  sentence: string;
  tasks: string[];
  blocks: string[];
}

/** Explains why an invariant fails in the last state of a history; [] when it cannot tell. */
export type InvariantExplainer = (h: History) => Finding[];

const names = (vs: TlaValue[]): string[] => vs.map((v) => modelName(v) ?? show(v));

/** A user's pin: the block it DMAs into and the (file, offset) it pinned it through. */
interface Pin {
  user: string;
  block: TlaValue;
  target: TlaValue;
  file: TlaValue | undefined;
  offset: TlaValue | undefined;
}

function pins(s: TlaState): Pin[] {
  return domain(s.upc)
    .filter((u) => at(s.upc, u) === 'DmaComplete')
    .map((u) => {
      const target = at(s.uat, u) as TlaValue;
      return { user: show(u), block: at(s.uref, u) as TlaValue, target, file: at(target, 1), offset: at(target, 2) };
    });
}

const pinnedSince = (h: History, p: Pin) => h.since((s) => at(s.upc, p.user) === 'DmaComplete' && same(at(s.uref, p.user), p.block));

function noDmaIntoForeignBlock(h: History): Finding[] {
  const s = h.last;
  const out: Finding[] = [];
  for (const p of pins(s)) {
    const b = show(p.block);
    const head = `${p.user} DMAs into ${b} through ${show(p.target)}, pinned at ${cite(pinnedSince(h, p))}`;
    const extentNow = at(s.extent, p.file as TlaValue, p.offset as TlaValue);
    if (isMember(s.free, p.block)) {
      out.push({
        sentence: `${head}; ${b} is free since ${cite(h.since((x) => isMember(x.free, p.block)))}`,
        tasks: [p.user],
        blocks: [b],
      });
    } else if (!same(extentNow, p.block)) {
      const owner = at(s.mapping, p.block);
      const where = isNothing(owner) ? `${b} belongs to no file` : `${b} now belongs to ${show(owner)}`;
      out.push({
        sentence: `${head}; ${show(p.target)} maps to ${show(extentNow)} since ${cite(h.since((x) => same(at(x.extent, p.file as TlaValue, p.offset as TlaValue), extentNow)))} and ${where}`,
        tasks: [p.user],
        blocks: [b],
      });
    }
  }
  return out;
}

function noPinnedEntryDeleted(h: History): Finding[] {
  const s = h.last;
  return pins(s)
    .filter((p) => !same(at(s.entry, p.file as TlaValue, p.offset as TlaValue), p.block))
    .map((p) => {
      const now = at(s.entry, p.file as TlaValue, p.offset as TlaValue);
      const ref = h.since((x) => same(at(x.entry, p.file as TlaValue, p.offset as TlaValue), now));
      const what = isNothing(now) ? `was deleted at ${cite(ref)}` : `holds ${show(now)} since ${cite(ref)}`;
      return {
        sentence: `${p.user} DMAs into ${show(p.block)} through ${show(p.target)}, pinned at ${cite(pinnedSince(h, p))}, but the entry of ${show(p.target)} ${what}`,
        tasks: [p.user],
        blocks: [show(p.block)],
      };
    });
}

/** Every (file, offset) of a per-file, per-offset variable such as entry or pte. */
function targets(s: TlaState, variable: string): [TlaValue, TlaValue][] {
  return domain(s[variable]).flatMap((f) => domain(at(s[variable], f)).map((o): [TlaValue, TlaValue] => [f, o]));
}

const fo = (f: TlaValue, o: TlaValue): string => `${show(f)}:${show(o)}`;

function mappingMatchesEntries(h: History): Finding[] {
  const s = h.last;
  const out: Finding[] = [];
  for (const [f, o] of targets(s, 'entry')) {
    const b = at(s.entry, f, o);
    if (isNothing(b)) continue;
    const m = at(s.mapping, b as TlaValue);
    if (!same(m, [f, o])) {
      out.push({
        sentence: `the entry of ${fo(f, o)} holds ${show(b)}, but ${show(b)}'s page->mapping is ${show(m)} (since ${cite(h.since((x) => same(at(x.mapping, b as TlaValue), m)))})`,
        tasks: [],
        blocks: [show(b)],
      });
    }
  }
  for (const b of domain(s.mapping)) {
    const m = at(s.mapping, b);
    if (isNothing(m)) continue;
    const e = at(s.entry, at(m, 1) as TlaValue, at(m, 2) as TlaValue);
    if (!same(e, b)) {
      out.push({
        sentence: `${show(b)}'s page->mapping says ${show(m)}, but the entry of ${show(m)} holds ${show(e)} since ${cite(h.since((x) => same(at(x.entry, at(m, 1) as TlaValue, at(m, 2) as TlaValue), e)))}`,
        tasks: [],
        blocks: [show(b)],
      });
    }
  }
  return out;
}

function freeBlocksUnused(h: History): Finding[] {
  const s = h.last;
  const out: Finding[] = [];
  for (const b of members(s.free)) {
    const users = (['extent', 'entry', 'pte'] as const).flatMap((v) =>
      targets(s, v)
        .filter(([f, o]) => same(at(s[v], f, o), b))
        .map(([f, o]) => `${v === 'pte' ? 'the PTE' : `the ${v}`} of ${fo(f, o)}`),
    );
    if (users.length)
      out.push({
        sentence: `${show(b)} is free since ${cite(h.since((x) => isMember(x.free, b)))}, yet ${users.join(' and ')} still hold${users.length === 1 ? 's' : ''} it`,
        tasks: [],
        blocks: [show(b)],
      });
  }
  return out;
}

function entriesMatchExtents(h: History): Finding[] {
  const s = h.last;
  const out: Finding[] = [];
  for (const [f, o] of targets(s, 'entry')) {
    const e = at(s.entry, f, o);
    const x = at(s.extent, f, o);
    const p = at(s.pte, f, o);
    if (!isNothing(e) && !same(e, x))
      out.push({
        sentence: `the entry of ${fo(f, o)} holds ${show(e)}, but the file's block map gives ${show(x)} since ${cite(h.since((st) => same(at(st.extent, f, o), x)))}`,
        tasks: [],
        blocks: [show(e)],
      });
    if (!isNothing(p) && !same(p, e))
      out.push({
        sentence: `the PTE of ${fo(f, o)} maps ${show(p)}, but the entry holds ${show(e)} since ${cite(h.since((st) => same(at(st.entry, f, o), e)))}`,
        tasks: [],
        blocks: [show(p)],
      });
  }
  return out;
}

function lockDiscipline(h: History): Finding[] {
  const s = h.last;
  const out: Finding[] = [];
  for (const f of domain(s.mmapExcl)) {
    const x = at(s.mmapExcl, f);
    const shared = at(s.mmapShared, f);
    if (!isNothing(x) && members(shared).length)
      out.push({
        sentence: `${show(x)} holds ${show(f)}'s mmap lock exclusive while ${show(shared)} hold${members(shared).length === 1 ? 's' : ''} it shared`,
        tasks: [show(x), ...names(members(shared))],
        blocks: [],
      });
  }
  for (const u of domain(s.upc)) {
    const pc = at(s.upc, u);
    if (typeof pc !== 'string' || !pc.startsWith('Fault') || pc === 'FaultLockShared') continue;
    const f = at(at(s.uat, u), 1) as TlaValue;
    const x = at(s.mmapExcl, f);
    if (!isMember(at(s.mmapShared, f), u))
      out.push({
        sentence: `${show(u)} is inside its fault (${pc}) on ${show(f)} without holding ${show(f)}'s mmap lock shared`,
        tasks: [show(u)],
        blocks: [],
      });
    else if (!isNothing(x))
      out.push({
        sentence: `${show(u)} is inside its fault (${pc}) on ${show(f)} while ${show(x)} holds ${show(f)}'s mmap lock exclusive (since ${cite(h.since((st) => same(at(st.mmapExcl, f), x)))})`,
        tasks: [show(u), show(x)],
        blocks: [],
      });
  }
  for (const t of domain(s.fpc)) {
    const pc = at(s.fpc, t);
    if (!LOCKED_FS_PCS.includes(pc as string)) continue;
    const f = at(at(s.fop, t), 'file') as TlaValue;
    for (const [lock, v] of [
      ['mmap lock', 'mmapExcl'],
      ['I/O lock', 'ioLock'],
    ] as const) {
      const holder = at(s[v], f);
      if (!same(holder, t))
        out.push({
          sentence: `${show(t)} is at ${pc as string} on ${show(f)} without holding ${show(f)}'s ${lock} exclusive (held by ${show(holder)})`,
          tasks: [show(t)],
          blocks: [],
        });
    }
  }
  return out;
}

function refcountIsIdlePlusPins(h: History): Finding[] {
  const s = h.last;
  const out: Finding[] = [];
  for (const b of domain(s.refcount)) {
    const holders = domain(s.upc).filter(
      (u) => ['GupFastRecheck', 'DmaComplete'].includes(at(s.upc, u) as string) && same(at(s.uref, u), b),
    );
    const rc = at(s.refcount, b);
    if (rc !== h.idleRef + holders.length) {
      out.push({
        sentence: `${show(b)}'s refcount is ${show(rc)} (since ${cite(h.since((x) => same(at(x.refcount, b), rc)))}), but idle (${h.idleRef}) plus the references users hold (${holders.length ? names(holders).join(', ') : 'none'}) is ${h.idleRef + holders.length}`,
        tasks: names(holders),
        blocks: [show(b)],
      });
    }
  }
  return out;
}

/** The invariants this file explains; TypeOK and any invariant not listed get the generic sentence. */
export const INVARIANT_EXPLAINERS: Record<string, InvariantExplainer> = {
  NoDmaIntoForeignBlock: noDmaIntoForeignBlock,
  NoPinnedEntryDeleted: noPinnedEntryDeleted,
  MappingMatchesEntries: mappingMatchesEntries,
  FreeBlocksUnused: freeBlocksUnused,
  EntriesMatchExtents: entriesMatchExtents,
  LockDiscipline: lockDiscipline,
  RefcountIsIdlePlusPins: refcountIsIdlePlusPins,
};
