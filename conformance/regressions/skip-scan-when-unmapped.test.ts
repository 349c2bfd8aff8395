// Regression test written by `dax-model replay-cex skip-scan-when-unmapped`: the implementation, with the same
// variant switch, follows the model checker's counterexample (skip-scan-when-unmapped.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('skip-scan-when-unmapped');
