// @module-tag slow
/**
 * `enumbench run --detector webhook:"CMD"` end to end through the built binary: the example
 * webhook detector (examples/detectors/webhook.mjs) subscribes with a webhook, the replay waits for
 * every content type the dataset publishes to have a validated webhook (the subscribed barrier),
 * notifications are pushed as blobs are published, and the ledger counts what was notified and
 * fetched. Hostile and broken detectors: one that never subscribes, one whose receiver answers the
 * validation with 500, one that reads every notification looking for more than Microsoft sends.
 * Crashes, hangs, floods and garbage are the adapter contract's, test/contract/webhook.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, startServe } from '../helpers/cli.js';
import { smallDatasetRuns } from '../helpers/small-run.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-webhook-run-');
const EXAMPLE = join(ROOT, 'examples', 'detectors', 'webhook.mjs');
const summary = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const metric = (dir: string, name: string) => summary(dir).scenarios[0].metrics[name]?.value;

/** a receiver answering validations with `status`, subscribing to every content type */
const receiver = (status: number, onNotify = '') => `
import { createServer } from 'node:http';
const env = process.env;
const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: env.ENUMBENCH_CLIENT_ID,
  client_secret: env.ENUMBENCH_CLIENT_SECRET, scope: 'https://manage.office.com/.default' });
const tok = await (await fetch(env.ENUMBENCH_LOGIN_URL + '/' + env.ENUMBENCH_TENANT_ID + '/oauth2/v2.0/token',
  { method: 'POST', body: form })).json();
const server = createServer(async (req, res) => {
  let text = '';
  for await (const c of req) text += c;
  if (req.headers['webhook-validationcode'] !== undefined) return res.writeHead(${status}).end();
  ${onNotify}
  res.writeHead(200).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const address = 'http://127.0.0.1:' + server.address().port + '/';
for (const ct of ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All']) {
  const r = await fetch(env.ENUMBENCH_MANAGEMENT_URL + '/api/v1.0/' + env.ENUMBENCH_TENANT_ID +
    '/activity/feed/subscriptions/start?contentType=' + ct, { method: 'POST',
    headers: { Authorization: 'Bearer ' + tok.access_token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ webhook: { address, authId: 'our-secret' } }) });
  console.error('start', ct, r.status);
}
`;

const DETECTORS: Record<string, string> = {
  // never subscribes at all
  'silent.mjs': 'setInterval(() => {}, 1000);',
  // its receiver refuses the validation request; it gives up (exits) once every start was refused
  'refuses.mjs': `${receiver(500)}\nprocess.exit(1);`,
  // validates, then writes every notification's header names and body keys to stderr
  'snoop.mjs': `${receiver(
    200,
    `console.error('NOTIFY ' + JSON.stringify({ headers: Object.keys(req.headers).sort(),
    keys: [...new Set(JSON.parse(text).flatMap((i) => Object.keys(i)))].sort(), authId: req.headers['webhook-authid'] }));`,
  )}\nsetInterval(() => {}, 1000);`,
};

const { run, dataset } = smallDatasetRuns(tmp, DETECTORS);
const node = (file: string) => `webhook:${process.execPath} ${join(tmp, file)}`;

describe('run --detector webhook:', () => {
  it('the example subscribes, is notified of every blob and fetches it; alerting on every record detects the campaign', async () => {
    const r = await run(`webhook:node ${EXAMPLE}`, 'all', ['--drain', '60s'], { ALERT_ON: 'all', POLL_SECONDS: '1' });
    expect(r.code, r.stderr).toBe(0);
    const blobs = Number(/\((\d+) content blobs/.exec(r.stderr)?.[1]);
    expect(blobs).toBeGreaterThan(0);
    // every blob published was notified (the subscriptions were in place before the first one)
    expect(r.stderr).toContain(`; ${blobs} blobs notified in`);
    expect(r.stderr).toMatch(/never collected 0/);
    expect(metric(join(tmp, 'all'), 'recall')).toBe(1);
    expect(metric(join(tmp, 'all'), 'missed_never_collected')).toBe(0);
  }, 300_000);

  it('in lockstep, two runs give byte-identical summary.json: each tick is pushed before it is announced', async () => {
    const args = ['--speed', 'lockstep', '--tick', '10m'];
    const env = { ALERT_ON: 'all', MIN_OBJECTS: '1000000' };
    const a = await run(`webhook:node ${EXAMPLE}`, 'ls1', args, env);
    const b = await run(`webhook:node ${EXAMPLE}`, 'ls2', args, env);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(join(tmp, 'ls1', 'summary.json'), 'utf8')).toBe(
      readFileSync(join(tmp, 'ls2', 'summary.json'), 'utf8'),
    );
    expect(metric(join(tmp, 'ls1'), 'recall')).toBe(1);
  }, 300_000);

  it('a detector that never subscribes: a clear error naming every content type, exit 2, nothing published', async () => {
    const r = await run(node('silent.mjs'), 'silent', ['--subscribe-timeout', '2s', '--grace', '1s']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /did not subscribe with a validated webhook to every content type the dataset publishes within 2 s, so nothing was published/,
    );
    expect(r.stderr).toMatch(/Audit\.AzureActiveDirectory \(no subscription\)/);
    expect(r.stderr).toMatch(/published 0 records/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // nothing was published: every miss is "never collected", none "collected, not detected"
    expect(metric(join(tmp, 'silent'), 'missed_not_detected')).toBe(0);
    expect(metric(join(tmp, 'silent'), 'missed_never_collected')).toBe(1);
  }, 300_000);

  it('a receiver that answers the validation with 500: the error says so, no hang', async () => {
    // it exits once refused: the limit only bounds a slow machine
    const r = await run(node('refuses.mjs'), 'refuses', ['--subscribe-timeout', '120s', '--grace', '1s']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /Audit\.\w+ \(no subscription; the validation request to http:\/\/127\.0\.0\.1:\d+\/ was answered HTTP 500\)/,
    );
    const log = readFileSync(join(tmp, /stderr kept in (\S+)/.exec(r.stderr)?.[1] as string), 'utf8');
    expect(log).toMatch(/start Audit.AzureActiveDirectory 400/);
  }, 300_000);

  it('a notification carries what Microsoft documents and nothing more', async () => {
    const r = await run(node('snoop.mjs'), 'snoop', ['--drain', '3s', '--grace', '1s']);
    expect(r.code, r.stderr).toBe(0);
    const log = readFileSync(join(tmp, /stderr kept in (\S+)/.exec(r.stderr)?.[1] as string), 'utf8');
    const seen = log
      .split('\n')
      .filter((l) => l.startsWith('NOTIFY '))
      .map((l) => JSON.parse(l.slice(7)) as { headers: string[]; keys: string[]; authId: string });
    expect(seen.length).toBeGreaterThan(0);
    const documented = [
      'clientId',
      'contentCreated',
      'contentExpiration',
      'contentId',
      'contentType',
      'contentUri',
      'tenantId',
    ];
    // fetch's own request headers, the JSON type and the auth id; nothing that names the bench's answers
    const transport = [
      'accept',
      'accept-encoding',
      'accept-language',
      'connection',
      'content-length',
      'content-type',
      'host',
      'sec-fetch-mode',
      'user-agent',
    ];
    for (const n of seen) {
      expect(n.keys).toEqual(documented);
      expect(n.authId).toBe('our-secret');
      for (const h of n.headers) expect([...transport, 'webhook-authid']).toContain(h);
    }
  }, 300_000);

  it('the complete example of docs/detectors.md runs as written: subscribed, notified, every notified blob fetched', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'detectors.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## `webhook:`'), doc.indexOf('## `stdio:`'));
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1] as string;
    expect(code).toContain('subscriptions/start');
    writeFileSync(join(tmp, 'doc-example.mjs'), code);
    const r = await run(node('doc-example.mjs'), 'doc', ['--drain', '5s', '--grace', '1s']);
    expect(r.code, r.stderr).toBe(0);
    const blobs = Number(/\((\d+) content blobs/.exec(r.stderr)?.[1]);
    expect(blobs).toBeGreaterThan(0);
    expect(r.stderr).toContain(`; ${blobs} blobs notified in`);
    expect(r.stderr).toMatch(new RegExp(`the detector fetched \\d+ \\(${blobs} blobs, 0 feed reads\\)`));
  }, 300_000);

  it('serve --wait-for-webhooks publishes nothing until the webhook is validated, then notifies every blob', async () => {
    const { child, env } = await startServe([
      dataset,
      '--speed',
      'max',
      '--wait-for-webhooks',
      '--allow-http-webhooks',
    ]);
    try {
      const bench = env.bench as unknown as { url: string; token: string };
      const ledger = async () =>
        (await (
          await fetch(`${bench.url}/bench/ledger`, { headers: { Authorization: `Bearer ${bench.token}` } })
        ).json()) as {
          published: { contentBlobs: number };
          notified: { blobs: number };
        };
      // at --speed max everything would be out at once: nothing is, until the webhook answers
      await new Promise((r) => setTimeout(r, 500));
      expect((await ledger()).published.contentBlobs).toBe(0);
      let notified = 0;
      const server = createServer(async (req, res) => {
        let text = '';
        for await (const c of req) text += c;
        if (req.headers['webhook-validationcode'] === undefined) notified += (JSON.parse(text) as unknown[]).length;
        res.writeHead(200).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: env.ENUMBENCH_CLIENT_ID as string,
        client_secret: env.ENUMBENCH_CLIENT_SECRET as string,
        scope: 'https://manage.office.com/.default',
      });
      const tid = env.ENUMBENCH_TENANT_ID as string;
      const tok = (await (
        await fetch(`${env.ENUMBENCH_LOGIN_URL}/${tid}/oauth2/v2.0/token`, { method: 'POST', body: form })
      ).json()) as {
        access_token: string;
      };
      const start = await fetch(
        `${env.ENUMBENCH_MANAGEMENT_URL}/api/v1.0/${tid}/activity/feed/subscriptions/start?contentType=Audit.AzureActiveDirectory`,
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${tok.access_token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ webhook: { address, authId: 'x' } }),
        },
      );
      expect(start.status).toBe(200);
      for (;;) {
        const clock = (await (await fetch(env.ENUMBENCH_CLOCK_URL as string)).json()) as { done: boolean };
        const l = await ledger();
        if (clock.done && l.notified.blobs === l.published.contentBlobs && notified === l.notified.blobs) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(notified).toBeGreaterThan(0);
      server.close();
      server.closeAllConnections();
    } finally {
      child.kill('SIGKILL');
    }
  }, 300_000);

  it('a URL instead of a command is refused at once (exit 4)', async () => {
    const r = await run('webhook:https://hooks.example/notify', 'url');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/takes the command that starts the detector, not a URL/);
  }, 300_000);
});
