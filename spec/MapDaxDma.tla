------------------------------- MODULE MapDaxDma -------------------------------
(***************************************************************************)
(* The refinement mapping from DaxDma's states (spec/MCDaxDma.tla) to the  *)
(* promise's (spec/DaxAbstract.tla): one definition per abstract variable, *)
(* explained in spec/RefineDaxDma.tla's header.  RefineDaxDma instantiates *)
(* the promise with it for TLC; conformance/promise/ evaluates it with the *)
(* embedded engine, which cannot read INSTANCE -- hence a module of its    *)
(* own.                                                                    *)
(*                                                                         *)
(* The mapping tests DaxDma's program counters only through named          *)
(* predicates (Pinned from DaxDma, OpBeforeEffect here), so that a         *)
(* renaming of pc values is a one-place edit.                              *)
(***************************************************************************)
EXTENDS MCDaxDma

\* The pc test the mapping needs beyond DaxDma's Pinned(u): file-system task t
\* has started an operation whose change to the block map has not happened
\* yet: from FsLockIo up to FreeBlocks (not before FsPrealloc or FsUnlock, nor
\* "idle"). A pc is the name of the action the task takes next.  The 2025
\* design's pcs (Feature Design2025: dax_break_layout's own deletion, the
\* paused waits of WaitSkipsEntry) come before the effect too: the same
\* mapping serves both designs.
OpBeforeEffectPcs == {"FsLockMmap", "BreakLayoutsUnmap", "BreakLayoutsScan", "BreakLayoutsWait",
                      "sleep", "BreakLayoutsRelock", "TruncateUnmap", "DeleteEntry", "FreeBlocks",
                      "BreakLayoutsScanPaused", "BreakLayoutsDelete", "BreakLayoutsDeletePaused"}
OpBeforeEffect(t) == fpc[t] \in OpBeforeEffectPcs

\* The user pcs at which DaxDma's Pinned(u) holds, as a set, for
\* conformance/promise/, which reads both sets from here rather than spell a
\* pc itself; MappingPcsAgree (an invariant of the refine-* configs) keeps it
\* equal to Pinned.
PinnedPcs == {"DmaComplete"}
MappingPcsAgree == \A u \in Users : Pinned(u) <=> upc[u] \in PinnedPcs

\* The promise's one constant that is not DaxDma's: whether zero range keeps
\* the range's blocks (ext4_zero_range, Feature ZeroRangeInPlace).
\* RefineDaxDma's INSTANCE takes it by name; conformance/promise/ evaluates it.
ZeroInPlace == Feature("ZeroRangeInPlace")

\* The abstract state, one definition per abstract variable.
AbsOwner == extent
AbsFree == free
AbsPin == [u \in Users |-> IF Pinned(u) THEN <<UFile(u), UOff(u), uref[u]>> ELSE <<>>]
AbsPending == [t \in FsTasks |-> IF OpBeforeEffect(t) THEN fop[t] ELSE NoOp]

\* The abstract state as one record of the abstract variables (what
\* conformance/promise/ evaluates per state).
AbsState == [owner |-> AbsOwner, free |-> AbsFree, pin |-> AbsPin, pending |-> AbsPending]
=============================================================================
