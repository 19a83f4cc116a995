/**
 * The world's IP enrichment table (generators/world/ip-networks.ts) is a property of the network
 * catalogue, never of who uses a network: it covers every network of the world plan — those only the
 * workforce uses, those only attacks use, those both use — and an attacker's network looks, row for
 * row, like a benign actor's network of the same kind. A detector that trusted the table as a label
 * ("alert on any row no benign actor's row looks like") must catch nothing.
 */
import { describe, expect, it } from 'vitest';
import { OPERATORS_BY_KIND, worldIpNetworks, worldIpNetworkTable } from '../../generators/world/index.js';
import { IP_NETWORKS_COLUMNS, type IpNetwork } from '../../src/core/ip-networks.js';
import type { SignInMethod } from '../../src/scenario/types.js';
import { generateInMemory } from './helpers/run.js';
import { attack, makeScenario } from './helpers/scenario.js';

const H = 3_600_000;

const table = worldIpNetworkTable();

/** every address a record names (sign-ins, Graph, AAD Graph, UAL ClientIP with its port) */
function addressesOf(record: Record<string, unknown>): string[] {
  const out: string[] = [];
  const props = (record.properties ?? {}) as Record<string, unknown>;
  for (const v of [record.callerIpAddress, props.ipAddress, record.ClientIP, record.ActorIpAddress]) {
    if (typeof v !== 'string' || v === '') continue;
    const m = /^\[([0-9a-f:]+)\]:\d+$/i.exec(v) ?? /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(v);
    out.push(m ? (m[1] as string) : v);
  }
  return out;
}

describe('world IP enrichment table', () => {
  it('covers every prefix of every network kind of the catalogue, residential proxies as their ISP', () => {
    for (const [kind, ops] of Object.entries(OPERATORS_BY_KIND)) {
      for (const op of ops) {
        for (const p of op.v4) expect(table.lookup(`${p}.7.9`), `${kind} ${op.name} ${p}`).toBeDefined();
        for (const p of op.v6 ?? []) expect(table.lookup(`${p}:1:2::3`), `${kind} ${op.name} ${p}`).toBeDefined();
      }
    }
    const proxy = OPERATORS_BY_KIND['residential-proxy'][0]!;
    expect(table.lookup(`${proxy.v4[0]}.1.1`)).toMatchObject({ connectionType: 'residential', asn: proxy.asn });
  });

  it('has one shape: every row the same fields, no field naming who uses the network', () => {
    const rows = worldIpNetworks();
    expect(rows.length).toBeGreaterThan(300);
    const keys = new Set(rows.map((r) => Object.keys(r).sort().join(',')));
    expect([...keys]).toEqual(['asOrg,asn,connectionType,country,hosting,network,tor,vpn']);
    expect(IP_NETWORKS_COLUMNS).toHaveLength(8);
    expect(new Set(rows.map((r) => r.network)).size).toBe(rows.length);
    // what a row says follows from its operator alone
    for (const r of rows) {
      expect(r.hosting).toBe(r.connectionType === 'hosting');
      if (r.tor || r.vpn) expect(r.connectionType).toBe('hosting');
    }
  });

  describe('in a generated tenant, attackers and the workforce share the same kinds of networks', () => {
    const start = Date.parse('2026-11-02T00:00:00Z');
    const sessions: [string, 'vps' | 'tor' | 'residential-proxy' | 'home' | 'mobile', SignInMethod][] = [
      ['vps-a', 'vps', 'password'],
      ['vps-b', 'vps', 'deviceCode'],
      ['tor', 'tor', 'password'],
      ['proxy', 'residential-proxy', 'password'],
      ['home', 'home', 'stolenToken'],
    ];
    const d = generateInMemory(
      makeScenario({
        users: 80,
        durationMs: 24 * H,
        activity: [
          {
            id: 'workforce',
            profile: 'workforce',
            actors: null,
            schedule: null,
            app: null,
            options: { vpnShare: 1, torShare: 0.2, jumpBoxShare: 1, travelShare: 0.3 },
          },
        ],
        attacks: sessions.map(([id, network, signIn], i) =>
          attack({
            id,
            at: start + (14 + i) * H,
            session: { network, country: null, signIn, userAgent: null },
            options: { pageSize: 50 },
          }),
        ),
      }),
      { seed: 20 },
    );
    const used = { benign: new Map<string, IpNetwork>(), malicious: new Map<string, IpNetwork>() };
    const unresolved: string[] = [];
    for (const r of d.records) {
      for (const ip of addressesOf(r.record)) {
        const row = table.lookup(ip);
        if (!row) unresolved.push(`${r.label.module}: ${ip}`);
        else used[r.label.malicious ? 'malicious' : 'benign'].set(row.network, row);
      }
    }

    it('resolves every address of every record', () => {
      expect(unresolved.slice(0, 5)).toEqual([]);
      expect(used.malicious.size).toBeGreaterThan(3);
      expect(used.benign.size).toBeGreaterThan(20);
    });

    it('benign actors use hosting, VPN and Tor networks too', () => {
      const benign = [...used.benign.values()];
      expect(benign.some((r) => r.hosting)).toBe(true);
      expect(benign.some((r) => r.tor)).toBe(true);
      expect(benign.some((r) => r.vpn)).toBe(true);
    });

    it('a rule alerting on any row unlike every benign-used row of its kind catches no attacker network', () => {
      const profile = (r: IpNetwork) => JSON.stringify([r.connectionType, r.hosting, r.vpn, r.tor]);
      const benignProfiles = new Set([...used.benign.values()].map(profile));
      const flagged = [...used.malicious.values()].filter((r) => !benignProfiles.has(profile(r)));
      expect(flagged).toEqual([]);
    });
  });
});
