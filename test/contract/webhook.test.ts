// @module-tag slow
/**
 * The adapter contract (adapter-contract.ts) through `webhook:` in HTTP lockstep: each tick's blobs
 * are pushed to the detector's webhook before the tick is announced. Its own hostile cases: a
 * detector that never subscribes, and one whose receiver refuses the validation request, each a
 * clear error (exit 2) within --subscribe-timeout, never a hang.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { adapterContract } from './adapter-contract.js';
import { webhookDetector } from './detectors.js';

adapterContract({
  name: 'webhook: in HTTP lockstep',
  detector: webhookDetector,
  args: ['--speed', 'lockstep', '--tick', '10m', '--ack-timeout', '120s', '--grace', '1s', '--drain', '15s'],
  hangArgs: ['--ack-timeout', '2s'],
  garbagePositions: [/stdout line 1.*not JSON/, /POST #\d+.*"evidence" must be an array/],
  crashMessage: /failed \(crash\).*exited with status 3/,
  hangMessage: /did not acknowledge lockstep tick \d+ within 2 s/,
  deterministic: true,
  // the second pass is tick 1 (10 min in); the campaign starts 30 min in
  crashBeforeCampaign: true,
  extra: ({ tmp, run }) => {
    it('never subscribes, or refuses the validation: a clear error naming why, exit 2, no hang', async () => {
      writeFileSync(join(tmp, 'mute.mjs'), 'setInterval(() => {}, 1000);');
      const args = ['--subscribe-timeout', '2s', '--grace', '1s'];
      const mute = await run(`webhook:${process.execPath} ${join(tmp, 'mute.mjs')}`, 'mute', args);
      expect(mute.code, mute.stderr).toBe(2);
      expect(mute.stderr).toMatch(/failed \(timeout\) during start/);
      expect(mute.stderr).toMatch(/did not subscribe with a validated webhook .* within 2 s, so nothing was published/);
      // the contract's "always" detector with a receiver that answers validations 403
      const always = webhookDetector('always', tmp).replace('webhook:', '');
      const file = always.slice(always.indexOf(' ') + 1);
      writeFileSync(
        join(tmp, 'refuse.mjs'),
        readFileSync(file, 'utf8').replace(
          "if (req.headers['webhook-validationcode'] === undefined) {",
          "if (req.headers['webhook-validationcode'] !== undefined) return res.writeHead(403).end();\n  {",
        ),
      );
      // it exits as soon as its start is refused: the limit only bounds a slow machine
      const refused = await run(`webhook:${process.execPath} ${join(tmp, 'refuse.mjs')}`, 'refuse', [
        '--subscribe-timeout',
        '60s',
        '--grace',
        '1s',
      ]);
      expect(refused.code, refused.stderr).toBe(2);
      // the detector's start fails (AF20021) and it exits: reported with what the validation got
      expect(refused.stderr).toMatch(
        /failed \(crash\) during start at \S+: the detector exited with status 1 before it subscribed/,
      );
      expect(refused.stderr).toMatch(/validation request to http:\/\/127\.0\.0\.1:\d+\/ was answered HTTP 403/);
    }, 300_000);
  },
});
