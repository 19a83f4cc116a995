/**
 * Builds normalised Scenario objects with realistic defaults, for tests that must not depend on
 * the YAML loader.
 */
import { COLLECTION_PRESETS, type SourceId } from '../../../src/core/sources.js';
import type { AttackEntry, ProfileEntry, Scenario, SourceDelivery } from '../../../src/scenario/types.js';

const H = 3_600_000;
const M = 60_000;

export const TEST_DELIVERY: Record<SourceId, SourceDelivery> = {
  ual: {
    latency: { median: 60 * M, p95: 90 * M, max: 12 * H },
    blob: { maxRecords: 2000, maxSpan: 5 * M },
    duplicates: 0.002,
  },
  graphActivity: {
    latency: { median: 10 * M, p95: 30 * M, max: 2 * H },
    blob: { maxRecords: 5000, maxSpan: 5 * M },
    duplicates: 0,
  },
  signIns: {
    latency: { median: 5 * M, p95: 20 * M, max: 2 * H },
    blob: { maxRecords: 5000, maxSpan: 5 * M },
    duplicates: 0.01,
  },
  aadGraphActivity: {
    latency: { median: 10 * M, p95: 30 * M, max: 2 * H },
    blob: { maxRecords: 5000, maxSpan: 5 * M },
    duplicates: 0,
  },
  endpointPowerShell: {
    latency: { median: 2 * M, p95: 10 * M, max: H },
    blob: { maxRecords: 5000, maxSpan: 5 * M },
    duplicates: 0,
  },
};

export interface ScenarioOverrides {
  name?: string;
  seed?: number;
  users?: number;
  groups?: number;
  devices?: number;
  servicePrincipals?: number;
  roles?: Record<string, number>;
  countries?: string[];
  timezone?: string;
  start?: string;
  durationMs?: number;
  historyMs?: number;
  collection?: string;
  sources?: SourceId[];
  hypotheses?: string[];
  activity?: ProfileEntry[];
  attacks?: AttackEntry[];
}

export function attack(overrides: Partial<AttackEntry> & { id: string }): AttackEntry {
  return {
    technique: 'graph-user-listing',
    actor: { kind: 'account', selector: { kind: 'random-user' } },
    session: { network: 'vps', country: 'NL', signIn: 'password', userAgent: null },
    at: null,
    options: {},
    ...overrides,
  };
}

export function makeScenario(o: ScenarioOverrides = {}): Scenario {
  const users = o.users ?? 60;
  const start = Date.parse(o.start ?? '2026-11-02T00:00:00Z');
  const duration = o.durationMs ?? 24 * H;
  const history = o.historyMs ?? 0;
  const collection = o.sources ? null : (o.collection ?? 'e5-endpoint');
  const sources = o.sources ?? [...(COLLECTION_PRESETS.find((p) => p.id === collection)?.sources ?? [])];
  return {
    version: 1,
    name: o.name ?? 'test',
    description: '',
    seed: o.seed ?? 1089,
    repeat: 1,
    tenant: {
      domain: 'contoso.onmicrosoft.com',
      users,
      groups: o.groups ?? Math.max(1, Math.round(users * 0.3)),
      devices: o.devices ?? Math.round(users * 1.4),
      servicePrincipals: o.servicePrincipals ?? 40,
      roles: o.roles ?? { 'Global Administrator': 2, 'Exchange Administrator': 1, 'Helpdesk Administrator': 2 },
      countries: o.countries ?? ['US', 'GB'],
      timezone: o.timezone ?? 'America/New_York',
      businessHours: { start: 9, end: 18, days: [1, 2, 3, 4, 5] },
    },
    time: { start, end: start + duration, duration, history, historyStart: start - history },
    telemetry: { collection, sources, hypotheses: o.hypotheses ?? [] },
    delivery: TEST_DELIVERY,
    activity: o.activity ?? [
      { id: 'workforce', profile: 'workforce', actors: null, schedule: null, app: null, options: {} },
    ],
    attacks: o.attacks ?? [attack({ id: 'slow', at: start + 14 * H + 20 * M })],
    expect: [],
  };
}
