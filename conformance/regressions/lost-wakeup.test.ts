// Regression test written by `dax-model replay-cex lost-wakeup`: the implementation, with the same
// variant switch, follows the model checker's counterexample (lost-wakeup.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('lost-wakeup');
