// @module-tag slow
/** The adapter contract (adapter-contract.ts) through `process:` polling on its own schedule at --speed max. */
import { adapterContract } from './adapter-contract.js';
import { processDetector } from './detectors.js';

adapterContract({
  name: 'process: polling at --speed max',
  detector: processDetector,
  args: ['--speed', 'max', '--grace', '1s', '--drain', '15s'],
  garbagePositions: [/stdout line 1.*not JSON/, /POST #\d+.*"evidence" must be an array/],
  crashMessage: /failed \(crash\).*exited with status 3/,
  hangMessage: /ignored SIGTERM for 1000 ms and was killed \(SIGKILL\)/,
  // polling at its own pace, not in lockstep: what it fetched in each pass depends on timing
  deterministic: false,
  reasons: {
    lateLatency:
      'at --speed max everything is published within seconds, so every arrival — at once or at the end — is stamped at the end of the replay',
  },
});
