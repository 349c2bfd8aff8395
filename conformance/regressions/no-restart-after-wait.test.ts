// Regression test written by `dax-model replay-cex no-restart-after-wait`: the implementation, with the same
// variant switch, follows the model checker's counterexample (no-restart-after-wait.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('no-restart-after-wait');
