/**
 * The world's IP enrichment table (src/core/ip-networks.ts): every prefix of the network catalogue
 * (networks.ts, src/core/countries.ts) as one GeoIP/ASN-style row — CIDR, ASN, AS organisation,
 * country, network kind and the hosting/VPN/Tor flags an IP-intelligence feed gives.
 *
 * It is built from the catalogue alone, never from a scenario, a seed or an actor: the same table
 * for every dataset, covering networks only the workforce uses, networks only attacks use and
 * networks both use, with nothing in a row that depends on who egresses from it. Residential proxy
 * exits are consumer ISP addresses (networks.ts RESIDENTIAL_PROXIES), so they appear as the ISP's
 * residential rows, as they do in a GeoIP database. A prefix listed under two operators (four in the
 * catalogue: two mobile carriers' shared /16 and /32, a home ISP's /32 also listed for a carrier,
 * Microsoft's 2603:1026::/32 in two countries) keeps its first operator in catalogue order: a routing
 * table has one origin per prefix. docs/dataset.md "Enrichment".
 */
import { type ConnectionType, type IpNetwork, IpNetworkTable, parseCidr } from '../../src/core/ip-networks.js';
import type { NetworkKind } from '../../src/scenario/types.js';
import { type NetworkOperator, OPERATORS_BY_KIND } from './networks.js';

/**
 * Hosting ASNs whose ranges IP-intelligence feeds flag as VPN: M247 and Leaseweb rent servers to the
 * large commercial VPN services (a judgement from public IP-intel listings, marked so). Every
 * hosting operator is a VPN exit for the workforce's commercial VPNs and a VPS for attacks alike
 * (workforce-imperfection.ts, plan.ts), so the flag says nothing about who uses the network.
 */
export const VPN_HOSTING_ASNS: ReadonlySet<number> = new Set([9009, 60781]);

const TYPE_OF: Record<Exclude<NetworkKind, 'residential-proxy'>, ConnectionType> = {
  corporate: 'business',
  home: 'residential',
  mobile: 'mobile',
  vps: 'hosting',
  tor: 'hosting',
  'vendor-cloud': 'hosting',
  microsoft: 'hosting',
};

function cidrOf(prefix: string): string {
  return prefix.includes(':') ? `${prefix}::/32` : `${prefix}.0.0/16`;
}

function rowsOf(kind: Exclude<NetworkKind, 'residential-proxy'>, op: NetworkOperator): IpNetwork[] {
  const type = TYPE_OF[kind];
  return [...op.v4, ...(op.v6 ?? [])].map((p) => ({
    network: cidrOf(p),
    asn: op.asn,
    asOrg: op.name,
    country: op.country,
    connectionType: type,
    hosting: type === 'hosting',
    vpn: type === 'hosting' && VPN_HOSTING_ASNS.has(op.asn),
    tor: kind === 'tor',
  }));
}

/** Every network of the world's catalogue, IPv4 then IPv6, each in address order. */
export function worldIpNetworks(): IpNetwork[] {
  const byNetwork = new Map<string, IpNetwork>();
  for (const [kind, ops] of Object.entries(OPERATORS_BY_KIND) as [NetworkKind, readonly NetworkOperator[]][]) {
    if (kind === 'residential-proxy') continue;
    for (const op of ops) for (const r of rowsOf(kind, op)) if (!byNetwork.has(r.network)) byNetwork.set(r.network, r);
  }
  const key = (r: IpNetwork) => parseCidr(r.network) as NonNullable<ReturnType<typeof parseCidr>>;
  return [...byNetwork.values()].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x.v6 !== y.v6) return x.v6 ? 1 : -1;
    return x.bits < y.bits ? -1 : x.bits > y.bits ? 1 : x.length - y.length;
  });
}

let table: IpNetworkTable | undefined;

/** The world's table as a lookup (built once). */
export function worldIpNetworkTable(): IpNetworkTable {
  table ??= new IpNetworkTable(worldIpNetworks());
  return table;
}
