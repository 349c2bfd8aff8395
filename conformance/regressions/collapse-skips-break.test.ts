// Regression test written by `dax-model replay-cex collapse-skips-break`: the implementation, with the same
// variant switch, follows the model checker's counterexample (collapse-skips-break.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('collapse-skips-break');
