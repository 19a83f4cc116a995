// @module-tag slow
/**
 * exo-powershell-recon against the published facts: Exchange Online does not audit Get-* cmdlets
 * (management-activity-api.md §9), EXO V3 is the Exchange REST PowerShell app against the Exchange
 * resource (telemetry.md §3), nothing reaches the Graph activity logs, and the command lines exist
 * only in 4104 events on the host that ran them. Under the `exo-get-cmdlets-audited` hypothesis the
 * RecordType 1 records take the documented shape (samples/ual-1.jsonl) and the truth and manifest say so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exchangeCmdletAudited } from '../../../generators/records/ual.js';
import { generateDataset } from '../../../harness/dataset/generate.js';
import { attack, makeScenario } from '../helpers/scenario.js';
import { bySource, H, ofActor, oneCampaign, props, START, T_START } from './campaign-helpers.js';

const EXO_APP = 'fb78d390-0c51-40cd-8e17-fdbfab77341b';
const EXO_RESOURCE = '00000002-0000-0ff1-ce00-000000000000';
const HYP = 'exo-get-cmdlets-audited';
/** The keys, in order, of the 2024 Set-Mailbox record in reference/samples/ual-1.jsonl (L1). */
const UAL1_KEYS = [
  'AppAccessContext',
  'CreationTime',
  'Id',
  'Operation',
  'OrganizationId',
  'RecordType',
  'ResultStatus',
  'UserKey',
  'UserType',
  'Version',
  'Workload',
  'ClientIP',
  'ObjectId',
  'UserId',
  'AppId',
  'AppPoolName',
  'ClientAppId',
  'ExternalAccess',
  'OrganizationName',
  'OriginatingServer',
  'Parameters',
  'RequestId',
  'SessionId',
];
const entry = {
  actor: { kind: 'account' as const, selector: { kind: 'role' as const, role: 'Exchange Administrator' } },
  session: { network: 'corporate' as const, country: null, signIn: null, userAgent: null },
};
const real = oneCampaign('exo-powershell-recon', entry);
const an1089 = oneCampaign('exo-powershell-recon', entry, { hypotheses: [HYP] });
const ual1 = (d: typeof real) =>
  d.records.filter((r) => r.source === 'ual' && (r.record as { RecordType: number }).RecordType === 1);
const isGet = (r: (typeof real.records)[number]) =>
  String((r.record as { Operation: string }).Operation).startsWith('Get-');

describe('exo-powershell-recon', () => {
  it('without the hypothesis: no Get-* ExchangeAdmin record at all, from anyone', () => {
    expect(exchangeCmdletAudited('Get-Mailbox', [])).toBe(false);
    expect(ual1(real).filter(isGet)).toEqual([]);
    expect(
      ofActor(real).filter((r) => r.source === 'ual' && (r.record as { RecordType: number }).RecordType === 1),
    ).toEqual([]);
    expect(real.truth.hypotheses).toEqual([]);
  });

  it('with the hypothesis: one RecordType 1 record per cmdlet, in the documented shape', () => {
    const recs = ofActor(an1089).filter(
      (r) => r.source === 'ual' && (r.record as { RecordType: number }).RecordType === 1,
    );
    expect(recs.map((r) => (r.record as { Operation: string }).Operation)).toEqual([
      'Get-Recipient',
      'Get-Mailbox',
      'Get-User',
    ]);
    for (const r of recs) {
      const x = r.record as Record<string, unknown>;
      expect(Object.keys(x)).toEqual(UAL1_KEYS);
      expect(x).toMatchObject({
        RecordType: 1,
        Workload: 'Exchange',
        UserType: 2,
        ResultStatus: 'True',
        AppId: EXO_APP,
      });
      expect(x.Parameters).toEqual([{ Name: 'ResultSize', Value: 'Unlimited' }]);
      expect(x.CreationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(x.ClientIP).toMatch(/^[\d.]+:\d+$/);
    }
    expect(an1089.truth.hypotheses).toEqual([HYP]);
  });

  it('the hypothesis is flagged in the manifest, never inside a record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exo-'));
    try {
      const s = makeScenario({
        users: 60,
        durationMs: 20 * H,
        start: START,
        hypotheses: [HYP],
        roles: { 'Exchange Administrator': 1 },
        activity: [],
        attacks: [attack({ id: 'c1', technique: 'exo-powershell-recon', at: T_START + 15 * H, ...entry })],
      });
      const r = generateDataset(s, { out: dir, scenarioHash: 'x', toolVersion: 'test' });
      expect(r.manifest.hypotheses).toEqual([HYP]);
    } finally {
      for (const d of [dir, `${dir}.truth`]) rmSync(d, { recursive: true, force: true });
    }
    for (const lines of Object.values(an1089.lines)) for (const l of lines) expect(l).not.toContain(HYP);
  });

  it('what really remains: the sign-in to the Exchange REST PowerShell app, no Graph request', () => {
    for (const d of [real, an1089]) {
      const mine = ofActor(d);
      expect(bySource(mine, 'graphActivity')).toEqual([]);
      expect(bySource(mine, 'aadGraphActivity')).toEqual([]);
      const si = bySource(mine, 'signIns').map(props);
      expect(si.length).toBeGreaterThanOrEqual(1);
      for (const p of si) {
        expect(p.appId).toBe(EXO_APP);
        expect(p.resourceId).toBe(EXO_RESOURCE);
      }
    }
  });

  it("4104 events carry the command lines on the admin's host, and only there", () => {
    const sb = bySource(ofActor(real), 'endpointPowerShell').map((r) => r.record as Record<string, unknown>);
    const texts = sb.map((x) => String(x.ScriptBlockText));
    for (const c of ['Get-Recipient', 'Get-Mailbox', 'Get-User'])
      expect(texts.some((t) => t.startsWith(`${c} -ResultSize Unlimited`))).toBe(true);
    expect(texts.some((t) => t.startsWith('Connect-ExchangeOnline'))).toBe(true);
    expect(new Set(sb.map((x) => x.Computer)).size).toBe(1);
    expect(new Set(sb.map((x) => x.EventID))).toEqual(new Set([4104]));
    // Verbose like every logged block: recon cmdlets are not on PowerShell's suspicious-content list
    expect(new Set(sb.map((x) => x.Level))).toEqual(new Set([5]));
    const away = oneCampaign('exo-powershell-recon', { ...entry, options: { host: 'attacker-machine' } });
    expect(bySource(ofActor(away), 'endpointPowerShell')).toEqual([]);
    expect(bySource(ofActor(away), 'signIns').length).toBeGreaterThan(0);
  });

  it('without endpoint collection the command lines are gone too', () => {
    const d = oneCampaign('exo-powershell-recon', entry, { collection: 'e5-diagnostics' });
    expect(new Set(ofActor(d).map((r) => r.source))).toEqual(new Set(['signIns', 'ual']));
  });
});
