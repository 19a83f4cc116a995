// @module-tag slow
/**
 * In-process detectors run on their own worker thread (issue 14): a `module:` detector stuck in
 * synchronous code (`for (;;) {}`) used to hang `run` forever — the call timeout could not fire
 * while the event loop was blocked. Now it is stopped and reported like a hung async detector:
 * exit 2, the alerts it emitted before, the reports written, and the process gone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-thread-');
const EARLY = `ctx.emit({ rule: 'early', principal: 'someone@contoso.onmicrosoft.com' });`;

beforeAll(async () => {
  writeFileSync(
    join(tmp, 'small.yaml'),
    `name: small
description: A 40-user tenant for one hour; one account pages through the users from a VPS.
seed: 7
tenant: {users: 40}
time: {start: 2026-11-02T13:00:00Z, duration: 1h}
activity: [{profile: workforce}]
attacks:
  - technique: graph-user-listing
    session: {network: vps, signIn: password}
    at: "+20m"
expect:
  recall: ">= 1"
`,
  );
  const det = (name: string, body: string) => writeFileSync(join(tmp, `${name}.mjs`), body);
  det(
    'busy',
    `export default () => ({ name: 'busy', start(ctx) { ${EARLY} }, ingest() { for (;;) {} }, stop() {} });\n`,
  );
  det('busy-import', `for (;;) {}\nexport default () => ({ name: 'never', start() {}, ingest() {}, stop() {} });\n`);
  const g = await runBin(['generate', 'small.yaml', '--out', 'ds', '--quiet'], { cwd: tmp });
  expect(g.code, g.stderr).toBe(0);
});

const run = (detector: string, out: string) =>
  runBin(
    ['run', 'ds', '--detector', `module:./${detector}.mjs`, '--detector-timeout', '3s', '--out', out, '--no-progress'],
    {
      cwd: tmp,
    },
  );

describe('a detector that blocks its event loop', () => {
  // a promise that never settles is the adapter contract's "hang" (test/contract/module.test.ts)
  it.each([['busy', 'a synchronous busy loop']])(
    '%s (%s): exit 2, the alerts emitted before, the reports written',
    async (name) => {
      const out = join(tmp, `out-${name}`);
      const r = await run(name, out);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `detector failed: .*detector ${name} failed \\(timeout\\) during ingest at .*: ingest did not finish within 3000 ms \\(1 alert\\(s\\) emitted before\\)`,
        ),
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(summary.scenarios[0].alerts.received).toBe(1);
      expect(summary.problems.join('\n')).toMatch(/failed \(timeout\) during ingest/);
      expect(existsSync(join(out, 'junit.xml'))).toBe(true);
      expect(readFileSync(join(out, 'alerts', 'small', 'seed-7.jsonl'), 'utf8')).toContain('"rule":"early"');
    },
  );

  it('a module that loops at import: exit 2 with what happened, no hang', async () => {
    const r = await run('busy-import', join(tmp, 'out-import'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/module:\.\/busy-import\.mjs: building the detector did not finish within 3000 ms/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
