// Regression test written by `dax-model replay-cex evict-without-break`: the implementation, with the same
// variant switch, follows the model checker's counterexample (evict-without-break.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('evict-without-break');
