// Regression test written by `dax-model replay-cex no-gup-fast-recheck`: the implementation, with the same
// variant switch, follows the model checker's counterexample (no-gup-fast-recheck.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('no-gup-fast-recheck');
