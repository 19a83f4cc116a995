// @module-tag slow
/**
 * token-replay against the published facts: one attacker session seen from two networks
 * (telemetry.md §5 "Session": `SessionId`/`c_sid` from more than one IP and ASN), and the published
 * Elastic rule "Entra ID OAuth User Impersonation to Microsoft Graph" (published-detections.md §3b,
 * ported in detectors/published/) fires on it.
 */
import { describe, expect, it } from 'vitest';
import { elasticGraphSessionMultipleAddresses } from '../../../detectors/published/elastic-graph-session-multiple-addresses.js';
import { compose } from '../../../generators/compose/index.js';
import { drive } from '../../detectors/published/fixtures.js';
import { attack, makeScenario } from '../helpers/scenario.js';
import { bySource, deliveries, H, ofActor, oneCampaign, props, START, T_START } from './campaign-helpers.js';

const OFFICE = 'd3590ed6-52b3-4102-aeff-aad2292ab01c';
const entry = { session: { network: 'vps' as const, country: 'NL', signIn: null, userAgent: null } };
const d = oneCampaign('token-replay', entry);
const campaign = d.truth.campaigns.find((c) => c.id === 'c1');
const world = compose(
  makeScenario({
    users: 160,
    durationMs: 24 * H,
    start: START,
    roles: { 'Global Administrator': 2, 'Exchange Administrator': 2, 'User Administrator': 2 },
    attacks: [attack({ id: 'c1', technique: 'token-replay', at: T_START + 15 * H, ...entry })],
  }),
).world;

describe('token-replay', () => {
  const sid = campaign?.sessions[0] as string;
  const mine = ofActor(d);
  const signins = bySource(mine, 'signIns').map(props);
  const graph = bySource(mine, 'graphActivity').map(props);

  it("replays the victim's own session: one sid, the stolen token's uti, a first-party client", () => {
    expect(campaign?.sessions).toHaveLength(1);
    const victim = world.attacks[0]?.user;
    expect(victim).toBeTruthy();
    expect(graph.length).toBeGreaterThan(2);
    for (const g of graph) {
      expect(g.c_Sid).toBe(sid);
      expect(g.appId).toBe(OFFICE);
      expect(g.clientAuthMethod).toBe('0');
      expect(g.UserPrincipalObjectID).toBe(victim?.id);
    }
    for (const s of signins) expect(s.sessionId).toBe(sid);
    // the first replayed requests carry the token the victim's refresh minted
    expect(graph[0]?.signInActivityId).toBe(signins[0]?.uniqueTokenIdentifier);
    // the owner keeps working in the same session, from their own network
    const owner = d.records.filter(
      (r) => r.label.kind === 'profile' && r.source === 'signIns' && props(r).sessionId === sid,
    );
    expect(owner.length).toBeGreaterThan(0);
  });

  it('shows one session from two networks: two IPs and two ASNs across sign-in and Graph logs', () => {
    const asnOf = new Map<string, number>();
    for (const r of d.records.filter((x) => x.source === 'signIns')) {
      const p = props(r);
      asnOf.set(String(p.ipAddress), Number(p.autonomousSystemNumber));
    }
    const attackerPoint = world.attacks[0]?.point;
    for (const ip of attackerPoint?.v4 ?? []) asnOf.set(ip, attackerPoint?.asn as number);
    const ips = new Set([...signins.map((s) => String(s.ipAddress)), ...graph.map((g) => String(g.ipAddress))]);
    const asns = new Set([...ips].map((ip) => asnOf.get(ip)));
    expect(ips.size).toBeGreaterThanOrEqual(2);
    expect(asns.size).toBeGreaterThanOrEqual(2);
    expect(asns.has(undefined)).toBe(false);
    // the victim's sign-in is at home, the Graph requests from the VPS
    const signinAsns = new Set(signins.map((s) => Number(s.autonomousSystemNumber)));
    expect(signinAsns.has(attackerPoint?.asn as number)).toBe(signins.length > 1);
    for (const g of graph) expect(asnOf.get(String(g.ipAddress))).toBe(attackerPoint?.asn);
  });

  it('fires the published Elastic single-session-from-multiple-addresses port, on the campaign', async () => {
    const alone = oneCampaign('token-replay', entry, { workforce: false });
    for (const data of [alone, d]) {
      const alerts = await drive(
        await elasticGraphSessionMultipleAddresses.create({}),
        deliveries(data, ['signIns', 'graphActivity']),
        { start: T_START, end: T_START + 24 * H },
      );
      const onIt = alerts.filter((a) => a.alert.sessionId === sid);
      expect(onIt.length).toBeGreaterThan(0);
      expect(onIt[0]?.alert.principal).toBe(world.attacks[0]?.user?.id);
      expect(campaign?.ips).toContain(onIt[0]?.alert.ip);
    }
  });

  it('the literal port (as published, with its same-row filter) never fires', async () => {
    const alerts = await drive(
      await elasticGraphSessionMultipleAddresses.create({ literal: true }),
      deliveries(oneCampaign('token-replay', entry, { workforce: false }), ['signIns', 'graphActivity']),
      { start: T_START, end: T_START + 24 * H },
    );
    expect(alerts).toEqual([]);
  });

  it('redeems the stolen refresh token from the VPS when the access token runs out', () => {
    const slow = oneCampaign(
      'token-replay',
      { ...entry, options: { pace: '1/min', pageSize: 2 } },
      { workforce: false },
    );
    const si = bySource(ofActor(slow), 'signIns').map(props);
    expect(si.length).toBeGreaterThan(1);
    const point = world.attacks[0]?.point;
    expect(si.slice(1).every((s) => s.autonomousSystemNumber === point?.asn && s.sessionId === sid)).toBe(true);
    const none = oneCampaign(
      'token-replay',
      { ...entry, options: { pace: '1/min', pageSize: 2, refresh: false } },
      { workforce: false },
    );
    expect(bySource(ofActor(none), 'signIns')).toHaveLength(1);
  });
});
