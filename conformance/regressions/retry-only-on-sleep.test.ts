// Regression test written by `dax-model replay-cex retry-only-on-sleep`: the implementation, with the same
// variant switch, follows the model checker's counterexample (retry-only-on-sleep.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('retry-only-on-sleep');
