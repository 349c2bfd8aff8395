// Regression test written by `dax-model replay-cex trunc-warn`: the implementation, with the same
// variant switch, follows the model checker's counterexample (trunc-warn.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('trunc-warn');
