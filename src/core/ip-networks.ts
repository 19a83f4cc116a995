/**
 * IP enrichment, as a SIEM has it: a table of routed networks (CIDR) with their autonomous system,
 * its organisation, the country and the network's kind — residential, mobile, business or hosting —
 * with the VPN and Tor flags commercial IP-intelligence feeds carry. The shape of a GeoIP/ASN
 * database (MaxMind GeoLite2-ASN CSV: `network,autonomous_system_number,autonomous_system_organization`;
 * IPinfo's ASN `type` isp/business/hosting and privacy flags vpn/tor/hosting), not a label: it says
 * what a network is, never who used it (docs/dataset.md "Enrichment").
 *
 * enumbench publishes the table of its synthetic world with every dataset (`ip-networks.csv`),
 * hands it to in-process detectors in their context (`ctx.networks`) and to programs as the path in
 * `ENUMBENCH_IP_NETWORKS`. This module is the one reader, writer and lookup.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { EnumbenchError } from './errors.js';

/** IPinfo-style network kinds: what the network is, by who operates it */
export const CONNECTION_TYPES = ['residential', 'mobile', 'business', 'hosting'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

/** One row of the table: a routed network and what is known about it. */
export interface IpNetwork {
  /** CIDR: "73.12.0.0/16", "2601:18c::/32" */
  network: string;
  asn: number;
  asOrg: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  connectionType: ConnectionType;
  /** a datacentre / cloud / VPS network (IPinfo `privacy.hosting`) */
  hosting: boolean;
  /** a network known to host commercial VPN exits */
  vpn: boolean;
  /** a network hosting Tor exit relays */
  tor: boolean;
}

/** The dataset file and the environment variable that names it for programs. */
export const IP_NETWORKS_FILE = 'ip-networks.csv';
export const IP_NETWORKS_ENV = 'ENUMBENCH_IP_NETWORKS';

/** The CSV columns, in order. */
export const IP_NETWORKS_COLUMNS = [
  'network',
  'asn',
  'as_org',
  'country',
  'connection_type',
  'hosting',
  'vpn',
  'tor',
] as const;

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The table as CSV (RFC 4180, header first, `\n` line ends). */
export function formatIpNetworksCsv(rows: readonly IpNetwork[]): string {
  const lines = [IP_NETWORKS_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [r.network, String(r.asn), r.asOrg, r.country, r.connectionType, String(r.hosting), String(r.vpn), String(r.tor)]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function bad(where: string, message: string): EnumbenchError {
  return new EnumbenchError('E_IP_NETWORKS', `${where}: ${message}`, {
    hint: `the IP enrichment table is CSV with the header ${IP_NETWORKS_COLUMNS.join(',')} (docs/dataset.md "Enrichment")`,
  });
}

function bool(v: string, where: string, column: string): boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw bad(where, `${column} must be true or false, not ${JSON.stringify(v)}`);
}

/** Read the CSV; every problem is an E_IP_NETWORKS error naming the file and line. */
export function parseIpNetworksCsv(text: string, file = IP_NETWORKS_FILE): IpNetwork[] {
  let records: string[][];
  try {
    records = parseCsv(text, { skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw bad(file, `not CSV: ${(e as Error).message}`);
  }
  const header = records[0];
  if (!header || header.join(',') !== IP_NETWORKS_COLUMNS.join(',')) {
    throw bad(`${file}:1`, `the header must be ${IP_NETWORKS_COLUMNS.join(',')}`);
  }
  return records.slice(1).map((f, i) => {
    const where = `${file}:${i + 2}`;
    if (f.length !== IP_NETWORKS_COLUMNS.length) {
      throw bad(where, `${f.length} fields, expected ${IP_NETWORKS_COLUMNS.length}`);
    }
    const [network, asn, asOrg, country, type, hosting, vpn, tor] = f as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (parseCidr(network) === undefined) throw bad(where, `${JSON.stringify(network)} is not a CIDR network`);
    if (!/^\d+$/.test(asn)) throw bad(where, `asn must be a number, not ${JSON.stringify(asn)}`);
    if (!/^[A-Z]{2}$/.test(country))
      throw bad(where, `country must be an ISO 3166 code, not ${JSON.stringify(country)}`);
    if (!(CONNECTION_TYPES as readonly string[]).includes(type)) {
      throw bad(where, `connection_type must be one of ${CONNECTION_TYPES.join(', ')}, not ${JSON.stringify(type)}`);
    }
    return {
      network,
      asn: Number(asn),
      asOrg,
      country,
      connectionType: type as ConnectionType,
      hosting: bool(hosting, where, 'hosting'),
      vpn: bool(vpn, where, 'vpn'),
      tor: bool(tor, where, 'tor'),
    };
  });
}

/** The eight hextets of an IPv6 address (lower case, no leading zeros, `::` expanded), or undefined if malformed. */
export function ipv6Hextets(ip: string): string[] | undefined {
  const [head, tail, ...rest] = ip.toLowerCase().split('::');
  if (rest.length) return undefined;
  const a = head ? head.split(':') : [];
  const b = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - a.length - b.length;
  if (fill < 0 || (tail === undefined && a.length !== 8)) return undefined;
  const all = [...a, ...Array.from({ length: fill }, () => '0'), ...b];
  if (all.some((x) => !/^[0-9a-f]{1,4}$/.test(x))) return undefined;
  return all.map((x) => x.replace(/^0+(?=.)/, ''));
}

/** An address as [family, bits]: 32 bits for IPv4, 128 for IPv6; undefined when malformed. */
export function parseIp(ip: string): { v6: boolean; bits: bigint } | undefined {
  if (ip.includes(':')) {
    const hextets = ipv6Hextets(ip);
    if (!hextets) return undefined;
    let bits = 0n;
    for (const h of hextets) bits = (bits << 16n) | BigInt(Number.parseInt(h, 16));
    return { v6: true, bits };
  }
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let bits = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    bits = (bits << 8n) | BigInt(Number(p));
  }
  return { v6: false, bits };
}

/** A CIDR network as family, prefix length and the masked address; undefined when malformed. */
export function parseCidr(cidr: string): { v6: boolean; length: number; bits: bigint } | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(cidr.slice(0, slash));
  const len = cidr.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(len)) return undefined;
  const length = Number(len);
  const width = ip.v6 ? 128 : 32;
  if (length > width) return undefined;
  const masked = mask(ip.bits, width, length);
  return masked === ip.bits ? { v6: ip.v6, length, bits: masked } : undefined;
}

function mask(bits: bigint, width: number, length: number): bigint {
  const host = BigInt(width - length);
  return (bits >> host) << host;
}

/** The lookup a detector uses: address → the most specific network that holds it. */
export interface IpNetworkLookup {
  lookup(ip: string): IpNetwork | undefined;
  readonly rows: readonly IpNetwork[];
}

/**
 * Longest-prefix match over the table. A network listed twice keeps its first row (a routing table
 * has one origin per prefix). Lookups of the same address are cached (bounded).
 */
export class IpNetworkTable implements IpNetworkLookup {
  private readonly byLength = {
    v4: new Map<number, Map<bigint, IpNetwork>>(),
    v6: new Map<number, Map<bigint, IpNetwork>>(),
  };
  private readonly lengths: { v4: number[]; v6: number[] };
  private readonly cache = new Map<string, IpNetwork | null>();
  private static readonly CACHE = 65_536;

  constructor(readonly rows: readonly IpNetwork[]) {
    for (const r of rows) {
      const c = parseCidr(r.network);
      if (!c) throw bad(r.network, 'not a CIDR network');
      const fam = c.v6 ? this.byLength.v6 : this.byLength.v4;
      let m = fam.get(c.length);
      if (!m) {
        m = new Map();
        fam.set(c.length, m);
      }
      if (!m.has(c.bits)) m.set(c.bits, r);
    }
    const desc = (m: Map<number, unknown>) => [...m.keys()].sort((a, b) => b - a);
    this.lengths = { v4: desc(this.byLength.v4), v6: desc(this.byLength.v6) };
  }

  lookup(ip: string): IpNetwork | undefined {
    const hit = this.cache.get(ip);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.find(ip);
    if (this.cache.size >= IpNetworkTable.CACHE) this.cache.clear();
    this.cache.set(ip, found ?? null);
    return found;
  }

  private find(ip: string): IpNetwork | undefined {
    const a = parseIp(ip);
    if (!a) return undefined;
    const fam = a.v6 ? this.byLength.v6 : this.byLength.v4;
    const width = a.v6 ? 128 : 32;
    for (const len of a.v6 ? this.lengths.v6 : this.lengths.v4) {
      const r = fam.get(len)?.get(mask(a.bits, width, len));
      if (r) return r;
    }
    return undefined;
  }
}
