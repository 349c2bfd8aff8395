// Regression test written by `dax-model replay-cex wait-skips-entry`: the implementation, with the same
// variant switch, follows the model checker's counterexample (wait-skips-entry.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('wait-skips-entry');
