// Regression test written by `dax-model replay-cex design-2025-lost-wakeup`: the implementation, with the same
// variant switch, follows the model checker's counterexample (design-2025-lost-wakeup.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('design-2025-lost-wakeup');
