// Regression test written by `dax-model replay-cex scan-skips-locked`: the implementation, with the same
// variant switch, follows the model checker's counterexample (scan-skips-locked.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('scan-skips-locked');
