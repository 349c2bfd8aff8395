// Regression test written by `dax-model replay-cex longterm-pin`: the implementation, with the same
// variant switch, follows the model checker's counterexample (longterm-pin.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('longterm-pin');
