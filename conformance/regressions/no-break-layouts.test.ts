// Regression test written by `dax-model replay-cex no-break-layouts`: the implementation, with the same
// variant switch, follows the model checker's counterexample (no-break-layouts.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('no-break-layouts');
