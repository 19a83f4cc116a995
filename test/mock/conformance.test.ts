/**
 * Protocol conformance of the Management Activity API mock through a real HTTP client: tokens,
 * every operation, every error body and status, paging, window rules, bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServices, startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { buildFixture, TENANT } from '../helpers/dataset.js';

let svc: MockServices;
let api: string;
let token: string;

async function tokenV2(scope = 'https://manage.office.com/.default'): Promise<Response> {
  const env = svc.env();
  return fetch(`${env.ENUMBENCH_LOGIN_URL}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: env.ENUMBENCH_CLIENT_ID,
      client_secret: env.ENUMBENCH_CLIENT_SECRET,
      scope,
    }),
  });
}

function get(path: string, init: RequestInit = {}, tok = token): Promise<Response> {
  return fetch(path.startsWith('http') ? path : `${api}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${tok}`, ...(init.headers as Record<string, string>) },
  });
}

async function af(res: Response): Promise<[number, string | undefined]> {
  const body = (await res.json()) as { error?: { code?: string } };
  return [res.status, body.error?.code];
}

beforeAll(async () => {
  const f = buildFixture({ seed: 11, ual: 1200, duplicateRate: 0.02 });
  svc = await startMockServices({ publication: f.publication, speed: parseSpeed('max'), pageSize: 5 });
  await svc.replay.done;
  api = `${svc.urls.management}/api/v1.0/${TENANT}/activity/feed`;
  const t = (await (await tokenV2()).json()) as { access_token: string };
  token = t.access_token;
});
afterAll(async () => {
  await svc.close();
});

describe('token endpoints', () => {
  it('v2 returns numeric expires_in and a JWT with tid, aud, roles, appid, oid', async () => {
    const res = await tokenV2();
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3599);
    const claims = JSON.parse(Buffer.from(String(body.access_token).split('.')[1] as string, 'base64url').toString());
    expect(claims).toMatchObject({
      tid: TENANT,
      aud: 'https://manage.office.com',
      appid: svc.identity.clientId,
      ver: '1.0',
    });
    expect(claims.roles).toContain('ActivityFeed.Read');
    expect(typeof claims.oid).toBe('string');
  });

  it('v1 with Basic credentials returns string-typed numbers', async () => {
    const env = svc.env();
    const basic = Buffer.from(`${env.ENUMBENCH_CLIENT_ID}:${encodeURIComponent(env.ENUMBENCH_CLIENT_SECRET)}`).toString(
      'base64',
    );
    const res = await fetch(`${env.ENUMBENCH_LOGIN_URL}/${TENANT}/oauth2/token?api-version=1.0`, {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'https://manage.office.com' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.expires_in).toBe('3599');
    expect(typeof body.expires_on).toBe('string');
    expect(body.resource).toBe('https://manage.office.com');
  });

  it('issues tokens for any <resource>/.default (Graph first), which the API refuses', async () => {
    const res = await tokenV2('https://graph.microsoft.com/.default');
    expect(res.status).toBe(200);
    const g = ((await res.json()) as { access_token: string }).access_token;
    const r = await get('/subscriptions/list', {}, g);
    expect(r.status).toBe(401);
  });

  it('rejects a bad secret (401 invalid_client), an unknown client, an unknown tenant, a bad scope', async () => {
    const env = svc.env();
    const post = (tenant: string, body: Record<string, string>) =>
      fetch(`${env.ENUMBENCH_LOGIN_URL}/${tenant}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams(body),
      });
    const base = {
      grant_type: 'client_credentials',
      client_id: env.ENUMBENCH_CLIENT_ID,
      scope: 'https://manage.office.com/.default',
    };
    let r = await post(TENANT, { ...base, client_secret: 'nope' });
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: string }).error).toBe('invalid_client');
    r = await post(TENANT, { ...base, client_id: '11111111-1111-1111-1111-111111111111', client_secret: 'x' });
    expect(((await r.json()) as { error_codes: number[] }).error_codes).toEqual([700016]);
    r = await post('22222222-2222-2222-2222-222222222222', { ...base, client_secret: env.ENUMBENCH_CLIENT_SECRET });
    expect(((await r.json()) as { error_codes: number[] }).error_codes).toEqual([90002]);
    r = await post(TENANT, { ...base, client_secret: env.ENUMBENCH_CLIENT_SECRET, scope: 'ActivityFeed.Read' });
    expect(((await r.json()) as { error: string }).error).toBe('invalid_scope');
    r = await post(TENANT, { ...base, client_secret: env.ENUMBENCH_CLIENT_SECRET, grant_type: 'password' });
    expect(((await r.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('serves the OpenID configuration and instance discovery', async () => {
    const env = svc.env();
    const oc = (await (
      await fetch(`${env.ENUMBENCH_LOGIN_URL}/${TENANT}/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(oc.token_endpoint).toBe(`${env.ENUMBENCH_LOGIN_URL}/${TENANT}/oauth2/v2.0/token`);
    expect(oc.issuer).toBe(`${env.ENUMBENCH_LOGIN_URL}/${TENANT}/v2.0`);
    const keys = (await (await fetch(oc.jwks_uri as string)).json()) as { keys: unknown[] };
    expect(keys.keys).toHaveLength(1);
    const inst = (await (
      await fetch(`${env.ENUMBENCH_LOGIN_URL}/common/discovery/instance?api-version=1.1`)
    ).json()) as Record<string, unknown>;
    expect(inst['api-version']).toBe('1.1');
  });
});

describe('authorization on the API', () => {
  it('401 with the documented body for a missing, malformed or forged token', async () => {
    for (const h of [
      {} as Record<string, string>,
      { Authorization: 'Bearer abc' },
      { Authorization: `Bearer ${token.slice(0, -4)}AAAA` },
    ]) {
      const r = await fetch(`${api}/subscriptions/list`, { headers: h });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
      expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await r.json()).toEqual({ Message: 'Authorization has been denied for this request.' });
    }
  });
  it('AF20013 for a tenant that is not a GUID, AF20010 for another tenant', async () => {
    expect(await af(await get(`${svc.urls.management}/api/v1.0/contoso/activity/feed/subscriptions/list`))).toEqual([
      400,
      'AF20013',
    ]);
    expect(
      await af(
        await get(
          `${svc.urls.management}/api/v1.0/${'3'.repeat(8)}-3333-3333-3333-${'3'.repeat(12)}/activity/feed/subscriptions/list`,
        ),
      ),
    ).toEqual([401, 'AF20010']);
  });
});

describe('subscriptions', () => {
  it('content before start: AF20022; start; restart: 400 AF20024; list; stop; stop again: AF20022', async () => {
    expect(await af(await get('/subscriptions/content?contentType=Audit.Exchange'))).toEqual([400, 'AF20022']);
    const s = await get('/subscriptions/start?contentType=Audit.Exchange', { method: 'POST' });
    expect(s.status).toBe(200);
    expect(await s.json()).toEqual({ contentType: 'Audit.Exchange', status: 'enabled', webhook: null });
    expect(await af(await get('/subscriptions/start?contentType=Audit.Exchange', { method: 'POST' }))).toEqual([
      400,
      'AF20024',
    ]);
    const l = await get('/subscriptions/list');
    expect(await l.json()).toEqual([{ contentType: 'Audit.Exchange', status: 'enabled', webhook: null }]);
    const stop = await get('/subscriptions/stop?contentType=Audit.Exchange', { method: 'POST' });
    expect(stop.status).toBe(200);
    expect(await stop.text()).toBe('');
    expect(await af(await get('/subscriptions/stop?contentType=Audit.Exchange', { method: 'POST' }))).toEqual([
      400,
      'AF20022',
    ]);
    expect(await af(await get('/subscriptions/start?contentType=Audit.Nope', { method: 'POST' }))).toEqual([
      400,
      'AF20020',
    ]);
    expect(await af(await get('/subscriptions/start', { method: 'POST' }))).toEqual([400, 'AF20001']);
    expect(
      await af(
        await get('/subscriptions/start?contentType=Audit.General', {
          method: 'POST',
          body: '{"webhook":{"address":"http://x"}}',
        }),
      ),
    ).toEqual([400, 'AF20021']);
    expect(
      await af(
        await get('/subscriptions/start?contentType=Audit.General&PublisherIdentifier=nope', { method: 'POST' }),
      ),
    ).toEqual([400, 'AF20002']);
  });

  it('lists content with NextPageUri paging (absolute, opaque nextPage) and serves blobs', async () => {
    await get('/subscriptions/start?contentType=Audit.AzureActiveDirectory', { method: 'POST' });
    let url: string | null =
      `${api}/subscriptions/content?contentType=Audit.AzureActiveDirectory&PublisherIdentifier=${TENANT}`;
    const items: { contentUri: string; contentId: string; contentCreated: string; contentExpiration: string }[] = [];
    let pages = 0;
    while (url) {
      const r = await get(url);
      expect(r.status).toBe(200);
      items.push(...((await r.json()) as typeof items));
      url = r.headers.get('NextPageUri');
      if (url) {
        expect(url.startsWith(`${svc.urls.management}/api/v1.0/${TENANT}/activity/feed/subscriptions/content?`)).toBe(
          true,
        );
        expect(url).toMatch(/nextPage=\d{10}R\d{12}/);
        expect(url).toContain(`PublisherIdentifier=${TENANT}`);
      }
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(items.map((i) => i.contentId)).size).toBe(items.length);
    const first = items[0] as (typeof items)[number];
    expect(first.contentUri).toBe(`${svc.urls.management}/api/v1.0/${TENANT}/activity/feed/audit/${first.contentId}`);
    expect(Date.parse(first.contentExpiration) - Date.parse(first.contentCreated)).toBe(7 * 86_400_000);
    const blob = await get(first.contentUri);
    expect(blob.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const records = (await blob.json()) as { Id: string; CreationTime: string }[];
    expect(records.length).toBeGreaterThan(0);
    expect(records[0]?.CreationTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    for (const r of records) expect(Date.parse(`${r.CreationTime}Z`)).toBeLessThanOrEqual(Date.now());
  });

  it('enforces the time-window rules and accepts every documented format', async () => {
    const now = Date.now();
    const d = (t: number) => new Date(t).toISOString();
    const w = (s: string, e: string) =>
      get(`/subscriptions/content?contentType=Audit.AzureActiveDirectory&startTime=${s}&endTime=${e}`);
    for (const [s, e] of [
      [d(now - 3600_000), d(now)],
      [d(now - 3600_000).slice(0, 19), d(now).slice(0, 19)],
      [d(now - 3600_000).slice(0, 16), d(now).slice(0, 16)],
      [d(now - 86_400_000).slice(0, 10), d(now).slice(0, 10)],
    ]) {
      expect((await w(s as string, e as string)).status).toBe(200);
    }
    expect(
      await af(await get(`/subscriptions/content?contentType=Audit.AzureActiveDirectory&startTime=${d(now - 60_000)}`)),
    ).toEqual([400, 'AF20055']);
    expect(await af(await w(d(now - 25 * 3600_000), d(now)))).toEqual([400, 'AF20055']);
    expect(await af(await w(d(now), d(now - 3600_000)))).toEqual([400, 'AF20055']);
    expect(await af(await w(d(now - 9 * 86_400_000), d(now - 8.5 * 86_400_000)))).toEqual([400, 'AF20055']);
    expect((await af(await w('yesterday', d(now))))[0]).toBe(400);
    expect(
      await af(await get('/subscriptions/content?contentType=Audit.AzureActiveDirectory&nextPage=../../etc')),
    ).toEqual([400, 'AF20031']);
  });

  it('blob errors: AF20052 invalid id (path tricks), AF20050 unknown id', async () => {
    for (const bad of ['..%2F..%2Fetc%2Fpasswd', 'x', `${'1'.repeat(20)}%24..`]) {
      expect(await af(await get(`/audit/${bad}`))).toEqual([400, 'AF20052']);
    }
    const unknown = `${'2'.repeat(23)}$${'2'.repeat(23)}$audit_general$Audit_General$emea0026`;
    expect(await af(await get(`/audit/${unknown}`))).toEqual([404, 'AF20050']);
  });

  it('dlpSensitiveTypes and Accept-Language errors; unknown paths; oversized bodies never crash', async () => {
    expect((await get('/resources/dlpSensitiveTypes')).status).toBe(200);
    expect(
      await af(await get('/resources/dlpSensitiveTypes', { headers: { 'Accept-Language': 'en-US, fr' } })),
    ).toEqual([400, 'AF20053']);
    expect(await af(await get('/resources/dlpSensitiveTypes', { headers: { 'Accept-Language': '@@' } }))).toEqual([
      400,
      'AF20054',
    ]);
    expect((await get('/nope')).status).toBe(404);
    const big = await get('/subscriptions/start?contentType=Audit.SharePoint', {
      method: 'POST',
      body: 'x'.repeat(200_000),
    });
    expect(big.status).toBe(413);
    const malformed = await get('/subscriptions/start?contentType=Audit.SharePoint', {
      method: 'POST',
      body: '{not json',
    });
    expect(await af(malformed)).toEqual([400, 'AF20002']);
  });

  it('exposes the simulated clock', async () => {
    const c = (await (await fetch(svc.urls.clock)).json()) as { speed: string; now: string; done: boolean };
    expect(c.speed).toBe('max');
    expect(Date.parse(c.now)).toBeLessThanOrEqual(Date.now());
  });

  it('keeps the bench endpoints behind the bench token', async () => {
    expect((await fetch(`${svc.urls.bench}/bench/ledger`)).status).toBe(401);
    expect(
      (await fetch(`${svc.urls.bench}/bench/ledger`, { headers: { Authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
    const ok = await fetch(`${svc.urls.bench}/bench/ledger`, {
      headers: { Authorization: `Bearer ${svc.identity.benchToken}` },
    });
    expect(ok.status).toBe(200);
  });
});

describe('throttling and spelling variants', () => {
  it('a per-pool rate limit answers 403 AF429 with the documented message; PublisherIdentifier selects the pool', async () => {
    const s2 = await startMockServices({
      publication: buildFixture({ seed: 13, ual: 20 }).publication,
      speed: parseSpeed('max'),
      rateLimitPerMinute: 3,
    });
    try {
      const t = (
        (await (
          await fetch(`${s2.urls.login}/${TENANT}/oauth2/v2.0/token`, {
            method: 'POST',
            body: new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: s2.identity.clientId,
              client_secret: s2.identity.clientSecret,
              scope: 'https://manage.office.com/.default',
            }),
          })
        ).json()) as { access_token: string }
      ).access_token;
      const root = `${s2.urls.management}/api/v1.0/${TENANT}/activity/feed/subscriptions/list`;
      const h = { Authorization: `Bearer ${t}` };
      for (let i = 0; i < 3; i++) expect((await fetch(root, { headers: h })).status).toBe(200);
      const r = await fetch(root, { headers: h });
      expect(r.status).toBe(403);
      expect(await r.json()).toEqual({
        error: {
          code: 'AF429',
          message: 'Too many requests. Method=ListSubscriptions, PublisherId=00000000-0000-0000-0000-000000000000',
        },
      });
      expect((await fetch(`${root}?PublisherIdentifier=${TENANT}`, { headers: h })).status).toBe(200);
    } finally {
      await s2.close();
    }
  });

  it('accepts /api/v1/ and lower-case parameter names', async () => {
    const now = Date.now();
    const r = await get(
      `${svc.urls.management}/api/v1/${TENANT}/activity/feed/subscriptions/content?contenttype=audit.azureactivedirectory&starttime=${new Date(now - 3600_000).toISOString()}&endtime=${new Date(now).toISOString()}`,
    );
    expect(r.status).toBe(200);
  });
});

describe('public base URL', () => {
  it('builds contentUri, NextPageUri and the OpenID endpoints from the public URL the mock was started with', async () => {
    const s3 = await startMockServices({
      publication: buildFixture({ seed: 14, ual: 300 }).publication,
      speed: parseSpeed('max'),
      pageSize: 2,
      publicUrls: { login: 'https://login.microsoftonline.com', management: 'https://manage.office.com' },
    });
    try {
      await s3.replay.done;
      const local = s3.listening.api;
      expect(s3.env().ENUMBENCH_MANAGEMENT_URL).toBe('https://manage.office.com');
      const t = (
        (await (
          await fetch(`${local}/${TENANT}/oauth2/v2.0/token`, {
            method: 'POST',
            body: new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: s3.identity.clientId,
              client_secret: s3.identity.clientSecret,
              scope: 'https://manage.office.com/.default',
            }),
          })
        ).json()) as { access_token: string }
      ).access_token;
      const h = { Authorization: `Bearer ${t}` };
      const root = `${local}/api/v1.0/${TENANT}/activity/feed`;
      await fetch(`${root}/subscriptions/start?contentType=Audit.Exchange`, { method: 'POST', headers: h });
      const r = await fetch(`${root}/subscriptions/content?contentType=Audit.Exchange`, { headers: h });
      const items = (await r.json()) as { contentUri: string }[];
      expect(items[0]?.contentUri.startsWith(`https://manage.office.com/api/v1.0/${TENANT}/activity/feed/audit/`)).toBe(
        true,
      );
      expect(r.headers.get('NextPageUri')?.startsWith('https://manage.office.com/api/v1.0/')).toBe(true);
      const oc = (await (await fetch(`${local}/${TENANT}/v2.0/.well-known/openid-configuration`)).json()) as {
        token_endpoint: string;
      };
      expect(oc.token_endpoint).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
    } finally {
      await s3.close();
    }
  });
});
