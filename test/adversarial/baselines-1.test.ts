// @module-tag slow
/** The adversarial-baseline suite (baselines-suite.ts), half 1 of the library scenarios. */
import { baselineSuite } from './baselines-suite.js';

baselineSuite(0, 2);
