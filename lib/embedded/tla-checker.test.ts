// What tla-checker 0.9.0 itself does, pinned where this adapter relies on it or works around it.
// Each "TLC:" comment is TLC 2.20's answer on the same input. A failure here after upgrading the
// package means the adapter's workarounds (adapt.ts, diagnose.ts) need another look.
import { describe, expect, it } from 'vitest';
import type { EngineResult as Raw } from './engine.ts';
import { tlaCheckerApi } from './wasm.ts';

const run = (spec: string, cfg: string, opts: object = {}): Raw =>
  JSON.parse(
    tlaCheckerApi().check_spec_with_options(spec, JSON.stringify({ cfg_source: cfg, max_states: 100000, max_depth: 100000, ...opts })),
  ) as Raw;
const mod = (body: string, ext = 'Naturals'): string => `---- MODULE T ----\nEXTENDS ${ext}\n${body}\n====\n`;
const evaluate = (expr: string, defs = ''): { ok: boolean; value?: string; error?: string } =>
  JSON.parse(
    tlaCheckerApi().explore_eval(
      mod(`VARIABLE v\n${defs}\nInit == v = 0\nNext == v' = v`, 'Naturals, Integers, FiniteSets, TLC'),
      'INIT Init\nNEXT Next\n',
      '{}',
      '{"v":0}',
      expr,
    ),
  ) as { ok: boolean; value?: string; error?: string };

const counter = mod(`VARIABLE x
vars == <<x>>
Init == x = 0
Next == x < 3 /\\ x' = x + 1
Spec == Init /\\ [][Next]_vars
FairSpec == Spec /\\ WF_vars(Next)
SafeA == x >= 0
SafeB == x # 2
TypeOK == x < 2
Reaches3 == <>(x = 3)
Reaches2 == <>(x = 2)
Small == x < 2`);

describe('tla-checker 0.9.0: how it reads a model', () => {
  it('reports a violated invariant by its index in the cfg list', () => {
    expect(run(counter, 'SPECIFICATION FairSpec\nINVARIANT SafeA SafeB\n', { allow_deadlock: true }).error_message).toBe(
      'Invariant 1 violated',
    );
  });

  it('checks definitions named TypeOK, Inv... as invariants when the cfg lists none (TLC: none)', () => {
    expect(run(counter, 'INIT Init\nNEXT Next\n', { allow_deadlock: true }).error_type).toBe('InvariantViolation');
  });

  it('keeps only the last VARIABLE declaration', () => {
    const r = run(mod('VARIABLE a\nVARIABLE b\nInit == a = 0 /\\ b = 0\nNext == UNCHANGED <<a, b>>'), 'INIT Init\nNEXT Next\n');
    expect(r.error_message).toMatch(/^undefined variable `a`/);
  });

  it('applies the fairness of every ...Spec definition, chosen or not (TLC: Reaches3 violated under Spec)', () => {
    expect(run(counter, 'SPECIFICATION Spec\nINVARIANT SafeA\nPROPERTY Reaches3\n', { allow_deadlock: true }).success).toBe(true);
    const renamed = counter.replace(/\bSpec\b/g, 'Spec_').replace(/\bFairSpec\b/g, 'FairSpec_');
    expect(run(renamed, 'SPECIFICATION Spec_\nINVARIANT SafeA\nPROPERTY Reaches3\n', { allow_deadlock: true }).error_type).toBe(
      'LivenessViolation',
    );
  });

  it('does not read `<-` or VIEW in a cfg, and ignores ACTION_CONSTRAINT with a warning', () => {
    expect(run(counter, 'CONSTANT C <- SafeA\nINIT Init\nNEXT Next\n').error_message).toBe("unexpected character: '<'");
    expect(run(counter, 'INIT Init\nNEXT Next\nINVARIANT SafeA\nVIEW SafeA\n', { allow_deadlock: true }).error_message).toBe(
      "INVARIANT definition 'VIEW' not found in spec",
    );
    expect(run(counter, 'INIT Init\nNEXT Next\nINVARIANT SafeA\nACTION_CONSTRAINT SafeA\n', { allow_deadlock: true }).warnings[0]).toMatch(
      /not yet supported/,
    );
  });

  it('counts like TLC, reports no initial states as an error (TLC: 0 states, no error), stops at depth 100 by default', () => {
    expect(run(counter, 'INIT Init\nNEXT Next\nINVARIANT SafeA\n', { allow_deadlock: true }).states_explored).toBe(4);
    expect(run(counter.replace('Init == x = 0', 'Init == x = 0 /\\ FALSE'), 'INIT Init\nNEXT Next\nINVARIANT SafeA\n').error_type).toBe(
      'NoInitialStates',
    );
    const long = mod("VARIABLE x\nInit == x = 0\nNext == x < 200 /\\ x' = x + 1\nOk == TRUE");
    expect(
      JSON.parse(
        tlaCheckerApi().check_spec_with_options(
          long,
          JSON.stringify({ cfg_source: 'INIT Init\nNEXT Next\nINVARIANT Ok\n', allow_deadlock: true }),
        ),
      ).error_type,
    ).toBe('MaxDepthExceeded');
  });

  it('prints trace values in TLC syntax but for lowercase booleans', () => {
    const r = run(mod("VARIABLE b\nInit == b = TRUE\nNext == b' = ~b\nOk == b"), 'INIT Init\nNEXT Next\nINVARIANT Ok\n');
    expect(r.trace).toEqual(['State 0\n  b = true\nState 1\n  b = false\n']);
  });

  it('gives ParseError spans in UTF-8 bytes, and skips a definition that does not parse', () => {
    const src = mod("\\* café → ü\nVARIABLE x\nInit == x = 0 +\nNext == x' = x");
    const at = src.indexOf('==', src.indexOf('Next'));
    const bytes = Buffer.byteLength(src.slice(0, at));
    expect(bytes).toBeGreaterThan(at);
    expect(run(src, 'INIT Init\nNEXT Next\n').error_message).toContain(`span: Some(Span { start: ${bytes}, end: ${bytes + 2} })`);
    const dropped = run(mod("VARIABLE x\nInit == x = (0\nNext == x' = x"), 'INIT Init\nNEXT Next\n');
    expect(dropped.error_message).toBe("INIT definition 'Init' not found in spec");
  });
});

describe('tla-checker 0.9.0: liveness', () => {
  it('checks <>P as []<>P (TLC: Reaches2 holds under FairSpec)', () => {
    const renamed = counter.replace(/\bSpec\b/g, 'Spec_').replace(/\bFairSpec\b/g, 'FairSpec_');
    expect(run(renamed, 'SPECIFICATION FairSpec_\nINVARIANT SafeA\nPROPERTY Reaches3\n', { allow_deadlock: true }).success).toBe(true);
    expect(run(renamed, 'SPECIFICATION FairSpec_\nINVARIANT SafeA\nPROPERTY Reaches2\n', { allow_deadlock: true }).error_type).toBe(
      'LivenessViolation',
    );
  });

  it('misses a P ~> Q violation where P holds only before the fair cycle (TLC: violated)', () => {
    const spec = mod(`VARIABLES x, y
vars == <<x, y>>
Init == x = 0 /\\ y = 0
Next == \\/ x < 2 /\\ x' = x + 1 /\\ UNCHANGED y
        \\/ x = 2 /\\ y' = 1 - y /\\ UNCHANGED x
Fair == Init /\\ [][Next]_vars /\\ WF_vars(Next)
Transient == (x = 1) ~> (x = 3)
Persistent == (x >= 1) ~> (x = 3)
Ok == TRUE`);
    expect(run(spec, 'SPECIFICATION Fair\nINVARIANT Ok\nPROPERTY Transient\n').success).toBe(true);
    expect(run(spec, 'SPECIFICATION Fair\nINVARIANT Ok\nPROPERTY Persistent\n').error_type).toBe('LivenessViolation');
  });

  it('misses a violation whose fair cycle avoids the states where a strongly fair action is enabled (TLC: violated)', () => {
    // The SCC {0, 1, 2} enables A in state 0 and never takes it (A leaves it), so the engine drops
    // the whole SCC as unfair to SF_vars(A); but its cycle 1 -> 2 -> 1 never enables A and is fair
    // (TLC's lasso: 0, 1, 2, back to 1). Under WF_vars(A) the same cycle is found. Why the promise's
    // abstract-overlapping-pins is TLC-only: the pins overlapping for ever are such a cycle inside
    // an SCC whose pin-free states enable Apply(t).
    const spec = mod(`VARIABLE x
vars == <<x>>
Init == x = 0
A == x = 0 /\\ x' = 3
B == \\/ x = 0 /\\ x' = 1
     \\/ x = 1 /\\ x' \\in {0, 2}
     \\/ x = 2 /\\ x' = 1
Next == A \\/ B
Strong == Init /\\ [][Next]_vars /\\ SF_vars(A) /\\ WF_vars(B)
Weak == Init /\\ [][Next]_vars /\\ WF_vars(A) /\\ WF_vars(B)
Leaves == <>(x = 3)`);
    expect(run(spec, 'SPECIFICATION Strong\nPROPERTY Leaves\n', { allow_deadlock: true }).success).toBe(true);
    expect(run(spec, 'SPECIFICATION Weak\nPROPERTY Leaves\n', { allow_deadlock: true }).error_type).toBe('LivenessViolation');
  });

  it('reads a state-predicate PROPERTY as []<>P and refuses []P, [][A]_v and ~> under an operator', () => {
    const renamed = counter.replace(/\bSpec\b/g, 'Spec_').replace(/\bFairSpec\b/g, 'FairSpec_');
    expect(run(renamed, 'SPECIFICATION FairSpec_\nINVARIANT SafeA\nPROPERTY Small\n', { allow_deadlock: true }).error_message).toMatch(
      /^Liveness property violated: <>Lt/,
    );
    const more = renamed.replace(
      '====',
      "Always == []Small\nMono == [][x' > x]_x\nL(n) == (x = n) ~> (x = 3)\nAllL == \\A n \\in {0} : L(n)\n====",
    );
    for (const p of ['Always', 'Mono', 'AllL']) {
      expect(run(more, `SPECIFICATION FairSpec_\nINVARIANT SafeA\nPROPERTY ${p}\n`, { allow_deadlock: true }).error_message).toMatch(
        /temporal operator .* reached eval/,
      );
    }
  });
});

describe('tla-checker 0.9.0: TLA+ it reads differently from TLC', () => {
  it('divides and takes remainders truncating toward zero (TLC: floor, -2 and 1)', () => {
    expect(evaluate('(-3) \\div 2').value).toBe('-1');
    expect(evaluate('(-3) % 2').value).toBe('-1');
  });

  it('nests \\X to the left (TLC: {<<1, 2, 3>>})', () => {
    expect(evaluate('{1} \\X {2} \\X {3}').value).toBe('{<<<<1, 2>>, 3>>}');
  });

  it('drops, silently, definitions with nested comments or several bound variables in [x \\in S, y \\in T |-> e]', () => {
    expect(evaluate('y', 'y == (* a (* nested *) comment *) 1').error).toMatch(/^undefined variable `y`/);
    expect(evaluate('y', 'y == [a \\in {1}, b \\in {2} |-> 0]').error).toMatch(/^undefined variable `y`/);
    expect(evaluate('y', 'y == (* flat comment *) 1').value).toBe('1');
  });

  it('rejects recursive function definitions, user-defined infix operators and escaped quotes', () => {
    expect(evaluate('f[2]', 'f[n \\in 0..3] == IF n = 0 THEN 1 ELSE n * f[n - 1]').error).toMatch(/^ParseError/);
    expect(evaluate('1 \\oplus 2', 'a \\oplus b == a + b').error).toMatch(/^ParseError/);
    expect(evaluate('y', 'y == "a\\"b"').error).toMatch(/^ParseError/);
  });

  it('cannot evaluate ENABLED, LAMBDA arguments or \\o on strings', () => {
    expect(evaluate('ENABLED Next').error).toMatch(/ENABLED operator cannot be evaluated/);
    expect(evaluate('Q(LAMBDA a : a + 1)', 'Q(F(_)) == F(1)').ok).toBe(false);
    expect(evaluate('"a" \\o "b"').ok).toBe(false);
  });

  it('evaluates the rest of the operators the DaxDma spec uses as TLC does', () => {
    const cases: [string, string][] = [
      ['[[p \\in {1, 2} |-> [o \\in 0..1 |-> 0]] EXCEPT ![1][0] = 5][1]', '(0 :> 5 @@ 1 :> 0)'],
      ['{<<f, o>> : f \\in {1}, o \\in 0..1}', '{<<1, 0>>, <<1, 1>>}'],
      ['[op : {"a"}, lo : 0..1]', '{[lo |-> 0, op |-> "a"], [lo |-> 1, op |-> "a"]}'],
      ['Cardinality({u \\in {1, 2, 3} : u > 1})', '2'],
      ['{1, 2} \\subseteq SUBSET {1, 2} \\/ TRUE', 'true'],
      ['CHOOSE b \\in {3, 4} : b > 3', '4'],
      ['LET f == 1 IN CASE f = 1 -> "one" [] OTHER -> "other"', '"one"'],
      ['Permutations({1, 2})', '{<<1, 2>>, <<2, 1>>}'],
    ];
    for (const [expr, value] of cases) expect(evaluate(expr).value).toBe(value);
  });
});

describe('tla-checker 0.9.0: exploration calls', () => {
  const spec = mod(`CONSTANT U
VARIABLES x, y
Init == x = 0 /\\ y = 0
A(u) == x < 2 /\\ x' = x + 1 /\\ y' = y
B(u) == x < 2 /\\ x' = x + 2 /\\ y' = y
Outer(u) == A(u) \\/ B(u)
C == x < 2 /\\ x' = 5 /\\ y' = y
Grp == \\E u \\in U : A(u)
Next == (\\E u \\in U : Outer(u)) \\/ C \\/ Grp \\/ (x = 0 /\\ x' = 7 /\\ y' = y)
Small == x < 3`);
  const cfg = 'CONSTANT U = {u1}\nINIT Init\nNEXT Next\nCONSTRAINT Small\n';
  const next = (state: object): { action: string | null; state: { display: Record<string, string> } }[] =>
    (JSON.parse(tlaCheckerApi().explore_next(spec, cfg, '{}', JSON.stringify(state))) as { transitions: [] }).transitions;

  it('names a transition by the first parameterised operator reached, else the zero-arity one, else null', () => {
    expect(next({ x: 0, y: 0 }).map((t) => `${t.action}:${t.state.display.x}`)).toEqual(['Outer:1', 'Outer:2', 'C:5', 'A:1', 'null:7']);
  });

  it('ignores CONSTRAINT and reads a missing variable as FALSE', () => {
    expect(next({ x: 1, y: 0 }).map((t) => t.state.display.x)).toContain('3');
    expect(next({ x: 0 })[0]?.state.display.y).toBe('false');
  });

  it('lists cfg invariants with their values for a state', () => {
    const out = JSON.parse(tlaCheckerApi().explore_invariants(spec, `${cfg}INVARIANT Small\n`, '{}', '{"x":5,"y":0}'));
    expect(out).toEqual({ ok: true, invariants: [{ name: 'Small', holds: false }] });
  });
});
