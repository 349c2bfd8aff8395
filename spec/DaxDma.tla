------------------------------- MODULE DaxDma -------------------------------
(***************************************************************************)
(* The fs-dax "DMA vs truncate" protocol, from the Linux series            *)
(* "dax: fix dma vs truncate/hole-punch" (v6, 2018, merged for 4.17/4.18), *)
(* and the ways it went wrong in the kernels that shipped it, 2018-2025.   *)
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
(* entries, one at a time as truncate_inode_pages_range does, and free the *)
(* blocks.                                                                 *)
(*                                                                         *)
(* What shipped was not always that.  4.18's XFS retried only when it had  *)
(* slept; until 6.14 the busy scan was skipped for a file no VMA maps      *)
(* (although a pin outlives munmap), inode eviction freed blocks without   *)
(* breaking layouts, and some put paths (release_pages, 5.18's             *)
(* gup_put_folio) dropped the last reference without the wake-up.  6.15    *)
(* (Alistair Popple's rework) fixed these and made the idle refcount 0.    *)
(* Each such bug is a switch in Bugs, read only through a named variant    *)
(* point (section "Variant points") that says what the fixed protocol does *)
(* there, with the kernel function and the commits that introduced and     *)
(* fixed the bug, so that every action body reads as the fixed protocol.   *)
(* models/manifest.json's "history" table says which kernel version had    *)
(* which.  Switches marked hypothetical are failure modes that no release  *)
(* is known to have shipped.  With Bugs = {} this is the 2018 design with  *)
(* every shipped bug fixed, which no release ran as such: 4.19 still had   *)
(* SkipScanWhenUnmapped, EvictWithoutBreak and ReleasePagesMissesWake.     *)
(* IdleRef = 0 alone is not the 6.15 protocol either: without           *)
(* Feature("Design2025") the idle refcount is an offset (no PTE holds a    *)
(* reference, GUP-fast never fails on an idle page), so it only relabels   *)
(* IdleRef = 1.                                                            *)
(*                                                                         *)
(* Feature("Design2025") is the 6.15 rework (38607c62b34b "fs/dax:         *)
(* properly refcount fs dax pages" and its series): idle is refcount 0 and *)
(* every PTE holds a reference (vmf_insert_page_mkwrite takes it, the      *)
(* zap's mmu_gather drops it); the busy scan tests                         *)
(* folio_ref_count - folio_mapcount (dax_busy_page), the wait              *)
(* dax_page_is_idle (ref == 0); the wake is in free_zone_device_folio,     *)
(* which every put reaching 0 goes through; GUP-fast's folio_try_get fails *)
(* on a page at 0; dax_break_layout deletes the file's entries itself once *)
(* nothing is busy, and truncate's own pass WARNs if it still finds one;   *)
(* eviction breaks layouts (dax_break_layout_final) without any lock.      *)
(* With it and Bugs = {} this is 6.15.y (dd59137bfe70 backported); 6.15.0  *)
(* is WaitSkipsEntry on top.  Its safety holds on every config checked;    *)
(* its liveness does not once a user can fault again: xfs_wait_dax_page    *)
(* drops the mmap lock to sleep, a fault maps the busy page again (its     *)
(* PTE's reference), and after the DMA ends the refcount stays 1, so       *)
(* dax_page_is_idle (ref == 0) stays false and no put reaches 0 to wake    *)
(* the truncate: it sleeps until the mapping goes (munmap) or a signal     *)
(* (models/design-2025-remap-hang.cfg; a model finding, not reported       *)
(* upstream as far as is known).  The 2018 design's idle test counts no    *)
(* PTE, so it has no such hang.                                            *)
(*                                                                         *)
(* Actors: user threads (GUP-fast, slow GUP = fault + pin, DMA), the mm    *)
(* they share (munmap / mmap of a file), file system tasks (truncate,      *)
(* fallocate modes, inode eviction), and writeback tasks that lock DAX     *)
(* entries without the mmap lock (dax_writeback_one).  Another file's      *)
(* allocating fault reuses freed blocks.  Users start at most MaxGups GUP  *)
(* operations in all: DMA is transient (unless a long-term pin is let in). *)
(* File system and writeback tasks loop forever, so deadlock checking is   *)
(* meaningful.                                                             *)
(*                                                                         *)
(* Abstractions: one mm shared by all users, with at most one VMA per      *)
(* file; the extent map is the file's on-disk block map; file size is not  *)
(* modelled (truncate removes the offsets from its start to the last one,  *)
(* insert range needs the last offsets to be holes); unwritten extents are *)
(* not told apart from written ones; PTE clears are not synchronised with  *)
(* GUP-fast by a TLB-flush IPI, so only the re-check protects GUP-fast:    *)
(* so it is where no IPI serialises them (x86 guests with paravirt TLB     *)
(* flush, arm64, POWER), not on native x86, where GUP-fast runs with       *)
(* interrupts off and the unmap waits for its IPI; pNFS leases             *)
(* (BREAK_WRITE) are not modelled; PMD entries are not modelled.           *)
(*                                                                         *)
(* Actions that the existing configurations do not need are gated, so that *)
(* their state spaces do not grow: munmap / mmap by Features, the          *)
(* fallocate modes and eviction by FsOps, long-term pins by their switch,  *)
(* the 2025 design by Feature("Design2025").                               *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Files,       \* inodes (model values)
    NumOffsets,  \* page offsets per file: 0 .. NumOffsets-1
    Blocks,      \* persistent-memory blocks = ZONE_DEVICE pages (model values)
    Users,       \* user threads that GUP and run DMA
    FsTasks,     \* tasks that truncate, fallocate or evict
    Syncers,     \* writeback tasks (fsync / dax_writeback_mapping_range)
    FsOps,       \* the file-system operations FsTasks may run
    MaxGups,     \* how many GUP operations users start in all
    IdleRef,     \* page_ref_count of an idle fs-dax page: 1 to 6.14, 0 from 38607c62b34b (6.15)
    None,        \* "no block", "no task" (a model value)
    Bugs,        \* the variant switches that are on
    Features     \* the optional behaviours enabled (FeatureNames)

(***************************************************************************)
(* Every variant switch.  "historical": shipped in a release (commit ids  *)
(* as spec/models/manifest.json's history table gives them, "not found"    *)
(* where none was confirmed); "hypothetical": a way the protocol could go  *)
(* wrong that no release is known to have had.                            *)
(***************************************************************************)
BugNames == {
    \* historical, pre-layout-break: xfs before d6dc57e251a4 "xfs, dax: introduce
    \* xfs_break_dax_layouts()" (4.18), ext4 before 430657b6be89 "ext4: handle
    \* layout changes to pinned DAX mappings": truncate never waits for pinned pages.
    "NoBreakLayouts",
    \* hypothetical: dax_layout_busy_page scans before unmap_mapping_range.
    "ScanBeforeUnmap",
    \* hypothetical for PTEs (the 2018 series' "mm: fix __gup_device_huge vs unmap"
    \* added the re-check for PMD/PUD devmap, not modelled): gup_pte_range keeps its
    \* reference without re-reading the PTE.
    "NoGupFastRecheck",
    \* hypothetical, stronger than what shipped (see RetryOnlyOnSleep):
    \* xfs_break_layouts never retries after finding a busy page.
    "NoRestartAfterWait",
    \* historical: xfs_break_dax_layouts (4.18, d6dc57e251a4) / ext4_break_layouts
    \* (430657b6be89) set the retry flag (did_unlock) only in xfs_wait_dax_page /
    \* ext4_wait_dax_page, i.e. only when the task slept.  Fixed for ext4 by
    \* b1f382178d15 "ext4: close race between direct IO and ext4_break_layouts()";
    \* the XFS fix: not found.
    "RetryOnlyOnSleep",
    \* hypothetical: the dev_pagemap page_free callback never calls wake_up_var
    \* (the shipped lost wake-ups are UnpinMissesWake and ReleasePagesMissesWake).
    "LostWakeup",
    \* historical: unpin_user_page / gup_put_folio (d8ddc099c6b3 "mm/gup: Add
    \* gup_put_folio()", 5.18) drops the last reference with folio_put_refs, which
    \* misses the 1-based fs-dax wake-up.  Fixed by f4f451a16dd1 "mm: fix missing
    \* wake-up event for FSDAX pages" (5.19).
    "UnpinMissesWake",
    \* historical: release_pages sent only device-public pages to
    \* put_devmap_managed_page, so an fs-dax page released there got no wake-up.
    \* From e76384884344 "mm: introduce MEMORY_DEVICE_FS_DAX and
    \* CONFIG_DEV_PAGEMAP_OPS" (4.18), which moved the fs-dax wake into
    \* put_devmap_managed_page but left release_pages' device-public gate.  Fixed
    \* by c5d6c45e90c4 "mm/swap: fix release_pages() when releasing devmap pages"
    \* (5.3; backported to 4.19.y).
    "ReleasePagesMissesWake",
    \* hypothetical: collapse range removes blocks without breaking layouts
    \* (xfs_file_fallocate breaks layouts for every mode).
    "CollapseSkipsBreak",
    \* historical: the busy scan skips entries that are locked when it passes
    \* them (in the xas_for_each loop, get_unlocked_entry "will get the next
    \* present entry in the range", as 6be3e21d25ca puts it).  Introduced by the
    \* 4.20 XArray conversion, "dax: Convert dax_layout_busy_page to XArray"
    \* (Matthew Wilcox; id not found); the 4.18/4.19 radix-tree scan looked each
    \* index up with get_unlocked_mapping_entry and waited on it.  Fixed by
    \* 6be3e21d25ca "fs/dax: don't skip locked entries when scanning entries"
    \* (6.15), itself fixed by dd59137bfe70 (xas_pause -> xas_reset).  A switch
    \* of the 2018 design only: the 2025 scan is wait_entry_unlocked_exclusive's,
    \* whose residual skip is WaitSkipsEntry.
    "ScanSkipsLocked",
    \* historical, Design2025 only: wait_entry_unlocked_exclusive (6be3e21d25ca
    \* "fs/dax: don't skip locked entries when scanning entries", 6.15.0) calls
    \* xas_pause before it drops the xa_lock to sleep on a locked entry, which
    \* moves the iterator to the next index; its xas_load after the wake then
    \* reads the next entry, so the entry waited on is passed: untested in the
    \* busy scan (dax_layout_busy_page_range), left in place by the deletion
    \* (dax_delete_mapping_range), where truncate's own pass then WARNs.  Fixed
    \* by dd59137bfe70 "fs/dax: Fix \"don't skip locked entries when scanning
    \* entries\"" (xas_pause -> xas_reset; 6.16-rc1, backported to 6.15.y).  Named
    \* for the function it is in, not for one caller: both callers have it.
    "WaitSkipsEntry",
    \* hypothetical, Design2025 only: the deletion half of WaitSkipsEntry alone,
    \* dax_delete_mapping_range's call of wait_entry_unlocked_exclusive with
    \* 6be3e21d25ca's xas_pause (the busy scan re-tests the entry it waited on),
    \* so that a config shows what that half does by itself:
    \* truncate_folio_batch_exceptionals' WARN, no corruption.
    "DeleteWaitSkipsEntry",
    \* historical: dax_layout_busy_page returns NULL at once when
    \* !mapping_mapped(mapping), from 5fac7408d828 "mm, fs, dax: handle layout
    \* changes to pinned dax mappings" (4.18) to 6.14.  Fixed by cee91fa13a8e
    \* "fs/dax: return unmapped busy pages from dax_layout_busy_page_range()" (6.15).
    "SkipScanWhenUnmapped",
    \* historical: inode eviction (xfs / ext4 evict_inode ->
    \* truncate_inode_pages_final) deletes the entries and frees the blocks
    \* without breaking layouts, 4.18 to 6.14.  Fixed by 0e2f80afcfa6 "fs/dax:
    \* ensure all pages are idle prior to filesystem unmount"
    \* (dax_break_layout_final, 6.15).
    "EvictWithoutBreak",
    \* hypothetical (no release with layout breaking lacked the refusal; before
    \* 4.15 there was neither): a FOLL_LONGTERM pin of an fs-dax page is let in
    \* and never released.  The refusal: 2bb6d2837083 "mm: introduce
    \* get_user_pages_longterm" (4.15, unverified), 932f4a630a69 "mm/gup: replace
    \* get_user_pages_longterm() with FOLL_LONGTERM" (5.2, unverified), again
    \* e5cb23256347 "mm/gup: don't allow FOLL_LONGTERM pinning of FS DAX pages" (6.15).
    "LongtermPinAllowed"
}

\* Optional behaviours.  Munmap (every kernel): the mm may munmap a file
\* (do_munmap -> unmap_region) and mmap it again (mmap_region) while a pin
\* taken through the old mapping stays.  TruncWarn (4.18 to 6.14): this kernel
\* has WARN_ON_ONCE(trunc && page_ref_count(page) > 1) in dax_disassociate_entry
\* (removed by 38607c62b34b "fs/dax: properly refcount fs dax pages", 6.15);
\* KernelWarnQuiet says it never fires.  ZeroRangeInPlace (ext4): zero range is
\* ext4_zero_range (fs/ext4/extents.c): after ext4_break_layouts and
\* truncate_pagecache_range, ext4_alloc_file_blocks with
\* EXT4_GET_BLOCKS_CONVERT_UNWRITTEN converts the range's blocks to unwritten in
\* place and allocates only its holes; nothing is freed.  Off: XFS's
\* xfs_zero_file_space, xfs_free_file_space then xfs_alloc_file_space (free,
\* then allocate).  A Feature, not a Bug (no kernel got it wrong) and not a new
\* constant: off by default, so no existing configuration changes.
\* Design2025 (6.15): Alistair Popple's rework (38607c62b34b, d5b3afea22a5,
\* bde708f1a65d, cee91fa13a8e, 0e2f80afcfa6, 6be3e21d25ca, e5cb23256347; see
\* the header).  A Feature rather than a constant or a module of its own:
\* a kernel release has the rework or not, as it has TruncWarn or not
\* (Features say what this kernel has); no existing configuration changes
\* and no existing state space grows (every change below is gated on it);
\* and the harness's releases already carry features.
FeatureNames == {"Munmap", "TruncWarn", "ZeroRangeInPlace", "Design2025"}

\* The switches of code the 2025 rework replaced: xfs_break_layouts' retry
\* flag (dax_break_layout loops scan + wait itself and always rescans after a
\* wait) and the XArray scan's get_unlocked_entry (replaced by
\* wait_entry_unlocked_exclusive, whose own skip is WaitSkipsEntry).  They
\* cannot be on with Design2025 (ASSUME below).  UnpinMissesWake and
\* ReleasePagesMissesWake may be on but have no effect there: the wake moved
\* to free_zone_device_folio, which every put path reaching 0 goes through
\* (WakesOnIdle).  The others read under Design2025 as "6.15 without that
\* part": NoBreakLayouts, CollapseSkipsBreak and EvictWithoutBreak reach
\* truncate's own pass with entries left (its WARN, and deletion of busy
\* entries); SkipScanWhenUnmapped is the mapping_mapped return that
\* cee91fa13a8e removed in the same series; ScanBeforeUnmap, NoGupFastRecheck,
\* LostWakeup and LongtermPinAllowed mean what they mean in 2018.
Bugs2018Only == {"RetryOnlyOnSleep", "NoRestartAfterWait", "ScanSkipsLocked"}
Bugs2025Only == {"WaitSkipsEntry", "DeleteWaitSkipsEntry"}

AllFsOps == {"Truncate", "PunchHole", "CollapseRange", "ZeroRange", "InsertRange", "Evict"}

\* The paths a reference is dropped through: put_page (-> put_devmap_managed_page
\* -> page_free -> wake_up_var), unpin_user_page / gup_put_folio (5.18+), and
\* release_pages.  All wake when the page returns to idle, unless a switch says not.
PutPaths == {"put_page", "gup_put_folio", "release_pages"}

Offsets == 0 .. (NumOffsets - 1)
MaxOff == NumOffsets - 1

ASSUME /\ Bugs \subseteq BugNames
       /\ Features \subseteq FeatureNames
       /\ FsOps \subseteq AllFsOps
       /\ NumOffsets \in Nat \ {0}
       /\ MaxGups \in Nat
       /\ IdleRef \in {0, 1}
       \* the WARN counts references above 1: it exists only with the 1-based refcount
       /\ "TruncWarn" \in Features => IdleRef = 1
       \* the 2025 design: idle is 0, the old WARN is gone (38607c62b34b)
       /\ ("Design2025" \in Features) => (IdleRef = 0 /\ "TruncWarn" \notin Features)
       /\ ("Design2025" \in Features) => (Bugs \cap Bugs2018Only = {})
       /\ (Bugs \cap Bugs2025Only # {}) => ("Design2025" \in Features)
       \* IdleRef = 0 WITHOUT Design2025 is the old relabelling of IdleRef = 1
       \* (see the header).  It is kept legal only until the history's 6.15 rows
       \* (models/history-6.15.cfg) move to Design2025 (history-6.15.0 /
       \* history-6.15.y); then this combination is to be forbidden:
       \* IdleRef = 0 => "Design2025" \in Features.
       \* eviction needs a file no VMA maps
       /\ "Evict" \in FsOps => "Munmap" \in Features
       \* No ENOSPC path is modelled: there is always a block for every (file, offset).
       /\ Cardinality(Blocks) >= Cardinality(Files) * NumOffsets

Bug(name) == name \in Bugs
Feature(name) == name \in Features

\* Where each kind of task can be in its kernel path.  A task's pc is the name
\* of the action it takes next (blocked or not: blocking is that action not
\* being enabled), so that one vocabulary names both.  Two pcs name no action
\* of the task's own: "idle" (no operation; the next is the one that starts
\* one: GupFastReadPte, FsLockIo, WritebackLockEntry) and "sleep" (asleep in
\* wait_var_event until another task's put wakes it to BreakLayoutsRelock).
\* (Design2025 adds the deletion's "BreakLayoutsDelete" and the two pcs of
\* WaitSkipsEntry's paused waits, "BreakLayoutsScanPaused" and
\* "BreakLayoutsDeletePaused"; 2018 runs never reach them.)
UserPcs == {"idle", "GupFastGetRef", "GupFastRecheck", "FaultLockShared",
            "FaultGrabEntry", "FaultAllocBlock", "FaultInsertEntry",
            "FaultInstallPte", "FaultUnlockEntry", "FaultUnlockShared",
            "GupSlowPin", "DmaComplete"}
FsPcs == {"idle", "FsLockMmap", "BreakLayoutsUnmap", "BreakLayoutsScan",
          "BreakLayoutsWait", "sleep", "BreakLayoutsRelock", "TruncateUnmap",
          "DeleteEntry", "FreeBlocks", "FsPrealloc", "FsUnlock",
          "BreakLayoutsScanPaused", "BreakLayoutsDelete", "BreakLayoutsDeletePaused"}
SyncPcs == {"idle", "WritebackUnlockEntry"}

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
    ulong,       \* ulong[u]: u's GUP is FOLL_LONGTERM (its pin is never released)
    fpc,         \* fpc[t]: where file-system task t is
    fop,         \* fop[t]: t's operation [op, file, lo, hi], or NoOp
    fscan,       \* fscan[t]: the offset t's busy-page scan, deletion or preallocation is at
    fbusy,       \* fbusy[t]: the busy page t waits on, or None
    fslept,      \* fslept[t]: the retry flag (did_unlock): t slept since its break loop (re)started
    spc,         \* spc[s]: where writeback task s is
    sat,         \* sat[s]: the entry s has locked, or NoTarget
    vma,         \* vma[f]: the users' mm has a VMA mapping f (mapping_mapped)
    gone,        \* gone[f]: f is being or has been evicted (I_FREEING): no new use
    warned       \* history: truncate's pass has WARNed (TruncWarn, or Design2025's WARN_ON_ONCE(1))

pageVars == <<extent, free, entry, locked, pte, refcount, mapping>>
lockVars == <<ioLock, mmapExcl, mmapShared>>
userVars == <<upc, uat, uref, gupsLeft, ulong>>
fsVars == <<fpc, fop, fscan, fbusy, fslept>>
syncVars == <<spc, sat>>
mmVars == <<vma, gone>>
vars == <<extent, free, entry, locked, pte, refcount, mapping, ioLock, mmapExcl,
          mmapShared, upc, uat, uref, gupsLeft, ulong, fpc, fop, fscan, fbusy,
          fslept, spc, sat, vma, gone, warned>>

MaybeBlock == Blocks \cup {None}

\* The 2025 design is on (see FeatureNames).
Design2025 == "Design2025" \in Features

\* The most references a page can have: one per user (a speculative GUP-fast
\* reference or a pin), and under Design2025 one for the PTE mapping it.
MaxRef == IdleRef + Cardinality(Users) + (IF Design2025 THEN 1 ELSE 0)

(***************************************************************************)
(* Type correctness.                                                       *)
(***************************************************************************)
TypeOK ==
    /\ extent \in [Files -> [Offsets -> MaybeBlock]]
    /\ free \subseteq Blocks
    /\ entry \in [Files -> [Offsets -> MaybeBlock]]
    /\ locked \in [Files -> [Offsets -> BOOLEAN]]
    /\ pte \in [Files -> [Offsets -> MaybeBlock]]
    /\ refcount \in [Blocks -> IdleRef .. MaxRef]
    /\ mapping \in [Blocks -> Targets \cup {NoTarget}]
    /\ ioLock \in [Files -> FsTasks \cup {None}]
    /\ mmapExcl \in [Files -> FsTasks \cup {None}]
    /\ mmapShared \in [Files -> SUBSET Users]
    /\ upc \in [Users -> UserPcs]
    /\ uat \in [Users -> Targets \cup {NoTarget}]
    /\ uref \in [Users -> MaybeBlock]
    /\ gupsLeft \in 0 .. MaxGups
    /\ ulong \in [Users -> BOOLEAN]
    /\ fpc \in [FsTasks -> FsPcs]
    /\ fop \in [FsTasks -> {NoOp} \cup
                 [op : FsOps, file : Files, lo : Offsets, hi : Offsets]]
    /\ fscan \in [FsTasks -> Offsets]
    /\ fbusy \in [FsTasks -> MaybeBlock]
    /\ fslept \in [FsTasks -> BOOLEAN]
    /\ spc \in [Syncers -> SyncPcs]
    /\ sat \in [Syncers -> Targets \cup {NoTarget}]
    /\ vma \in [Files -> BOOLEAN]
    /\ gone \in [Files -> BOOLEAN]
    /\ warned \in BOOLEAN

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
    /\ ulong = [u \in Users |-> FALSE]
    /\ fpc = [t \in FsTasks |-> "idle"]
    /\ fop = [t \in FsTasks |-> NoOp]
    /\ fscan = [t \in FsTasks |-> 0]
    /\ fbusy = [t \in FsTasks |-> None]
    /\ fslept = [t \in FsTasks |-> FALSE]
    /\ spc = [s \in Syncers |-> "idle"]
    /\ sat = [s \in Syncers |-> NoTarget]
    /\ vma = [f \in Files |-> TRUE]
    /\ gone = [f \in Files |-> FALSE]
    /\ warned = FALSE

(***************************************************************************)
(* Helpers.                                                                *)
(***************************************************************************)
UFile(u) == uat[u][1]
UOff(u) == uat[u][2]

(***************************************************************************)
(* Variant points.  Every read of a switch in Bugs is one of these         *)
(* definitions, named for what the fixed protocol does there (with Bugs =  *)
(* {} each holds, or is the fixed choice), so that the action bodies below *)
(* read as the fixed protocol.  Each names the kernel function it stands   *)
(* for and the commits of the bug and of its fix, as BugNames gives them.  *)
(* (They read variables, so they cannot sit beside BugNames, above the     *)
(* VARIABLES.)                                                             *)
(***************************************************************************)

\* The FOLL_LONGTERM flags a GUP that starts can have.  check_vma_flags
\* refuses a FOLL_LONGTERM GUP of an fs-dax VMA (-EOPNOTSUPP) before anything
\* changes (2bb6d2837083, 4.15; 932f4a630a69, 5.2; e5cb23256347, 6.15), so
\* only short-term GUPs start.  LongtermPinAllowed (hypothetical): one may be
\* FOLL_LONGTERM (pin_user_pages for RDMA) and never be released.
AdmittedLongterm == IF Bug("LongtermPinAllowed") THEN BOOLEAN ELSE {FALSE}

\* gup_pte_range: after try_grab_page the PTE is re-read
\* (pte_val(pte) != pte_val(*ptep) fails), so a GUP-fast racing an unmap
\* drops its reference.  NoGupFastRecheck (hypothetical for PTEs; the 2018
\* series' "mm: fix __gup_device_huge vs unmap" added the re-check for
\* PMD/PUD devmap, not modelled): the reference is kept without re-reading.
RecheckPasses(u) == pte[UFile(u)][UOff(u)] = uref[u] \/ Bug("NoGupFastRecheck")

\* Does dropping a reference through this path reach wake_up_var?  Every put
\* path does: put_page -> put_devmap_managed_page -> page_free, from 5.19
\* gup_put_folio (f4f451a16dd1), from 5.3 release_pages (c5d6c45e90c4).
\* LostWakeup (hypothetical): page_free never wakes.  UnpinMissesWake:
\* gup_put_folio (d8ddc099c6b3, 5.18) drops the last reference with
\* folio_put_refs.  ReleasePagesMissesWake: release_pages' device-public gate
\* (e76384884344, 4.18).  Design2025: the wake is in free_zone_device_folio
\* (wake_up_var(&folio->page), 38607c62b34b), which every put that reaches 0
\* goes through whatever its path (put_page, gup_put_folio, release_pages /
\* folios_put_refs, the zap's mmu_gather), so the two path switches have no
\* effect there: the missed-wake class is gone by construction.  LostWakeup
\* there: free_zone_device_folio's FS_DAX case never wakes.
WakesOnIdle(path) ==
    /\ ~Bug("LostWakeup")
    /\ \/ Design2025
       \/ /\ ~(path = "gup_put_folio" /\ Bug("UnpinMissesWake"))
          /\ ~(path = "release_pages" /\ Bug("ReleasePagesMissesWake"))

\* Does this operation break layouts before removing blocks?  Every one does:
\* xfs_break_layouts / ext4_break_layouts for truncate and every fallocate
\* mode, dax_break_layout_final for eviction (0e2f80afcfa6, 6.15).
\* NoBreakLayouts: xfs before d6dc57e251a4, ext4 before 430657b6be89 (4.18).
\* CollapseSkipsBreak (hypothetical).  EvictWithoutBreak: evict_inode ->
\* truncate_inode_pages_final, 4.18 to 6.14.
Breaks(op) ==
    /\ ~Bug("NoBreakLayouts")
    /\ ~(Bug("CollapseSkipsBreak") /\ op.op = "CollapseRange")
    /\ ~(Bug("EvictWithoutBreak") /\ op.op = "Evict")

\* dax_layout_busy_page unmaps (unmap_mapping_range) before it scans, so that
\* a GUP-fast racing the scan fails its re-check.  ScanBeforeUnmap
\* (hypothetical): the scan comes first and the unmap ends the loop.
ScanAfterUnmap == ~Bug("ScanBeforeUnmap")

\* Where the break-layouts loop (re)starts: its first step.
BreakStart == IF ScanAfterUnmap THEN "BreakLayoutsUnmap" ELSE "BreakLayoutsScan"

\* The busy scan runs whether or not a VMA maps the file, since a pin
\* outlives munmap (cee91fa13a8e, 6.15).  SkipScanWhenUnmapped:
\* dax_layout_busy_page returns NULL when !mapping_mapped(mapping), from
\* 5fac7408d828 (4.18) to 6.14.
BusyScanRuns(f) == vma[f] \/ ~Bug("SkipScanWhenUnmapped")

\* The busy scan waits for a locked entry to unlock, then tests it (4.18/4.19:
\* get_unlocked_mapping_entry per index; 6be3e21d25ca, 6.15, completed by
\* dd59137bfe70).  ScanSkipsLocked: from the 4.20 XArray conversion ("dax:
\* Convert dax_layout_busy_page to XArray", id not found), get_unlocked_entry
\* in the xas_for_each loop moves on to the next present entry.
ScanWaitsOnLocked == ~Bug("ScanSkipsLocked")

\* After waiting on a busy page, xfs_break_layouts starts over: the lock was
\* (or may have been) dropped, so anything may have changed; the fix sets the
\* retry flag as soon as a busy page is found.  NoRestartAfterWait
\* (hypothetical): never.  RetryOnlyOnSleep: xfs_break_dax_layouts
\* (d6dc57e251a4, 4.18) / ext4_break_layouts (430657b6be89) set did_unlock
\* only in xfs_wait_dax_page / ext4_wait_dax_page, i.e. only if the task
\* slept (fslept); fixed for ext4 by b1f382178d15, the XFS fix not found.
RestartAfterWait(t) ==
    /\ ~Bug("NoRestartAfterWait")
    /\ (fslept[t] \/ ~Bug("RetryOnlyOnSleep"))

\* The retry flag a sleep sets: only RetryOnlyOnSleep reads it (above), so
\* only it stores it.
SetRetryOnSleep(t) ==
    fslept' = IF Bug("RetryOnlyOnSleep") THEN [fslept EXCEPT ![t] = TRUE] ELSE fslept

\* Design2025, wait_entry_unlocked_exclusive (6be3e21d25ca, 6.15), called by
\* the busy scan and by the deletion on a locked entry: after the wake it
\* reloads the entry it waited on (xas_reset before dropping the xa_lock,
\* dd59137bfe70), so the busy scan tests it and the deletion deletes it.
\* WaitSkipsEntry (6.15.0): xas_pause moved the iterator to the next index,
\* so both pass it.  DeleteWaitSkipsEntry (hypothetical): the deletion only.
ScanTestsWaitedEntry == ~Bug("WaitSkipsEntry")
DeleteTakesWaitedEntry == ~Bug("WaitSkipsEntry") /\ ~Bug("DeleteWaitSkipsEntry")

(***************************************************************************)
(* More helpers.                                                           *)
(***************************************************************************)
\* Design2025's eviction: xfs_fs_evict_inode -> dax_break_layout_final
\* (0e2f80afcfa6) takes no inode lock (nobody else can reach the inode).  In
\* the 2018 design eviction holds the locks nobody else can want, so that it
\* shares the steps of the other operations.
FinalBreak(t) == Design2025 /\ fop[t].op = "Evict"

\* Where a woken waiter goes: retake the mmap lock (xfs_wait_dax_page's
\* xfs_ilock), or, in dax_break_layout_final's
\* wait_page_idle_uninterruptible (schedule(), no lock dropped), straight to
\* the test again.
WokenPc(t) == IF FinalBreak(t) THEN "BreakLayoutsWait" ELSE "BreakLayoutsRelock"

\* The file-system tasks a put that returns the pages S to idle wakes: the
\* dev_pagemap page_free callback (fsdax_pagefree / generic_dax_pagefree), or
\* from 5.19 __put_devmap_managed_page_refs, calls wake_up_var(&page->_refcount);
\* Design2025: free_zone_device_folio calls wake_up_var(&folio->page).
WakeIdleSet(S, path) ==
    IF ~WakesOnIdle(path) THEN fpc
    ELSE [t \in FsTasks |->
            IF fpc[t] = "sleep" /\ fbusy[t] \in S THEN WokenPc(t) ELSE fpc[t]]
WakeIdle(b, path) == WakeIdleSet({b}, path)

\* folio_mapcount under Design2025: the PTEs mapping page b (vmf_insert_page_mkwrite
\* -> folio_add_file_rmap_pte).  At most one here: one mm, one VMA per file,
\* and a block is at one (file, offset) at a time (MappingMatchesEntries,
\* EntriesMatchExtents), so it is derived from pte rather than stored.
MapCount(b) == IF \E f \in Files, o \in Offsets : pte[f][o] = b THEN 1 ELSE 0

\* dax_busy_page: the page has references beyond idle.  Design2025:
\* folio_ref_count(folio) - folio_mapcount(folio) > 0, i.e. references
\* other than the PTEs' (d5b3afea22a5 / 38607c62b34b); 2018: page_ref_count > 1.
PageBusy(b) ==
    IF Design2025 THEN refcount[b] - MapCount(b) > 0 ELSE refcount[b] > IdleRef

\* The pages a zap of f's offsets R unmaps.  Design2025: each PTE cleared
\* drops its page's reference (zap_present_ptes -> mmu_gather ->
\* folios_put_refs, before unmap_mapping_pages / munmap returns), and a page
\* that reaches 0 wakes its waiters through free_zone_device_folio.  In the
\* 2018 design a PTE holds no reference: a zap changes no refcount.
Zapped(f, R) == {pte[f][o] : o \in R} \ {None}
ZapRefcount(f, R) ==
    IF Design2025
      THEN [b \in Blocks |-> IF b \in Zapped(f, R) THEN refcount[b] - 1 ELSE refcount[b]]
      ELSE refcount
ZapWake(f, R) ==
    IF Design2025
      THEN WakeIdleSet({b \in Zapped(f, R) : refcount[b] - 1 = IdleRef}, "zap")
      ELSE fpc

\* Where the layout break goes once nothing is busy: in the 2018 design to
\* truncate's own unmap and deletion (TruncateUnmap); Design2025's
\* dax_break_layout first deletes the file's entries itself
\* (dax_delete_mapping_range over dax_break_layout_inode's whole file, or
\* dax_break_layout_final's), from offset 0.
BrokenNext == IF Design2025 THEN "BreakLayoutsDelete" ELSE "TruncateUnmap"

\* Does truncate's own pass WARN on deleting entry e?  4.18 to 6.14 (TruncWarn):
\* dax_disassociate_entry's WARN_ON_ONCE(trunc && page_ref_count(page) > 1).
\* Design2025: truncate_folio_batch_exceptionals' WARN_ON_ONCE(1) on any DAX
\* entry still there (dax_break_layout should have deleted them all).
TruncPassWarns(e) ==
    /\ e # None
    /\ \/ (Feature("TruncWarn") /\ refcount[e] > 1)
       \/ Design2025

\* Drop one reference through a put path; when the page returns to idle, wake waiters.
PutPage(b, path) ==
    /\ refcount' = [refcount EXCEPT ![b] = @ - 1]
    /\ fpc' = IF refcount[b] - 1 = IdleRef THEN WakeIdle(b, path) ELSE fpc

\* The last offset whose entry an operation deletes (truncate_pagecache_range):
\* collapse and insert range invalidate everything from their start to EOF,
\* since the extents beyond the range move; punch hole and zero range only
\* their range.
DeleteHi(op) == IF op.op \in {"PunchHole", "ZeroRange"} THEN op.hi ELSE MaxOff

\* Offsets whose blocks an operation frees (insert range frees none).
FreeRange(op) ==
    IF op.op \in {"Truncate", "Evict"} THEN op.lo .. MaxOff
    ELSE IF op.op = "InsertRange" THEN {}
    ELSE op.lo .. op.hi

\* ext4's zero range (ext4_zero_range): blocks keep their offsets.
InPlaceZero(op) == op.op = "ZeroRange" /\ Feature("ZeroRangeInPlace")

\* Slow GUP holds the mm's mmap_lock (read) from the VMA lookup to the pin:
\* munmap waits for it.
SlowGupPcs == {"FaultLockShared", "FaultGrabEntry", "FaultAllocBlock",
               "FaultInsertEntry", "FaultInstallPte", "FaultUnlockEntry",
               "FaultUnlockShared", "GupSlowPin"}

(***************************************************************************)
(* GUP-fast (mm/gup.c: get_user_pages_fast -> gup_pte_range), lockless.    *)
(***************************************************************************)

\* Read the PTE of a file the mm maps.  A present PTE leads to a speculative
\* reference; none falls back to slow GUP, which faults.  Starting a GUP uses
\* the budget.  A FOLL_LONGTERM GUP is refused before anything changes, so
\* it is not modelled (AdmittedLongterm).
GupFastReadPte(u, f, o) ==
    /\ upc[u] = "idle"
    /\ gupsLeft > 0
    /\ vma[f]
    /\ gupsLeft' = gupsLeft - 1
    /\ uat' = [uat EXCEPT ![u] = <<f, o>>]
    /\ \E lt \in AdmittedLongterm : ulong' = [ulong EXCEPT ![u] = lt]
    /\ IF pte[f][o] # None
         THEN /\ upc' = [upc EXCEPT ![u] = "GupFastGetRef"]
              /\ uref' = [uref EXCEPT ![u] = pte[f][o]]
         ELSE /\ upc' = [upc EXCEPT ![u] = "FaultLockShared"]
              /\ UNCHANGED uref
    /\ UNCHANGED <<pageVars, lockVars, fsVars, syncVars, mmVars, warned>>

\* After a failed GUP-fast: fall back to slow GUP, which faults, or fails
\* with -EFAULT if the VMA is gone.
GupFastFallBack(u) ==
    /\ uref' = [uref EXCEPT ![u] = None]
    /\ IF vma[UFile(u)]
         THEN /\ upc' = [upc EXCEPT ![u] = "FaultLockShared"]
              /\ UNCHANGED uat
         ELSE /\ upc' = [upc EXCEPT ![u] = "idle"]
              /\ uat' = [uat EXCEPT ![u] = NoTarget]

\* try_grab_page: take a speculative reference on the page the PTE named.
\* Design2025: try_grab_folio_fast -> folio_try_get fails on a folio whose
\* refcount is 0 -- the PTE's own reference is gone, so the PTE was zapped
\* since it was read -- and GUP-fast falls back to slow GUP without one.  (In
\* the 2018 design the reference is always taken; the re-check then fails.)
GupFastGetRef(u) ==
    /\ upc[u] = "GupFastGetRef"
    /\ IF Design2025 /\ refcount[uref[u]] = 0
         THEN /\ GupFastFallBack(u)
              /\ UNCHANGED refcount
         ELSE /\ refcount' = [refcount EXCEPT ![uref[u]] = @ + 1]
              /\ upc' = [upc EXCEPT ![u] = "GupFastRecheck"]
              /\ UNCHANGED <<uat, uref>>
    /\ UNCHANGED <<extent, free, entry, locked, pte, mapping, lockVars,
                   gupsLeft, ulong, fsVars, syncVars, mmVars, warned>>

\* Re-read the PTE (pte_val(pte) != pte_val(*ptep)).  Unchanged: the page is
\* pinned and DMA may start.  Changed (unmap_mapping_range or munmap ran):
\* drop the reference (put_page in 4.18, gup_put_folio from 5.18) and fall
\* back to slow GUP, which fails with -EFAULT if the VMA is gone.
\* (Variant point: RecheckPasses.)
GupFastRecheck(u) ==
    /\ upc[u] = "GupFastRecheck"
    /\ IF RecheckPasses(u)
         THEN /\ upc' = [upc EXCEPT ![u] = "DmaComplete"]
              /\ UNCHANGED <<refcount, uref, uat, fpc>>
         ELSE /\ PutPage(uref[u], "gup_put_folio")
              /\ GupFastFallBack(u)
    /\ UNCHANGED <<extent, free, entry, locked, pte, mapping, lockVars,
                   gupsLeft, ulong, fop, fscan, fbusy, fslept, syncVars, mmVars, warned>>

(***************************************************************************)
(* DAX fault (fs/dax.c: dax_iomap_pte_fault, called from xfs_filemap_fault *)
(* / ext4_dax_fault with the mmap lock held shared), the first half of     *)
(* slow GUP (which holds the mm's mmap_lock, so the VMA stays).            *)
(***************************************************************************)

\* xfs_ilock(XFS_MMAPLOCK_SHARED) / down_read(i_mmap_sem): blocks while a
\* truncate or fallocate holds the lock exclusive.
FaultLockShared(u) ==
    /\ upc[u] = "FaultLockShared"
    /\ mmapExcl[UFile(u)] = None
    /\ mmapShared' = [mmapShared EXCEPT ![UFile(u)] = @ \cup {u}]
    /\ upc' = [upc EXCEPT ![u] = "FaultGrabEntry"]
    /\ UNCHANGED <<pageVars, ioLock, mmapExcl, uat, uref, gupsLeft, ulong, fsVars,
                   syncVars, mmVars, warned>>

\* grab_mapping_entry: lock the entry (an empty locked entry for a hole),
\* waiting while someone else holds it locked.
FaultGrabEntry(u) ==
    /\ upc[u] = "FaultGrabEntry"
    /\ ~locked[UFile(u)][UOff(u)]
    /\ locked' = [locked EXCEPT ![UFile(u)][UOff(u)] = TRUE]
    /\ upc' = [upc EXCEPT ![u] = "FaultAllocBlock"]
    /\ UNCHANGED <<extent, free, entry, pte, refcount, mapping, lockVars,
                   uat, uref, gupsLeft, ulong, fsVars, syncVars, mmVars, warned>>

\* iomap_begin (xfs_bmapi_write / ext4_map_blocks): allocate a block if the
\* offset is a hole.  Any free block will do, including one just freed by a
\* truncate of another file: this is where blocks are reused.
FaultAllocBlock(u) ==
    /\ upc[u] = "FaultAllocBlock"
    /\ LET f == UFile(u)
           o == UOff(u)
       IN
       /\ IF extent[f][o] = None
            THEN \E b \in free :
                    /\ extent' = [extent EXCEPT ![f][o] = b]
                    /\ free' = free \ {b}
            ELSE UNCHANGED <<extent, free>>
       /\ upc' = [upc EXCEPT ![u] = "FaultInsertEntry"]
       /\ UNCHANGED <<entry, locked, pte, refcount, mapping, lockVars,
                      uat, uref, gupsLeft, ulong, fsVars, syncVars, mmVars, warned>>

\* dax_insert_entry -> dax_associate_entry: store the pfn in the entry and
\* set page->mapping/index.  An entry that already holds the pfn is kept.
FaultInsertEntry(u) ==
    /\ upc[u] = "FaultInsertEntry"
    /\ LET f == UFile(u)
           o == UOff(u)
           b == extent[f][o]
       IN
       /\ IF entry[f][o] = None
            THEN /\ entry' = [entry EXCEPT ![f][o] = b]
                 /\ mapping' = [mapping EXCEPT ![b] = <<f, o>>]
            ELSE UNCHANGED <<entry, mapping>>
       /\ upc' = [upc EXCEPT ![u] = "FaultInstallPte"]
       /\ UNCHANGED <<extent, free, locked, pte, refcount, lockVars,
                      uat, uref, gupsLeft, ulong, fsVars, syncVars, mmVars, warned>>

\* vmf_insert_mixed: install the PTE.  Design2025: vmf_insert_page_mkwrite
\* -> insert_page_into_pte_locked takes a reference for the new PTE
\* (folio_get, folio_add_file_rmap_pte); a PTE already there for the same
\* pfn is only made writable, with no new reference.
FaultInstallPte(u) ==
    /\ upc[u] = "FaultInstallPte"
    /\ LET f == UFile(u)
           o == UOff(u)
       IN
       /\ pte' = [pte EXCEPT ![f][o] = entry[f][o]]
       /\ refcount' = IF Design2025 /\ pte[f][o] = None
                        THEN [refcount EXCEPT ![entry[f][o]] = @ + 1]
                        ELSE refcount
       /\ upc' = [upc EXCEPT ![u] = "FaultUnlockEntry"]
       /\ UNCHANGED <<extent, free, entry, locked, mapping, lockVars,
                      uat, uref, gupsLeft, ulong, fsVars, syncVars, mmVars, warned>>

\* dax_unlock_entry: unlock the entry and wake its waiters.
FaultUnlockEntry(u) ==
    /\ upc[u] = "FaultUnlockEntry"
    /\ locked' = [locked EXCEPT ![UFile(u)][UOff(u)] = FALSE]
    /\ upc' = [upc EXCEPT ![u] = "FaultUnlockShared"]
    /\ UNCHANGED <<extent, free, entry, pte, refcount, mapping, lockVars,
                   uat, uref, gupsLeft, ulong, fsVars, syncVars, mmVars, warned>>

\* xfs_iunlock(XFS_MMAPLOCK_SHARED): the fault returns.
FaultUnlockShared(u) ==
    /\ upc[u] = "FaultUnlockShared"
    /\ mmapShared' = [mmapShared EXCEPT ![UFile(u)] = @ \ {u}]
    /\ upc' = [upc EXCEPT ![u] = "GupSlowPin"]
    /\ UNCHANGED <<pageVars, ioLock, mmapExcl, uat, uref, gupsLeft, ulong, fsVars,
                   syncVars, mmVars, warned>>

(***************************************************************************)
(* Slow GUP (__get_user_pages -> follow_page_pte): after the fault, take   *)
(* the reference under the page-table lock, through the PTE.               *)
(***************************************************************************)

\* follow_page_pte + try_grab_page under the PTL.  The PTE may have been
\* zapped since the fault returned: then fault again.
GupSlowPin(u) ==
    /\ upc[u] = "GupSlowPin"
    /\ LET p == pte[UFile(u)][UOff(u)]
       IN
       /\ IF p # None
            THEN /\ refcount' = [refcount EXCEPT ![p] = @ + 1]
                 /\ uref' = [uref EXCEPT ![u] = p]
                 /\ upc' = [upc EXCEPT ![u] = "DmaComplete"]
            ELSE /\ upc' = [upc EXCEPT ![u] = "FaultLockShared"]
                 /\ UNCHANGED <<refcount, uref>>
       /\ UNCHANGED <<extent, free, entry, locked, pte, mapping, lockVars,
                      uat, gupsLeft, ulong, fsVars, syncVars, mmVars, warned>>

(***************************************************************************)
(* DMA.  While the user holds its pin the device may write into the page   *)
(* at any moment; completion drops the pin through one of the put paths    *)
(* (put_page, unpin_user_page -> gup_put_folio, release_pages), which on   *)
(* return to idle should wake the waiters (wake_up_var).  A FOLL_LONGTERM  *)
(* pin never completes.                                                    *)
(***************************************************************************)
DmaComplete(u, path) ==
    /\ upc[u] = "DmaComplete"
    /\ ~ulong[u]
    /\ PutPage(uref[u], path)
    /\ upc' = [upc EXCEPT ![u] = "idle"]
    /\ uat' = [uat EXCEPT ![u] = NoTarget]
    /\ uref' = [uref EXCEPT ![u] = None]
    /\ UNCHANGED <<extent, free, entry, locked, pte, mapping, lockVars,
                   gupsLeft, ulong, fop, fscan, fbusy, fslept, syncVars, mmVars, warned>>

(***************************************************************************)
(* The mm (mm/mmap.c: munmap -> unmap_region -> zap_page_range; mmap), by  *)
(* any thread of the one process; enabled by Feature("Munmap").  munmap    *)
(* takes the mm's mmap_lock for write, so it waits for slow GUPs on the    *)
(* file; a pin taken before outlives it.                                   *)
(***************************************************************************)
Munmap(f) ==
    /\ Feature("Munmap")
    /\ vma[f]
    /\ \A u \in Users : upc[u] \in SlowGupPcs => UFile(u) # f
    /\ vma' = [vma EXCEPT ![f] = FALSE]
    /\ pte' = [pte EXCEPT ![f] = [o \in Offsets |-> None]]
    /\ refcount' = ZapRefcount(f, Offsets)
    /\ fpc' = ZapWake(f, Offsets)
    /\ UNCHANGED <<extent, free, entry, locked, mapping, lockVars,
                   userVars, fop, fscan, fbusy, fslept, syncVars, gone, warned>>

\* mmap the file again (not once it is being evicted: that needs an open file).
Mmap(f) ==
    /\ Feature("Munmap")
    /\ ~vma[f]
    /\ ~gone[f]
    /\ vma' = [vma EXCEPT ![f] = TRUE]
    /\ UNCHANGED <<pageVars, lockVars, userVars, fsVars, syncVars, gone, warned>>

(***************************************************************************)
(* Writeback (fs/dax.c: dax_writeback_one): locks an entry to flush its    *)
(* page, without any inode lock -- which is why the busy scan and the      *)
(* deletion must wait on locked entries rather than skip them.             *)
(***************************************************************************)
WritebackLockEntry(s, f, o) ==
    /\ spc[s] = "idle"
    /\ entry[f][o] # None
    /\ ~locked[f][o]
    /\ locked' = [locked EXCEPT ![f][o] = TRUE]
    /\ spc' = [spc EXCEPT ![s] = "WritebackUnlockEntry"]
    /\ sat' = [sat EXCEPT ![s] = <<f, o>>]
    /\ UNCHANGED <<extent, free, entry, pte, refcount, mapping, lockVars,
                   userVars, fsVars, mmVars, warned>>

WritebackUnlockEntry(s) ==
    /\ spc[s] = "WritebackUnlockEntry"
    /\ locked' = [locked EXCEPT ![sat[s][1]][sat[s][2]] = FALSE]
    /\ spc' = [spc EXCEPT ![s] = "idle"]
    /\ sat' = [sat EXCEPT ![s] = NoTarget]
    /\ UNCHANGED <<extent, free, entry, pte, refcount, mapping, lockVars,
                   userVars, fsVars, mmVars, warned>>

(***************************************************************************)
(* File-system operations: xfs_setattr_size (truncate), xfs_file_fallocate *)
(* (punch hole, collapse, zero and insert range: all modes break layouts   *)
(* first), and inode eviction (xfs_fs_evict_inode / ext4_evict_inode ->    *)
(* truncate_inode_pages_final).  ext4_setattr, ext4_punch_hole,            *)
(* ext4_collapse_range and ext4_insert_range follow the same steps;        *)
(* ext4_zero_range keeps the range's blocks (Feature ZeroRangeInPlace).    *)
(***************************************************************************)

\* The operations a task may start on file f.
OpsOn(f) ==
    {[op |-> "Truncate", file |-> f, lo |-> lo, hi |-> MaxOff] :
        lo \in Offsets} \cup
    {[op |-> "Evict", file |-> f, lo |-> 0, hi |-> MaxOff]} \cup
    {[op |-> x, file |-> f, lo |-> lo, hi |-> hi] :
        x \in {"PunchHole", "CollapseRange", "ZeroRange", "InsertRange"},
        lo \in Offsets, hi \in Offsets}

ValidOp(op) ==
    /\ op.op \in FsOps
    /\ op.lo <= op.hi
    \* collapse range may not reach EOF, insert range must start before it (-EINVAL)
    /\ op.op \in {"CollapseRange", "InsertRange"} => op.hi < MaxOff

\* xfs_ilock(XFS_IOLOCK_EXCL): the syscall starts.  Eviction starts when the
\* last reference to an unlinked inode is dropped, which needs no VMA (and no
\* open file, so no other operation on it): it marks the inode I_FREEING.
\* Eviction takes no inode locks; in the 2018 design it holds them here,
\* which nobody else can want any more, so that it can share the steps below.
\* Design2025: xfs_fs_evict_inode -> dax_break_layout_final, with no lock
\* (FinalBreak), straight into the break.
FsLockIo(t, op) ==
    /\ fpc[t] = "idle"
    /\ ValidOp(op)
    /\ ~gone[op.file]
    /\ ioLock[op.file] = None
    /\ op.op = "Evict" => ~vma[op.file]
    /\ LET final == Design2025 /\ op.op = "Evict"
       IN
       /\ ioLock' = IF final THEN ioLock ELSE [ioLock EXCEPT ![op.file] = t]
       /\ fpc' = [fpc EXCEPT ![t] =
                    IF ~final THEN "FsLockMmap"
                    ELSE IF Breaks(op) THEN BreakStart ELSE "TruncateUnmap"]
    /\ fop' = [fop EXCEPT ![t] = op]
    /\ gone' = IF op.op = "Evict" THEN [gone EXCEPT ![op.file] = TRUE] ELSE gone
    /\ UNCHANGED <<pageVars, mmapExcl, mmapShared, userVars, fscan, fbusy, fslept,
                   syncVars, vma, warned>>

\* xfs_ilock(XFS_MMAPLOCK_EXCL): waits for faults in progress to finish and
\* keeps new ones out.  Then xfs_break_layouts (eviction from 6.15:
\* dax_break_layout_final), unless this path skips it.
FsLockMmap(t) ==
    /\ fpc[t] = "FsLockMmap"
    /\ LET f == fop[t].file
       IN
       /\ mmapExcl[f] = None
       /\ mmapShared[f] = {}
       /\ mmapExcl' = [mmapExcl EXCEPT ![f] = t]
       /\ fpc' = [fpc EXCEPT ![t] = IF Breaks(fop[t]) THEN BreakStart ELSE "TruncateUnmap"]
       /\ fscan' = [fscan EXCEPT ![t] = 0]
       /\ UNCHANGED <<pageVars, ioLock, mmapShared, userVars, fop, fbusy, fslept,
                      syncVars, mmVars, warned>>

(***************************************************************************)
(* Breaking layouts (fs/xfs/xfs_file.c: xfs_break_layouts ->               *)
(* xfs_break_dax_layouts; fs/ext4/inode.c: ext4_break_layouts; fs/dax.c:   *)
(* dax_layout_busy_page; 6.15: dax_break_layout, dax_break_layout_final).  *)
(***************************************************************************)

\* dax_layout_busy_page, first half: unmap_mapping_range(mapping, 0, 0, 0),
\* so that a GUP-fast racing with us fails its re-check and faults, which
\* blocks on our lock.  Then the scan (variant points: ScanAfterUnmap,
\* BusyScanRuns).
\* (Design2025: dax_layout_busy_page_range's unmap_mapping_pages; the zap
\* drops the PTEs' references.)
BreakLayoutsUnmap(t) ==
    /\ fpc[t] = "BreakLayoutsUnmap"
    /\ LET f == fop[t].file
       IN
       /\ pte' = [pte EXCEPT ![f] = [o \in Offsets |-> None]]
       /\ refcount' = ZapRefcount(f, Offsets)
       /\ fpc' = [ZapWake(f, Offsets) EXCEPT ![t] =
                    IF ScanAfterUnmap /\ BusyScanRuns(f)
                    THEN "BreakLayoutsScan" ELSE BrokenNext]
       /\ fscan' = [fscan EXCEPT ![t] = 0]
       /\ UNCHANGED <<extent, free, entry, locked, mapping, lockVars,
                      userVars, fop, fbusy, fslept, syncVars, mmVars, warned>>

\* The busy scan moves past offset fscan[t]: to the next offset, or, after
\* the last, out of the scan (fscan from 0 again for Design2025's deletion).
ScanNext(t) ==
    IF fscan[t] = MaxOff
      THEN /\ fpc' = [fpc EXCEPT ![t] =
                         IF ScanAfterUnmap THEN BrokenNext ELSE "BreakLayoutsUnmap"]
           /\ fscan' = [fscan EXCEPT ![t] = IF Design2025 THEN 0 ELSE fscan[t]]
      ELSE /\ fscan' = [fscan EXCEPT ![t] = fscan[t] + 1]
           /\ UNCHANGED fpc

\* dax_layout_busy_page, second half, one entry at a time:
\* get_unlocked_entry waits while the entry is locked; dax_busy_page returns
\* the page if it is busy (PageBusy).  A full scan without a busy page
\* means layouts are broken.  (Variant point: ScanWaitsOnLocked; only without
\* it can the entry be locked here, and a locked entry is passed untested.
\* Design2025, variant point ScanTestsWaitedEntry: without it the wait on a
\* locked entry pauses the iterator, BreakLayoutsScanPaused.)
BreakLayoutsScan(t) ==
    /\ fpc[t] = "BreakLayoutsScan"
    /\ LET f == fop[t].file
           o == fscan[t]
           e == entry[f][o]
       IN
       /\ (ScanWaitsOnLocked /\ ScanTestsWaitedEntry) => ~locked[f][o]
       /\ IF locked[f][o] /\ ~ScanTestsWaitedEntry
            THEN /\ fpc' = [fpc EXCEPT ![t] = "BreakLayoutsScanPaused"]
                 /\ UNCHANGED <<fscan, fbusy>>
            ELSE IF e # None /\ ~locked[f][o] /\ PageBusy(e)
            THEN /\ fpc' = [fpc EXCEPT ![t] = "BreakLayoutsWait"]
                 /\ fbusy' = [fbusy EXCEPT ![t] = e]
                 /\ UNCHANGED fscan
            ELSE /\ ScanNext(t)
                 /\ UNCHANGED fbusy
       /\ UNCHANGED <<pageVars, lockVars, userVars, fop, fslept, syncVars, mmVars, warned>>

\* WaitSkipsEntry (6.15.0), the busy scan's half: asleep in
\* wait_entry_unlocked_exclusive on a locked entry after xas_pause; once the
\* entry is unlocked (dax_unlock_entry's wake), xas_load reads the NEXT index,
\* so the entry waited on is never tested (dd59137bfe70's message).
BreakLayoutsScanPaused(t) ==
    /\ fpc[t] = "BreakLayoutsScanPaused"
    /\ ~locked[fop[t].file][fscan[t]]
    /\ ScanNext(t)
    /\ UNCHANGED <<pageVars, lockVars, userVars, fop, fbusy, fslept, syncVars, mmVars, warned>>

\* ___wait_var_event(&page->_refcount, refcount == idle, ..., xfs_wait_dax_page):
\* prepare_to_wait, then test the condition.  Idle: retry the whole break
\* (retry = true).  Busy: xfs_wait_dax_page drops the mmap lock and sleeps;
\* prepare_to_wait before the test is what makes this atomic with the wake.
\* (Variant point: RestartAfterWait.  Without it a page already idle at the
\* first test ends the loop as if layouts were broken.)  Design2025:
\* dax_break_layout's wait_page_idle, ___wait_var_event(page,
\* dax_page_is_idle(page), TASK_INTERRUPTIBLE, ..., cb) with cb =
\* xfs_wait_dax_page (drops XFS_MMAPLOCK_EXCL, schedule(), retakes it), then
\* the do-while loop scans again; dax_page_is_idle is page_ref_count == 0, so
\* a PTE mapped again while the lock was dropped keeps the page "not idle"
\* until it is zapped.  dax_break_layout_final:
\* wait_page_idle_uninterruptible, schedule() with no lock to drop.
BreakLayoutsWait(t) ==
    /\ fpc[t] = "BreakLayoutsWait"
    /\ LET f == fop[t].file
       IN
       /\ IF refcount[fbusy[t]] = IdleRef
            THEN /\ fpc' = [fpc EXCEPT ![t] =
                                IF RestartAfterWait(t) THEN BreakStart ELSE BrokenNext]
                 /\ fscan' = [fscan EXCEPT ![t] = 0]
                 /\ fslept' = [fslept EXCEPT ![t] = FALSE]
                 /\ UNCHANGED mmapExcl
            ELSE /\ fpc' = [fpc EXCEPT ![t] = "sleep"]
                 /\ mmapExcl' = IF FinalBreak(t) THEN mmapExcl ELSE [mmapExcl EXCEPT ![f] = None]
                 /\ SetRetryOnSleep(t)
                 /\ UNCHANGED fscan
       /\ UNCHANGED <<pageVars, ioLock, mmapShared, userVars, fop, fbusy, syncVars,
                      mmVars, warned>>

\* Woken by wake_up_var (fpc = "BreakLayoutsRelock"):
\* xfs_ilock(XFS_MMAPLOCK_EXCL) again, then test the condition again.
\* (Design2025's final break has no lock to retake: WokenPc.)
BreakLayoutsRelock(t) ==
    /\ fpc[t] = "BreakLayoutsRelock"
    /\ LET f == fop[t].file
       IN
       /\ mmapExcl[f] = None
       /\ mmapShared[f] = {}
       /\ mmapExcl' = [mmapExcl EXCEPT ![f] = t]
       /\ fpc' = [fpc EXCEPT ![t] = "BreakLayoutsWait"]
       /\ UNCHANGED <<pageVars, ioLock, mmapShared, userVars, fop, fscan, fbusy,
                      fslept, syncVars, mmVars, warned>>

\* Design2025: dax_delete_mapping_range, called by dax_break_layout (over
\* the whole file: XFS's dax_break_layout_inode) or dax_break_layout_final
\* once a full scan found nothing busy, one entry per step: xas_for_each,
\* wait_entry_unlocked_exclusive on a locked entry (variant point
\* DeleteTakesWaitedEntry), dax_disassociate_entry (dax_folio_put clears
\* folio->mapping; the entry holds no reference), xas_store(NULL).  Then
\* truncate's own unmap and pass (TruncateUnmap, DeleteEntry), which should
\* find no entry.
DeleteNext(t) ==
    IF fscan[t] = MaxOff
      THEN /\ fpc' = [fpc EXCEPT ![t] = "TruncateUnmap"]
           /\ UNCHANGED fscan
      ELSE /\ fscan' = [fscan EXCEPT ![t] = fscan[t] + 1]
           /\ UNCHANGED fpc

BreakLayoutsDelete(t) ==
    /\ fpc[t] = "BreakLayoutsDelete"
    /\ LET f == fop[t].file
           o == fscan[t]
           e == entry[f][o]
       IN
       /\ DeleteTakesWaitedEntry => ~locked[f][o]
       /\ IF locked[f][o]
            THEN /\ fpc' = [fpc EXCEPT ![t] = "BreakLayoutsDeletePaused"]
                 /\ UNCHANGED <<entry, mapping, fscan>>
            ELSE /\ entry' = [entry EXCEPT ![f][o] = None]
                 /\ mapping' = IF e # None THEN [mapping EXCEPT ![e] = NoTarget] ELSE mapping
                 /\ DeleteNext(t)
       /\ UNCHANGED <<extent, free, locked, pte, refcount, lockVars, userVars,
                      fop, fbusy, fslept, syncVars, mmVars, warned>>

\* WaitSkipsEntry (6.15.0) / DeleteWaitSkipsEntry, the deletion's half:
\* asleep on a locked entry after xas_pause; once it is unlocked the
\* iterator is at the next index, so the entry waited on stays, for
\* truncate's pass to WARN about and delete (dd59137bfe70's message: the
\* WARN at mm/truncate.c:89, truncate_folio_batch_exceptionals).
BreakLayoutsDeletePaused(t) ==
    /\ fpc[t] = "BreakLayoutsDeletePaused"
    /\ ~locked[fop[t].file][fscan[t]]
    /\ DeleteNext(t)
    /\ UNCHANGED <<pageVars, lockVars, userVars, fop, fbusy, fslept, syncVars, mmVars, warned>>

\* truncate_pagecache_range, first half: unmap_mapping_range over the range
\* to be deleted.  (Eviction's truncate_inode_pages_final has no mapping to
\* unmap; the step changes nothing there.)  Design2025: the zap drops the
\* PTEs' references (after a layout break there are none left to zap).
TruncateUnmap(t) ==
    /\ fpc[t] = "TruncateUnmap"
    /\ LET f == fop[t].file
           op == fop[t]
           R == op.lo .. DeleteHi(op)
       IN
       /\ pte' = [pte EXCEPT ![f] = [o \in Offsets |->
                     IF o \in R THEN None ELSE pte[f][o]]]
       /\ refcount' = ZapRefcount(f, R)
       /\ fpc' = [ZapWake(f, R) EXCEPT ![t] = "DeleteEntry"]
       /\ fscan' = [fscan EXCEPT ![t] = op.lo]
       /\ UNCHANGED <<extent, free, entry, locked, mapping, lockVars,
                      userVars, fop, fbusy, fslept, syncVars, mmVars, warned>>

\* truncate_inode_pages_range -> truncate_exceptional_pvec_entries (from 6.1
\* truncate_folio_batch_exceptionals) -> dax_delete_mapping_entry, one entry
\* at a time: get_unlocked_entry waits while the entry is locked, then
\* dax_disassociate_entry clears page->mapping -- with
\* WARN_ON_ONCE(trunc && page_ref_count(page) > 1) until 6.14, which counts
\* any reference, a GUP-fast's speculative one included -- and the entry is
\* erased.  Design2025: truncate_folio_batch_exceptionals WARNs
\* (WARN_ON_ONCE(1)) on any DAX entry it still finds, then deletes it
\* (TruncPassWarns).
DeleteEntry(t) ==
    /\ fpc[t] = "DeleteEntry"
    /\ LET f == fop[t].file
           o == fscan[t]
           e == entry[f][o]
       IN
       /\ ~locked[f][o]
       /\ entry' = [entry EXCEPT ![f][o] = None]
       /\ mapping' = IF e # None THEN [mapping EXCEPT ![e] = NoTarget] ELSE mapping
       /\ warned' = (warned \/ TruncPassWarns(e))
       /\ IF o = DeleteHi(fop[t])
            THEN IF InPlaceZero(fop[t])
                 \* ext4_zero_range frees nothing: straight to ext4_alloc_file_blocks
                 THEN /\ fpc' = [fpc EXCEPT ![t] = "FsPrealloc"]
                      /\ fscan' = [fscan EXCEPT ![t] = fop[t].lo]
                 ELSE /\ fpc' = [fpc EXCEPT ![t] = "FreeBlocks"]
                      /\ UNCHANGED fscan
            ELSE /\ fscan' = [fscan EXCEPT ![t] = o + 1]
                 /\ UNCHANGED fpc
       /\ UNCHANGED <<extent, free, locked, pte, refcount, lockVars, userVars,
                      fop, fbusy, fslept, syncVars, mmVars>>

\* xfs_itruncate_extents / xfs_free_file_space / xfs_collapse_file_space /
\* xfs_insert_file_space: return the range's blocks to the allocator;
\* collapse range then shifts the extents beyond the range down, insert range
\* shifts the extents from its start up, leaving a hole
\* (xfs_shift_file_space).  An insert whose shifted extents would pass the
\* last modelled offset fails (-EFBIG, the model having no offset there) and
\* changes nothing.  Zero range (xfs_zero_file_space) is a punch followed by
\* preallocation of the range.
FreeBlocks(t) ==
    /\ fpc[t] = "FreeBlocks"
    /\ LET f == fop[t].file
           op == fop[t]
           R == FreeRange(op)
           len == op.hi - op.lo + 1
           freed == {extent[f][o] : o \in R} \ {None}
           kept == [o \in Offsets |-> IF o \in R THEN None ELSE extent[f][o]]
           down == [o \in Offsets |->
                      IF o < op.lo THEN extent[f][o]
                      ELSE IF o + len <= MaxOff THEN extent[f][o + len]
                      ELSE None]
           up == [o \in Offsets |->
                    IF o < op.lo THEN extent[f][o]
                    ELSE IF o <= op.hi THEN None
                    ELSE extent[f][o - len]]
           roomUp == \A o \in Offsets : o + len > MaxOff => extent[f][o] = None
       IN
       /\ extent' = [extent EXCEPT ![f] =
                       IF op.op = "CollapseRange" THEN down
                       ELSE IF op.op = "InsertRange" THEN (IF roomUp THEN up ELSE extent[f])
                       ELSE kept]
       /\ free' = free \cup freed
       /\ fpc' = [fpc EXCEPT ![t] = IF op.op = "ZeroRange" THEN "FsPrealloc" ELSE "FsUnlock"]
       /\ fscan' = IF op.op = "ZeroRange" THEN [fscan EXCEPT ![t] = op.lo] ELSE fscan
       /\ UNCHANGED <<entry, locked, pte, refcount, mapping, lockVars, userVars,
                      fop, fbusy, fslept, syncVars, mmVars, warned>>

\* xfs_alloc_file_space (zero range, second half): allocate (unwritten)
\* blocks for the range, one offset at a time.  A block just freed, here or
\* by another file, may come back.  ext4_alloc_file_blocks
\* (ZeroRangeInPlace): an offset that has a block keeps it (converted to
\* unwritten, which the model does not tell apart); a hole gets one.  Under
\* XFS every offset of the range is a hole here (FreeBlocks emptied it, and
\* the held mmap lock keeps faults out), so its steps are as before.
FsPrealloc(t) ==
    /\ fpc[t] = "FsPrealloc"
    /\ LET f == fop[t].file
           o == fscan[t]
       IN
       /\ IF extent[f][o] # None
            THEN UNCHANGED <<extent, free>>
            ELSE \E b \in free :
                   /\ extent' = [extent EXCEPT ![f][o] = b]
                   /\ free' = free \ {b}
       /\ IF o = fop[t].hi
            THEN /\ fpc' = [fpc EXCEPT ![t] = "FsUnlock"]
                 /\ UNCHANGED fscan
            ELSE /\ fscan' = [fscan EXCEPT ![t] = o + 1]
                 /\ UNCHANGED fpc
       /\ UNCHANGED <<entry, locked, pte, refcount, mapping, lockVars, userVars,
                      fop, fbusy, fslept, syncVars, mmVars, warned>>

\* xfs_iunlock(XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL): the syscall returns
\* (eviction: clear_inode; the file stays gone).
FsUnlock(t) ==
    /\ fpc[t] = "FsUnlock"
    /\ LET f == fop[t].file
       IN
       /\ ioLock' = [ioLock EXCEPT ![f] = None]
       /\ mmapExcl' = [mmapExcl EXCEPT ![f] = None]
       /\ fpc' = [fpc EXCEPT ![t] = "idle"]
       /\ fop' = [fop EXCEPT ![t] = NoOp]
       /\ fbusy' = [fbusy EXCEPT ![t] = None]
       /\ fscan' = [fscan EXCEPT ![t] = 0]
       /\ UNCHANGED <<pageVars, mmapShared, userVars, fslept, syncVars, mmVars, warned>>

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
    \/ \E path \in PutPaths : DmaComplete(u, path)

MmNext(f) ==
    \/ Munmap(f)
    \/ Mmap(f)

FsNext(t) ==
    \/ \E f \in Files : \E op \in OpsOn(f) : FsLockIo(t, op)
    \/ FsLockMmap(t)
    \/ BreakLayoutsUnmap(t)
    \/ BreakLayoutsScan(t)
    \/ BreakLayoutsWait(t)
    \/ BreakLayoutsRelock(t)
    \/ BreakLayoutsScanPaused(t)
    \/ BreakLayoutsDelete(t)
    \/ BreakLayoutsDeletePaused(t)
    \/ TruncateUnmap(t)
    \/ DeleteEntry(t)
    \/ FreeBlocks(t)
    \/ FsPrealloc(t)
    \/ FsUnlock(t)

SyncNext(s) ==
    \/ \E f \in Files, o \in Offsets : WritebackLockEntry(s, f, o)
    \/ WritebackUnlockEntry(s)

Next ==
    \/ \E u \in Users : UserNext(u)
    \/ \E f \in Files : MmNext(f)
    \/ \E t \in FsTasks : FsNext(t)
    \/ \E s \in Syncers : SyncNext(s)

\* The fairness the kernel relies on: DMA completes and every task is
\* scheduled (weak fairness); a task that waits for a lock, an entry lock or
\* a wake-up gets it if it is offered again and again (strong fairness).
\* For the inode rwsems the hand-off stops starvation.  The DAX entry lock
\* has no hand-off: an unlock wakes the waiter, which then retries, and a
\* writeback task could in principle re-lock first every time.  Deletion
\* (and the busy scan) waits on one entry at a time, so what FsOpCompletes
\* needs is that a task waiting for an entry that is unlocked again and
\* again eventually gets it -- strong fairness, not the (false) promise that
\* all the entries of the range are ever unlocked at the same moment, which
\* two writeback tasks can deny for ever.  The mm's munmap / mmap need no
\* fairness (they are the environment).
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
Pinned(u) == upc[u] = "DmaComplete"

\* The corruption the series prevents: no DMA ever targets a block that is
\* free or that belongs to another (file, offset) than the one it was pinned
\* through.
NoDmaIntoForeignBlock ==
    \A u \in Users :
        Pinned(u) => /\ uref[u] \notin free
                     /\ extent[UFile(u)][UOff(u)] = uref[u]

\* The protocol's own form of dax_disassociate_entry's check: no entry is
\* deleted while its page is pinned for DMA.  (A speculative GUP-fast
\* reference that will fail its re-check is transient and never DMA'd into,
\* so only pins count here; KernelWarnQuiet is the kernel's reference-based
\* form.)
NoPinnedEntryDeleted ==
    \A u \in Users : Pinned(u) => entry[UFile(u)][UOff(u)] = uref[u]

\* The kernel's own WARN_ON_ONCE(trunc && page_ref_count(page) > 1) in
\* dax_disassociate_entry (4.18 to 6.14, Feature("TruncWarn")) never fires.
\* Reference-based as shipped: it counts GUP-fast's speculative reference, so
\* a GUP-fast that read the PTE before the unmap and takes its reference
\* after the scan passed makes it fire although no DMA will happen: TLC
\* reaches that with Bugs = {} (models/trunc-warn.cfg, 19 states).
\* Design2025: the old WARN is gone; warned is truncate_folio_batch_exceptionals'
\* WARN_ON_ONCE(1), on a DAX entry that dax_break_layout left behind
\* (models/wait-skips-entry-delete.cfg).
KernelWarnQuiet == ~warned

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
FaultPcs == {"FaultGrabEntry", "FaultAllocBlock", "FaultInsertEntry",
             "FaultInstallPte", "FaultUnlockEntry", "FaultUnlockShared"}
LockDiscipline ==
    /\ \A f \in Files : mmapExcl[f] # None => mmapShared[f] = {}
    /\ \A u \in Users :
          upc[u] \in FaultPcs => /\ u \in mmapShared[UFile(u)]
                                 /\ mmapExcl[UFile(u)] = None
    /\ \A t \in FsTasks :
          fpc[t] \in {"BreakLayoutsUnmap", "BreakLayoutsScan", "BreakLayoutsWait",
                      "TruncateUnmap", "DeleteEntry", "FreeBlocks", "FsPrealloc",
                      "FsUnlock", "BreakLayoutsScanPaused", "BreakLayoutsDelete",
                      "BreakLayoutsDeletePaused"} =>
              \* Design2025's eviction (dax_break_layout_final) takes no lock
              IF FinalBreak(t)
                THEN /\ mmapExcl[fop[t].file] # t
                     /\ ioLock[fop[t].file] # t
                ELSE /\ mmapExcl[fop[t].file] = t
                     /\ ioLock[fop[t].file] = t

\* Ghost count: a page's refcount is idle plus the references users hold
\* (speculative GUP-fast references and pins), plus, under Design2025, the
\* PTE mapping it (MapCount).
HoldsRef(u) == upc[u] \in {"GupFastRecheck", "DmaComplete"}
RefcountIsIdlePlusPins ==
    \A b \in Blocks :
        refcount[b] = IdleRef + (IF Design2025 THEN MapCount(b) ELSE 0)
                              + Cardinality({u \in Users : HoldsRef(u) /\ uref[u] = b})

(***************************************************************************)
(* Liveness, under Fairness.                                               *)
(***************************************************************************)

\* Every truncate, fallocate or eviction finishes: no lost wake-up, no
\* deadlock, no pin that never ends.  Needs Fairness as stated there: in
\* particular strong fairness for the entry waits of the busy scan and of
\* the per-entry deletion.
FsOpCompletes == \A t \in FsTasks : (fpc[t] # "idle") ~> (fpc[t] = "idle")

\* A fault blocked behind a truncate eventually proceeds.
FaultProceeds == \A u \in Users : (upc[u] = "FaultLockShared") ~> (upc[u] # "FaultLockShared")

=============================================================================
