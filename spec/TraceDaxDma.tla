----------------------------- MODULE TraceDaxDma -----------------------------
(***************************************************************************)
(* Trace validation of implementation runs against DaxDma, as in Kuppe's   *)
(* ewd998 and etcd raft's tla/ folder: TLC reads a batch of traces (the    *)
(* implementation's states, mapped to the spec's variables by              *)
(* conformance/mapping.ts) and explores only the behaviours of DaxDma that *)
(* pass through exactly those states.  A trace is accepted when its last   *)
(* state is reached.  One TLC run validates a whole batch: Init picks a    *)
(* trace, and its position advances with each step.                        *)
(*                                                                         *)
(* JSON has no model values, so the batch's cfg gives Files, Blocks,       *)
(* Users, FsTasks, Syncers and None as strings ("f1", "None"); nothing in  *)
(* DaxDma depends on them being model values.  Functions over Offsets      *)
(* arrive as JSON arrays (offset o at position o + 1), sets as arrays,     *)
(* functions over the other sets as objects keyed by name.                 *)
(*                                                                         *)
(* Init and Next assign every variable first; comparing the tuple vars     *)
(* with the decoded state afterwards is then a plain test.  The cfg is     *)
(* TraceDaxDma.cfg, whose placeholders the batch fills in.                 *)
(***************************************************************************)
EXTENDS DaxDma, Json, Sequences, TLC

CONSTANT TraceFile   \* absolute path of the batch: a JSON array of traces, each an array of states

Traces == JsonDeserialize(TraceFile)

VARIABLES
    tr,   \* which trace of the batch this behaviour follows
    pos   \* the position in it of the current state

\* How a JSON-decoded state reads as the spec's variables.
AtOffsets(a) == [o \in Offsets |-> a[o + 1]]
ByFileOffset(j) == [f \in Files |-> AtOffsets(j[f])]
AsSet(a) == {a[i] : i \in DOMAIN a}

\* A JSON-decoded state as the tuple vars of DaxDma: one line per variable, in the order of vars.
\* A new spec variable is one line here (and one entry in conformance/mapping.ts).
AsVars(j) == <<
    ByFileOffset(j.extent),
    AsSet(j.free),
    ByFileOffset(j.entry),
    ByFileOffset(j.locked),
    ByFileOffset(j.pte),
    [b \in Blocks |-> j.refcount[b]],
    [b \in Blocks |-> j.mapping[b]],
    [f \in Files |-> j.ioLock[f]],
    [f \in Files |-> j.mmapExcl[f]],
    [f \in Files |-> AsSet(j.mmapShared[f])],
    [u \in Users |-> j.upc[u]],
    [u \in Users |-> j.uat[u]],
    [u \in Users |-> j.uref[u]],
    j.gupsLeft,
    [u \in Users |-> j.ulong[u]],
    [t \in FsTasks |-> j.fpc[t]],
    [t \in FsTasks |-> j.fop[t]],
    [t \in FsTasks |-> j.fscan[t]],
    [t \in FsTasks |-> j.fbusy[t]],
    [t \in FsTasks |-> j.fslept[t]],
    [s \in Syncers |-> j.spc[s]],
    [s \in Syncers |-> j.sat[s]],
    [f \in Files |-> j.vma[f]],
    [f \in Files |-> j.gone[f]],
    j.warned>>

\* The harness reads these lines from TLC's output: how far each trace got.
Report(i, p) == PrintT(<<"TRACE_REACHED", i, p, p = Len(Traces[i])>>)

TraceInit ==
    /\ tr \in DOMAIN Traces
    /\ pos = 1
    /\ Init
    /\ vars = AsVars(Traces[tr][1])
    /\ Report(tr, 1)

\* One step of DaxDma that lands exactly on the trace's next state.
TraceNext ==
    /\ pos < Len(Traces[tr])
    /\ Next
    /\ vars' = AsVars(Traces[tr][pos + 1])
    /\ pos' = pos + 1
    /\ UNCHANGED tr
    /\ Report(tr, pos + 1)

TraceSpec == TraceInit /\ [][TraceNext]_<<vars, tr, pos>>
=============================================================================
