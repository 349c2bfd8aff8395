----------------------------- MODULE RefineDaxDma -----------------------------
(***************************************************************************)
(* The 2018 design (spec/DaxDma.tla, IdleRef = 1) refines the promise      *)
(* (spec/DaxAbstract.tla): the refinement mapping below, checked by TLC    *)
(* as Lamport's Paxos -> Voting -> Consensus chain is, with                *)
(* `Abs == INSTANCE DaxAbstract WITH ...` and the abstract spec as a       *)
(* PROPERTY.  AbsSafety is its safety part (every concrete step is an      *)
(* abstract step or a stutter, from an abstract initial state);            *)
(* AbsFairness its liveness part (the concrete behaviour satisfies the     *)
(* promise's fairness: pins end, an operation clear of pins takes effect). *)
(*                                                                         *)
(* The mapping:                                                            *)
(*   owner    = extent: the on-disk block map is what a file owns; DAX     *)
(*              entries, PTEs and page->mapping are caches of it.          *)
(*   free     = free.                                                      *)
(*   pin[u]   = <<file, offset, uref[u]>> while u is Pinned (its GUP       *)
(*              reference passed the re-check, or slow GUP took it under   *)
(*              the PTL): DMA may write into uref[u].  A speculative       *)
(*              GUP-fast reference is not a pin: no DMA follows it until   *)
(*              the re-check passes.                                       *)
(*   pending  = fop[t] from FsLockIo until FreeBlocks (or, for an in-place *)
(*              zero range, the last DeleteEntry) has changed the block    *)
(*              map: the abstract Apply is the step that frees or moves    *)
(*              blocks.  FsPrealloc's allocations are abstract Faults.     *)
(*                                                                         *)
(* The mapping tests DaxDma's program counters only through the named      *)
(* predicates below (Pinned from DaxDma, OpBeforeEffect here), so that a   *)
(* renaming of pc values is a one-place edit.                              *)
(*                                                                         *)
(* conformance/refinement/abstract-refinement.ts checks the same mapping   *)
(* on state graphs without TLC, evaluating these definitions.              *)
(***************************************************************************)
EXTENDS MCDaxDma

\* The pc test the mapping needs beyond DaxDma's Pinned(u): file-system task t
\* has started an operation whose change to the block map has not happened
\* yet: from FsLockIo up to FreeBlocks (not at "prealloc", "unlock", "idle").
OpBeforeEffect(t) ==
    fpc[t] \in {"lock_mmap", "unmap", "scan", "wait", "sleep", "relock", "trunc_unmap",
                "delete", "free"}

\* The abstract state, one definition per abstract variable.
AbsOwner == extent
AbsFree == free
AbsPin == [u \in Users |-> IF Pinned(u) THEN <<UFile(u), UOff(u), uref[u]>> ELSE <<>>]
AbsPending == [t \in FsTasks |-> IF OpBeforeEffect(t) THEN fop[t] ELSE NoOp]

Abs == INSTANCE DaxAbstract WITH owner <- AbsOwner, free <- AbsFree, pin <- AbsPin, pending <- AbsPending

\* The refinement's safety part: Abs!Init /\ [][Abs!Next]_Abs!vars, i.e.
\* Abs!SafetySpec, with the stutter tested first: most concrete steps (locks,
\* entries, PTEs, refcounts) change no abstract variable, and TLC evaluates
\* the disjuncts in order, so this spares it Abs!Next on them.
AbsSafety == Abs!Init /\ [][UNCHANGED Abs!vars \/ Abs!Next]_Abs!vars

\* The refinement's liveness part: the promise's fairness.
AbsFairness == Abs!Fairness

\* The promise's own safety property, read through the mapping.
AbsNoDmaIntoForeignBlock == Abs!NoDmaIntoForeignBlock
=============================================================================
