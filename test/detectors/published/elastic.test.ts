import { describe, expect, it } from 'vitest';
import { BLOODHOUND_UA, elasticBloodhoundUa } from '../../../detectors/published/elastic-bloodhound-ua.js';
import {
  elasticGraphMultiCategoryRecon,
  reconCategory,
} from '../../../detectors/published/elastic-graph-multi-category-recon.js';
import {
  AsnByPrefix,
  elasticGraphSessionMultipleAddresses,
  prefixKeys,
} from '../../../detectors/published/elastic-graph-session-multiple-addresses.js';
import { elasticRoadreconAiohttp, roadreconBucket } from '../../../detectors/published/elastic-roadrecon-aiohttp.js';
import { MINUTE, SECOND } from '../../../src/core/clock.js';
import { type IpNetwork, IpNetworkTable } from '../../../src/core/ip-networks.js';
import {
  ALICE,
  aadGraph,
  batch,
  drive,
  GRAPH,
  graph,
  guid,
  HOME_IP,
  signIn,
  T0,
  ualLogon,
  VPS_IP,
} from './fixtures.js';

const ROAD_PATHS = ['/users', '/groups', '/servicePrincipals', '/applications', '/devices', '/directoryRoles'];

describe('elastic-roadrecon-aiohttp', () => {
  it('buckets by the first matching path, case-sensitively', () => {
    expect(roadreconBucket('/v2/t/eligibleRoleAssignments?x')).toBe('eligibleRoleAssignments');
    expect(roadreconBucket('/v2/t/roleAssignments')).toBe('roleAssignments');
    expect(roadreconBucket('/v2/t/groups/g1/$links/members')).toBe('groups');
    expect(roadreconBucket('/v2/t/Users')).toBeUndefined();
    expect(roadreconBucket('/v2/t/me')).toBeUndefined();
  });

  const at = T0 + 3 * MINUTE;
  const road = (n: number, ua?: string, spread = 0) =>
    ROAD_PATHS.slice(0, n).map((p, i) =>
      aadGraph({ time: at + i * spread + i * SECOND, path: `${p}?api-version=1.61-internal`, userAgent: ua }),
    );

  it('fires at 5 buckets in one calendar minute', async () => {
    const alerts = await drive(
      await elasticRoadreconAiohttp.create({}),
      [batch(at + MINUTE, 'aadGraphActivity', road(5))],
      {
        end: T0 + 30 * MINUTE,
      },
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert).toMatchObject({ rule: 'elastic-roadrecon-aiohttp', principal: ALICE, severity: 'high' });
    expect(alerts[0]!.alert.evidence).toHaveLength(5);
  });

  it('does not fire at 4 buckets, nor without aiohttp, nor across minutes', async () => {
    const d = await elasticRoadreconAiohttp.create({});
    expect(await drive(d, [batch(at + MINUTE, 'aadGraphActivity', road(4))], { end: T0 + 30 * MINUTE })).toHaveLength(
      0,
    );
    expect(
      await drive(
        await elasticRoadreconAiohttp.create({}),
        [batch(at + MINUTE, 'aadGraphActivity', road(5, 'python-requests/2.31'))],
        {
          end: T0 + 30 * MINUTE,
        },
      ),
    ).toHaveLength(0);
    expect(
      await drive(
        await elasticRoadreconAiohttp.create({}),
        [batch(at + MINUTE, 'aadGraphActivity', road(5, undefined, 15 * SECOND))],
        {
          end: T0 + 30 * MINUTE,
        },
      ),
    ).toHaveLength(0);
  });

  it('suppresses repeats for the same user for 5 minutes', async () => {
    const alerts = await drive(
      await elasticRoadreconAiohttp.create({}),
      [batch(T0 + 4 * MINUTE, 'aadGraphActivity', road(6))],
      { end: T0 + 30 * MINUTE, tickEvery: MINUTE },
    );
    // seen by the 14:05 and 14:10 runs (9-minute lookback); the 14:10 one is suppressed
    expect(alerts).toHaveLength(1);
  });
});

describe('elastic-bloodhound-ua', () => {
  it('is anchored and case-insensitive', () => {
    expect(BLOODHOUND_UA.test('azurehound/v2.9.2')).toBe(true);
    expect(BLOODHOUND_UA.test('AzureHound/v3.1.0')).toBe(true);
    expect(BLOODHOUND_UA.test('sharphound/1.0')).toBe(true);
    expect(BLOODHOUND_UA.test('Mozilla/5.0 azurehound/2')).toBe(false);
    expect(BLOODHOUND_UA.test('azurehound')).toBe(false);
  });

  it('fires once per event on Graph, sign-in and UAL records', async () => {
    const alerts = await drive(
      await elasticBloodhoundUa.create({}),
      [
        batch(T0 + MINUTE, 'graphActivity', [graph({ time: T0, uri: `${GRAPH}/v1.0/organization` })]),
        batch(T0 + MINUTE, 'signIns', [signIn({ time: T0 })]),
        batch(T0 + MINUTE, 'ual', [ualLogon({ time: T0, userAgent: 'azurehound/v2.0.4' })]),
        batch(T0 + MINUTE, 'ual', [ualLogon({ time: T0, userAgent: 'Mozilla/5.0 (Windows NT 10.0)' })]),
      ],
      { end: T0 + 30 * MINUTE, tickEvery: MINUTE },
    );
    expect(alerts.map((a) => a.alert.details?.source).sort()).toEqual(['graphActivity', 'signIns', 'ual']);
  });
});

describe('elastic-bloodhound-ua max_signals', () => {
  it('raises at most 100 alerts per run', async () => {
    const records = Array.from({ length: 250 }, (_, i) =>
      graph({ time: T0 + i * 100, uri: `${GRAPH}/v1.0/users?i=${i}` }),
    );
    const alerts = await drive(
      await elasticBloodhoundUa.create({}),
      [batch(T0 + 2 * MINUTE, 'graphActivity', records)],
      {
        end: T0 + 30 * MINUTE,
        tickEvery: MINUTE,
      },
    );
    // ingested at 14:02: the 14:05 run takes 100, the 14:10 run (lookback after 14:01) another 100; the rest never alerts
    const byRun = new Map<string, number>();
    for (const a of alerts) byRun.set(a.alert.time!, (byRun.get(a.alert.time!) ?? 0) + 1);
    expect([...byRun.values()]).toEqual([100, 100]);
  });
});

describe('elastic-graph-multi-category-recon', () => {
  it('classifies url.path into the first matching category', () => {
    expect(reconCategory('/v1.0/roleManagement/directory/roleAssignments')).toBe('role_discovery');
    expect(reconCategory('/v1.0/tenantRelationships/multiTenantOrganization')).toBe('cross_tenant_recon');
    expect(reconCategory('/v1.0/me/mailFolders/inbox/messages')).toBe('mailbox_recon');
    expect(reconCategory('/v1.0/me/contacts')).toBe('contact_harvesting');
    expect(reconCategory('/v1.0/organization')).toBe('org_and_licensing_recon');
    expect(reconCategory('/v1.0/organization/x/branding')).toBeUndefined();
    expect(reconCategory('/v1.0/users')).toBeUndefined();
  });

  const PATHS = [
    '/v1.0/roleManagement/directory/roleAssignments',
    '/v1.0/me/mailFolders',
    '/v1.0/me/contacts',
    '/v1.0/subscribedSkus',
    '/v1.0/tenantRelationships/delegatedAdminRelationships',
  ];
  const at = T0 + 2 * MINUTE;
  const burst = (calls: number, categories: number, spanMs: number, extra: Partial<Parameters<typeof graph>[0]> = {}) =>
    Array.from({ length: calls }, (_, i) =>
      graph({
        time: at + Math.round((spanMs * i) / (calls - 1)),
        uri: `${GRAPH}${PATHS[i % categories]}`,
        sessionId: 'sid-7',
        userAgent: 'Mozilla/5.0',
        ...extra,
      }),
    );
  const go = async (records: ReturnType<typeof burst>) =>
    drive(await elasticGraphMultiCategoryRecon.create({}), [batch(at + 2 * MINUTE, 'graphActivity', records)], {
      end: T0 + 20 * MINUTE,
    });

  it('fires at 20 calls over 4 categories in 60 s', async () => {
    const alerts = await go(burst(20, 4, 60 * SECOND));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert).toMatchObject({ principal: ALICE, sessionId: 'sid-7', ip: VPS_IP, severity: 'medium' });
  });

  it('60.9 s still passes (whole seconds), 61 s does not', async () => {
    expect(await go(burst(20, 4, 60_900))).toHaveLength(1);
    expect(await go(burst(20, 4, 61 * SECOND))).toHaveLength(0);
  });

  it('does not fire at 3 categories (the description says 3+, the code says 4) or 19 calls', async () => {
    expect(await go(burst(20, 3, 30 * SECOND))).toHaveLength(0);
    expect(await go(burst(19, 4, 30 * SECOND))).toHaveLength(0);
  });

  it('needs a delegated public client', async () => {
    expect(await go(burst(20, 4, 30 * SECOND, { clientAuthMethod: '2' }))).toHaveLength(0);
  });
});

describe('elastic-graph-session-multiple-addresses', () => {
  const APP = 'd3590ed6-52b3-4102-aeff-aad2292ab01c';
  const at = T0 + 2 * MINUTE;
  const records = (graphDelay: number, graphIp = VPS_IP) => [
    batch(at + MINUTE, 'signIns', [signIn({ time: at, ip: HOME_IP, asn: 64501, sessionId: 'sid-9', appId: APP })]),
    batch(at + graphDelay + MINUTE, 'graphActivity', [
      graph({ time: at + graphDelay, uri: `${GRAPH}/v1.0/me`, ip: graphIp, sessionId: 'sid-9', appId: APP }),
    ]),
  ];

  it('intent: fires when the session is used from another ASN a minute or more after sign-in', async () => {
    const alerts = await drive(await elasticGraphSessionMultipleAddresses.create({}), records(2 * MINUTE), {
      end: T0 + 60 * MINUTE,
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert).toMatchObject({
      principal: ALICE,
      sessionId: 'sid-9',
      ip: VPS_IP,
      technique: 'T1550.001',
    });
    expect(alerts[0]!.alert.evidence).toHaveLength(2);
  });

  it('a literal port never fires', async () => {
    const alerts = await drive(
      await elasticGraphSessionMultipleAddresses.create({ literal: true }),
      records(2 * MINUTE),
      {
        end: T0 + 60 * MINUTE,
      },
    );
    expect(alerts).toHaveLength(0);
  });

  it('does not fire under a minute, nor from the same IP', async () => {
    expect(
      await drive(await elasticGraphSessionMultipleAddresses.create({}), records(59 * SECOND), {
        end: T0 + 60 * MINUTE,
      }),
    ).toHaveLength(0);
    expect(
      await drive(await elasticGraphSessionMultipleAddresses.create({}), records(2 * MINUTE, HOME_IP), {
        end: T0 + 60 * MINUTE,
      }),
    ).toHaveLength(0);
  });

  it('resolves a Graph address by the prefixes learned from sign-ins: a dual-stack home is one network', async () => {
    // the user signs in over IPv4; a neighbour on the same ISP signed in over IPv6; the Graph call goes out over IPv6
    const v6Home = '2601:18c:4a1:22::7';
    const neighbour = '2601:18c:9b0:1::12';
    const recs = [
      batch(at + MINUTE, 'signIns', [
        signIn({ time: at, ip: HOME_IP, asn: 7922, sessionId: 'sid-9', appId: APP }),
        signIn({ time: at, ip: neighbour, asn: 7922, sessionId: 'sid-other', appId: APP, userId: guid('n') }),
      ]),
      batch(at + 3 * MINUTE, 'graphActivity', [
        graph({ time: at + 2 * MINUTE, uri: `${GRAPH}/v1.0/me`, ip: v6Home, sessionId: 'sid-9', appId: APP }),
      ]),
    ];
    const alerts = await drive(await elasticGraphSessionMultipleAddresses.create({}), recs, { end: T0 + 60 * MINUTE });
    expect(alerts).toHaveLength(0);
  });

  describe("with the dataset's IP enrichment table (ctx.networks)", () => {
    const net = (network: string, asn: number, asOrg: string): IpNetwork => ({
      network,
      asn,
      asOrg,
      country: 'US',
      connectionType: 'residential',
      hosting: false,
      vpn: false,
      tor: false,
    });
    const networks = new IpNetworkTable([
      net('198.51.100.0/24', 7922, 'Comcast Cable'),
      net('2601:18c::/32', 7922, 'Comcast Cable'),
      net('203.0.113.0/24', 14061, 'DigitalOcean, LLC'),
      net('20.190.0.0/16', 8075, 'Microsoft Corporation'),
    ]);
    const v6Home = '2601:18c:4a1:22::7';

    it('a dual-stack home is one network even when no sign-in came over its IPv6 prefix', async () => {
      const withTable = await drive(
        await elasticGraphSessionMultipleAddresses.create({}),
        records(2 * MINUTE, v6Home),
        {
          end: T0 + 60 * MINUTE,
          networks,
        },
      );
      expect(withTable).toHaveLength(0);
      // without the table the port counts the unseen IPv6 address as a network of its own
      const learned = await drive(
        await elasticGraphSessionMultipleAddresses.create({ enrichment: false }),
        records(2 * MINUTE, v6Home),
        { end: T0 + 60 * MINUTE, networks },
      );
      expect(learned).toHaveLength(1);
    });

    it('still fires when the session is used from another ASN, and names both ASNs', async () => {
      const alerts = await drive(await elasticGraphSessionMultipleAddresses.create({}), records(2 * MINUTE), {
        end: T0 + 60 * MINUTE,
        networks,
      });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.alert.details).toMatchObject({ signinAsns: ['7922'], graphAsns: ['14061'] });
    });

    it("looks sign-in addresses up too (GeoIP on every event), and drops Microsoft's", async () => {
      const alerts = await drive(
        await elasticGraphSessionMultipleAddresses.create({}),
        records(2 * MINUTE, '20.190.3.4'),
        { end: T0 + 60 * MINUTE, networks },
      );
      expect(alerts).toHaveLength(0);
    });

    it('refuses a non-boolean enrichment option', async () => {
      await expect(async () => elasticGraphSessionMultipleAddresses.create({ enrichment: 'yes' })).rejects.toThrow(
        /enrichment must be true or false/,
      );
    });
  });

  it('prefix keys: exact, IPv6 /64 /48 /32 (with :: expanded), IPv4 /24 /16', () => {
    expect(prefixKeys('2601:18c:4a1:22::7')).toEqual([
      '2601:18c:4a1:22::7',
      '2601:18c:4a1:22::/64',
      '2601:18c:4a1::/48',
      '2601:18c::/32',
    ]);
    expect(prefixKeys('2a02:c7c::1')).toEqual(['2a02:c7c::1', '2a02:c7c:0:0::/64', '2a02:c7c:0::/48', '2a02:c7c::/32']);
    expect(prefixKeys('73.12.4.9')).toEqual(['73.12.4.9', '73.12.4.0/24', '73.12.0.0/16']);
    const a = new AsnByPrefix();
    a.learn('2601:18c:1:2::3', 7922);
    expect(a.lookup('2601:18c:ffff:1::9')).toBe(7922);
    expect(a.lookup('2601:18d::1')).toBeUndefined();
    expect(a.lookup('73.12.4.10')).toBeUndefined();
    a.learn('73.12.200.1', 7922);
    expect(a.lookup('73.12.4.10')).toBe(7922);
    expect(a.lookup('73.13.4.10')).toBeUndefined();
  });
});
