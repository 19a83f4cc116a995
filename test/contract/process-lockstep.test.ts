// @module-tag slow
/** The adapter contract (adapter-contract.ts) through `process:` in HTTP lockstep (ENUMBENCH_LOCKSTEP_URL). */
import { adapterContract } from './adapter-contract.js';
import { processDetector } from './detectors.js';

adapterContract({
  name: 'process: in HTTP lockstep',
  detector: processDetector,
  args: ['--speed', 'lockstep', '--tick', '10m', '--ack-timeout', '120s', '--grace', '1s', '--drain', '15s'],
  hangArgs: ['--ack-timeout', '2s'],
  garbagePositions: [/stdout line 1.*not JSON/, /POST #\d+.*"evidence" must be an array/],
  crashMessage: /failed \(crash\).*exited with status 3/,
  hangMessage: /did not acknowledge lockstep tick \d+ within 2 s/,
  deterministic: true,
  // the second pass is tick 1 (10 min in); the campaign starts 30 min in
  crashBeforeCampaign: true,
});
