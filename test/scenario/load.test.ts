import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadScenario, validate } from '../../src/scenario/index.js';
import { TEST_CATALOG } from '../fixtures/catalog.js';

const load = (text: string) => loadScenario(text, 'test.yaml', TEST_CATALOG);

function errors(text: string) {
  const r = load(text);
  if (r.ok) throw new Error('expected errors, got a valid scenario');
  return r.diagnostics;
}

describe('loadScenario: valid input', () => {
  it('a three-line scenario is valid, with realistic defaults', () => {
    const r = load('name: tiny\ntenant: {users: 300}\nattacks: [{technique: azurehound}]\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.scenario;
    expect(s.tenant).toMatchObject({
      domain: 'contoso.onmicrosoft.com',
      users: 300,
      groups: 90,
      devices: 360,
      countries: ['US'],
      timezone: 'America/New_York',
    });
    expect(s.tenant.roles['Global Administrator']).toBeGreaterThan(0);
    expect(s.tenant.roles['Helpdesk Administrator']).toBeGreaterThan(0);
    expect(s.time).toMatchObject({ start: Date.UTC(2026, 10, 2), duration: 86_400_000, history: 0 });
    expect(s.telemetry).toEqual({
      collection: 'e5-diagnostics',
      sources: ['ual', 'graphActivity', 'signIns', 'aadGraphActivity'],
      hypotheses: [],
    });
    expect(s.attacks).toEqual([
      {
        id: 'azurehound',
        technique: 'azurehound',
        actor: { kind: 'account', selector: { kind: 'random-user' } },
        session: { network: null, country: null, signIn: null, userAgent: null },
        at: null,
        options: { streams: 25, collect: ['users', 'groups'], userAgent: 'azurehound/v2.9.2' },
      },
    ]);
    // default benign mix: the catalogue's profiles among the defaults
    expect(s.activity.map((a) => a.profile)).toEqual(['workforce', 'directory-sync', 'helpdesk']);
    expect(s.delivery.ual.latency).toEqual({ median: 3_600_000, p95: 5_400_000, max: 43_200_000 });
  });

  it('reads the full contract example', () => {
    const r = load(`
version: 1
name: azurehound-helpdesk
description: A phished help-desk account runs AzureHound.
seed: 1089
tenant:
  domain: contoso.onmicrosoft.com
  users: 2000
  groups: 300
  devices: 2500
  servicePrincipals: 400
  roles: {Global Administrator: 3, Exchange Administrator: 2, Helpdesk Administrator: 12}
  countries: [US, GB]
  timezone: America/New_York
time:
  start: 2026-11-02T00:00:00Z
  duration: 7d
  history: 14d
telemetry:
  collection: e5-diagnostics
  hypotheses: []
delivery:
  ual: {latency: {median: 60m, p95: 90m, max: 12h}, blob: {maxRecords: 2000, maxSpan: 5m}, duplicates: 0.002}
  graphActivity: {latency: {median: 10m, p95: 30m, max: 2h}}
  signIns: {latency: {median: 5m, p95: 20m, max: 2h}, duplicates: 0.01}
activity:
  - profile: workforce
  - profile: directory-sync
    schedule: {every: 30m}
  - profile: helpdesk
    actors: "role:Helpdesk Administrator"
    rate: {perHour: 4, hours: business}
  - profile: backup-app
    app: Veeam Backup for Microsoft 365
    schedule: {cron: "0 1 * * *"}
attacks:
  - id: hound
    technique: azurehound
    actor: {account: "role:Helpdesk Administrator"}
    session: {network: vps, country: NL, signIn: password}
    at: 2026-11-04T14:20:00Z
    options: {streams: 25, collect: [users, groups, servicePrincipals, devices, roles]}
  - id: slow
    technique: graph-user-listing
    actor: {account: random-user}
    session: {network: residential-proxy, signIn: deviceCode}
    at: "+4d22h5m"
    options: {pageSize: 100, pace: 1/min}
expect:
  recall: ">= 1"
  precision: ">= 0.8"
  latency.p95: "<= 2h"
  false_positives_per_day: "<= 1"
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.scenario;
    expect(s.time.historyStart).toBe(Date.UTC(2026, 10, 2) - 14 * 86_400_000);
    expect(s.activity[1]?.schedule).toEqual({ kind: 'every', everyMs: 1_800_000, jitterMs: 0 });
    expect(s.activity[2]).toMatchObject({
      actors: { kind: 'role', role: 'Helpdesk Administrator' },
      schedule: { kind: 'rate', rate: { count: 4, perMs: 3_600_000 }, hours: 'business' },
    });
    expect(s.activity[3]).toMatchObject({
      app: 'Veeam Backup for Microsoft 365',
      schedule: { kind: 'cron', cron: '0 1 * * *' },
    });
    expect(s.attacks[1]).toMatchObject({
      at: Date.UTC(2026, 10, 6, 22, 5),
      options: { pageSize: 100, pace: { count: 1, perMs: 60_000 } },
    });
    expect(s.tenant.roles).toMatchObject({
      'Global Administrator': 3,
      'Exchange Administrator': 2,
      'Helpdesk Administrator': 12,
    });
    expect(s.expect.map((t) => t.key)).toEqual(['recall', 'precision', 'latency.p95', 'false_positives_per_day']);
  });

  it('keeps option ranges for seeds to draw from', () => {
    const r = load(
      'name: r\nattacks:\n  - technique: graph-user-listing\n    options: {pageSize: "100..999", pace: "1/min..10/min", delay: 5m..1h}\n',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.attacks[0]?.options).toMatchObject({
      pageSize: { range: { min: 100, max: 999 }, unit: 'integer' },
      pace: { range: { min: { count: 1, perMs: 60_000 }, max: { count: 10, perMs: 60_000 } }, unit: 'rate' },
      delay: { range: { min: 300_000, max: 3_600_000 }, unit: 'duration' },
    });
  });

  it('collection by explicit sources; hypotheses', () => {
    const r = load('name: s\ntelemetry:\n  sources: [ual, signIns]\n  hypotheses: [exo-get-cmdlets-audited]\n');
    expect(r.ok && r.scenario.telemetry).toEqual({
      collection: null,
      sources: ['ual', 'signIns'],
      hypotheses: ['exo-get-cmdlets-audited'],
    });
  });

  it('the hash ignores comments and formatting', () => {
    const a = load('name: h\ntenant: {users: 100}\n');
    const b = load('# a comment\nname:   h\ntenant:\n  users: 100\n');
    expect(a.ok && b.ok && a.hash === b.hash).toBe(true);
  });
});

describe('loadScenario: bad input, each positioned with a hint', () => {
  it('reports three different mistakes at once, each with line and column', () => {
    const d = errors('name: three\ntenant:\n  userz: 10\ntime:\n  duration: 7x\nattacks:\n  - technique: azurehund\n');
    expect(d).toHaveLength(3);
    expect(d.map((x) => [x.position?.line, x.position?.col])).toEqual([
      [3, 3],
      [5, 13],
      [7, 16],
    ]);
    expect(d[0]).toMatchObject({ code: 'E_UNKNOWN_KEY', hint: 'did you mean `users`?' });
    expect(d[1]).toMatchObject({ code: 'E_FORMAT' });
    expect(d[2]).toMatchObject({ code: 'E_UNKNOWN_TECHNIQUE', hint: 'did you mean `azurehound`?' });
  });

  it.each([
    ['a YAML syntax error', 'name: x\ntenant: {users: 10\n', 'E_YAML', 3],
    ['a YAML syntax error (bad indentation)', 'name: x\ntenant:\n  users: 10\n   groups: 3\n', 'E_YAML', 3],
    ['a duplicate key', 'name: x\nname: y\n', 'E_YAML_DUPLICATE_KEY', 2],
    ['an unknown key', 'name: x\nattaks: []\n', 'E_UNKNOWN_KEY', 2],
    ['a wrong type', 'name: x\ntenant:\n  users: many\n', 'E_TYPE', 3],
    ['a missing name', 'tenant: {users: 10}\n', 'E_REQUIRED', 1],
    ['an empty window', 'name: x\ntime: {duration: "0"}\n', 'E_TIME_WINDOW', 2],
    [
      'an attack outside the window',
      'name: x\nattacks:\n  - technique: azurehound\n    at: 2026-12-25T00:00:00Z\n',
      'E_ATTACK_WINDOW',
      4,
    ],
    ['an unknown technique', 'name: x\nattacks: [{technique: nmap}]\n', 'E_UNKNOWN_TECHNIQUE', 2],
    ['an unknown profile', 'name: x\nactivity: [{profile: payroll}]\n', 'E_UNKNOWN_PROFILE', 2],
    ['an unknown role', 'name: x\ntenant:\n  roles: {Global Admin: 2}\n', 'E_UNKNOWN_ROLE', 3],
    [
      'an unknown role in a selector',
      'name: x\nactivity:\n  - profile: helpdesk\n    actors: "role:Help Desk"\n',
      'E_UNKNOWN_ROLE',
      4,
    ],
    [
      'a selector that matches nobody',
      'name: x\ntenant:\n  roles: {Helpdesk Administrator: 0}\nactivity:\n  - profile: helpdesk\n    actors: "role:Helpdesk Administrator"\n',
      'E_SELECTOR_EMPTY',
      6,
    ],
    [
      'more role holders than users',
      'name: x\ntenant:\n  users: 5\n  roles: {Global Administrator: 6}\n',
      'E_TENANT_ROLES',
      4,
    ],
    ['an unparsable threshold', 'name: x\nexpect:\n  recall: "at least 0.9"\n', 'E_THRESHOLD', 3],
    ['a threshold on an unknown metric', 'name: x\nexpect:\n  recal: ">= 0.9"\n', 'E_THRESHOLD', 3],
    [
      'a threshold slice that means nothing',
      'name: x\nexpect:\n  "precision{technique:azurehound}": ">= 0.9"\n',
      'E_THRESHOLD',
      3,
    ],
    [
      'an unknown option',
      'name: x\nattacks:\n  - technique: azurehound\n    options: {stream: 3}\n',
      'E_UNKNOWN_OPTION',
      4,
    ],
    [
      'an option out of range',
      'name: x\nattacks:\n  - technique: azurehound\n    options: {streams: 99}\n',
      'E_OPTION',
      4,
    ],
    [
      'a backwards range',
      'name: x\nattacks:\n  - technique: azurehound\n    options: {streams: "25..1"}\n',
      'E_OPTION',
      4,
    ],
    ['a bad cron', 'name: x\nactivity:\n  - profile: backup-app\n    schedule: {cron: "0 25 * * *"}\n', 'E_CRON', 4],
    [
      'schedule and rate together',
      'name: x\nactivity:\n  - profile: helpdesk\n    schedule: {every: 1h}\n    rate: 4/h\n',
      'E_SCHEDULE',
      5,
    ],
    ['a bad time zone', 'name: x\ntenant: {timezone: Mars/Olympus}\n', 'E_TIMEZONE', 2],
    ['an unknown collection preset', 'name: x\ntelemetry: {collection: e7}\n', 'E_FORMAT', 2],
    ['an unknown hypothesis', 'name: x\ntelemetry: {hypotheses: [graph-in-ual]}\n', 'E_FORMAT', 2],
    [
      'a UPN outside the tenant',
      'name: x\nattacks:\n  - technique: azurehound\n    actor: {account: bob@fabrikam.com}\n',
      'E_SELECTOR',
      4,
    ],
    ['latency out of order', 'name: x\ndelivery:\n  ual: {latency: {median: 2h, p95: 1h}}\n', 'E_LATENCY', 3],
    ['an empty file', '', 'E_EMPTY', 1],
    ['a list instead of a mapping', '- a\n- b\n', 'E_TYPE', 1],
    [
      'two attacks with one id',
      'name: x\nattacks:\n  - {id: a, technique: azurehound}\n  - {id: a, technique: azurehound}\n',
      'E_DUPLICATE_ID',
      4,
    ],
  ])('%s', (_what, text, code, line) => {
    const d = errors(text);
    const hit = d.find((x) => x.code === code || (code === 'E_YAML' && x.code.startsWith('E_YAML')));
    expect(hit, JSON.stringify(d)).toBeDefined();
    expect(hit?.position).toMatchObject({ file: 'test.yaml', line });
    expect(hit?.position?.col).toBeGreaterThanOrEqual(1);
  });

  it('does not report a value twice (type error, then meaning)', () => {
    const d = errors('name: x\ntime:\n  duration: 7x\n');
    expect(d).toHaveLength(1);
  });

  it('validate() works on documents built in code', () => {
    const r = validate({ name: 'code', attacks: [{ technique: 'azurehound', options: { streams: 0 } }] }, TEST_CATALOG);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]?.path).toEqual(['attacks', 0, 'options', 'streams']);
  });
});

describe('the loader never crashes', () => {
  const checkResult = (text: string) => {
    const r = load(text);
    if (!r.ok) {
      expect(r.diagnostics.length).toBeGreaterThan(0);
      for (const d of r.diagnostics) {
        expect(d.position?.line).toBeGreaterThanOrEqual(1);
        expect(d.position?.col).toBeGreaterThanOrEqual(1);
        expect(d.message.length).toBeGreaterThan(0);
      }
    }
  };

  test.prop([fc.string({ maxLength: 300 })], { numRuns: 300 })('on arbitrary text', checkResult);

  const yamlish = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: false }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(
        fc.constantFrom('name', 'tenant', 'users', 'time', 'attacks', 'technique', 'options', 'expect', 'recall', 'x'),
        tie('value'),
        { maxKeys: 4 },
      ),
    ),
  }));
  test.prop([yamlish.value], { numRuns: 300 })('on arbitrary YAML documents', (v) => checkResult(stringify(v)));

  const VALID = {
    name: 'mut',
    tenant: { users: 200, roles: { 'Helpdesk Administrator': 2 } },
    time: { start: '2026-11-02T00:00:00Z', duration: '1d' },
    activity: [{ profile: 'helpdesk', actors: 'role:Helpdesk Administrator', rate: { perHour: 4, hours: 'business' } }],
    attacks: [{ technique: 'azurehound', at: '+2h', options: { streams: '1..25' } }],
    expect: { recall: '>= 1', 'latency.p95': '<= 2h' },
  };
  const paths: (string | number)[][] = [
    ['name'],
    ['tenant', 'users'],
    ['tenant', 'roles'],
    ['time', 'start'],
    ['time', 'duration'],
    ['activity', 0, 'rate'],
    ['activity', 0, 'actors'],
    ['attacks', 0, 'technique'],
    ['attacks', 0, 'at'],
    ['attacks', 0, 'options', 'streams'],
    ['expect', 'recall'],
  ];
  test.prop(
    [
      fc.constantFrom(...paths),
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.constant(null),
        fc.array(fc.integer(), { maxLength: 2 }),
        fc.constant({ y: 1 }),
      ),
    ],
    {
      numRuns: 300,
    },
  )('on mutations of a valid scenario', (path, replacement) => {
    const doc = structuredClone(VALID) as Record<string, unknown>;
    let cur: Record<string | number, unknown> = doc;
    for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
    cur[path[path.length - 1] as string | number] = replacement;
    checkResult(stringify(doc));
  });

  it('the unmutated scenario is valid (the mutation test starts from valid ground)', () => {
    expect(load(stringify(VALID)).ok).toBe(true);
  });
});
