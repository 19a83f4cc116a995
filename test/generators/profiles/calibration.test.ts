/**
 * Calibration of the benign profiles against the published facts (telemetry.md §4 and §6,
 * published-detections.md §2): the false-positive traps trip the Bert-JanP hourly volume rule, and
 * every benign profile keeps its app id and its schedule. A toy fails these.
 */
import { describe, expect, it } from 'vitest';
import type { LabelledRecord } from '../../../src/core/records.js';
import { localTime } from '../../../src/scenario/schedule.js';
import { bertjanpAlerts, entry, H, M, runProfiles } from './helpers.js';

const ROLES = {
  'Global Administrator': 2,
  'Exchange Administrator': 1,
  'Helpdesk Administrator': 3,
  'User Administrator': 1,
  'Directory Synchronization Accounts': 1,
};
const TZ = 'America/New_York';
/** a Monday; three days */
const START = '2026-11-02T00:00:00Z';

type Props = Record<string, unknown>;
const props = (r: LabelledRecord): Props => (r.record as { properties: Props }).properties;
const graph = (rs: LabelledRecord[]) => rs.filter((r) => r.source === 'graphActivity').map(props);
const signIns = (rs: LabelledRecord[]) => rs.filter((r) => r.source === 'signIns').map(props);
const ual = (rs: LabelledRecord[]) => rs.filter((r) => r.source === 'ual').map((r) => r.record as Props);

function tenant(users: number, days = 1, extra: Record<string, unknown> = {}) {
  return {
    users,
    groups: Math.round(users * 0.3),
    devices: Math.round(users * 1.2),
    servicePrincipals: 200,
    roles: ROLES,
    countries: ['US'],
    timezone: TZ,
    start: START,
    durationMs: days * 24 * H,
    ...extra,
  };
}

describe('false-positive traps trip the Bert-JanP hourly volume rule (published-detections.md §2)', () => {
  it('backup-app on a 1,000-user tenant: one alert a night, on the vendor app', async () => {
    const recs = runProfiles([entry('backup-app')], tenant(1000, 2));
    const alerts = await bertjanpAlerts(recs);
    expect(alerts.length).toBe(2);
    for (const a of alerts) {
      const d = a.details as {
        uniqueRequests: number;
        totalResponseSize: number;
        uniqueResourceCount: number;
        userId: string;
      };
      expect(d.uniqueRequests).toBeGreaterThanOrEqual(1000);
      expect(d.totalResponseSize).toBeGreaterThanOrEqual(1_000_000);
      expect(d.uniqueResourceCount).toBeGreaterThanOrEqual(4);
      expect(d.userId).toBe('');
    }
  });

  it('admin-report on a 1,000-user tenant: the Monday run fires, on the admin', async () => {
    const recs = runProfiles([entry('admin-report')], tenant(1000, 1));
    const alerts = await bertjanpAlerts(recs);
    expect(alerts.length).toBe(1);
    const d = alerts[0]?.details as { uniqueRequests: number; uniqueResourceCount: number; userId: string };
    expect(d.uniqueRequests).toBeGreaterThanOrEqual(1000);
    expect(d.uniqueResourceCount).toBeGreaterThanOrEqual(4);
    expect(d.userId).not.toBe('');
    // the documented figure: ≈1.3–1.4 GETs per user, so ≥ 1,000 from about 800 users up
    expect(d.uniqueRequests / 1000).toBeGreaterThan(1.25);
    expect(d.uniqueRequests / 1000).toBeLessThan(1.5);
  });

  it('admin-report on a 500-user tenant stays under the 1,000-request threshold, as documented', async () => {
    const recs = runProfiles([entry('admin-report')], tenant(500, 1));
    expect(await bertjanpAlerts(recs)).toEqual([]);
  });

  it('the quiet profiles stay under it on the same tenant', async () => {
    const recs = runProfiles(
      ['directory-sync', 'helpdesk', 'admin-portal', 'governance-app', 'hr-provisioning', 'license-script'].map((p) =>
        entry(p),
      ),
      tenant(1000, 1),
    );
    expect(await bertjanpAlerts(recs)).toEqual([]);
  });
});

describe('benign profiles keep their app ids and schedules', () => {
  it('directory-sync: the Sync_ account signs in on the 30-minute grid, 48 a day, one address, Azure AD Connect → AAD Graph', () => {
    const recs = runProfiles([entry('directory-sync', { options: { fullSyncEvery: '30d' } })], tenant(300, 2));
    const s = signIns(recs);
    expect(s.length).toBeGreaterThanOrEqual(92);
    expect(s.length).toBeLessThanOrEqual(97);
    for (const p of s) {
      expect(p.userPrincipalName).toMatch(/^Sync_[A-Z0-9]+_[0-9a-f]{12}@contoso\.onmicrosoft\.com$/);
      expect(p.appId).toBe('cb1056e2-e479-49de-ae31-7812af012ed8');
      expect(p.resourceId).toBe('00000002-0000-0000-c000-000000000000');
      expect((p.status as { errorCode: number }).errorCode).toBe(0);
      const off = Date.parse(String(p.createdDateTime)) % (30 * M);
      expect(off).toBeLessThan(3 * M);
    }
    expect(new Set(s.map((p) => p.ipAddress)).size).toBe(1);
    const writes = ual(recs).filter((r) => r.RecordType === 8);
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) expect(String(w.UserId)).toMatch(/^Sync_/);
  });

  it('directory-sync storm: the hour after the outage holds dozens of cycles and the backlog', () => {
    const recs = runProfiles(
      [
        entry('directory-sync', {
          options: { outageAt: 4 * H, outage: 8 * H, stormCycles: 30, fullSyncEvery: 30 * 24 * H },
        }),
      ],
      tenant(2000, 1),
    );
    const t0 = Date.parse(START);
    const s = signIns(recs).map((p) => Date.parse(String(p.createdDateTime)) - t0);
    expect(s.filter((t) => t >= 4 * H + 5 * M && t < 12 * H).length).toBe(0);
    const storm = s.filter((t) => t >= 12 * H && t < 13 * H + 30 * M);
    expect(storm.length).toBeGreaterThanOrEqual(25);
    const writes = ual(recs).filter((r) => r.RecordType === 8 && Date.parse(`${r.CreationTime}Z`) - t0 >= 12 * H);
    expect(writes.length).toBeGreaterThan(100);
  });

  it('backup-app: nightly at 01:00 tenant time, one app, two vendor-cloud addresses, app-only with a certificate', () => {
    const recs = runProfiles([entry('backup-app', { options: { scope: ['directory'] } })], tenant(200, 3));
    const g = graph(recs);
    const starts = new Map<string, number>();
    for (const p of g) {
      expect(p.appId).toBe(g[0]?.appId);
      expect('userId' in p).toBe(false); // app-only rows carry no userId key
      expect(p.servicePrincipalId).toBeTruthy();
      // a certificate, as the profile documents (ClientAuthMethod 2; 1 would be a secret)
      expect(p.clientAuthMethod).toBe('2');
      expect(String(p.roles)).toContain('Directory.Read.All');
      const t = Date.parse(String(p.timeGenerated));
      const l = localTime(t, TZ);
      expect(l.hour).toBe(1);
      const day = new Date(t).toISOString().slice(0, 10);
      if (!starts.has(day)) starts.set(day, l.minute);
    }
    expect(starts.size).toBe(3);
    for (const m of starts.values()) expect(m).toBeLessThan(3);
    expect(new Set(g.map((p) => p.ipAddress)).size).toBeLessThanOrEqual(2);
    const sp = signIns(recs);
    expect(sp.length).toBe(3);
    for (const p of sp) {
      expect(p.servicePrincipalId).toBe(g[0]?.servicePrincipalId);
      expect(p.clientCredentialType).toBe('clientAssertion');
    }
  });

  it('backup-app: `app:` names the vendor (Commvault sends no user agent)', () => {
    const recs = runProfiles(
      [entry('backup-app', { app: 'Commvault', options: { scope: ['directory'] } })],
      tenant(100, 1),
    );
    const g = graph(recs);
    expect(g.length).toBeGreaterThan(0);
    for (const p of g) expect(p.userAgent).toBe('');
    const sp = signIns(recs);
    expect(sp.length).toBe(1);
    expect(sp[0]?.servicePrincipalName).toBe('Commvault Metallic');
  });

  it('governance-app: hourly delta queries, a full resync walks the directory', () => {
    const recs = runProfiles([entry('governance-app', { options: { fullResyncEvery: '1d' } })], tenant(1000, 2));
    const g = graph(recs);
    for (const p of g) {
      expect(String(p.requestUri)).toMatch(/\/v1\.0\/(users|groups)\/delta\?/);
      expect(p.appId).toBe(g[0]?.appId);
    }
    const tokened = g.filter((p) => String(p.requestUri).includes('$deltatoken='));
    expect(tokened.length).toBeGreaterThanOrEqual(2 * 44);
    // two resyncs in two days: each pages through 1,000 users 200 at a time
    const firstPages = g.filter((p) => /\/users\/delta\?\$select=[^&]*$/.test(String(p.requestUri)));
    expect(firstPages.length).toBe(2);
    expect(g.length - tokened.length).toBeGreaterThanOrEqual(2 * 5);
  });

  it('helpdesk: single-object lookups in business hours; Get-Mailbox leaves no RecordType 1 unless the hypothesis is on', () => {
    const recs = runProfiles([entry('helpdesk')], tenant(300, 1));
    const g = graph(recs);
    expect(g.length).toBeGreaterThan(40);
    for (const p of g) {
      expect(p.appId).toBe('c44b4083-3bb0-49c1-b47d-974e53cbdf3c');
      expect(String(p.requestUri)).toMatch(/\/users\/[^/?]+(\?|\/|$)/);
      const l = localTime(Date.parse(String(p.timeGenerated)), TZ);
      expect(l.hour).toBeGreaterThanOrEqual(9);
      expect(l.hour).toBeLessThan(19);
    }
    expect(ual(recs).filter((r) => r.RecordType === 1)).toEqual([]);
    const exoSignIns = signIns(recs).filter((p) => p.appId === 'fb78d390-0c51-40cd-8e17-fdbfab77341b');
    expect(exoSignIns.length).toBeGreaterThan(0);
    const audited = runProfiles([entry('helpdesk')], { ...tenant(300, 1), hypotheses: ['exo-get-cmdlets-audited'] });
    const gets = ual(audited).filter((r) => r.RecordType === 1);
    expect(gets.length).toBeGreaterThan(0);
    for (const r of gets) expect(String(r.Operation)).toMatch(/^Get-Mailbox(Statistics)?$/);
  });

  it('admin-report: Graph PowerShell on Monday at 07:00; Get-Mailbox -ResultSize Unlimited only under the hypothesis', () => {
    const recs = runProfiles(
      [entry('admin-report', { options: { reports: ['licenses', 'mailboxes'] } })],
      tenant(300, 2),
    );
    const g = graph(recs);
    expect(g.some((p) => String(p.requestUri).endsWith('/v1.0/subscribedSkus'))).toBe(true);
    expect(
      g.some((p) => String(p.requestUri).includes('$select=id,displayName,userPrincipalName,assignedLicenses')),
    ).toBe(true);
    for (const p of g) {
      expect(p.appId).toBe('14d82eec-204b-4c2f-b7e8-296a70dab67e');
      const t = Date.parse(String(p.timeGenerated));
      expect(localTime(t, TZ)).toMatchObject({ weekday: 1, hour: 7 });
    }
    expect(ual(recs).filter((r) => r.RecordType === 1)).toEqual([]);
    expect(signIns(recs).some((p) => p.appId === 'fb78d390-0c51-40cd-8e17-fdbfab77341b')).toBe(true);
    const audited = runProfiles([entry('admin-report', { options: { reports: ['mailboxes'] } })], {
      ...tenant(300, 1),
      hypotheses: ['exo-get-cmdlets-audited'],
    });
    const ops = ual(audited).filter((r) => r.RecordType === 1);
    const unlimited = ops.filter((r) => r.Operation === 'Get-Mailbox');
    expect(unlimited.length).toBe(1);
    expect(unlimited[0]?.Parameters).toEqual([{ Name: 'ResultSize', Value: 'Unlimited' }]);
    expect(ops.filter((r) => r.Operation === 'Get-MailboxStatistics').length).toBeGreaterThan(250);
  });

  it('admin-portal: the Azure Portal app pages /beta/users 100 at a time with $count, browser user agent', () => {
    const recs = runProfiles([entry('admin-portal')], tenant(800, 2));
    const g = graph(recs);
    expect(g.length).toBeGreaterThan(5);
    for (const p of g) {
      expect(p.appId).toBe('c44b4083-3bb0-49c1-b47d-974e53cbdf3c');
      expect(String(p.userAgent)).toMatch(/^Mozilla\/5\.0 /);
      expect(p.clientAuthMethod).toBe('0');
    }
    const pages = g.filter(
      (p) => String(p.requestUri).includes('/beta/users?$select=') && !String(p.requestUri).includes('$search'),
    );
    expect(pages.length).toBeGreaterThan(0);
    for (const p of pages) expect(String(p.requestUri)).toContain('$top=100&$count=true');
  });

  it('hr-provisioning: writes on the 40-minute grid by the provisioning app, one filtered lookup per change, no listing', () => {
    const recs = runProfiles([entry('hr-provisioning')], tenant(2000, 1));
    const writes = ual(recs).filter((r) => r.RecordType === 8);
    expect(writes.length).toBeGreaterThan(8);
    for (const w of writes) {
      expect(['Add user.', 'Update user.']).toContain(w.Operation);
      expect(String(w.UserId)).toMatch(/^ServicePrincipal_/);
    }
    const g = graph(recs);
    expect(g.length).toBe(writes.length);
    for (const p of g) {
      expect(String(p.requestUri)).toContain("$filter=employeeId eq '");
      expect(p.appId).toBe('00000014-0000-0000-c000-000000000000');
    }
    // the first change of a cycle comes shortly after its slot on the 40-minute grid
    const slots = new Set<number>();
    for (const p of g) {
      const t = Date.parse(String(p.timeGenerated));
      const slot = Math.floor(t / (40 * M));
      if (slots.has(slot)) continue;
      slots.add(slot);
      expect(t % (40 * M)).toBeLessThan(10 * M);
    }
  });

  it('license-script: weekly on Monday at 06:00, /subscribedSkus and ⌈users/999⌉ pages of assignedLicenses', () => {
    const recs = runProfiles([entry('license-script')], tenant(2500, 3));
    const g = graph(recs);
    expect(g.length).toBe(1 + 3);
    for (const p of g) {
      expect(p.appId).toBe('14d82eec-204b-4c2f-b7e8-296a70dab67e');
      expect(localTime(Date.parse(String(p.timeGenerated)), TZ)).toMatchObject({ weekday: 1, hour: 6 });
    }
    const app = runProfiles([entry('license-script', { options: { mode: 'app' } })], tenant(500, 1));
    const ga = graph(app);
    expect(ga.length).toBe(2);
    for (const p of ga) {
      expect(p.clientAuthMethod).toBe('2');
      expect('userId' in p).toBe(false); // app-only rows carry no userId key
    }
  });
});

describe('labels', () => {
  it('no benign record carries a malicious label', () => {
    const all = [
      'directory-sync',
      'helpdesk',
      'admin-report',
      'admin-portal',
      'backup-app',
      'governance-app',
      'hr-provisioning',
      'license-script',
    ];
    const recs = runProfiles(
      all.map((p) => entry(p)),
      tenant(150, 1),
    );
    const modules = new Set(recs.map((r) => r.label.module));
    expect([...modules].sort()).toEqual([...all].sort());
    for (const r of recs) {
      expect(r.label.malicious).toBe(false);
      expect(r.label.kind).toBe('profile');
      expect(r.label.campaign).toBeUndefined();
    }
  });
});
