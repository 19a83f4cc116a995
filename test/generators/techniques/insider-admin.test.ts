// @module-tag slow
/**
 * insider-admin: the hard case blends by construction. The dump runs under the admin's own account,
 * app (Microsoft Graph PowerShell), user agent, device and device session, with a silent token
 * refresh — nothing new but the hour and the breadth. Options make it blend less.
 */
import { describe, expect, it } from 'vitest';
import { compose } from '../../../generators/compose/index.js';
import { sessionEpoch, sessionIdFor } from '../../../generators/sessions/session-ids.js';
import { attack, makeScenario } from '../helpers/scenario.js';
import { bySource, H, ofActor, oneCampaign, props, START, T_START } from './campaign-helpers.js';

const GRAPH_PWSH = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
const entry = {
  actor: { kind: 'account' as const, selector: { kind: 'role' as const, role: 'User Administrator' } },
  session: { network: 'home' as const, country: null, signIn: null, userAgent: null },
  at: T_START + 28 * H, // 23:00 in New York
};
const o = { durationMs: 40 * H };
const d = oneCampaign('insider-admin', entry, o);
const world = compose(
  makeScenario({
    users: 160,
    durationMs: 40 * H,
    start: START,
    roles: { 'Global Administrator': 2, 'Exchange Administrator': 2, 'User Administrator': 2 },
    attacks: [attack({ id: 'c1', technique: 'insider-admin', ...entry })],
  }),
).world;
const admin = world.attacks[0]?.user;

describe('insider-admin', () => {
  const mine = ofActor(d);
  const si = bySource(mine, 'signIns').map(props);
  const graph = bySource(mine, 'graphActivity').map(props);

  it("uses the admin's own app, user agent, device session, device and home network", () => {
    expect(admin?.adminHost).toBeTruthy();
    const sid = sessionIdFor(world, admin!, 0, sessionEpoch(world, admin!, 0, T_START + 28 * H));
    expect(si).toHaveLength(1);
    expect(si[0]).toMatchObject({
      appId: GRAPH_PWSH,
      sessionId: sid,
      isInteractive: false,
      ipAddress: admin?.home.v4[0],
    });
    expect((si[0]?.deviceDetail as { deviceId: string } | undefined)?.deviceId).toBe(admin?.devices[0]?.id);
    for (const g of graph) {
      expect(g).toMatchObject({ appId: GRAPH_PWSH, c_Sid: sid, userAgent: si[0]?.userAgent, clientAuthMethod: '0' });
    }
    // the owner's own sessions carry the same sid
    const own = d.records.filter(
      (r) => r.label.kind === 'profile' && r.source === 'signIns' && props(r).sessionId === sid,
    );
    expect(own.length).toBeGreaterThan(0);
  });

  it('dumps everything: every user with wide properties, every group and its members', () => {
    const uris = graph.map((g) => String(g.requestUri));
    expect(uris.some((u) => /\/v1\.0\/users\?\$select=.*mobilePhone.*&\$top=999/.test(u))).toBe(true);
    expect(uris.filter((u) => /\/groups\/[0-9a-f-]{36}\/members/.test(u)).length).toBe(world.groups.length);
    // at night in the admin's time zone
    const hour = Number(new Date(Date.parse(String(graph[0]?.timeGenerated)) - 5 * H).getUTCHours());
    expect(hour).toBeGreaterThanOrEqual(22);
  });

  it('leaves the Export-Csv script blocks on the admin host', () => {
    const sb = bySource(mine, 'endpointPowerShell').map((r) => r.record as Record<string, unknown>);
    expect(sb.map((x) => x.Computer)).toContain(admin?.adminHost?.computer);
    expect(sb.some((x) => String(x.ScriptBlockText).includes('Get-MgUser -All'))).toBe(true);
  });

  it('blends less from a personal machine: new session, no device, no 4104', () => {
    const away = ofActor(oneCampaign('insider-admin', { ...entry, options: { onHost: false } }, o));
    expect(bySource(away, 'endpointPowerShell')).toEqual([]);
    const p = props(bySource(away, 'signIns')[0]!);
    expect((p.deviceDetail as { deviceId: string }).deviceId).toBe('');
    expect(p.sessionId).not.toBe(si[0]?.sessionId);
  });

  it('the exo-powershell tool leaves only the sign-in and 4104 events unless Get-* is audited', () => {
    const exo = ofActor(oneCampaign('insider-admin', { ...entry, options: { tool: 'exo-powershell' } }, o));
    expect(bySource(exo, 'graphActivity')).toEqual([]);
    expect(bySource(exo, 'ual').filter((r) => (r.record as { RecordType: number }).RecordType === 1)).toEqual([]);
    const hyp = ofActor(
      oneCampaign(
        'insider-admin',
        { ...entry, options: { tool: 'exo-powershell' } },
        { ...o, hypotheses: ['exo-get-cmdlets-audited'] },
      ),
    );
    expect(bySource(hyp, 'ual').filter((r) => (r.record as { RecordType: number }).RecordType === 1)).toHaveLength(3);
  });
});
