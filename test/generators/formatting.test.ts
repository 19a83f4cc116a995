/**
 * One formatting path for every actor (issue 13, item 2): ids, token ids and paging tokens come
 * from the same builders whoever the actor is, in the forms the real service writes. Each check
 * runs over a tenant where benign profiles and attack techniques both page, sign in and call
 * Exchange, and must hold on both sides (a check that only one side reaches proves nothing).
 */
import { describe, expect, it } from 'vitest';
import { exchangeRecordId, guidBytes, skipToken, utiOf } from '../../generators/records/common.js';
import type { LabelledRecord } from '../../src/core/records.js';
import { rngStream } from '../../src/core/rng.js';
import type { ProfileEntry } from '../../src/scenario/types.js';
import { generateInMemory } from './helpers/run.js';
import { SAMPLES, samples } from './helpers/samples.js';
import { attack, makeScenario } from './helpers/scenario.js';

const H = 3_600_000;

const profile = (p: string, o: Partial<ProfileEntry> = {}): ProfileEntry => ({
  id: p,
  profile: p,
  actors: null,
  schedule: null,
  app: null,
  options: {},
  ...o,
});

const start = Date.parse('2026-11-03T00:00:00Z');
const d = generateInMemory(
  makeScenario({
    users: 120,
    durationMs: 26 * H,
    start: '2026-11-03T00:00:00Z',
    hypotheses: ['exo-get-cmdlets-audited'],
    roles: { 'Global Administrator': 2, 'Exchange Administrator': 2, 'Helpdesk Administrator': 3 },
    activity: [
      profile('workforce'),
      profile('admin-portal'),
      profile('admin-report', { schedule: { kind: 'every', everyMs: 6 * H } as ProfileEntry['schedule'] }),
      profile('backup-app'),
      profile('license-script'),
      profile('governance-app'),
    ],
    attacks: [
      attack({ id: 'hound', technique: 'azurehound', at: start + 14 * H }),
      attack({ id: 'runner', technique: 'graphrunner', at: start + 15 * H }),
      attack({ id: 'listing', at: start + 16 * H, options: { pageSize: 20 } }),
      attack({ id: 'exo', technique: 'exo-powershell-recon', at: start + 13 * H }),
    ],
  }),
);

const side = (r: LabelledRecord) => (r.label.malicious ? 'malicious' : 'benign');

/** A token id is the base64url of a version-4 GUID's 16 bytes in .NET order, ending in 00. */
function isTokenId(s: string): boolean {
  if (!/^[A-Za-z0-9_-]{22}$/.test(s)) return false;
  const b = Buffer.from(s, 'base64url');
  return b.length === 16 && b[15] === 0 && (b[7] as number) >> 4 === 4 && (b[8] as number) >> 6 === 2;
}

function tokenIds(r: LabelledRecord): string[] {
  const x = r.record as Record<string, unknown>;
  const p = (x.properties ?? {}) as Record<string, unknown>;
  switch (r.source) {
    case 'signIns':
      return [String(p.uniqueTokenIdentifier)];
    case 'graphActivity':
      return [String(p.signInActivityId)];
    case 'aadGraphActivity':
      // AAD Graph writes it in standard base64 with its padding
      return [String(p.signInActivityId).replace(/==$/, '').replace(/\+/g, '-').replace(/\//g, '_')];
    case 'ual': {
      const ctx = x.AppAccessContext as { UniqueTokenId?: string } | undefined;
      return ctx?.UniqueTokenId ? [ctx.UniqueTokenId] : [];
    }
    default:
      return [];
  }
}

const TICKS_AT_EPOCH = 621_355_968_000_000_000n;

/** The instant an Exchange record id encodes: its last two groups are the .NET ticks, low 16 bits first. */
function idTicksMs(id: string): number {
  const g = id.split('-');
  const ticks = BigInt(`0x${g[4]}${g[3]}`);
  return Number((ticks - TICKS_AT_EPOCH) / 10_000n);
}

describe('token ids', () => {
  it('the real token ids decode as the builder says: a v4 GUID in .NET byte order, last byte 00', () => {
    const real = samples('ual-1.jsonl')
      .map((r) => (r.AppAccessContext as { UniqueTokenId?: string } | undefined)?.UniqueTokenId)
      .filter((x): x is string => Boolean(x));
    for (const t of [...real, 'OPD3UZnmTkud24wRw6ATAA']) expect(isTokenId(t), t).toBe(true);
    // and the builder round-trips an ESTS request id (GUID ending 00) through .NET byte order
    const id = '9401f4f5-c86c-402d-a892-3a0b78392300';
    expect(Buffer.from(utiOf(id), 'base64url')).toEqual(Buffer.from(guidBytes(id)));
    expect(utiOf(id)).toMatch(/AA$/);
  });

  it('every token id in every source, benign and malicious, is such a GUID', () => {
    const bad: string[] = [];
    const seen = new Map<string, number>();
    for (const r of d.records) {
      for (const t of tokenIds(r)) {
        const k = `${r.source}/${side(r)}`;
        seen.set(k, (seen.get(k) ?? 0) + 1);
        if (!isTokenId(t)) bad.push(`${k}: ${t}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    for (const k of ['signIns/benign', 'signIns/malicious', 'graphActivity/benign', 'graphActivity/malicious']) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
    }
  });

  it("a sign-in's token id is the id of the request that minted it", () => {
    const rows = d.records.filter((r) => r.source === 'signIns');
    expect(rows.length).toBeGreaterThan(0);
    // a duplicate row (a new id, the same token) keeps its first row's token id
    const minted = new Set(rows.map((r) => utiOf((r.record as { properties: { id: string } }).properties.id)));
    const orphans = rows
      .map((r) => String((r.record as { properties: Record<string, unknown> }).properties.uniqueTokenIdentifier))
      .filter((t) => !minted.has(t));
    expect(orphans.slice(0, 3)).toEqual([]);
  });
});

describe('Exchange record ids', () => {
  it.skipIf(!SAMPLES)('every real ExchangeAdmin id carries the .NET ticks of its CreationTime', () => {
    const real = samples('ual-1.jsonl');
    expect(real.length).toBe(5);
    for (const r of real) {
      const dt = idTicksMs(String(r.Id)) - Date.parse(`${r.CreationTime}Z`);
      expect(dt, String(r.Id)).toBeGreaterThanOrEqual(0);
      expect(dt, String(r.Id)).toBeLessThan(1000);
    }
  });

  it('ours do too, benign and malicious alike', () => {
    const ex = d.records.filter((r) => r.source === 'ual' && (r.record as { RecordType?: number }).RecordType === 1);
    expect(new Set(ex.map(side))).toEqual(new Set(['benign', 'malicious']));
    for (const r of ex) {
      const x = r.record as { Id: string; CreationTime: string };
      expect(x.Id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const dt = idTicksMs(x.Id) - Date.parse(`${x.CreationTime}Z`);
      expect(dt).toBeGreaterThanOrEqual(0);
      expect(dt).toBeLessThan(1000);
    }
  });

  it('the builder keeps the sub-second part of the instant', () => {
    const r = rngStream(1, 'x');
    const t = Date.parse('2024-03-10T21:04:43.812Z');
    const id = exchangeRecordId(r, t);
    expect(idTicksMs(id)).toBe(t);
  });
});

describe('paging tokens', () => {
  const skips = (r: LabelledRecord) => {
    if (r.source !== 'graphActivity') return [];
    const uri = String((r.record as { properties: { requestUri: string } }).properties.requestUri);
    return [...uri.matchAll(/[?&](?:\$|%24)skiptoken=([^&]+)/g)].map((m) => m[1] as string);
  };

  it('the builder writes the DirSync cookie the published nextLinks carry', () => {
    // decoded from a Microsoft Graph docs nextLink for /groups and an SDK fixture for /users
    expect(skipToken('Group', 'cc13cf9c-e9cb-4765-833a-9023d8a28ef3')).toBe(
      'RFNwdAIAAQAAACpHcm91cF9jYzEzY2Y5Yy1lOWNiLTQ3NjUtODMzYS05MDIzZDhhMjhlZjMqR3JvdXBfY2MxM2NmOWMtZTljYi00NzY1LTgzM2EtOTAyM2Q4YTI4ZWYzAAAAAAAAAAAAAAA',
    );
    expect(skipToken('User', '87d349ed-44d7-43e1-9a83-5f2406dee5bd', 'AdeleV@M365x214355.onmicrosoft.com')).toBe(
      'RFNwdAIAAQAAACM6QWRlbGVWQE0zNjV4MjE0MzU1Lm9ubWljcm9zb2Z0LmNvbSlVc2VyXzg3ZDM0OWVkLTQ0ZDctNDNlMS05YTgzLTVmMjQwNmRlZTViZLkAAAAAAAAAAAAA',
    );
  });

  it('every $skiptoken, benign and malicious, is such a cookie naming an object of this tenant', () => {
    const sides = new Set<string>();
    for (const r of d.records) {
      for (const tok of skips(r)) {
        sides.add(side(r));
        expect(tok).toMatch(/^RFNwdAIAAQAAA[A-Za-z0-9_-]+$/);
        const text = Buffer.from(tok, 'base64url').toString('latin1');
        expect(text.slice(0, 4)).toBe('DSpt');
        expect(text).toMatch(/(User|Group|ServicePrincipal|Application|Device|Contact)_[0-9a-f-]{36}/);
      }
    }
    expect(sides).toEqual(new Set(['benign', 'malicious']));
  });
});

describe('client request ids follow the client library', () => {
  const rows = d.records
    .filter((r) => r.source === 'graphActivity')
    .map((r) => ({ r, p: (r.record as { properties: Record<string, unknown> }).properties }));

  it('one client sends a client-request-id always or never: no coin flip per request', () => {
    const byClient = new Map<string, Set<boolean>>();
    for (const { r, p } of rows) {
      const k = `${side(r)}|${r.label.actor.split(':')[0]}|${p.appId}|${p.userAgent}`;
      const set = byClient.get(k) ?? new Set<boolean>();
      set.add(p.clientRequestId === p.requestId);
      byClient.set(k, set);
    }
    const mixed = [...byClient].filter(([, v]) => v.size > 1).map(([k]) => k);
    expect(mixed).toEqual([]);
  });

  it('the tools send none; Microsoft apps and the Graph SDK always do; benign raw HTTP exists too', () => {
    const same = (pred: (p: Record<string, unknown>, r: LabelledRecord) => boolean) =>
      rows.filter(({ r, p }) => pred(p, r)).map(({ p }) => p.clientRequestId === p.requestId);
    const tools = same((p, r) => r.label.malicious && /azurehound|python-requests/.test(String(p.userAgent)));
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every(Boolean)).toBe(true);
    const sdk = same((p, r) => !r.label.malicious && /Microsoft\.Graph/.test(String(p.userAgent)));
    expect(sdk.length).toBeGreaterThan(0);
    expect(sdk.some(Boolean)).toBe(false);
    // a benign client without the header (the governance vendor's Java client): the trait is not the attacker's alone
    const java = same((p, r) => !r.label.malicious && String(p.userAgent).startsWith('Java/'));
    expect(java.length).toBeGreaterThan(0);
    expect(java.every(Boolean)).toBe(true);
  });
});

describe('the UAL sign-in mirror derives its fields from the sign-in', () => {
  const mirrors = d.records
    .filter((r) => r.source === 'ual' && (r.record as { RecordType?: number }).RecordType === 15)
    .map((r) => {
      const x = r.record as {
        ExtendedProperties: { Name: string; Value: string }[];
        DeviceProperties: { Name: string; Value: string }[];
      };
      const ext = Object.fromEntries(x.ExtendedProperties.map((e) => [e.Name, e.Value]));
      const dev = Object.fromEntries(x.DeviceProperties.map((e) => [e.Name, e.Value]));
      return { r, ext, dev };
    });

  it('OS and BrowserType come from the user agent, for every actor', () => {
    expect(new Set(mirrors.map((m) => side(m.r)))).toEqual(new Set(['benign', 'malicious']));
    for (const { ext, dev } of mirrors) {
      const ua = String(ext.UserAgent);
      if (/Windows NT 10/.test(ua)) expect(dev.OS).toBe('Windows 10');
      if (/Macintosh/.test(ua)) expect(dev.OS).toBe('MacOS');
      if (/^(python-requests|azurehound)/.test(ua)) expect(dev.OS).toBeUndefined();
      if (/Edg\//.test(ua)) expect(dev.BrowserType).toBe('Edge');
      else if (/^Mozilla\/5\.0 \(Macintosh.*Chrome\//.test(ua)) expect(dev.BrowserType).toBe('Chrome');
      if (!ua.startsWith('Mozilla/') || /PowerShell/.test(ua)) expect(dev.BrowserType).toBe('Other');
    }
  });

  it('RequestType and KeepMeSignedIn follow the flow: a token redemption is OAuth2:Token without KMSI', () => {
    const kmsiFlows = new Set<string>();
    for (const { ext } of mirrors) {
      const ua = String(ext.UserAgent);
      if (/^python-requests/.test(ua)) expect(ext.RequestType).not.toBe('Login:login');
      if (ext.KeepMeSignedIn) kmsiFlows.add(ext.RequestType as string);
    }
    expect([...kmsiFlows].filter((t) => t !== 'Login:login' && t !== 'SAS:EndAuth')).toEqual([]);
    // non-interactive sign-ins that reach the UAL are token redemptions
    const types = new Set(mirrors.map((m) => m.ext.RequestType));
    expect(types.has('OAuth2:Token')).toBe(true);
  });
});

describe("app-only and delegated rows keep the real record's keys", () => {
  const graph = d.records
    .filter((r) => r.source === 'graphActivity')
    .map((r) => ({ r, p: (r.record as { properties: Record<string, unknown> }).properties }));

  it('app-only rows omit userId, c_Sid and C_DeviceId and say scopes ""; delegated rows keep them', () => {
    const appOnly = graph.filter(({ p }) => p.C_Idtyp === 'app');
    const delegated = graph.filter(({ p }) => p.C_Idtyp === 'user');
    expect(appOnly.length).toBeGreaterThan(0);
    for (const { p } of appOnly) {
      for (const k of ['userId', 'c_Sid', 'C_DeviceId']) expect(k in p, k).toBe(false);
      expect(p.scopes).toBe('');
      expect(typeof p.servicePrincipalId).toBe('string');
    }
    for (const { p } of delegated.slice(0, 2000)) {
      for (const k of ['userId', 'c_Sid', 'C_DeviceId']) expect(k in p, k).toBe(true);
    }
  });
});

describe('authentication steps keep their own times', () => {
  it('a performed MFA step completes after the sign-in started; primary steps at its time', () => {
    let later = 0;
    for (const r of d.records) {
      if (r.source !== 'signIns') continue;
      const p = (r.record as { properties: Record<string, unknown> }).properties;
      const steps = (p.authenticationDetails ?? []) as Record<string, unknown>[];
      const created = Date.parse(String(p.createdDateTime));
      for (const a of steps) {
        const at = Date.parse(String(a.authenticationStepDateTime));
        if (a.authenticationStepRequirement === 'Primary authentication') expect(at).toBe(created);
        if (a.authenticationMethod === 'Mobile app notification' && a.succeeded === true) {
          expect(at).toBeGreaterThan(created);
          later++;
        }
      }
    }
    expect(later).toBeGreaterThan(0);
  });
});
