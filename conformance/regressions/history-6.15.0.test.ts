// Regression test written by `dax-model replay-cex history-6.15.0`: the implementation, with the same
// variant switch, follows the model checker's counterexample (history-6.15.0.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('history-6.15.0');
