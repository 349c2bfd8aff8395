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

Decode(j) == [
    extent |-> ByFileOffset(j.extent),
    free |-> AsSet(j.free),
    entry |-> ByFileOffset(j.entry),
    locked |-> ByFileOffset(j.locked),
    pte |-> ByFileOffset(j.pte),
    refcount |-> [b \in Blocks |-> j.refcount[b]],
    mapping |-> [b \in Blocks |-> j.mapping[b]],
    ioLock |-> [f \in Files |-> j.ioLock[f]],
    mmapExcl |-> [f \in Files |-> j.mmapExcl[f]],
    mmapShared |-> [f \in Files |-> AsSet(j.mmapShared[f])],
    upc |-> [u \in Users |-> j.upc[u]],
    uat |-> [u \in Users |-> j.uat[u]],
    uref |-> [u \in Users |-> j.uref[u]],
    gupsLeft |-> j.gupsLeft,
    fpc |-> [t \in FsTasks |-> j.fpc[t]],
    fop |-> [t \in FsTasks |-> j.fop[t]],
    fscan |-> [t \in FsTasks |-> j.fscan[t]],
    fbusy |-> [t \in FsTasks |-> j.fbusy[t]],
    spc |-> [s \in Syncers |-> j.spc[s]],
    sat |-> [s \in Syncers |-> j.sat[s]]]

\* The current state is the trace's state d.
IsState(d) ==
    /\ extent = d.extent /\ free = d.free /\ entry = d.entry /\ locked = d.locked
    /\ pte = d.pte /\ refcount = d.refcount /\ mapping = d.mapping
    /\ ioLock = d.ioLock /\ mmapExcl = d.mmapExcl /\ mmapShared = d.mmapShared
    /\ upc = d.upc /\ uat = d.uat /\ uref = d.uref /\ gupsLeft = d.gupsLeft
    /\ fpc = d.fpc /\ fop = d.fop /\ fscan = d.fscan /\ fbusy = d.fbusy
    /\ spc = d.spc /\ sat = d.sat

\* The next state is the trace's state d.
IsNextState(d) ==
    /\ extent' = d.extent /\ free' = d.free /\ entry' = d.entry /\ locked' = d.locked
    /\ pte' = d.pte /\ refcount' = d.refcount /\ mapping' = d.mapping
    /\ ioLock' = d.ioLock /\ mmapExcl' = d.mmapExcl /\ mmapShared' = d.mmapShared
    /\ upc' = d.upc /\ uat' = d.uat /\ uref' = d.uref /\ gupsLeft' = d.gupsLeft
    /\ fpc' = d.fpc /\ fop' = d.fop /\ fscan' = d.fscan /\ fbusy' = d.fbusy
    /\ spc' = d.spc /\ sat' = d.sat

\* The harness reads these lines from TLC's output: how far each trace got.
Report(i, p) == PrintT(<<"TRACE_REACHED", i, p, p = Len(Traces[i])>>)

TraceInit ==
    /\ tr \in DOMAIN Traces
    /\ pos = 1
    /\ Init
    /\ IsState(Decode(Traces[tr][1]))
    /\ Report(tr, 1)

\* One step of DaxDma that lands exactly on the trace's next state.
TraceNext ==
    /\ pos < Len(Traces[tr])
    /\ Next
    /\ IsNextState(Decode(Traces[tr][pos + 1]))
    /\ pos' = pos + 1
    /\ UNCHANGED tr
    /\ Report(tr, pos + 1)

TraceSpec == TraceInit /\ [][TraceNext]_<<vars, tr, pos>>
=============================================================================
