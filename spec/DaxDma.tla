------------------------------- MODULE DaxDma -------------------------------
(***************************************************************************)
(* The fs-dax "DMA vs truncate" protocol, from the Linux series            *)
(* "dax: fix dma vs truncate/hole-punch" (v6, 2018, merged for 4.17/4.18). *)
(*                                                                         *)
(* With DAX a file's page IS its file-system block.  get_user_pages (GUP)  *)
(* pins the page so that a device can DMA into it, but the pin holds the   *)
(* page, not the page's association with a file offset.  Before the        *)
(* series, truncate or hole-punch could free the block while DMA was in    *)
(* flight; the allocator could then give it to another file, and the       *)
(* device would write into that other file.                                *)
(*                                                                         *)
(* The fix: before removing blocks, a file system "breaks layouts": with   *)
(* its mmap lock held exclusive (so no fault can map a page), it unmaps    *)
(* every user mapping of the file (so a racing GUP-fast fails its re-check *)
(* and falls back to a fault, which blocks on the lock), then scans the    *)
(* file's DAX entries for a page whose refcount is above idle.  If it      *)
(* finds one, it drops the lock, sleeps until the page is idle again (the  *)
(* dev_pagemap page_free callback wakes it), retakes the lock and starts   *)
(* over.  Only when a full scan finds nothing busy does it delete the      *)
(* entries and free the blocks.                                            *)
(*                                                                         *)
(* Actors: user threads (GUP-fast, slow GUP = fault + pin, DMA), file      *)
(* system tasks (truncate, punch hole, collapse range), and writeback      *)
(* tasks that lock DAX entries without the mmap lock (dax_writeback_one).  *)
(* Another file's allocating fault reuses freed blocks.  Users start at    *)
(* most MaxGups GUP operations in all: DMA is transient.  File system and  *)
(* writeback tasks loop forever, so deadlock checking is meaningful.       *)
(*                                                                         *)
(* Abstractions: one mm shared by all users; the extent map is the file's  *)
(* on-disk block map; file size is not modelled (truncate removes the      *)
(* offsets from its start to the last one); PTE clears are not            *)
(* synchronised with GUP-fast by a TLB-flush IPI (the weakest architecture *)
(* the kernel supports, where only the re-check protects GUP-fast).        *)
(*                                                                         *)
(* Variant switches in Bugs each re-introduce one way the protocol has     *)
(* gone, or could go, wrong; with Bugs = {} this is the merged protocol.   *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Files,       \* inodes (model values)
    NumOffsets,  \* page offsets per file: 0 .. NumOffsets-1
    Blocks,      \* persistent-memory blocks = ZONE_DEVICE pages (model values)
    Users,       \* user threads that GUP and run DMA
    FsTasks,     \* tasks that truncate or fallocate
    Syncers,     \* writeback tasks (fsync / dax_writeback_mapping_range)
    FsOps,       \* the file-system operations FsTasks may run
    MaxGups,     \* how many GUP operations users start in all
    IdleRef,     \* refcount of an idle page: 1 in the 2018 kernel, 0 after the 2025 rework
    None,        \* "no block", "no task" (a model value)
    Bugs         \* the variant switches that are on

\* Every variant switch: each is a failure mode of protocol.md.
BugNames == {
    "NoBreakLayouts",       \* pre-2018: truncate never waits for pinned pages
    "ScanBeforeUnmap",      \* dax_layout_busy_page scans before unmap_mapping_range
    "NoGupFastRecheck",     \* gup_pte_range keeps its reference without re-reading the PTE
    "NoRestartAfterWait",   \* xfs_break_layouts does not retry after waiting (did_unlock ignored)
    "LostWakeup",           \* the dev_pagemap page_free callback never calls wake_up_var
    "CollapseSkipsBreak",   \* one fallocate mode (collapse range) removes blocks without breaking layouts
    "ScanSkipsLocked"       \* the busy scan skips entries that are locked when it passes them
}

AllFsOps == {"Truncate", "PunchHole", "CollapseRange"}

Offsets == 0 .. (NumOffsets - 1)
MaxOff == NumOffsets - 1

ASSUME /\ Bugs \subseteq BugNames
       /\ FsOps \subseteq AllFsOps
       /\ NumOffsets \in Nat \ {0}
       /\ MaxGups \in Nat
       /\ IdleRef \in {0, 1}
       \* No ENOSPC path is modelled: there is always a block for every (file, offset).
       /\ Cardinality(Blocks) >= Cardinality(Files) * NumOffsets

Bug(name) == name \in Bugs

\* Where each kind of task can be in its kernel path.
UserPcs == {"idle", "gup_get_ref", "gup_recheck", "fault_lock", "fault_grab",
            "fault_alloc", "fault_insert", "fault_pte", "fault_unlock_entry",
            "fault_unlock", "gup_pin", "dma"}
FsPcs == {"idle", "lock_mmap", "unmap", "scan", "wait", "sleep", "relock",
          "delete", "free", "unlock"}
SyncPcs == {"idle", "flush"}

\* No (file, offset) target; no page mapping/index.
NoTarget == <<>>
Targets == Files \X Offsets

\* An idle file-system task has no operation.
NoOp == [op |-> "none", file |-> None, lo |-> 0, hi |-> 0]

VARIABLES
    extent,      \* extent[f][o]: the block the file's block map gives offset o, or None (a hole)
    free,        \* the block allocator's free set
    entry,       \* entry[f][o]: the pfn the DAX entry in f's address space holds, or None
    locked,      \* locked[f][o]: the DAX entry lock bit (DAX_LOCKED)
    pte,         \* pte[f][o]: the user page-table entry mapping (f, o), or None
    refcount,    \* refcount[b]: page->_refcount of the ZONE_DEVICE page b
    mapping,     \* mapping[b]: <<f, o>> = page->mapping/index, or NoTarget
    ioLock,      \* ioLock[f]: the FsTask holding f's I/O lock exclusive, or None
    mmapExcl,    \* mmapExcl[f]: the FsTask holding f's mmap lock exclusive, or None
    mmapShared,  \* mmapShared[f]: the users holding f's mmap lock shared (faults)
    upc,         \* upc[u]: where user u is
    uat,         \* uat[u]: the (file, offset) u is pinning, or NoTarget
    uref,        \* uref[u]: the page u read from the PTE / holds a reference on, or None
    gupsLeft,    \* GUP operations users may still start (DMA is transient)
    fpc,         \* fpc[t]: where file-system task t is
    fop,         \* fop[t]: t's operation [op, file, lo, hi], or NoOp
    fscan,       \* fscan[t]: the offset t's busy-page scan is at
    fbusy,       \* fbusy[t]: the busy page t waits on, or None
    spc,         \* spc[s]: where writeback task s is
    sat          \* sat[s]: the entry s has locked, or NoTarget

pageVars == <<extent, free, entry, locked, pte, refcount, mapping>>
lockVars == <<ioLock, mmapExcl, mmapShared>>
userVars == <<upc, uat, uref, gupsLeft>>
fsVars == <<fpc, fop, fscan, fbusy>>
syncVars == <<spc, sat>>
vars == <<extent, free, entry, locked, pte, refcount, mapping, ioLock, mmapExcl,
          mmapShared, upc, uat, uref, gupsLeft, fpc, fop, fscan, fbusy, spc, sat>>

MaybeBlock == Blocks \cup {None}

(***************************************************************************)
(* Type correctness.                                                       *)
(***************************************************************************)
TypeOK ==
    /\ extent \in [Files -> [Offsets -> MaybeBlock]]
    /\ free \subseteq Blocks
    /\ entry \in [Files -> [Offsets -> MaybeBlock]]
    /\ locked \in [Files -> [Offsets -> BOOLEAN]]
    /\ pte \in [Files -> [Offsets -> MaybeBlock]]
    /\ refcount \in [Blocks -> IdleRef .. (IdleRef + Cardinality(Users))]
    /\ mapping \in [Blocks -> Targets \cup {NoTarget}]
    /\ ioLock \in [Files -> FsTasks \cup {None}]
    /\ mmapExcl \in [Files -> FsTasks \cup {None}]
    /\ mmapShared \in [Files -> SUBSET Users]
    /\ upc \in [Users -> UserPcs]
    /\ uat \in [Users -> Targets \cup {NoTarget}]
    /\ uref \in [Users -> MaybeBlock]
    /\ gupsLeft \in 0 .. MaxGups
    /\ fpc \in [FsTasks -> FsPcs]
    /\ fop \in [FsTasks -> {NoOp} \cup
                 [op : FsOps, file : Files, lo : Offsets, hi : Offsets]]
    /\ fscan \in [FsTasks -> Offsets]
    /\ fbusy \in [FsTasks -> MaybeBlock]
    /\ spc \in [Syncers -> SyncPcs]
    /\ sat \in [Syncers -> Targets \cup {NoTarget}]

Init ==
    /\ extent = [f \in Files |-> [o \in Offsets |-> None]]
    /\ free = Blocks
    /\ entry = [f \in Files |-> [o \in Offsets |-> None]]
    /\ locked = [f \in Files |-> [o \in Offsets |-> FALSE]]
    /\ pte = [f \in Files |-> [o \in Offsets |-> None]]
    /\ refcount = [b \in Blocks |-> IdleRef]
    /\ mapping = [b \in Blocks |-> NoTarget]
    /\ ioLock = [f \in Files |-> None]
    /\ mmapExcl = [f \in Files |-> None]
    /\ mmapShared = [f \in Files |-> {}]
    /\ upc = [u \in Users |-> "idle"]
    /\ uat = [u \in Users |-> NoTarget]
    /\ uref = [u \in Users |-> None]
    /\ gupsLeft = MaxGups
    /\ fpc = [t \in FsTasks |-> "idle"]
    /\ fop = [t \in FsTasks |-> NoOp]
    /\ fscan = [t \in FsTasks |-> 0]
    /\ fbusy = [t \in FsTasks |-> None]
    /\ spc = [s \in Syncers |-> "idle"]
    /\ sat = [s \in Syncers |-> NoTarget]

(***************************************************************************)
(* Helpers.                                                                *)
(***************************************************************************)
UFile(u) == uat[u][1]
UOff(u) == uat[u][2]

\* The file-system tasks a put_page that returns page b to idle wakes: the
\* dev_pagemap page_free callback (fsdax_pagefree / dax page_free) calls
\* wake_up_var(&page->_refcount).  LostWakeup drops that call.
WakeIdle(b) ==
    IF Bug("LostWakeup") THEN fpc
    ELSE [t \in FsTasks |-> IF fpc[t] = "sleep" /\ fbusy[t] = b THEN "relock" ELSE fpc[t]]

\* put_page: drop one reference; when the page returns to idle, wake waiters.
PutPage(b) ==
    /\ refcount' = [refcount EXCEPT ![b] = @ - 1]
    /\ fpc' = IF refcount[b] - 1 = IdleRef THEN WakeIdle(b) ELSE fpc

\* Offsets whose entries an operation deletes (truncate_pagecache_range):
\* collapse range invalidates everything from its start to EOF, since the
\* extents beyond the range move down.
DeleteRange(op) == IF op.op = "PunchHole" THEN op.lo .. op.hi ELSE op.lo .. MaxOff

\* Offsets whose blocks an operation frees.
FreeRange(op) == IF op.op = "Truncate" THEN op.lo .. MaxOff ELSE op.lo .. op.hi

\* Does this operation break layouts before removing blocks?
Breaks(op) ==
    /\ ~Bug("NoBreakLayouts")
    /\ ~(Bug("CollapseSkipsBreak") /\ op.op = "CollapseRange")

\* Where the break-layouts loop (re)starts: unmap first, then scan.
BreakStart == IF Bug("ScanBeforeUnmap") THEN "scan" ELSE "unmap"

(***************************************************************************)
(* GUP-fast (mm/gup.c: get_user_pages_fast -> gup_pte_range), lockless.    *)
(***************************************************************************)

\* Read the PTE.  A present PTE leads to a speculative reference; none
\* falls back to slow GUP, which faults.  Starting a GUP uses the budget.
GupFastReadPte(u, f, o) ==
    /\ upc[u] = "idle"
    /\ gupsLeft > 0
    /\ gupsLeft' = gupsLeft - 1
    /\ uat' = [uat EXCEPT ![u] = <<f, o>>]
    /\ IF pte[f][o] # None
         THEN /\ upc' = [upc EXCEPT ![u] = "gup_get_ref"]
              /\ uref' = [uref EXCEPT ![u] = pte[f][o]]
         ELSE /\ upc' = [upc EXCEPT ![u] = "fault_lock"]
              /\ UNCHANGED uref
    /\ UNCHANGED <<pageVars, lockVars, fsVars, syncVars>>

\* try_grab_page: take a speculative reference on the page the PTE named.
GupFastGetRef(u) ==
    /\ upc[u] = "gup_get_ref"
    /\ refcount' = [refcount EXCEPT ![uref[u]] = @ + 1]
    /\ upc' = [upc EXCEPT ![u] = "gup_recheck"]
    /\ UNCHANGED <<extent, free, entry, locked, pte, mapping, lockVars,
                   uat, uref, gupsLeft, fsVars, syncVars>>

\* Re-read the PTE (pte_val(pte) != pte_val(*ptep)).  Unchanged: the page is
\* pinned and DMA may start.  Changed (unmap_mapping_range ran): put the page
\* back and fall back to slow GUP.  NoGupFastRecheck keeps the reference.
GupFastRecheck(u) ==
    /\ upc[u] = "gup_recheck"
    /\ IF pte[UFile(u)][UOff(u)] = uref[u] \/ Bug("NoGupFastRecheck")
         THEN /\ upc' = [upc EXCEPT ![u] = "dma"]
              /\ UNCHANGED <<refcount, uref, fpc>>
         ELSE /\ PutPage(uref[u])
              /\ upc' = [upc EXCEPT ![u] = "fault_lock"]
              /\ uref' = [uref EXCEPT ![u] = None]
    /\ UNCHANGED <<extent, free, entry, locked, pte, mapping, lockVars,
                   uat, gupsLeft, fop, fscan, fbusy, syncVars>>

(***************************************************************************)
(* DAX fault (fs/dax.c: dax_iomap_pte_fault, called from xfs_filemap_fault *)
(* / ext4_dax_fault with the mmap lock held shared), the first half of     *)
(* slow GUP.                                                               *)
(***************************************************************************)

\* xfs_ilock(XFS_MMAPLOCK_SHARED) / down_read(i_mmap_sem): blocks while a
\* truncate or fallocate holds the lock exclusive.
FaultLockShared(u) ==
    /\ upc[u] = "fault_lock"
    /\ mmapExcl[UFile(u)] = None
    /\ mmapShared' = [mmapShared EXCEPT ![UFile(u)] = @ \cup {u}]
    /\ upc' = [upc EXCEPT ![u] = "fault_grab"]
    /\ UNCHANGED <<pageVars, ioLock, mmapExcl, uat, uref, gupsLeft, fsVars, syncVars>>

\* grab_mapping_entry: lock the entry (an empty locked entry for a hole),
\* waiting while someone else holds it locked.
FaultGrabEntry(u) ==
    /\ upc[u] = "fault_grab"
    /\ ~locked[UFile(u)][UOff(u)]
    /\ locked' = [locked EXCEPT ![UFile(u)][UOff(u)] = TRUE]
    /\ upc' = [upc EXCEPT ![u] = "fault_alloc"]
    /\ UNCHANGED <<extent, free, entry, pte, refcount, mapping, lockVars,
                   uat, uref, gupsLeft, fsVars, syncVars>>

\* iomap_begin (xfs_bmapi_write / ext4_map_blocks): allocate a block if the
\* offset is a hole.  Any free block will do, including one just freed by a
\* truncate of another file: this is where blocks are reused.
FaultAllocBlock(u) ==
    /\ upc[u] = "fault_alloc"
    /\ LET f == UFile(u)
           o == UOff(u)
       IN
       /\ IF extent[f][o] = None
            THEN \E b \in free :
                    /\ extent' = [extent EXCEPT ![f][o] = b]
                    /\ free' = free \ {b}
            ELSE UNCHANGED <<extent, free>>
       /\ upc' = [upc EXCEPT ![u] = "fault_insert"]
       /\ UNCHANGED <<entry, locked, pte, refcount, mapping, lockVars,
                      uat, uref, gupsLeft, fsVars, syncVars>>

\* dax_insert_entry -> dax_associate_entry: store the pfn in the entry and
\* set page->mapping/index.  An entry that already holds the pfn is kept.
FaultInsertEntry(u) ==
    /\ upc[u] = "fault_insert"
    /\ LET f == UFile(u)
           o == UOff(u)
           b == extent[f][o]
       IN
       /\ IF entry[f][o] = None
            THEN /\ entry' = [entry EXCEPT ![f][o] = b]
                 /\ mapping' = [mapping EXCEPT ![b] = <<f, o>>]
            ELSE UNCHANGED <<entry, mapping>>
       /\ upc' = [upc EXCEPT ![u] = "fault_pte"]
       /\ UNCHANGED <<extent, free, locked, pte, refcount, lockVars,
                      uat, uref, gupsLeft, fsVars, syncVars>>

\* vmf_insert_mixed: install the PTE.
FaultInstallPte(u) ==
    /\ upc[u] = "fault_pte"
    /\ LET f == UFile(u)
           o == UOff(u)
       IN
       /\ pte' = [pte EXCEPT ![f][o] = entry[f][o]]
       /\ upc' = [upc EXCEPT ![u] = "fault_unlock_entry"]
       /\ UNCHANGED <<extent, free, entry, locked, refcount, mapping, lockVars,
                      uat, uref, gupsLeft, fsVars, syncVars>>

\* dax_unlock_entry: unlock the entry and wake its waiters.
FaultUnlockEntry(u) ==
    /\ upc[u] = "fault_unlock_entry"
    /\ locked' = [locked EXCEPT ![UFile(u)][UOff(u)] = FALSE]
    /\ upc' = [upc EXCEPT ![u] = "fault_unlock"]
    /\ UNCHANGED <<extent, free, entry, pte, refcount, mapping, lockVars,
                   uat, uref, gupsLeft, fsVars, syncVars>>

\* xfs_iunlock(XFS_MMAPLOCK_SHARED): the fault returns.
FaultUnlockShared(u) ==
    /\ upc[u] = "fault_unlock"
    /\ mmapShared' = [mmapShared EXCEPT ![UFile(u)] = @ \ {u}]
    /\ upc' = [upc EXCEPT ![u] = "gup_pin"]
    /\ UNCHANGED <<pageVars, ioLock, mmapExcl, uat, uref, gupsLeft, fsVars, syncVars>>

(***************************************************************************)
(* Slow GUP (__get_user_pages -> follow_page_pte): after the fault, take   *)
(* the reference under the page-table lock, through the PTE.               *)
(***************************************************************************)

\* follow_page_pte + try_grab_page under the PTL.  The PTE may have been
\* zapped since the fault returned: then fault again.
GupSlowPin(u) ==
    /\ upc[u] = "gup_pin"
    /\ LET p == pte[UFile(u)][UOff(u)]
       IN
       /\ IF p # None
            THEN /\ refcount' = [refcount EXCEPT ![p] = @ + 1]
                 /\ uref' = [uref EXCEPT ![u] = p]
                 /\ upc' = [upc EXCEPT ![u] = "dma"]
            ELSE /\ upc' = [upc EXCEPT ![u] = "fault_lock"]
                 /\ UNCHANGED <<refcount, uref>>
       /\ UNCHANGED <<extent, free, entry, locked, pte, mapping, lockVars,
                      uat, gupsLeft, fsVars, syncVars>>

(***************************************************************************)
(* DMA.  While the user holds its pin the device may write into the page   *)
(* at any moment; completion drops the pin with put_page, which on return  *)
(* to idle runs the dev_pagemap page_free callback (wake_up_var).          *)
(***************************************************************************)
DmaComplete(u) ==
    /\ upc[u] = "dma"
    /\ PutPage(uref[u])
    /\ upc' = [upc EXCEPT ![u] = "idle"]
    /\ uat' = [uat EXCEPT ![u] = NoTarget]
    /\ uref' = [uref EXCEPT ![u] = None]
    /\ UNCHANGED <<extent, free, entry, locked, pte, mapping, lockVars,
                   gupsLeft, fop, fscan, fbusy, syncVars>>

(***************************************************************************)
(* Writeback (fs/dax.c: dax_writeback_one): locks an entry to flush its    *)
(* page, without any inode lock -- which is why the busy scan must wait on *)
(* locked entries rather than skip them.                                   *)
(***************************************************************************)
WritebackLockEntry(s, f, o) ==
    /\ spc[s] = "idle"
    /\ entry[f][o] # None
    /\ ~locked[f][o]
    /\ locked' = [locked EXCEPT ![f][o] = TRUE]
    /\ spc' = [spc EXCEPT ![s] = "flush"]
    /\ sat' = [sat EXCEPT ![s] = <<f, o>>]
    /\ UNCHANGED <<extent, free, entry, pte, refcount, mapping, lockVars,
                   userVars, fsVars>>

WritebackUnlockEntry(s) ==
    /\ spc[s] = "flush"
    /\ locked' = [locked EXCEPT ![sat[s][1]][sat[s][2]] = FALSE]
    /\ spc' = [spc EXCEPT ![s] = "idle"]
    /\ sat' = [sat EXCEPT ![s] = NoTarget]
    /\ UNCHANGED <<extent, free, entry, pte, refcount, mapping, lockVars,
                   userVars, fsVars>>

(***************************************************************************)
(* File-system operations: xfs_setattr_size (truncate) and                 *)
(* xfs_file_fallocate (punch hole, collapse range); ext4_setattr,          *)
(* ext4_punch_hole and ext4_collapse_range follow the same steps.          *)
(***************************************************************************)

\* The operations a task may start on file f.
OpsOn(f) ==
    {[op |-> "Truncate", file |-> f, lo |-> lo, hi |-> MaxOff] :
        lo \in Offsets} \cup
    {[op |-> "PunchHole", file |-> f, lo |-> lo, hi |-> hi] :
        lo \in Offsets, hi \in Offsets} \cup
    {[op |-> "CollapseRange", file |-> f, lo |-> lo, hi |-> hi] :
        lo \in Offsets, hi \in Offsets}

ValidOp(op) ==
    /\ op.op \in FsOps
    /\ op.lo <= op.hi
    \* collapse range may not reach EOF (-EINVAL)
    /\ op.op = "CollapseRange" => op.hi < MaxOff

\* xfs_ilock(XFS_IOLOCK_EXCL): the syscall starts.
FsLockIo(t, op) ==
    /\ fpc[t] = "idle"
    /\ ValidOp(op)
    /\ ioLock[op.file] = None
    /\ ioLock' = [ioLock EXCEPT ![op.file] = t]
    /\ fop' = [fop EXCEPT ![t] = op]
    /\ fpc' = [fpc EXCEPT ![t] = "lock_mmap"]
    /\ UNCHANGED <<pageVars, mmapExcl, mmapShared, userVars, fscan, fbusy, syncVars>>

\* xfs_ilock(XFS_MMAPLOCK_EXCL): waits for faults in progress to finish and
\* keeps new ones out.  Then xfs_break_layouts, unless this path skips it.
FsLockMmap(t) ==
    /\ fpc[t] = "lock_mmap"
    /\ LET f == fop[t].file
       IN
       /\ mmapExcl[f] = None
       /\ mmapShared[f] = {}
       /\ mmapExcl' = [mmapExcl EXCEPT ![f] = t]
       /\ fpc' = [fpc EXCEPT ![t] = IF Breaks(fop[t]) THEN BreakStart ELSE "delete"]
       /\ fscan' = [fscan EXCEPT ![t] = 0]
       /\ UNCHANGED <<pageVars, ioLock, mmapShared, userVars, fop, fbusy, syncVars>>

(***************************************************************************)
(* Breaking layouts (fs/xfs/xfs_file.c: xfs_break_layouts ->               *)
(* xfs_break_dax_layouts; fs/dax.c: dax_layout_busy_page).                 *)
(***************************************************************************)

\* dax_layout_busy_page, first half: unmap_mapping_range(mapping, 0, 0, 0),
\* so that a GUP-fast racing with us fails its re-check and faults, which
\* blocks on our lock.
BreakLayoutsUnmap(t) ==
    /\ fpc[t] = "unmap"
    /\ LET f == fop[t].file
       IN
       /\ pte' = [pte EXCEPT ![f] = [o \in Offsets |-> None]]
       /\ fpc' = [fpc EXCEPT ![t] = IF Bug("ScanBeforeUnmap") THEN "delete" ELSE "scan"]
       /\ fscan' = [fscan EXCEPT ![t] = 0]
       /\ UNCHANGED <<extent, free, entry, locked, refcount, mapping, lockVars,
                      userVars, fop, fbusy, syncVars>>

\* dax_layout_busy_page, second half, one entry at a time:
\* get_unlocked_entry waits while the entry is locked; dax_busy_page returns
\* the page if its refcount is above idle.  A full scan without a busy page
\* means layouts are broken.
BreakLayoutsScan(t) ==
    /\ fpc[t] = "scan"
    /\ LET f == fop[t].file
           o == fscan[t]
           e == entry[f][o]
       IN
       /\ ~locked[f][o] \/ Bug("ScanSkipsLocked")
       /\ IF e # None /\ ~locked[f][o] /\ refcount[e] > IdleRef
            THEN /\ fpc' = [fpc EXCEPT ![t] = "wait"]
                 /\ fbusy' = [fbusy EXCEPT ![t] = e]
                 /\ UNCHANGED fscan
            ELSE IF o = MaxOff
            THEN /\ fpc' = [fpc EXCEPT ![t] =
                                IF Bug("ScanBeforeUnmap") THEN "unmap" ELSE "delete"]
                 /\ UNCHANGED <<fscan, fbusy>>
            ELSE /\ fscan' = [fscan EXCEPT ![t] = o + 1]
                 /\ UNCHANGED <<fpc, fbusy>>
       /\ UNCHANGED <<pageVars, lockVars, userVars, fop, syncVars>>

\* ___wait_var_event(&page->_refcount, refcount == idle, ..., xfs_wait_dax_page):
\* prepare_to_wait, then test the condition.  Idle: retry the whole break
\* (retry = true), or, with NoRestartAfterWait, go on as if layouts were
\* broken.  Busy: xfs_wait_dax_page drops the mmap lock and sleeps;
\* prepare_to_wait before the test is what makes this atomic with the wake.
BreakLayoutsWait(t) ==
    /\ fpc[t] = "wait"
    /\ LET f == fop[t].file
       IN
       /\ IF refcount[fbusy[t]] = IdleRef
            THEN /\ fpc' = [fpc EXCEPT ![t] =
                                IF Bug("NoRestartAfterWait") THEN "delete" ELSE BreakStart]
                 /\ fscan' = [fscan EXCEPT ![t] = 0]
                 /\ UNCHANGED mmapExcl
            ELSE /\ fpc' = [fpc EXCEPT ![t] = "sleep"]
                 /\ mmapExcl' = [mmapExcl EXCEPT ![f] = None]
                 /\ UNCHANGED fscan
       /\ UNCHANGED <<pageVars, ioLock, mmapShared, userVars, fop, fbusy, syncVars>>

\* Woken by wake_up_var (fpc = "relock"): xfs_ilock(XFS_MMAPLOCK_EXCL) again,
\* then test the condition again.
BreakLayoutsRelock(t) ==
    /\ fpc[t] = "relock"
    /\ LET f == fop[t].file
       IN
       /\ mmapExcl[f] = None
       /\ mmapShared[f] = {}
       /\ mmapExcl' = [mmapExcl EXCEPT ![f] = t]
       /\ fpc' = [fpc EXCEPT ![t] = "wait"]
       /\ UNCHANGED <<pageVars, ioLock, mmapShared, userVars, fop, fscan, fbusy, syncVars>>

\* truncate_pagecache_range -> unmap_mapping_range + truncate_inode_pages_range
\* -> dax_delete_mapping_entry -> dax_disassociate_entry: zap the PTEs, wait
\* for locked entries, delete the entries and clear page->mapping.
DeleteEntries(t) ==
    /\ fpc[t] = "delete"
    /\ LET f == fop[t].file
           R == DeleteRange(fop[t])
           gone == {entry[f][o] : o \in R} \ {None}
       IN
       /\ \A o \in R : ~locked[f][o]
       /\ pte' = [pte EXCEPT ![f] = [o \in Offsets |-> IF o \in R THEN None ELSE pte[f][o]]]
       /\ entry' = [entry EXCEPT ![f] = [o \in Offsets |-> IF o \in R THEN None ELSE entry[f][o]]]
       /\ mapping' = [b \in Blocks |-> IF b \in gone THEN NoTarget ELSE mapping[b]]
       /\ fpc' = [fpc EXCEPT ![t] = "free"]
       /\ UNCHANGED <<extent, free, locked, refcount, lockVars, userVars,
                      fop, fscan, fbusy, syncVars>>

\* xfs_itruncate_extents / xfs_free_file_space / xfs_collapse_file_space:
\* return the range's blocks to the allocator; collapse range then shifts
\* the extents beyond the range down (xfs_shift_file_space).
FreeBlocks(t) ==
    /\ fpc[t] = "free"
    /\ LET f == fop[t].file
           op == fop[t]
           R == FreeRange(op)
           len == op.hi - op.lo + 1
           freed == {extent[f][o] : o \in R} \ {None}
           kept == [o \in Offsets |-> IF o \in R THEN None ELSE extent[f][o]]
           shifted == [o \in Offsets |->
                         IF o < op.lo THEN extent[f][o]
                         ELSE IF o + len <= MaxOff THEN extent[f][o + len]
                         ELSE None]
       IN
       /\ extent' = [extent EXCEPT ![f] = IF op.op = "CollapseRange" THEN shifted ELSE kept]
       /\ free' = free \cup freed
       /\ fpc' = [fpc EXCEPT ![t] = "unlock"]
       /\ UNCHANGED <<entry, locked, pte, refcount, mapping, lockVars, userVars,
                      fop, fscan, fbusy, syncVars>>

\* xfs_iunlock(XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL): the syscall returns.
FsUnlock(t) ==
    /\ fpc[t] = "unlock"
    /\ LET f == fop[t].file
       IN
       /\ ioLock' = [ioLock EXCEPT ![f] = None]
       /\ mmapExcl' = [mmapExcl EXCEPT ![f] = None]
       /\ fpc' = [fpc EXCEPT ![t] = "idle"]
       /\ fop' = [fop EXCEPT ![t] = NoOp]
       /\ fbusy' = [fbusy EXCEPT ![t] = None]
       /\ UNCHANGED <<pageVars, mmapShared, userVars, fscan, syncVars>>

(***************************************************************************)
(* The next-state relation, grouped by task.                               *)
(***************************************************************************)
UserNext(u) ==
    \/ \E f \in Files, o \in Offsets : GupFastReadPte(u, f, o)
    \/ GupFastGetRef(u)
    \/ GupFastRecheck(u)
    \/ FaultLockShared(u)
    \/ FaultGrabEntry(u)
    \/ FaultAllocBlock(u)
    \/ FaultInsertEntry(u)
    \/ FaultInstallPte(u)
    \/ FaultUnlockEntry(u)
    \/ FaultUnlockShared(u)
    \/ GupSlowPin(u)
    \/ DmaComplete(u)

FsNext(t) ==
    \/ \E f \in Files : \E op \in OpsOn(f) : FsLockIo(t, op)
    \/ FsLockMmap(t)
    \/ BreakLayoutsUnmap(t)
    \/ BreakLayoutsScan(t)
    \/ BreakLayoutsWait(t)
    \/ BreakLayoutsRelock(t)
    \/ DeleteEntries(t)
    \/ FreeBlocks(t)
    \/ FsUnlock(t)

SyncNext(s) ==
    \/ \E f \in Files, o \in Offsets : WritebackLockEntry(s, f, o)
    \/ WritebackUnlockEntry(s)

Next ==
    \/ \E u \in Users : UserNext(u)
    \/ \E t \in FsTasks : FsNext(t)
    \/ \E s \in Syncers : SyncNext(s)

\* The fairness the kernel relies on: DMA completes and every task is
\* scheduled (weak fairness); a task that waits for a lock, an entry lock or
\* a wake-up gets it if it is offered again and again (strong fairness: the
\* rwsem hand-off and the entry wait queue stop starvation).
Fairness ==
    /\ \A u \in Users : SF_vars(UserNext(u))
    /\ \A t \in FsTasks : SF_vars(FsNext(t))
    /\ \A s \in Syncers : WF_vars(SyncNext(s))

Spec == Init /\ [][Next]_vars /\ Fairness

(***************************************************************************)
(* Safety properties.                                                      *)
(***************************************************************************)

\* A user whose GUP reference passed its re-check (or was taken through the
\* PTE by slow GUP): DMA may be writing into uref[u] right now.
Pinned(u) == upc[u] = "dma"

\* The corruption the series prevents: no DMA ever targets a block that is
\* free or that belongs to another (file, offset) than the one it was pinned
\* through.
NoDmaIntoForeignBlock ==
    \A u \in Users :
        Pinned(u) => /\ uref[u] \notin free
                     /\ extent[UFile(u)][UOff(u)] = uref[u]

\* WARN_ON_ONCE(trunc && page_ref_count(page) > 1) in dax_disassociate_entry:
\* no entry is deleted while its page is pinned for DMA.  (A speculative
\* GUP-fast reference that will fail its re-check may still be counted by
\* the kernel's WARN; it is transient and never DMA'd into, so only pins
\* count here.)
NoPinnedEntryDeleted ==
    \A u \in Users : Pinned(u) => entry[UFile(u)][UOff(u)] = uref[u]

\* dax_associate_entry's WARN_ON_ONCE(page->mapping): a page is associated
\* with a (file, offset) exactly while that entry holds its pfn, and never
\* with two.
MappingMatchesEntries ==
    /\ \A f \in Files, o \in Offsets :
          entry[f][o] # None => mapping[entry[f][o]] = <<f, o>>
    /\ \A b \in Blocks :
          mapping[b] # NoTarget => entry[mapping[b][1]][mapping[b][2]] = b

\* A free block has no extent, no entry and no PTE.
FreeBlocksUnused ==
    \A b \in free, f \in Files, o \in Offsets :
        /\ extent[f][o] # b
        /\ entry[f][o] # b
        /\ pte[f][o] # b

\* An entry and a PTE always agree with the file's block map.
EntriesMatchExtents ==
    \A f \in Files, o \in Offsets :
        /\ entry[f][o] # None => entry[f][o] = extent[f][o]
        /\ pte[f][o] # None => pte[f][o] = entry[f][o]

\* Lock discipline: an exclusive holder excludes shared holders, and no
\* fault past the lock (creating entries, installing PTEs) runs while the
\* mmap lock is held exclusive by someone else.
FaultPcs == {"fault_grab", "fault_alloc", "fault_insert", "fault_pte",
             "fault_unlock_entry", "fault_unlock"}
LockDiscipline ==
    /\ \A f \in Files : mmapExcl[f] # None => mmapShared[f] = {}
    /\ \A u \in Users :
          upc[u] \in FaultPcs => /\ u \in mmapShared[UFile(u)]
                                 /\ mmapExcl[UFile(u)] = None
    /\ \A t \in FsTasks :
          fpc[t] \in {"unmap", "scan", "wait", "delete", "free", "unlock"} =>
              /\ mmapExcl[fop[t].file] = t
              /\ ioLock[fop[t].file] = t

\* Ghost count: a page's refcount is idle plus the references users hold
\* (speculative GUP-fast references and pins).
HoldsRef(u) == upc[u] \in {"gup_recheck", "dma"}
RefcountIsIdlePlusPins ==
    \A b \in Blocks :
        refcount[b] = IdleRef + Cardinality({u \in Users : HoldsRef(u) /\ uref[u] = b})

(***************************************************************************)
(* Liveness, under Fairness.                                               *)
(***************************************************************************)

\* Every truncate or fallocate finishes: no lost wake-up, no deadlock.
FsOpCompletes == \A t \in FsTasks : (fpc[t] # "idle") ~> (fpc[t] = "idle")

\* A fault blocked behind a truncate eventually proceeds.
FaultProceeds == \A u \in Users : (upc[u] = "fault_lock") ~> (upc[u] # "fault_lock")

=============================================================================
