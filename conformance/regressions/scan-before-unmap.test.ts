// Regression test written by `dax-model replay-cex scan-before-unmap`: the implementation, with the same
// variant switch, follows the model checker's counterexample (scan-before-unmap.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('scan-before-unmap');
