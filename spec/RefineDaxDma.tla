----------------------------- MODULE RefineDaxDma -----------------------------
(***************************************************************************)
(* Both designs of spec/DaxDma.tla -- the 2018 one and the 2025 one       *)
(* (Feature "Design2025", models/refine-2025-*.cfg) -- refine the promise  *)
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
(*              The 2025 design changes the block map at the same steps    *)
(*              (its own deletion, BreakLayoutsDelete, comes before), so   *)
(*              one mapping serves both designs.                           *)
(*                                                                         *)
(* The mapping's definitions are spec/MapDaxDma.tla's, a module without   *)
(* INSTANCE, so that the embedded engine can evaluate them:                *)
(* conformance/promise/ checks the same refinement on state graphs         *)
(* without TLC, with these very definitions.                               *)
(***************************************************************************)
EXTENDS MapDaxDma

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
