/**
 * The IP enrichment table's one reader, writer and lookup (src/core/ip-networks.ts).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  CONNECTION_TYPES,
  formatIpNetworksCsv,
  type IpNetwork,
  IpNetworkTable,
  parseCidr,
  parseIpNetworksCsv,
} from '../../src/core/ip-networks.js';

const row = (network: string, asn: number, more: Partial<IpNetwork> = {}): IpNetwork => ({
  network,
  asn,
  asOrg: `AS${asn}, Inc.`,
  country: 'US',
  connectionType: 'residential',
  hosting: false,
  vpn: false,
  tor: false,
  ...more,
});

describe('IpNetworkTable', () => {
  const t = new IpNetworkTable([
    row('73.12.0.0/16', 7922),
    row('73.12.4.0/24', 64512),
    row('2601:18c::/32', 7922),
    row('2601:18c:4a1::/48', 64513),
  ]);

  it('finds the most specific network holding an address, IPv4 and IPv6', () => {
    expect(t.lookup('73.12.9.1')?.asn).toBe(7922);
    expect(t.lookup('73.12.4.200')?.asn).toBe(64512);
    expect(t.lookup('2601:18c:1::9')?.asn).toBe(7922);
    expect(t.lookup('2601:18c:4a1:22::7')?.asn).toBe(64513);
    expect(t.lookup('2601:18C:4A1:22:0:0:0:7')?.asn).toBe(64513);
  });

  it('answers undefined for addresses in no network and for malformed text, twice alike (cache)', () => {
    for (let i = 0; i < 2; i++) {
      expect(t.lookup('73.13.0.1')).toBeUndefined();
      expect(t.lookup('2601:18d::1')).toBeUndefined();
      expect(t.lookup('not an ip')).toBeUndefined();
      expect(t.lookup('73.12.4')).toBeUndefined();
      expect(t.lookup('73.12.4.256')).toBeUndefined();
    }
  });

  it('keeps the first row of a network listed twice', () => {
    const d = new IpNetworkTable([row('10.1.0.0/16', 1), row('10.1.0.0/16', 2)]);
    expect(d.lookup('10.1.2.3')?.asn).toBe(1);
  });

  it('refuses a network with host bits set', () => {
    expect(parseCidr('73.12.4.1/16')).toBeUndefined();
    expect(parseCidr('73.12.0.0/33')).toBeUndefined();
    expect(parseCidr('2601:18c::/32')).toMatchObject({ v6: true, length: 32 });
  });
});

describe('ip-networks.csv', () => {
  it('quotes organisations with commas and reads them back', () => {
    const rows = [
      row('188.166.0.0/16', 14061, { asOrg: 'DigitalOcean, LLC', connectionType: 'hosting', hosting: true }),
    ];
    const text = formatIpNetworksCsv(rows);
    expect(text).toBe(
      'network,asn,as_org,country,connection_type,hosting,vpn,tor\n188.166.0.0/16,14061,"DigitalOcean, LLC",US,hosting,true,false,false\n',
    );
    expect(parseIpNetworksCsv(text)).toEqual(rows);
  });

  test.prop([
    fc.array(
      fc.record({
        a: fc.integer({ min: 1, max: 223 }),
        b: fc.integer({ min: 0, max: 255 }),
        asn: fc.integer({ min: 1, max: 4_200_000_000 }),
        asOrg: fc.string(),
        country: fc.constantFrom('US', 'GB', 'NL'),
        connectionType: fc.constantFrom(...CONNECTION_TYPES),
        hosting: fc.boolean(),
        vpn: fc.boolean(),
        tor: fc.boolean(),
      }),
      { maxLength: 20 },
    ),
  ])('round-trips any table', (specs) => {
    const rows = specs.map(({ a, b, ...r }) => ({ network: `${a}.${b}.0.0/16`, ...r }));
    expect(parseIpNetworksCsv(formatIpNetworksCsv(rows))).toEqual(rows);
  });

  it('says what is wrong, where, and how to fix it', () => {
    const head = 'network,asn,as_org,country,connection_type,hosting,vpn,tor\n';
    expect(() => parseIpNetworksCsv('ip,asn\n', 'x.csv')).toThrow(/x\.csv:1: the header must be network,asn/);
    expect(() =>
      parseIpNetworksCsv(`${head}73.12.0.0/16,AS7922,Comcast,US,residential,false,false,false\n`, 'x.csv'),
    ).toThrow(/x\.csv:2: asn must be a number/);
    expect(() =>
      parseIpNetworksCsv(`${head}73.12.0.1/16,7922,Comcast,US,residential,false,false,false\n`, 'x.csv'),
    ).toThrow(/x\.csv:2: "73\.12\.0\.1\/16" is not a CIDR network/);
    expect(() => parseIpNetworksCsv(`${head}73.12.0.0/16,7922,Comcast,US,cable,false,false,false\n`, 'x.csv')).toThrow(
      /connection_type must be one of residential, mobile, business, hosting/,
    );
    expect(() =>
      parseIpNetworksCsv(`${head}73.12.0.0/16,7922,Comcast,US,residential,no,false,false\n`, 'x.csv'),
    ).toThrow(/hosting must be true or false/);
  });
});
