------------------------------ MODULE MCDaxDma ------------------------------
(***************************************************************************)
(* What TLC needs to check DaxDma and nothing else: symmetry sets for the  *)
(* safety-only configurations.  Constant values and the variant switches   *)
(* are assigned in models/*.cfg, which only pick among these definitions.  *)
(* (The embedded engine does not read `<-` in a cfg, so constants are      *)
(* given there as plain values.)                                           *)
(***************************************************************************)
EXTENDS DaxDma, TLC

\* Blocks are interchangeable, and so are users and files: a permutation of
\* either maps a behaviour to a behaviour.  Sound for safety only; never
\* used with PROPERTY (TLC may miss liveness violations under symmetry).
BlockSymmetry == Permutations(Blocks)
FullSymmetry == Permutations(Blocks) \cup Permutations(Users) \cup Permutations(Files)
=============================================================================
