/**
 * The one country table (src/core/countries.ts): what `validate` accepts, the world plan models.
 * Property: any two-letter code is either refused with the list of modelled countries, or accepted
 * and then yields workforce sign-ins from that country (from its ISPs, in its cities), with its
 * time zone as the default business-hours zone and its Graph regions and Exchange forest.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { buildWorld } from '../../generators/world/plan.js';
import { buildCatalog } from '../../harness/catalog.js';
import { COUNTRIES, COUNTRY_CODES, findCountry } from '../../src/core/countries.js';
import { loadScenario, type Scenario } from '../../src/scenario/index.js';
import { generateInMemory } from './helpers/run.js';

const catalog = buildCatalog();
const scenarioText = (countries: string[], extra = '') =>
  `name: country-${countries.join('-')}\nseed: 7\ntenant: {users: 12, countries: [${countries.join(', ')}]}\n` +
  `time: {start: 2026-11-03T00:00:00Z, duration: 1d}\ntelemetry: {sources: [signIns]}\nactivity: [{profile: workforce}]\n${extra}`;

/** The workforce's sign-ins come from `code` (travel, VPNs and jump boxes add a few from elsewhere). */
function expectSignInsFrom(s: Scenario, code: string): void {
  const lines = generateInMemory(s).lines.signIns ?? [];
  const rows = lines.map(
    (l) => JSON.parse(l) as { category: string; properties: { location?: { countryOrRegion?: string } } },
  );
  // the workforce's own sign-ins (integrations' service-principal sign-ins come from their clouds)
  const located = rows.filter(
    (x) => x.category !== 'ServicePrincipalSignInLogs' && x.properties.location?.countryOrRegion !== undefined,
  );
  expect(located.length, code).toBeGreaterThan(0);
  const here = located.filter((x) => x.properties.location?.countryOrRegion === code).length;
  expect(here / located.length, code).toBeGreaterThan(0.8);
}

describe('the country table', () => {
  it('has one entry per code, each with a valid zone, cities, every network kind, regions and a forest', () => {
    expect(new Set(COUNTRY_CODES).size).toBe(COUNTRIES.length);
    for (const c of COUNTRIES) {
      expect(c.code).toMatch(/^[A-Z]{2}$/);
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: c.timezone })).not.toThrow();
      expect(c.cities.length).toBeGreaterThan(0);
      expect(c.home.length).toBeGreaterThan(0);
      expect(c.mobile.length).toBeGreaterThan(0);
      expect(c.corporate.length).toBeGreaterThan(0);
      expect(c.graphRegions.length).toBeGreaterThan(0);
      expect(c.exchangeForest).toMatch(/^[A-Z0-9]{3,4}PR$/);
      for (const op of [...c.home, ...c.mobile, ...c.corporate]) {
        for (const p of op.v4) expect(p).not.toMatch(/^(192\.0|198\.51|203\.0|10\.|127\.)/);
        for (const p of op.v6 ?? []) expect(p).not.toMatch(/^2001:db8/i);
      }
    }
  });

  it('validate refuses a country it cannot model, naming the ones it can', () => {
    const r = loadScenario(scenarioText(['KR']), 'kr.yaml', catalog);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const d = r.diagnostics.find((x) => x.code === 'E_COUNTRY');
    expect(d?.message).toContain('"KR"');
    expect(d?.hint).toContain(COUNTRY_CODES.join(', '));
    expect(d?.position?.line).toBe(3);
  });

  it("validate refuses an attack's session country where its network kind has no operator, naming those it has", () => {
    const r = loadScenario(
      scenarioText(
        ['US'],
        'attacks: [{technique: graph-user-listing, session: {network: vps, country: JP}, at: 2026-11-03T10:00:00Z}]\n',
      ),
      'jp.yaml',
      catalog,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const d = r.diagnostics.find((x) => x.code === 'E_COUNTRY');
    expect(d?.message).toContain('no vps network in "JP"');
    expect(d?.hint).toContain('NL');
  });

  test.prop([fc.stringMatching(/^[A-Z]{2}$/)], { numRuns: 30 })(
    'any code is refused, or accepted and yields sign-ins from that country',
    (code) => {
      const r = loadScenario(scenarioText([code]), 'c.yaml', catalog);
      const country = findCountry(code);
      if (!country) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.diagnostics.map((d) => d.code)).toContain('E_COUNTRY');
        return;
      }
      expect(r.ok).toBe(true);
      if (r.ok) expectSignInsFrom(r.scenario, code);
    },
  );

  it('every accepted country yields sign-ins from that country, in its zone, regions and forest', () => {
    for (const c of COUNTRIES) {
      const r = loadScenario(scenarioText([c.code]), `${c.code}.yaml`, catalog);
      expect(r.ok, c.code).toBe(true);
      if (!r.ok) continue;
      expect(r.scenario.tenant.timezone).toBe(c.timezone);
      const w = buildWorld(r.scenario);
      expect(w.graphRegions).toEqual(c.graphRegions);
      expect(w.exchangeForest).toBe(c.exchangeForest);
      expectSignInsFrom(r.scenario, c.code);
    }
  });
});
