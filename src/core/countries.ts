/**
 * The one country table: every country a tenant's workforce can live in, with what the bench needs
 * to model it — the time zone of its business hours, cities (with coordinates for sign-in
 * `location`), the home broadband ISPs, mobile carriers and business ISPs its people egress from,
 * the Azure regions that serve its Graph requests, and its Exchange Online forest prefix.
 *
 * The scenario layer reads it to accept or refuse `tenant.countries` (and to pick the default time
 * zone); the world plan reads it to place users, offices and networks. A country not in this table
 * is refused by `validate` with the list of the ones it has, never silently replaced.
 *
 * Operators are named after real ones with their real ASNs; prefixes are public-style and
 * illustrative (never the documentation ranges), not an allocation registry. Graph regions follow
 * the Azure regions nearest the country (Microsoft serves Graph from the region nearest the caller's
 * tenant data, docs/generators.md "Countries"); forest prefixes follow the datacentre codes seen in
 * Exchange Online server names (NAM, LO = London, AM = Amsterdam, …) and are illustrative where
 * docs/generators.md says so.
 */

import type { Diagnostic } from './errors.js';

/** [city, state or region, latitude, longitude] */
export type City = readonly [city: string, state: string, lat: number, lon: number];

export interface CountryOperator {
  name: string;
  asn: number;
  /** IPv4 /16 prefixes as "a.b" */
  v4: readonly string[];
  /** IPv6 /32 prefixes as "2601:1c0" (two hextets), absent for v4-only networks */
  v6?: readonly string[];
}

export interface Country {
  /** ISO 3166-1 alpha-2 */
  code: string;
  name: string;
  /** IANA zone of the country's business hours (its largest population centre) */
  timezone: string;
  cities: readonly City[];
  /** residential broadband (dual-stack where the ISP is) */
  home: readonly CountryOperator[];
  /** mobile carriers (CGNAT v4 and v6) */
  mobile: readonly CountryOperator[];
  /** business fibre: office egress NAT pools */
  corporate: readonly CountryOperator[];
  /** Azure regions serving Graph for a tenant homed here, with weights */
  graphRegions: readonly (readonly [region: string, weight: number])[];
  /** Exchange Online forest / server-name prefix, e.g. "NAMPR" */
  exchangeForest: string;
}

const US_CITIES: readonly City[] = [
  ['New York', 'New York', 40.71, -74.0],
  ['Boston', 'Massachusetts', 42.36, -71.06],
  ['Philadelphia', 'Pennsylvania', 39.95, -75.17],
  ['Chicago', 'Illinois', 41.88, -87.63],
  ['Atlanta', 'Georgia', 33.75, -84.39],
  ['Newark', 'New Jersey', 40.74, -74.17],
  ['Charlotte', 'North Carolina', 35.23, -80.84],
];

/**
 * In this order on purpose: the world plan's network pools are these operators flattened country
 * by country, and appending keeps every existing seed's picks (and golden files) unchanged.
 */
export const COUNTRIES: readonly Country[] = [
  {
    code: 'US',
    name: 'United States',
    timezone: 'America/New_York',
    cities: US_CITIES,
    home: [
      {
        name: 'Comcast Cable',
        asn: 7922,
        v4: ['73.12', '73.142', '98.217', '24.61', '76.104'],
        v6: ['2601:18c', '2601:41', '2601:249'],
      },
      { name: 'Verizon Fios', asn: 701, v4: ['71.172', '108.46', '100.36', '173.56'], v6: ['2600:4040', '2600:4041'] },
      {
        name: 'Charter Spectrum',
        asn: 20115,
        v4: ['66.188', '97.83', '47.36', '75.131'],
        v6: ['2603:6010', '2603:7000'],
      },
      {
        name: 'AT&T Internet',
        asn: 7018,
        v4: ['99.106', '107.204', '76.220', '162.200'],
        v6: ['2600:1700', '2600:1702'],
      },
    ],
    mobile: [
      { name: 'T-Mobile USA', asn: 21928, v4: ['172.56', '172.58', '208.54'], v6: ['2607:fb90', '2607:fb91'] },
      { name: 'Verizon Wireless', asn: 6167, v4: ['174.192', '174.204', '97.128'], v6: ['2600:1010', '2600:1012'] },
    ],
    corporate: [
      { name: 'Lumen Technologies', asn: 3356, v4: ['4.14', '8.36', '63.145', '65.200'], v6: ['2001:1900'] },
      { name: 'Zayo Bandwidth', asn: 6461, v4: ['64.125', '208.185', '216.200'] },
      { name: 'Cogent Communications', asn: 174, v4: ['38.104', '38.140', '154.27'] },
    ],
    graphRegions: [
      ['East US', 4],
      ['East US 2', 3],
      ['South Central US', 2],
      ['West US 2', 1],
      ['Central US', 1],
    ],
    exchangeForest: 'NAMPR',
  },
  {
    code: 'GB',
    name: 'United Kingdom',
    timezone: 'Europe/London',
    cities: [
      ['London', 'England', 51.51, -0.13],
      ['Manchester', 'England', 53.48, -2.24],
      ['Leeds', 'England', 53.8, -1.55],
      ['Bristol', 'England', 51.45, -2.59],
      ['Edinburgh', 'Scotland', 55.95, -3.19],
    ],
    home: [
      {
        name: 'British Telecommunications',
        asn: 2856,
        v4: ['86.142', '81.151', '109.152', '217.43'],
        v6: ['2a00:23c5', '2a00:23c7'],
      },
      { name: 'Virgin Media', asn: 5089, v4: ['82.11', '86.26', '92.238', '213.106'], v6: ['2a02:c7c', '2a02:c7e'] },
      { name: 'Sky Broadband', asn: 5607, v4: ['90.216', '94.174', '2.27', '5.81'], v6: ['2a02:c78', '2a02:c79'] },
    ],
    mobile: [
      { name: 'EE', asn: 12576, v4: ['31.94', '92.40', '82.132'], v6: ['2a00:23ee', '2a01:4c8'] },
      { name: 'Vodafone UK', asn: 25135, v4: ['151.224', '82.132'], v6: ['2a01:4c8'] },
    ],
    corporate: [
      { name: 'Colt Technology Services', asn: 8220, v4: ['212.36', '213.86', '62.96'], v6: ['2a00:2381'] },
      { name: 'Vodafone Business', asn: 1273, v4: ['195.2', '62.253'] },
    ],
    graphRegions: [
      ['UK South', 4],
      ['UK West', 1],
      ['West Europe', 1],
    ],
    exchangeForest: 'LO0PR',
  },
  {
    code: 'DE',
    name: 'Germany',
    timezone: 'Europe/Berlin',
    cities: [
      ['Berlin', 'Berlin', 52.52, 13.4],
      ['Munich', 'Bavaria', 48.14, 11.58],
      ['Hamburg', 'Hamburg', 53.55, 9.99],
      ['Frankfurt am Main', 'Hesse', 50.11, 8.68],
    ],
    home: [
      { name: 'Deutsche Telekom', asn: 3320, v4: ['79.241', '87.161', '91.54', '93.216'], v6: ['2003:e5', '2003:c2'] },
    ],
    mobile: [{ name: 'Telefonica Germany', asn: 6805, v4: ['89.204', '176.6'], v6: ['2a02:3033'] }],
    corporate: [{ name: 'euNetworks', asn: 13237, v4: ['217.71', '80.81'] }],
    graphRegions: [
      ['Germany West Central', 2],
      ['West Europe', 3],
      ['North Europe', 1],
    ],
    exchangeForest: 'FRYPR',
  },
  {
    code: 'NL',
    name: 'Netherlands',
    timezone: 'Europe/Amsterdam',
    cities: [
      ['Amsterdam', 'North Holland', 52.37, 4.9],
      ['Rotterdam', 'South Holland', 51.92, 4.48],
      ['Utrecht', 'Utrecht', 52.09, 5.12],
    ],
    home: [{ name: 'KPN', asn: 1136, v4: ['77.164', '84.84', '145.131', '86.83'], v6: ['2a02:a44', '2a02:a46'] }],
    mobile: [{ name: 'Odido', asn: 31615, v4: ['62.140', '188.90'], v6: ['2a02:a212'] }],
    corporate: [{ name: 'Eurofiber', asn: 15435, v4: ['80.113', '213.125'] }],
    graphRegions: [
      ['West Europe', 4],
      ['North Europe', 2],
    ],
    exchangeForest: 'AM0PR',
  },
  {
    code: 'FR',
    name: 'France',
    timezone: 'Europe/Paris',
    cities: [
      ['Paris', 'Ile-de-France', 48.86, 2.35],
      ['Lyon', 'Auvergne-Rhone-Alpes', 45.76, 4.84],
      ['Roubaix', 'Hauts-de-France', 50.69, 3.17],
    ],
    home: [
      { name: 'Orange France', asn: 3215, v4: ['90.3', '86.238', '83.201', '109.211'], v6: ['2a01:cb00', '2a01:cb1c'] },
    ],
    mobile: [{ name: 'Bouygues Telecom', asn: 5410, v4: ['176.177', '37.164'], v6: ['2a01:e0a'] }],
    corporate: [{ name: 'Orange Business', asn: 5511, v4: ['193.252', '81.255'] }],
    graphRegions: [
      ['France Central', 3],
      ['West Europe', 2],
    ],
    exchangeForest: 'PA4PR',
  },
  {
    code: 'CA',
    name: 'Canada',
    timezone: 'America/Toronto',
    cities: [
      ['Toronto', 'Ontario', 43.65, -79.38],
      ['Montreal', 'Quebec', 45.5, -73.57],
    ],
    home: [
      { name: 'Rogers Communications', asn: 812, v4: ['99.229', '174.112', '24.114'], v6: ['2607:fea8', '2607:fea9'] },
    ],
    mobile: [{ name: 'Bell Mobility', asn: 577, v4: ['142.188', '184.151'], v6: ['2605:8d80'] }],
    corporate: [{ name: 'Bell Canada', asn: 577, v4: ['206.47', '207.236'] }],
    graphRegions: [
      ['Canada Central', 3],
      ['East US', 1],
    ],
    exchangeForest: 'NAMPR',
  },
  {
    code: 'IN',
    name: 'India',
    timezone: 'Asia/Kolkata',
    cities: [
      ['Mumbai', 'Maharashtra', 19.08, 72.88],
      ['Bengaluru', 'Karnataka', 12.97, 77.59],
    ],
    home: [{ name: 'Reliance Jio', asn: 55836, v4: ['49.36', '157.32', '136.232'], v6: ['2409:4040', '2409:4060'] }],
    mobile: [{ name: 'Bharti Airtel', asn: 45609, v4: ['106.195', '223.181'], v6: ['2401:4900'] }],
    corporate: [{ name: 'Tata Communications', asn: 4755, v4: ['115.113', '14.140'] }],
    graphRegions: [
      ['Central India', 3],
      ['South India', 1],
    ],
    exchangeForest: 'PN3PR',
  },
  {
    code: 'AU',
    name: 'Australia',
    timezone: 'Australia/Sydney',
    cities: [
      ['Sydney', 'New South Wales', -33.87, 151.21],
      ['Melbourne', 'Victoria', -37.81, 144.96],
    ],
    home: [{ name: 'Telstra', asn: 1221, v4: ['101.160', '120.148', '58.166'], v6: ['2001:8003', '2001:8004'] }],
    mobile: [{ name: 'Optus', asn: 4804, v4: ['49.195', '110.150'], v6: ['2001:8004'] }],
    corporate: [{ name: 'Telstra Business', asn: 1221, v4: ['203.35', '144.140'] }],
    graphRegions: [
      ['Australia East', 3],
      ['Australia Southeast', 1],
    ],
    exchangeForest: 'SY4PR',
  },
  {
    code: 'SG',
    name: 'Singapore',
    timezone: 'Asia/Singapore',
    cities: [['Singapore', 'Singapore', 1.35, 103.82]],
    home: [{ name: 'Singtel', asn: 9506, v4: ['116.14', '118.189'], v6: ['2406:3003'] }],
    mobile: [{ name: 'StarHub Mobile', asn: 55430, v4: ['58.182', '101.127'], v6: ['2406:3000'] }],
    corporate: [{ name: 'Singtel Business', asn: 7473, v4: ['202.166', '165.21'] }],
    graphRegions: [['Southeast Asia', 1]],
    exchangeForest: 'SG2PR',
  },
  {
    code: 'IE',
    name: 'Ireland',
    timezone: 'Europe/Dublin',
    cities: [
      ['Dublin', 'Leinster', 53.35, -6.26],
      ['Cork', 'Munster', 51.9, -8.47],
      ['Galway', 'Connacht', 53.27, -9.05],
    ],
    home: [
      { name: 'Eir', asn: 5466, v4: ['86.40', '79.97', '159.134'], v6: ['2001:bb6'] },
      { name: 'Virgin Media Ireland', asn: 6830, v4: ['89.101', '109.255'], v6: ['2a02:8084'] },
    ],
    mobile: [{ name: 'Vodafone Ireland', asn: 15502, v4: ['89.19', '37.228'], v6: ['2a01:b340'] }],
    corporate: [{ name: 'BT Ireland', asn: 2110, v4: ['193.95', '213.190'] }],
    graphRegions: [
      ['North Europe', 4],
      ['West Europe', 1],
    ],
    exchangeForest: 'DB9PR',
  },
  {
    code: 'ES',
    name: 'Spain',
    timezone: 'Europe/Madrid',
    cities: [
      ['Madrid', 'Community of Madrid', 40.42, -3.7],
      ['Barcelona', 'Catalonia', 41.39, 2.17],
      ['Valencia', 'Valencian Community', 39.47, -0.38],
    ],
    home: [
      { name: 'Telefonica de Espana', asn: 3352, v4: ['83.32', '88.6', '79.148'], v6: ['2a0c:5a80'] },
      { name: 'Orange Espagne', asn: 12479, v4: ['90.163', '88.27'], v6: ['2a01:c50e'] },
    ],
    mobile: [{ name: 'Vodafone Spain', asn: 12430, v4: ['37.35', '5.205'], v6: ['2a02:9000'] }],
    corporate: [{ name: 'Telefonica Empresas', asn: 3352, v4: ['195.235', '212.170'] }],
    graphRegions: [
      ['West Europe', 3],
      ['France Central', 1],
      ['North Europe', 1],
    ],
    exchangeForest: 'DB8PR',
  },
  {
    code: 'IT',
    name: 'Italy',
    timezone: 'Europe/Rome',
    cities: [
      ['Milan', 'Lombardy', 45.46, 9.19],
      ['Rome', 'Lazio', 41.9, 12.5],
      ['Turin', 'Piedmont', 45.07, 7.69],
    ],
    home: [
      { name: 'Telecom Italia', asn: 3269, v4: ['79.20', '87.17', '93.44'], v6: ['2a01:e11'] },
      { name: 'Fastweb', asn: 12874, v4: ['93.32', '2.224'], v6: ['2001:b07'] },
    ],
    mobile: [{ name: 'Vodafone Italia', asn: 30722, v4: ['5.90', '151.38'], v6: ['2a00:6d40'] }],
    corporate: [{ name: 'Retelit', asn: 24867, v4: ['93.186', '217.58'] }],
    graphRegions: [
      ['Italy North', 2],
      ['West Europe', 3],
    ],
    exchangeForest: 'MI1PR',
  },
  {
    code: 'SE',
    name: 'Sweden',
    timezone: 'Europe/Stockholm',
    cities: [
      ['Stockholm', 'Stockholm County', 59.33, 18.07],
      ['Gothenburg', 'Vastra Gotaland', 57.71, 11.97],
      ['Malmo', 'Skane', 55.6, 13.0],
    ],
    home: [
      { name: 'Telia Company', asn: 3301, v4: ['78.67', '81.227', '90.224'], v6: ['2001:2002'] },
      { name: 'Tele2 Sverige', asn: 1257, v4: ['81.229', '90.230'], v6: ['2a00:801'] },
    ],
    mobile: [{ name: 'Tele2 Mobile', asn: 1257, v4: ['46.194', '90.129'], v6: ['2a00:800'] }],
    corporate: [{ name: 'GlobalConnect', asn: 31027, v4: ['85.24', '185.40'] }],
    graphRegions: [
      ['Sweden Central', 2],
      ['North Europe', 2],
      ['West Europe', 1],
    ],
    exchangeForest: 'GV3PR',
  },
  {
    code: 'PL',
    name: 'Poland',
    timezone: 'Europe/Warsaw',
    cities: [
      ['Warsaw', 'Masovia', 52.23, 21.01],
      ['Krakow', 'Lesser Poland', 50.06, 19.94],
      ['Wroclaw', 'Lower Silesia', 51.11, 17.04],
    ],
    home: [
      { name: 'Orange Polska', asn: 5617, v4: ['83.6', '89.77', '31.60'], v6: ['2a01:110f'] },
      { name: 'Netia', asn: 12741, v4: ['77.252', '95.49'], v6: ['2a02:2a50'] },
    ],
    mobile: [{ name: 'P4 (Play)', asn: 39603, v4: ['37.248', '37.30'], v6: ['2a00:f41'] }],
    corporate: [{ name: 'Exatel', asn: 20804, v4: ['213.77', '195.116'] }],
    graphRegions: [
      ['Poland Central', 2],
      ['West Europe', 2],
      ['North Europe', 1],
    ],
    exchangeForest: 'AM6PR',
  },
  {
    code: 'CH',
    name: 'Switzerland',
    timezone: 'Europe/Zurich',
    cities: [
      ['Zurich', 'Zurich', 47.37, 8.54],
      ['Geneva', 'Geneva', 46.2, 6.14],
      ['Basel', 'Basel-Stadt', 47.56, 7.59],
    ],
    home: [
      { name: 'Swisscom', asn: 3303, v4: ['85.0', '178.197', '83.78'], v6: ['2a02:1205', '2a02:121e'] },
      { name: 'Sunrise', asn: 6730, v4: ['212.51', '84.72'], v6: ['2a02:aa10'] },
    ],
    mobile: [{ name: 'Salt Mobile', asn: 15796, v4: ['188.60', '46.14'], v6: ['2a02:1210'] }],
    corporate: [{ name: 'Swisscom Enterprise', asn: 3303, v4: ['193.5', '195.65'] }],
    graphRegions: [
      ['Switzerland North', 3],
      ['West Europe', 1],
    ],
    exchangeForest: 'ZR0PR',
  },
  {
    code: 'JP',
    name: 'Japan',
    timezone: 'Asia/Tokyo',
    cities: [
      ['Tokyo', 'Tokyo', 35.68, 139.69],
      ['Osaka', 'Osaka', 34.69, 135.5],
      ['Yokohama', 'Kanagawa', 35.44, 139.64],
    ],
    home: [
      { name: 'NTT Communications (OCN)', asn: 4713, v4: ['114.160', '153.139', '180.12'], v6: ['2400:4050'] },
      { name: 'KDDI', asn: 2516, v4: ['106.128', '121.108'], v6: ['2400:2410'] },
    ],
    mobile: [{ name: 'NTT Docomo', asn: 9605, v4: ['1.66', '49.96'], v6: ['2001:240'] }],
    corporate: [{ name: 'Internet Initiative Japan', asn: 2497, v4: ['202.232', '210.130'] }],
    graphRegions: [
      ['Japan East', 3],
      ['Japan West', 1],
    ],
    exchangeForest: 'TYCPR',
  },
  {
    code: 'BR',
    name: 'Brazil',
    timezone: 'America/Sao_Paulo',
    cities: [
      ['Sao Paulo', 'Sao Paulo', -23.55, -46.63],
      ['Rio de Janeiro', 'Rio de Janeiro', -22.91, -43.17],
      ['Belo Horizonte', 'Minas Gerais', -19.92, -43.94],
    ],
    home: [
      { name: 'Claro NXT', asn: 28573, v4: ['177.9', '179.218', '189.100'], v6: ['2804:14c'] },
      { name: 'Telefonica Brasil (Vivo)', asn: 26599, v4: ['177.188', '187.65'], v6: ['2804:7f0'] },
    ],
    mobile: [{ name: 'TIM Brasil', asn: 26615, v4: ['177.133', '191.5'], v6: ['2804:18'] }],
    corporate: [{ name: 'Embratel', asn: 4230, v4: ['200.244', '201.48'] }],
    graphRegions: [
      ['Brazil South', 3],
      ['South Central US', 1],
    ],
    exchangeForest: 'CP6PR',
  },
  {
    code: 'MX',
    name: 'Mexico',
    timezone: 'America/Mexico_City',
    cities: [
      ['Mexico City', 'Ciudad de Mexico', 19.43, -99.13],
      ['Guadalajara', 'Jalisco', 20.66, -103.35],
      ['Monterrey', 'Nuevo Leon', 25.69, -100.32],
    ],
    home: [
      { name: 'Telmex', asn: 8151, v4: ['187.189', '189.203', '201.141'], v6: ['2806:10a'] },
      { name: 'Totalplay', asn: 22884, v4: ['187.190', '201.175'], v6: ['2806:2f0'] },
    ],
    mobile: [{ name: 'Telcel', asn: 28403, v4: ['189.216', '200.68'], v6: ['2806:101e'] }],
    corporate: [{ name: 'Alestra', asn: 11172, v4: ['200.52', '201.174'] }],
    graphRegions: [
      ['South Central US', 3],
      ['Mexico Central', 1],
    ],
    exchangeForest: 'NAMPR',
  },
  {
    code: 'ZA',
    name: 'South Africa',
    timezone: 'Africa/Johannesburg',
    cities: [
      ['Johannesburg', 'Gauteng', -26.2, 28.05],
      ['Cape Town', 'Western Cape', -33.92, 18.42],
      ['Durban', 'KwaZulu-Natal', -29.86, 31.02],
    ],
    home: [
      { name: 'Telkom SA', asn: 37457, v4: ['105.224', '41.150', '197.94'], v6: ['2c0f:f8f0'] },
      { name: 'Vox Telecom', asn: 11845, v4: ['41.193', '154.0'] },
    ],
    mobile: [{ name: 'Vodacom', asn: 29975, v4: ['41.13', '105.4'], v6: ['2c0f:f478'] }],
    corporate: [{ name: 'Liquid Intelligent Technologies', asn: 30844, v4: ['41.60', '196.216'] }],
    graphRegions: [
      ['South Africa North', 3],
      ['South Africa West', 1],
    ],
    exchangeForest: 'JNAPR',
  },
];

const BY_CODE: ReadonlyMap<string, Country> = new Map(COUNTRIES.map((c) => [c.code, c]));

/** The codes a tenant's workforce may live in, in table order. */
export const COUNTRY_CODES: readonly string[] = COUNTRIES.map((c) => c.code);

/** The table entry for `code`, or undefined when the bench cannot model that country. */
export function findCountry(code: string): Country | undefined {
  return BY_CODE.get(code);
}

/** The table entry for `code`; throws on a country validation should have refused. */
export function countryOf(code: string): Country {
  const c = BY_CODE.get(code);
  if (!c) throw new Error(`country "${code}" is not in the country table (validation refuses it)`);
  return c;
}

/** The refusal for a country the table cannot model, naming the ones it can. */
export function unmodelledCountry(code: string, path: ReadonlyArray<string | number>): Diagnostic {
  return {
    code: 'E_COUNTRY',
    message: `enumbench cannot model a workforce in "${code}": the country table has no time zone, cities or ISPs for it`,
    path,
    hint: `use one of ${COUNTRY_CODES.join(', ')} (src/core/countries.ts; docs/generators.md "Countries")`,
  };
}
