// @module-tag slow
/** The adapter contract (adapter-contract.ts) through `module:`: an in-process detector on its own thread. */
import { adapterContract } from './adapter-contract.js';
import { moduleDetector } from './detectors.js';

adapterContract({
  name: 'module:',
  detector: moduleDetector,
  args: ['--detector-timeout', '120s'],
  hangArgs: ['--detector-timeout', '3s'],
  crashMessage: /failed \(crash\)/,
  hangMessage: /failed \(timeout\) during ingest .*did not finish within 3000 ms/,
  deterministic: true,
});
