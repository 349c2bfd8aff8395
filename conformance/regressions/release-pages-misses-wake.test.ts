// Regression test written by `dax-model replay-cex release-pages-misses-wake`: the implementation, with the same
// variant switch, follows the model checker's counterexample (release-pages-misses-wake.cex.json, committed beside
// this file) step by step and reaches the same violation.
import { counterexampleRegression } from '../replay/regression-suite.ts';

counterexampleRegression('release-pages-misses-wake');
