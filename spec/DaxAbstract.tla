----------------------------- MODULE DaxAbstract -----------------------------
(***************************************************************************)
(* The promise the fs-dax "DMA vs truncate" protocol keeps, with no locks, *)
(* refcounts, wait queues, entries or page tables: only what a file owns   *)
(* and what DMA is in flight.                                              *)
(*                                                                         *)
(* A file's offsets own blocks (its block map); the other blocks are free. *)
(* A fault gives a hole a free block.  get_user_pages pins the block a     *)
(* mapped offset owns, and a device may DMA into it until the pin ends: a  *)
(* pin is a user, a block and the offset it was pinned through.  A file    *)
(* operation (truncate, punch hole, collapse / zero / insert range,        *)
(* eviction) is requested, and later takes effect in one step: it removes  *)
(* offsets' blocks (freeing them) or moves them to other offsets -- but    *)
(* only while no pin holds a block it frees or moves.                      *)
(*                                                                         *)
(* That guard is the whole of what "dax: fix dma vs truncate/hole-punch"   *)
(* (2018) implements with the mmap lock, the layout break and the          *)
(* page-idle wake-up; spec/DaxDma.tla is one way to implement it, and      *)
(* spec/RefineDaxDma.tla maps DaxDma's states onto this module's.  Its     *)
(* safety (NoDmaIntoForeignBlock) is the corruption the series prevents;   *)
(* its liveness: an operation completes once the pins in its way end,      *)
(* assuming DMA ends (it is transient: no FOLL_LONGTERM pin of an fs-dax   *)
(* page).                                                                  *)
(*                                                                         *)
(* The operations' effects are XFS's (xfs_itruncate_extents,               *)
(* xfs_free_file_space, xfs_collapse_file_space, xfs_insert_file_space,    *)
(* xfs_zero_file_space = free, then preallocate by faults of the range),   *)
(* except zero range where ZeroInPlace: ext4_zero_range converts the       *)
(* range's blocks to unwritten in place (DaxDma's Feature                  *)
(* ZeroRangeInPlace), so it frees and moves nothing, and no pin is in its  *)
(* way (DMA into a block that stays where it was pinned is not foreign).   *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    Files,       \* inodes (model values)
    NumOffsets,  \* page offsets per file: 0 .. NumOffsets-1
    Blocks,      \* persistent-memory blocks (model values)
    Users,       \* threads that pin blocks for DMA
    FsTasks,     \* tasks that run file operations
    FsOps,       \* the file operations they may run
    ZeroInPlace, \* zero range keeps the range's blocks (ext4), or frees them (XFS)
    None         \* "no block", "no file" (a model value)

Offsets == 0 .. (NumOffsets - 1)
MaxOff == NumOffsets - 1

AllFsOps == {"Truncate", "PunchHole", "CollapseRange", "ZeroRange", "InsertRange", "Evict"}

ASSUME /\ FsOps \subseteq AllFsOps
       /\ NumOffsets \in Nat \ {0}
       /\ ZeroInPlace \in BOOLEAN

\* No pin: a user with no DMA in flight.
NoPin == <<>>

\* No operation requested.  The same record as DaxDma's NoOp, so that the
\* refinement mapping passes DaxDma's operations through unchanged.
NoOp == [op |-> "none", file |-> None, lo |-> 0, hi |-> 0]

\* The operations a task may request (DaxDma's OpsOn and ValidOp): a range
\* lo .. hi; truncate and eviction run to the last offset; collapse range
\* may not reach it, insert range must start before it (-EINVAL).
Ops ==
    {op \in [op : FsOps, file : Files, lo : Offsets, hi : Offsets] :
        /\ op.lo <= op.hi
        /\ op.op \in {"Truncate", "Evict"} => op.hi = MaxOff
        /\ op.op = "Evict" => op.lo = 0
        /\ op.op \in {"CollapseRange", "InsertRange"} => op.hi < MaxOff}

VARIABLES
    owner,    \* owner[f][o]: the block offset o of file f owns, or None (a hole)
    free,     \* the blocks no offset owns
    pin,      \* pin[u]: <<f, o, b>>, u's DMA into block b pinned through (f, o), or NoPin
    pending   \* pending[t]: the operation t requested that has not taken effect, or NoOp

vars == <<owner, free, pin, pending>>

\* A pin's triples, spelled as a set of tuples (not Files \X Offsets \X Blocks,
\* which the embedded engine reads as nested pairs).
Pins == {<<f, o, b>> : f \in Files, o \in Offsets, b \in Blocks}

TypeOK ==
    /\ owner \in [Files -> [Offsets -> Blocks \cup {None}]]
    /\ free \subseteq Blocks
    /\ pin \in [Users -> Pins \cup {NoPin}]
    /\ pending \in [FsTasks -> Ops \cup {NoOp}]

Init ==
    /\ owner = [f \in Files |-> [o \in Offsets |-> None]]
    /\ free = Blocks
    /\ pin = [u \in Users |-> NoPin]
    /\ pending = [t \in FsTasks |-> NoOp]

(***************************************************************************)
(* What an operation does to the block map.                                *)
(***************************************************************************)

\* The offsets whose blocks an operation frees: truncate and eviction from
\* lo to the end, punch hole, zero and collapse range their range, insert
\* range and an in-place zero range none.
FreedOffsets(op) ==
    IF op.op \in {"Truncate", "Evict"} THEN op.lo .. MaxOff
    ELSE IF op.op = "InsertRange" \/ (op.op = "ZeroRange" /\ ZeroInPlace) THEN {}
    ELSE op.lo .. op.hi

\* The offsets whose blocks it frees or moves: collapse range shifts the
\* blocks beyond its range down, insert range shifts the blocks from its
\* start up.
TouchedOffsets(op) ==
    IF op.op \in {"CollapseRange", "InsertRange"} THEN op.lo .. MaxOff
    ELSE FreedOffsets(op)

\* The file's block map after the operation.  An insert whose shifted blocks
\* would pass the last offset fails (-EFBIG) and changes nothing.
After(op) ==
    LET m == owner[op.file]
        len == op.hi - op.lo + 1
        roomUp == \A o \in Offsets : o + len > MaxOff => m[o] = None
    IN
    IF op.op = "CollapseRange"
      THEN [o \in Offsets |-> IF o < op.lo THEN m[o]
                              ELSE IF o + len <= MaxOff THEN m[o + len] ELSE None]
    ELSE IF op.op = "InsertRange"
      THEN IF roomUp
             THEN [o \in Offsets |-> IF o < op.lo THEN m[o]
                                     ELSE IF o <= op.hi THEN None ELSE m[o - len]]
             ELSE m
    ELSE [o \in Offsets |-> IF o \in FreedOffsets(op) THEN None ELSE m[o]]

\* The blocks the operation frees or moves.
Touched(op) == {owner[op.file][o] : o \in TouchedOffsets(op)} \ {None}

\* The users whose pins are in the operation's way.
InTheWay(op) == {u \in Users : pin[u] # NoPin /\ pin[u][3] \in Touched(op)}

(***************************************************************************)
(* Actions.                                                                *)
(***************************************************************************)

\* A fault (or zero range's preallocation) gives a hole a free block.
Fault(f, o, b) ==
    /\ owner[f][o] = None
    /\ b \in free
    /\ owner' = [owner EXCEPT ![f][o] = b]
    /\ free' = free \ {b}
    /\ UNCHANGED <<pin, pending>>

\* get_user_pages pins the block a mapped offset owns; DMA into it starts.
Gup(u, f, o) ==
    /\ pin[u] = NoPin
    /\ owner[f][o] # None
    /\ pin' = [pin EXCEPT ![u] = <<f, o, owner[f][o]>>]
    /\ UNCHANGED <<owner, free, pending>>

\* DMA completes; the pin ends.
EndDma(u) ==
    /\ pin[u] # NoPin
    /\ pin' = [pin EXCEPT ![u] = NoPin]
    /\ UNCHANGED <<owner, free, pending>>

\* A file operation is requested (the syscall, or the inode's last put).
Request(t, op) ==
    /\ pending[t] = NoOp
    /\ op \in Ops
    /\ pending' = [pending EXCEPT ![t] = op]
    /\ UNCHANGED <<owner, free, pin>>

\* The operation takes effect, only while no pin holds a block it frees or
\* moves: the freed blocks return to the allocator.
Apply(t) ==
    /\ pending[t] # NoOp
    /\ LET op == pending[t]
       IN
       /\ InTheWay(op) = {}
       /\ owner' = [owner EXCEPT ![op.file] = After(op)]
       /\ free' = free \cup (Touched(op) \ {After(op)[o] : o \in Offsets})
       /\ pending' = [pending EXCEPT ![t] = NoOp]
       /\ UNCHANGED pin

Next ==
    \/ \E f \in Files, o \in Offsets, b \in Blocks : Fault(f, o, b)
    \/ \E u \in Users, f \in Files, o \in Offsets : Gup(u, f, o)
    \/ \E u \in Users : EndDma(u)
    \/ \E t \in FsTasks, op \in Ops : Request(t, op)
    \/ \E t \in FsTasks : Apply(t)

\* DMA is transient (weak fairness: a pin ends); an operation that is
\* possible again and again takes effect (strong fairness: pins may come and
\* go before it).  Faults, pins and requests are the environment's.
Fairness ==
    /\ \A u \in Users : WF_vars(EndDma(u))
    /\ \A t \in FsTasks : SF_vars(Apply(t))

SafetySpec == Init /\ [][Next]_vars
Spec == SafetySpec /\ Fairness

(***************************************************************************)
(* Properties.                                                             *)
(***************************************************************************)

\* No DMA into a block that no longer belongs to the offset it was pinned
\* through (freed, or reallocated to another file or offset).
NoDmaIntoForeignBlock ==
    \A u \in Users : pin[u] # NoPin => owner[pin[u][1]][pin[u][2]] = pin[u][3]

\* Every block is owned by at most one offset, exactly when it is not free.
BlocksOwnedOnce ==
    /\ \A f \in Files, o \in Offsets : owner[f][o] # None => owner[f][o] \notin free
    /\ \A f, g \in Files, o, p \in Offsets :
          owner[f][o] # None /\ owner[f][o] = owner[g][p] => <<f, o>> = <<g, p>>

\* No pin stands in t's way.
Clear(t) == pending[t] = NoOp \/ InTheWay(pending[t]) = {}

\* An operation completes once the pins in its way end: if it is clear of
\* pins again and again, it takes effect.  (With several users whose pins
\* may overlap for ever, that is all the promise can say.)
OpCompletesOnceClear ==
    \A t \in FsTasks : []<>Clear(t) => ((pending[t] # NoOp) ~> (pending[t] = NoOp))

\* With one user, or any users whose GUPs are bounded: every operation completes.
OpCompletes == \A t \in FsTasks : (pending[t] # NoOp) ~> (pending[t] = NoOp)
=============================================================================
