// Regression test written by `dax-model replay-cex lost-wakeup-liveness`: the implementation, with the same
// variant switch, follows the model checker's counterexample (lost-wakeup-liveness.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('lost-wakeup-liveness');
