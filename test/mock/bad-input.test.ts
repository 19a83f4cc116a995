/**
 * Bad input never crashes the mock nor leaks a stack: random path segments, query values, bodies
 * and headers get a 4xx with the real service's body shape (JSON for the API and login, XML for
 * storage), and the servers keep answering.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServices, startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { clientFor } from '../helpers/clients.js';
import { buildFixture, TENANT } from '../helpers/dataset.js';

let svc: MockServices;
let token: string;
beforeAll(async () => {
  svc = await startMockServices({
    publication: buildFixture({ seed: 12, ual: 50, signIns: 10 }).publication,
    speed: parseSpeed('max'),
  });
  await svc.replay.done;
  token = await clientFor(svc).accessToken();
});
afterAll(async () => {
  await svc.close();
});

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '..%2F..%2Fetc',
    '%E0%A4%A',
    '%00',
    '$$$',
    '..',
    '%',
    '\u00e9',
    'Audit.General',
    '2026-13-45',
    '{}',
    '[]',
  ),
);

function enc(s: string): string {
  // keep deliberate percent-sequences, encode the rest
  return /%[0-9A-Fa-f]{0,2}/.test(s)
    ? s.replace(/[^%A-Za-z0-9._~-]/g, (c) => encodeURIComponent(c))
    : encodeURIComponent(s);
}

describe('bad input', () => {
  it('gets a 4xx with a well-formed body, never a 5xx or a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'tenant',
          'contentId',
          'contentType',
          'startTime',
          'nextPage',
          'body',
          'login',
          'storage',
          'auth',
        ),
        junk,
        async (where, value) => {
          const api = `${svc.urls.management}/api/v1.0/${TENANT}/activity/feed`;
          let url = `${api}/subscriptions/content?contentType=Audit.General`;
          const init: RequestInit & { headers: Record<string, string> } = {
            headers: { Authorization: `Bearer ${token}` },
          };
          switch (where) {
            case 'tenant':
              url = `${svc.urls.management}/api/v1.0/${enc(value)}/activity/feed/subscriptions/list`;
              break;
            case 'contentId':
              url = `${api}/audit/${enc(value)}`;
              break;
            case 'contentType':
              url = `${api}/subscriptions/start?contentType=${enc(value)}`;
              init.method = 'POST';
              break;
            case 'startTime':
              url = `${api}/subscriptions/content?contentType=Audit.General&startTime=${enc(value)}&endTime=${enc(value)}`;
              break;
            case 'nextPage':
              url = `${api}/subscriptions/content?contentType=Audit.General&nextPage=${enc(value)}`;
              break;
            case 'body':
              url = `${api}/subscriptions/start?contentType=Audit.SharePoint`;
              init.method = 'POST';
              init.body = value;
              break;
            case 'login':
              url = `${svc.urls.login}/${enc(value)}/oauth2/v2.0/token`;
              init.method = 'POST';
              init.body = `grant_type=${enc(value)}`;
              init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
              break;
            case 'storage':
              url = `${svc.urls.diagnostics}/${enc(value)}/${enc(value)}?${svc.urls.diagnosticsSas}`;
              break;
            case 'auth':
              init.headers.Authorization = `Bearer ${value.replace(/[^\x20-\x7e]/g, '')}`;
              break;
          }
          const res = await fetch(url, init);
          const text = await res.text();
          expect(res.status).toBeLessThan(500);
          expect(text).not.toMatch(/\bat [\w.<>]+ \(|node:internal|Error:/);
          if (res.status >= 400) {
            if (where === 'storage') expect(text).toContain('<Error><Code>');
            else expect(() => JSON.parse(text)).not.toThrow();
          }
        },
      ),
      { numRuns: 300 },
    );
    const alive = await fetch(`${svc.urls.management}/enumbench/clock`);
    expect(alive.status).toBe(200);
  });
});
