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
  cities: readonly (readonly [city: string, state: string, lat: number, lon: number])[];
}

const US_CITIES = [
  ['New York', 'New York', 40.71, -74.0],
  ['Boston', 'Massachusetts', 42.36, -71.06],
  ['Philadelphia', 'Pennsylvania', 39.95, -75.17],
  ['Chicago', 'Illinois', 41.88, -87.63],
  ['Atlanta', 'Georgia', 33.75, -84.39],
  ['Newark', 'New Jersey', 40.74, -74.17],
  ['Charlotte', 'North Carolina', 35.23, -80.84],
] as const;
const GB_CITIES = [
  ['London', 'England', 51.51, -0.13],
  ['Manchester', 'England', 53.48, -2.24],
  ['Leeds', 'England', 53.8, -1.55],
  ['Bristol', 'England', 51.45, -2.59],
  ['Edinburgh', 'Scotland', 55.95, -3.19],
] as const;
const DE_CITIES = [
  ['Berlin', 'Berlin', 52.52, 13.4],
  ['Munich', 'Bavaria', 48.14, 11.58],
  ['Hamburg', 'Hamburg', 53.55, 9.99],
  ['Frankfurt am Main', 'Hesse', 50.11, 8.68],
] as const;
const NL_CITIES = [
  ['Amsterdam', 'North Holland', 52.37, 4.9],
  ['Rotterdam', 'South Holland', 51.92, 4.48],
  ['Utrecht', 'Utrecht', 52.09, 5.12],
] as const;
const FR_CITIES = [
  ['Paris', 'Ile-de-France', 48.86, 2.35],
  ['Lyon', 'Auvergne-Rhone-Alpes', 45.76, 4.84],
  ['Roubaix', 'Hauts-de-France', 50.69, 3.17],
] as const;
const CA_CITIES = [
  ['Toronto', 'Ontario', 43.65, -79.38],
  ['Montreal', 'Quebec', 45.5, -73.57],
] as const;
const IN_CITIES = [
  ['Mumbai', 'Maharashtra', 19.08, 72.88],
  ['Bengaluru', 'Karnataka', 12.97, 77.59],
] as const;
const AU_CITIES = [
  ['Sydney', 'New South Wales', -33.87, 151.21],
  ['Melbourne', 'Victoria', -37.81, 144.96],
] as const;
const SG_CITIES = [['Singapore', 'Singapore', 1.35, 103.82]] as const;

export const CITIES_BY_COUNTRY: Readonly<Record<string, NetworkOperator['cities']>> = {
  US: US_CITIES,
  GB: GB_CITIES,
  DE: DE_CITIES,
  NL: NL_CITIES,
  FR: FR_CITIES,
  CA: CA_CITIES,
  IN: IN_CITIES,
  AU: AU_CITIES,
  SG: SG_CITIES,
};

/** Home broadband: dual-stack residential ISPs. */
export const HOME_ISPS: readonly NetworkOperator[] = [
  {
    kind: 'home',
    name: 'Comcast Cable',
    asn: 7922,
    country: 'US',
    v4: ['73.12', '73.142', '98.217', '24.61', '76.104'],
    v6: ['2601:18c', '2601:41', '2601:249'],
    cities: US_CITIES,
  },
  {
    kind: 'home',
    name: 'Verizon Fios',
    asn: 701,
    country: 'US',
    v4: ['71.172', '108.46', '100.36', '173.56'],
    v6: ['2600:4040', '2600:4041'],
    cities: US_CITIES,
  },
  {
    kind: 'home',
    name: 'Charter Spectrum',
    asn: 20115,
    country: 'US',
    v4: ['66.188', '97.83', '47.36', '75.131'],
    v6: ['2603:6010', '2603:7000'],
    cities: US_CITIES,
  },
  {
    kind: 'home',
    name: 'AT&T Internet',
    asn: 7018,
    country: 'US',
    v4: ['99.106', '107.204', '76.220', '162.200'],
    v6: ['2600:1700', '2600:1702'],
    cities: US_CITIES,
  },
  {
    kind: 'home',
    name: 'British Telecommunications',
    asn: 2856,
    country: 'GB',
    v4: ['86.142', '81.151', '109.152', '217.43'],
    v6: ['2a00:23c5', '2a00:23c7'],
    cities: GB_CITIES,
  },
  {
    kind: 'home',
    name: 'Virgin Media',
    asn: 5089,
    country: 'GB',
    v4: ['82.11', '86.26', '92.238', '213.106'],
    v6: ['2a02:c7c', '2a02:c7e'],
    cities: GB_CITIES,
  },
  {
    kind: 'home',
    name: 'Sky Broadband',
    asn: 5607,
    country: 'GB',
    v4: ['90.216', '94.174', '2.27', '5.81'],
    v6: ['2a02:c78', '2a02:c79'],
    cities: GB_CITIES,
  },
  {
    kind: 'home',
    name: 'Deutsche Telekom',
    asn: 3320,
    country: 'DE',
    v4: ['79.241', '87.161', '91.54', '93.216'],
    v6: ['2003:e5', '2003:c2'],
    cities: DE_CITIES,
  },
  {
    kind: 'home',
    name: 'KPN',
    asn: 1136,
    country: 'NL',
    v4: ['77.164', '84.84', '145.131', '86.83'],
    v6: ['2a02:a44', '2a02:a46'],
    cities: NL_CITIES,
  },
  {
    kind: 'home',
    name: 'Orange France',
    asn: 3215,
    country: 'FR',
    v4: ['90.3', '86.238', '83.201', '109.211'],
    v6: ['2a01:cb00', '2a01:cb1c'],
    cities: FR_CITIES,
  },
  {
    kind: 'home',
    name: 'Rogers Communications',
    asn: 812,
    country: 'CA',
    v4: ['99.229', '174.112', '24.114'],
    v6: ['2607:fea8', '2607:fea9'],
    cities: CA_CITIES,
  },
  {
    kind: 'home',
    name: 'Reliance Jio',
    asn: 55836,
    country: 'IN',
    v4: ['49.36', '157.32', '136.232'],
    v6: ['2409:4040', '2409:4060'],
    cities: IN_CITIES,
  },
  {
    kind: 'home',
    name: 'Telstra',
    asn: 1221,
    country: 'AU',
    v4: ['101.160', '120.148', '58.166'],
    v6: ['2001:8003', '2001:8004'],
    cities: AU_CITIES,
  },
  {
    kind: 'home',
    name: 'Singtel',
    asn: 9506,
    country: 'SG',
    v4: ['116.14', '118.189'],
    v6: ['2406:3003'],
    cities: SG_CITIES,
  },
];

/** Mobile carriers: CGNAT v4 and v6, addresses change every few hours. */
export const MOBILE_CARRIERS: readonly NetworkOperator[] = [
  {
    kind: 'mobile',
    name: 'T-Mobile USA',
    asn: 21928,
    country: 'US',
    v4: ['172.56', '172.58', '208.54'],
    v6: ['2607:fb90', '2607:fb91'],
    cities: US_CITIES,
  },
  {
    kind: 'mobile',
    name: 'Verizon Wireless',
    asn: 6167,
    country: 'US',
    v4: ['174.192', '174.204', '97.128'],
    v6: ['2600:1010', '2600:1012'],
    cities: US_CITIES,
  },
  {
    kind: 'mobile',
    name: 'EE',
    asn: 12576,
    country: 'GB',
    v4: ['31.94', '92.40', '82.132'],
    v6: ['2a00:23ee', '2a01:4c8'],
    cities: GB_CITIES,
  },
  {
    kind: 'mobile',
    name: 'Vodafone UK',
    asn: 25135,
    country: 'GB',
    v4: ['151.224', '82.132'],
    v6: ['2a01:4c8'],
    cities: GB_CITIES,
  },
  {
    kind: 'mobile',
    name: 'Telefonica Germany',
    asn: 6805,
    country: 'DE',
    v4: ['89.204', '176.6'],
    v6: ['2a02:3033'],
    cities: DE_CITIES,
  },
  {
    kind: 'mobile',
    name: 'Odido',
    asn: 31615,
    country: 'NL',
    v4: ['62.140', '188.90'],
    v6: ['2a02:a212'],
    cities: NL_CITIES,
  },
  {
    kind: 'mobile',
    name: 'Bouygues Telecom',
    asn: 5410,
    country: 'FR',
    v4: ['176.177', '37.164'],
    v6: ['2a01:e0a'],
    cities: FR_CITIES,
  },
  {
    kind: 'mobile',
    name: 'Bell Mobility',
    asn: 577,
    country: 'CA',
    v4: ['142.188', '184.151'],
    v6: ['2605:8d80'],
    cities: CA_CITIES,
  },
  {
    kind: 'mobile',
    name: 'Bharti Airtel',
    asn: 45609,
    country: 'IN',
    v4: ['106.195', '223.181'],
    v6: ['2401:4900'],
    cities: IN_CITIES,
  },
  {
    kind: 'mobile',
    name: 'Optus',
    asn: 4804,
    country: 'AU',
    v4: ['49.195', '110.150'],
    v6: ['2001:8004'],
    cities: AU_CITIES,
  },
];

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
export const BUSINESS_ISPS: readonly NetworkOperator[] = [
  {
    kind: 'corporate',
    name: 'Lumen Technologies',
    asn: 3356,
    country: 'US',
    v4: ['4.14', '8.36', '63.145', '65.200'],
    v6: ['2001:1900'],
    cities: US_CITIES,
  },
  {
    kind: 'corporate',
    name: 'Zayo Bandwidth',
    asn: 6461,
    country: 'US',
    v4: ['64.125', '208.185', '216.200'],
    cities: US_CITIES,
  },
  {
    kind: 'corporate',
    name: 'Cogent Communications',
    asn: 174,
    country: 'US',
    v4: ['38.104', '38.140', '154.27'],
    cities: US_CITIES,
  },
  {
    kind: 'corporate',
    name: 'Colt Technology Services',
    asn: 8220,
    country: 'GB',
    v4: ['212.36', '213.86', '62.96'],
    v6: ['2a00:2381'],
    cities: GB_CITIES,
  },
  {
    kind: 'corporate',
    name: 'Vodafone Business',
    asn: 1273,
    country: 'GB',
    v4: ['195.2', '62.253'],
    cities: GB_CITIES,
  },
  { kind: 'corporate', name: 'euNetworks', asn: 13237, country: 'DE', v4: ['217.71', '80.81'], cities: DE_CITIES },
  { kind: 'corporate', name: 'Eurofiber', asn: 15435, country: 'NL', v4: ['80.113', '213.125'], cities: NL_CITIES },
  {
    kind: 'corporate',
    name: 'Orange Business',
    asn: 5511,
    country: 'FR',
    v4: ['193.252', '81.255'],
    cities: FR_CITIES,
  },
];

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
