// @module-tag slow
/** The adapter contract (adapter-contract.ts) through `stdio:`: lockstep across a pipe. */
import { adapterContract } from './adapter-contract.js';
import { stdioDetector } from './detectors.js';

adapterContract({
  name: 'stdio:',
  detector: stdioDetector,
  args: ['--ack-timeout', '120s'],
  hangArgs: ['--ack-timeout', '2s'],
  crashMessage: /failed \(crash\).*exited with status 3/,
  hangMessage: /failed \(timeout\) during tick/,
  deterministic: true,
});
