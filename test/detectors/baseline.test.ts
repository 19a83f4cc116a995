/**
 * builtin:baseline on small hand-built record sequences: each context signal on its own (with the
 * threshold at the signal's weight, and silent when that weight is 0), the quiet cases (bulk from the
 * account's own network and session; automation reading as it always does), the insider's volume
 * alone, and the options.
 */
import { describe, expect, it } from 'vitest';
import {
  BASELINE_DEFAULTS,
  BASELINE_OPTION_SPECS,
  baselineOptions,
  createBaselineDetector,
} from '../../detectors/baseline/index.js';
import { runCli } from '../../harness/cli/program.js';
import { HOUR, MINUTE } from '../../src/core/clock.js';
import { type IpNetwork, IpNetworkTable } from '../../src/core/ip-networks.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import { batch, type Delivery, drive, GRAPH, graph, SP, signIn, T0 } from './published/fixtures.js';

const row = (network: string, asn: number, country: string, more: Partial<IpNetwork> = {}): IpNetwork => ({
  network,
  asn,
  asOrg: `AS${asn}`,
  country,
  connectionType: 'residential',
  hosting: false,
  vpn: false,
  tor: false,
  ...more,
});
const networks = new IpNetworkTable([
  row('73.12.0.0/16', 7922, 'US'),
  row('98.217.0.0/16', 7018, 'US'),
  row('188.166.0.0/16', 14061, 'NL', { connectionType: 'hosting', hosting: true }),
  row('89.46.0.0/16', 9009, 'NL', { connectionType: 'hosting', hosting: true, vpn: true }),
  row('185.220.0.0/16', 60729, 'DE', { connectionType: 'hosting', hosting: true, tor: true }),
  row('3.214.0.0/16', 16509, 'US', { connectionType: 'hosting', hosting: true }),
]);
const HOME = '73.12.4.5';
const HOME2 = '98.217.1.2';
const VPS = '188.166.7.8';
const VPN = '89.46.1.1';
const TOR = '185.220.101.4';
const VENDOR = '3.214.9.9';

function withProps(r: TelemetryRecord, props: Record<string, unknown>): TelemetryRecord {
  return { ...r, properties: { ...(r.properties as Record<string, unknown>), ...props } };
}
const login = (time: number, ip: string, sessionId: string, props: Record<string, unknown> = {}) =>
  batch(time + MINUTE, 'signIns', [
    withProps(signIn({ time, ip, sessionId }), { uniqueTokenIdentifier: `uti-${sessionId}`, ...props }),
  ]);
/** a page of 999 users (300 kB: 999 objects), `pages` of them a minute apart */
const bulk = (
  time: number,
  ip: string,
  sessionId: string,
  pages = 1,
  extra: Parameters<typeof graph>[0] | object = {},
) =>
  Array.from({ length: pages }, (_, i) =>
    batch(time + (i + 1) * MINUTE + 10 * MINUTE, 'graphActivity', [
      graph({
        time: time + i * MINUTE,
        uri: `${GRAPH}/v1.0/users?$top=999`,
        ip,
        sessionId,
        bytes: 300_000,
        ...extra,
      }),
    ]),
  );
/** the account's history: signs in from home, reads one user */
const history: Delivery[] = [
  login(T0, HOME, 'sid-home'),
  batch(T0 + 15 * MINUTE, 'graphActivity', [
    graph({ time: T0 + 5 * MINUTE, uri: `${GRAPH}/v1.0/users/bob`, ip: HOME, sessionId: 'sid-home' }),
  ]),
];
const LATER = T0 + 3 * HOUR;

async function run(deliveries: Delivery[], options: Record<string, unknown> = {}) {
  return drive(await createBaselineDetector(options), deliveries, {
    networks,
    end: LATER + 3 * HOUR,
    sources: ['signIns', 'graphActivity'],
  });
}

describe('builtin:baseline', () => {
  it('stays quiet on bulk from the account’s own network and session', async () => {
    expect(await run([...history, ...bulk(LATER, HOME, 'sid-home')])).toEqual([]);
  });

  it('alerts on bulk from a new hosting network in another country, citing the session and its reads', async () => {
    const reads = bulk(LATER, VPS, 'sid-vps', 1);
    const alerts = await run([...history, login(LATER - MINUTE, VPS, 'sid-vps'), ...reads]);
    expect(alerts).toHaveLength(1);
    const a = alerts[0]!.alert;
    expect(a).toMatchObject({
      rule: 'baseline-abnormal-enumeration',
      sessionId: 'sid-vps',
      ip: VPS,
      principal: 'alice@contoso.onmicrosoft.com',
    });
    const ids = reads.flatMap((d) => d.records.map((r) => (r.record.properties as { requestId: string }).requestId));
    expect(a.evidence).toEqual(ids);
    expect((a.details as { signals: string[] }).signals.map((s) => s.split(':')[0])).toEqual(
      expect.arrayContaining(['newAsn', 'newCountry', 'hosting']),
    );
  });

  /** one signal alone: alerts with the threshold at its weight, and not when its weight is 0 */
  const alone: [string, () => Delivery[]][] = [
    ['newAsn', () => [...history, login(LATER - MINUTE, HOME2, 'sid-2'), ...bulk(LATER, HOME2, 'sid-2')]],
    ['hosting', () => [login(T0, VPS, 'sid-v'), ...bulk(LATER, VPS, 'sid-v')]],
    ['vpn', () => [login(T0, VPN, 'sid-v'), ...bulk(LATER, VPN, 'sid-v')]],
    ['tor', () => [login(T0, TOR, 'sid-t'), ...bulk(LATER, TOR, 'sid-t')]],
    [
      'deviceCode',
      () => [
        ...history,
        login(LATER - MINUTE, HOME, 'sid-dc', { authenticationProtocol: 'deviceCode' }),
        ...bulk(LATER, HOME, 'sid-dc'),
      ],
    ],
    [
      'passwordOnly',
      () => [
        ...history,
        login(LATER - MINUTE, HOME, 'sid-pw', { authenticationRequirement: 'singleFactorAuthentication' }),
        ...bulk(LATER, HOME, 'sid-pw'),
      ],
    ],
    [
      'riskySignIn',
      () => [
        ...history,
        login(LATER - MINUTE, HOME, 'sid-r', { riskLevelDuringSignIn: 'high' }),
        ...bulk(LATER, HOME, 'sid-r'),
      ],
    ],
    [
      'multiNetworkSession',
      () => [login(T0, HOME, 'sid-m'), login(T0 + MINUTE, HOME2, 'sid-m'), ...bulk(LATER, HOME, 'sid-m')],
    ],
    ['noSignIn', () => [...history, ...bulk(LATER, HOME, 'sid-nobody')]],
  ];
  it.each(alone)('%s alone is a signal', async (name, deliveries) => {
    const w = BASELINE_DEFAULTS.weights[name as keyof typeof BASELINE_DEFAULTS.weights];
    const fired = await run(deliveries(), { threshold: w });
    expect(fired.length, name).toBeGreaterThan(0);
    expect((fired[0]!.alert.details as { signals: string[] }).signals.join('\n')).toContain(`${name}:`);
    // vpn and tor networks are hosting networks too
    expect(await run(deliveries(), { threshold: w, weights: { [name]: 0, hosting: 0 } })).toEqual([]);
  });

  describe('automation is judged apart', () => {
    const app = (time: number, ip: string) =>
      bulk(time, ip, '', 3, { userId: null, servicePrincipalId: SP, idtyp: 'app', sessionId: undefined }).map((d) => ({
        ...d,
        records: d.records.map((r) => {
          const p = r.record.properties as Record<string, unknown>;
          delete p.c_Sid;
          return r;
        }),
      }));
    it('an app reading as it always does, from its usual network, never alerts — however much', async () => {
      expect(await run([...app(T0, VENDOR), ...app(T0 + 2 * HOUR, VENDOR), ...app(LATER, VENDOR)])).toEqual([]);
    });
    it('the same app from a new hosting network alerts (app-only token from a new network)', async () => {
      const alerts = await run([...app(T0, VENDOR), ...app(LATER, VPS)]);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.alert.principal).toBe(SP);
      expect((alerts[0]!.alert.details as { signals: string[] }).signals.join('\n')).toMatch(/appOnlyNewNetwork:/);
    });
  });

  it('an account reading far beyond anything it did before alerts on volume alone (the insider), not below strongRatio', async () => {
    // 999 objects < 10 × 200
    expect(await run([...history, ...bulk(LATER, HOME, 'sid-home', 1)])).toEqual([]);
    // 2,997 objects ≥ 10 × 200
    const alerts = await run([...history, ...bulk(LATER, HOME, 'sid-home', 3)]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert.details).toMatchObject({ volumeAlone: true });
  });

  it('refuses unknown options and bad values; every option is listed with a description', () => {
    expect(() => baselineOptions({ bogus: 1 })).toThrow(/unknown option "bogus"/);
    expect(() => baselineOptions({ weights: { nope: 1 } })).toThrow(/unknown option "weights.nope"/);
    expect(() => baselineOptions({ window: 'soon' })).toThrow(/must be a duration/);
    expect(() => baselineOptions({ threshold: -1 })).toThrow(/must be a number ≥ 0/);
    expect(baselineOptions({ window: '2h', 'weights.tor': 3 })).toMatchObject({
      windowMs: 2 * HOUR,
      weights: { tor: 3 },
    });
    for (const w of Object.keys(BASELINE_DEFAULTS.weights))
      expect(BASELINE_OPTION_SPECS).toHaveProperty([`weights.${w}`]);
    for (const spec of Object.values(BASELINE_OPTION_SPECS)) expect(spec.description.length).toBeGreaterThan(10);
  });

  it('`list detectors` shows every option with its default', async () => {
    let out = '';
    const code = await runCli(['node', 'enumbench', 'list', 'detectors'], {
      out: (t) => {
        out += t;
      },
      err: () => {},
      env: { NO_COLOR: '1' },
      cwd: '.',
      stdoutIsTTY: false,
      stderrIsTTY: false,
    });
    expect(code).toBe(0);
    expect(out).toMatch(/^builtin:baseline +Reference detector/m);
    for (const name of Object.keys(BASELINE_OPTION_SPECS))
      expect(out).toMatch(new RegExp(`^ +${name.replace('.', '\\.')} = `, 'm'));
    expect(out).toContain('threshold = 2.5');
  });
});
