/**
 * The network catalogue: where sign-ins and requests come from. Prefixes are public-style
 * (never the documentation ranges 192.0.2/24, 198.51.100/24, 203.0.113/24 or 2001:db8::/32) and
 * shaped like the real operators named next to them, so ASN, country and address look coherent.
 * They are illustrative, not an allocation registry: a detector must not learn "AS14061 = bad",
 * only "this account never came from a hosting ASN before".
 *
 * Facts behind the kinds: telemetry.md §4–5 (hosting/VPS, residential proxies, Tor, vendor clouds
 * and Microsoft ranges as the egress of first-party service calls).
 */
import { type City, COUNTRIES, type Country, type CountryOperator, countryOf } from '../../src/core/countries.js';
import type { Rng } from '../../src/core/rng.js';
import type { NetworkKind } from '../../src/scenario/types.js';

export interface NetworkOperator {
  kind: NetworkKind;
  name: string;
  asn: number;
  country: string;
  /** IPv4 /16 prefixes as "a.b" */
  v4: readonly string[];
  /** IPv6 /32 prefixes as "2601:1c0" (two hextets), absent for v4-only networks */
  v6?: readonly string[];
  cities: readonly City[];
}

const citiesOf = (code: string): readonly City[] => countryOf(code).cities;
const US_CITIES = citiesOf('US');
const GB_CITIES = citiesOf('GB');
const DE_CITIES = citiesOf('DE');
const NL_CITIES = citiesOf('NL');
const FR_CITIES = citiesOf('FR');

/** The operators of one kind in every country of the table, country by country in table order. */
function fromTable(kind: NetworkKind, pick: (c: Country) => readonly CountryOperator[]): NetworkOperator[] {
  return COUNTRIES.flatMap((c) =>
    pick(c).map((op) => ({
      kind,
      name: op.name,
      asn: op.asn,
      country: c.code,
      v4: op.v4,
      ...(op.v6 ? { v6: op.v6 } : {}),
      cities: c.cities,
    })),
  );
}

/** Home broadband: dual-stack residential ISPs (src/core/countries.ts). */
export const HOME_ISPS: readonly NetworkOperator[] = fromTable('home', (c) => c.home);

/** Mobile carriers: CGNAT v4 and v6, addresses change every few hours (src/core/countries.ts). */
export const MOBILE_CARRIERS: readonly NetworkOperator[] = fromTable('mobile', (c) => c.mobile);

/** Hosting / VPS providers: where attackers rent machines. */
export const HOSTING: readonly NetworkOperator[] = [
  {
    kind: 'vps',
    name: 'DigitalOcean, LLC',
    asn: 14061,
    country: 'NL',
    v4: ['188.166', '146.190', '178.62'],
    v6: ['2a03:b0c0'],
    cities: NL_CITIES,
  },
  {
    kind: 'vps',
    name: 'DigitalOcean, LLC',
    asn: 14061,
    country: 'US',
    v4: ['159.89', '167.99', '104.248', '143.198'],
    v6: ['2604:a880'],
    cities: US_CITIES,
  },
  {
    kind: 'vps',
    name: 'The Constant Company (Vultr)',
    asn: 20473,
    country: 'US',
    v4: ['45.32', '149.28', '207.148'],
    v6: ['2001:19f0'],
    cities: US_CITIES,
  },
  {
    kind: 'vps',
    name: 'OVH SAS',
    asn: 16276,
    country: 'FR',
    v4: ['51.75', '54.36', '137.74', '141.94'],
    v6: ['2001:41d0'],
    cities: FR_CITIES,
  },
  {
    kind: 'vps',
    name: 'Hetzner Online GmbH',
    asn: 24940,
    country: 'DE',
    v4: ['95.216', '116.203', '168.119', '49.12'],
    v6: ['2a01:4f8', '2a01:4f9'],
    cities: DE_CITIES,
  },
  {
    kind: 'vps',
    name: 'Akamai Connected Cloud (Linode)',
    asn: 63949,
    country: 'GB',
    v4: ['172.105', '139.162', '178.79'],
    v6: ['2a01:7e00'],
    cities: GB_CITIES,
  },
  {
    kind: 'vps',
    name: 'M247 Europe SRL',
    asn: 9009,
    country: 'NL',
    v4: ['89.46', '193.27', '185.156'],
    cities: NL_CITIES,
  },
  {
    kind: 'vps',
    name: 'Leaseweb Netherlands B.V.',
    asn: 60781,
    country: 'NL',
    v4: ['85.17', '212.32', '37.48'],
    cities: NL_CITIES,
  },
];

/** Residential proxy exits: real-looking consumer ISP addresses rented by the hour. */
export const RESIDENTIAL_PROXIES: readonly NetworkOperator[] = HOME_ISPS.map((op) => ({
  ...op,
  kind: 'residential-proxy' as const,
}));

/** Tor exit relays (hosted by exit operators' ASNs). */
export const TOR_EXITS: readonly NetworkOperator[] = [
  { kind: 'tor', name: 'Stiftung Erneuerbare Freiheit', asn: 60729, country: 'DE', v4: ['185.220'], cities: DE_CITIES },
  {
    kind: 'tor',
    name: 'Foundation for Applied Privacy',
    asn: 208323,
    country: 'AT',
    v4: ['109.70'],
    cities: DE_CITIES,
  },
  { kind: 'tor', name: 'Nothing to hide', asn: 58087, country: 'NL', v4: ['192.42'], cities: NL_CITIES },
  { kind: 'tor', name: 'Emerald Onion', asn: 396507, country: 'US', v4: ['23.129'], cities: US_CITIES },
];

/** Vendor clouds: SaaS backup / IGA / automation egress (AWS, Azure, GCP). */
export const VENDOR_CLOUDS: readonly NetworkOperator[] = [
  {
    kind: 'vendor-cloud',
    name: 'Amazon.com, Inc.',
    asn: 16509,
    country: 'US',
    v4: ['3.214', '18.208', '52.4', '54.165'],
    cities: US_CITIES,
  },
  {
    kind: 'vendor-cloud',
    name: 'Amazon.com, Inc.',
    asn: 16509,
    country: 'GB',
    v4: ['3.8', '18.130', '35.176'],
    cities: GB_CITIES,
  },
  {
    kind: 'vendor-cloud',
    name: 'Google LLC',
    asn: 396982,
    country: 'US',
    v4: ['34.23', '35.188', '34.145'],
    cities: US_CITIES,
  },
  {
    kind: 'vendor-cloud',
    name: 'Microsoft Corporation',
    asn: 8075,
    country: 'US',
    v4: ['20.42', '52.170', '40.121'],
    cities: US_CITIES,
  },
];

/** Microsoft datacenter egress: first-party service-to-service calls (Teams, Search, People Cards). */
export const MICROSOFT_RANGES: readonly NetworkOperator[] = [
  {
    kind: 'microsoft',
    name: 'Microsoft Corporation',
    asn: 8075,
    country: 'US',
    v4: ['20.190', '40.126', '52.112', '20.44', '13.107'],
    v6: ['2603:1036', '2603:1046'],
    cities: US_CITIES,
  },
  {
    kind: 'microsoft',
    name: 'Microsoft Corporation',
    asn: 8075,
    country: 'GB',
    v4: ['51.104', '51.140', '20.108'],
    v6: ['2603:1026'],
    cities: GB_CITIES,
  },
  {
    kind: 'microsoft',
    name: 'Microsoft Corporation',
    asn: 8075,
    country: 'NL',
    v4: ['20.61', '52.236', '40.114'],
    v6: ['2603:1026'],
    cities: NL_CITIES,
  },
];

/** Corporate egress ISPs (business fibre) by country; a tenant's offices get /28-like pools from them. */
export const BUSINESS_ISPS: readonly NetworkOperator[] = fromTable('corporate', (c) => c.corporate);

export const OPERATORS_BY_KIND: Readonly<Record<NetworkKind, readonly NetworkOperator[]>> = {
  corporate: BUSINESS_ISPS,
  home: HOME_ISPS,
  mobile: MOBILE_CARRIERS,
  vps: HOSTING,
  'residential-proxy': RESIDENTIAL_PROXIES,
  tor: TOR_EXITS,
  'vendor-cloud': VENDOR_CLOUDS,
  microsoft: MICROSOFT_RANGES,
};

/** A concrete place on a network: an operator, a city and (for fixed lines) fixed addresses. */
export interface NetworkPoint {
  kind: NetworkKind;
  operator: string;
  asn: number;
  country: string;
  city: string;
  state: string;
  lat: number;
  lon: number;
  /** the addresses this point egresses from (a pool; a single address for most homes) */
  v4: readonly string[];
  /** IPv6 addresses (dual-stack networks) */
  v6: readonly string[];
  /** the operator's prefixes, for addresses that change over time (mobile CGNAT, proxy exits) */
  prefixes4: readonly string[];
  prefixes6: readonly string[];
}

/** An operator in `country` of `kind`, or any operator of that kind if none is in that country. */
export function pickOperator(rng: Rng, kind: NetworkKind, country: string | null): NetworkOperator {
  const all = OPERATORS_BY_KIND[kind];
  const local = country ? all.filter((o) => o.country === country) : [];
  return rng.pick(local.length ? local : all);
}

/** A v4 address inside one of the operator's /16s, avoiding .0 and .255 hosts. */
export function v4In(rng: Rng, op: NetworkOperator): string {
  return `${rng.pick(op.v4)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** A v6 address inside one of the operator's /32s (a /64 per subscriber, random interface id). */
export function v6In(rng: Rng, op: NetworkOperator): string | null {
  if (!op.v6?.length) return null;
  const h = () => rng.int(0, 0xffff).toString(16);
  return `${rng.pick(op.v6)}:${h()}:${h()}:${h()}:${h()}:${h()}:${h()}`;
}

/** Make a point on an operator: `poolSize` v4 addresses, and v6 addresses if dual-stack. */
export function pointOn(rng: Rng, op: NetworkOperator, poolSize = 1, v6Size = 1): NetworkPoint {
  const [city, state, lat, lon] = rng.pick(op.cities);
  const v4: string[] = [];
  if (poolSize > 1) {
    // a contiguous small pool, as corporate egress NAT pools are
    const base = `${rng.pick(op.v4)}.${rng.int(0, 255)}`;
    const start = rng.int(1, 254 - poolSize);
    for (let i = 0; i < poolSize; i++) v4.push(`${base}.${start + i}`);
  } else {
    v4.push(v4In(rng, op));
  }
  const v6: string[] = [];
  for (let i = 0; i < v6Size; i++) {
    const a = v6In(rng, op);
    if (a) v6.push(a);
  }
  return {
    kind: op.kind,
    operator: op.name,
    asn: op.asn,
    country: op.country,
    city,
    state,
    lat,
    lon,
    v4,
    v6,
    prefixes4: op.v4,
    prefixes6: op.v6 ?? [],
  };
}

/** A v4 address on the point's operator chosen by a hash (no RNG draw): for rotating addresses. */
export function rotatingV4(p: NetworkPoint, h: number): string {
  const pre = p.prefixes4[h % p.prefixes4.length] ?? p.v4[0];
  return `${pre}.${(h >>> 8) & 255}.${((h >>> 16) % 254) + 1}`;
}

/** A v6 address on the point's operator chosen by a hash, or null on v4-only networks. */
export function rotatingV6(p: NetworkPoint, h: number, h2: number): string | null {
  if (!p.prefixes6.length) return null;
  const pre = p.prefixes6[h % p.prefixes6.length];
  const x = (n: number) => (n & 0xffff).toString(16);
  return `${pre}:${x(h >>> 4)}:${x(h >>> 16)}:${x(h2)}:${x(h2 >>> 16)}:${x(h ^ h2)}:${x((h2 >>> 8) ^ 0x5a5a)}`;
}
