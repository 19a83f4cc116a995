// @module-tag slow
/**
 * Shape tests against the real records in ../shared/reference/samples/ (issue #13 item 3): for every
 * field a real record of a kind has, every record of ours of that kind has it too (minus the
 * documented exceptions, each with its reason), with the same type and the same form of value —
 * GUID case, timestamp digits and offset, integer or text, address with or without port, nested
 * objects and named array entries (helpers/formats.ts).
 */
import { describe, expect, it } from 'vitest';
import { graphActivityLaRow } from '../../generators/records/graph-activity.js';
import { PROFILES } from '../../generators/registry.js';
import { formatDifferences, keyPaths } from './helpers/formats.js';
import { generateInMemory } from './helpers/run.js';
import { SAMPLES, samples } from './helpers/samples.js';
import { attack, makeScenario } from './helpers/scenario.js';

const H = 3_600_000;
const start = Date.parse('2026-11-03T00:00:00Z');
/** Every benign profile and the techniques that write Graph, sign-in and UAL records of every kind. */
const s = makeScenario({
  users: 80,
  durationMs: 30 * H,
  start: '2026-11-03T00:00:00Z',
  roles: {
    'Global Administrator': 2,
    'Exchange Administrator': 3,
    'Helpdesk Administrator': 3,
    'User Administrator': 1,
  },
  hypotheses: [],
  activity: PROFILES.map((p) => ({
    id: p.info.id,
    profile: p.info.id,
    actors: null,
    schedule: null,
    app: null,
    options: {},
  })),
  attacks: [
    attack({ id: 'a', at: start + 15 * H }),
    attack({ id: 'hound', technique: 'azurehound', at: start + 13 * H }),
    attack({ id: 'runner', technique: 'graphrunner', at: start + 14 * H }),
    attack({ id: 'app', technique: 'compromised-app', at: start + 16 * H }),
    attack({ id: 'exo', technique: 'exo-powershell-recon', at: start + 17 * H }),
    attack({ id: 'insider', technique: 'insider-admin', at: start + 18 * H }),
    attack({ id: 'road', technique: 'roadrecon', at: start + 19 * H }),
  ],
});
const d = generateInMemory(s);

describe.skipIf(!SAMPLES)('record shapes match the reference samples', () => {
  it("never imitates the samples' placeholders", () => {
    const all = Object.values(d.lines).flat().join('\n');
    for (const bad of [
      '192.0.2.',
      '198.51.100.',
      '203.0.113.',
      '2001:db8:',
      'REDACTED',
      '<TENANT ID>',
      'ffffffff-gggg',
      '00000000-0000-0000-0000-000000000000',
    ]) {
      expect(all).not.toContain(bad);
    }
  });
});

/** Our records of one kind, as a detector reads them. */
const recordsOf = (source: string, pred: (r: Record<string, unknown>) => boolean) =>
  d.records.filter((r) => r.source === source && pred(r.record)).map((r) => r.record as Record<string, unknown>);
const props = (r: Record<string, unknown>) => r.properties as Record<string, unknown>;

/** Keys every real record of a kind has that some record of ours of that kind lacks. */
function missingKeys(
  real: readonly Record<string, unknown>[],
  ours: readonly Record<string, unknown>[],
  skip: (p: string) => boolean,
) {
  const out = new Set<string>();
  for (const r of real)
    for (const p of keyPaths(r)) if (!skip(p)) for (const o of ours) if (!keyPaths(o).includes(p)) out.add(p);
  return [...out];
}

describe.skipIf(!SAMPLES)('value formats match the reference samples, field by field, for every record of ours', () => {
  it('UAL RecordType 15: every field of the five real sign-in records, same type and form', () => {
    const real = samples('ual-15.jsonl');
    for (const op of ['UserLoggedIn', 'UserLoginFailed']) {
      const ours = recordsOf('ual', (r) => r.RecordType === 15 && r.Operation === op);
      expect(ours.length, op).toBeGreaterThan(0);
      const like = real.filter((r) => r.Operation === op);
      expect(formatDifferences(like, ours), op).toEqual([]);
      expect(
        missingKeys(like, ours, () => false),
        op,
      ).toEqual([]);
    }
  });

  it('UAL RecordType 8: every field of the five real directory changes, same type and form', () => {
    const ours = recordsOf('ual', (r) => r.RecordType === 8);
    expect(ours.length).toBeGreaterThan(0);
    // ModifiedProperties and the keyed entries name what each operation changed: compared where ours has them
    expect(formatDifferences(samples('ual-8.jsonl'), ours)).toEqual([]);
    expect(missingKeys(samples('ual-8.jsonl'), ours, () => false)).toEqual([]);
  });

  it('UAL RecordType 1: every field of the real Exchange admin records, same type and form (keys: the 2024 generation)', () => {
    const ours = recordsOf('ual', (r) => r.RecordType === 1);
    expect(ours.length).toBeGreaterThan(0);
    const real = samples('ual-1.jsonl');
    expect(formatDifferences(real, ours)).toEqual([]);
    // L3–L5 are from 2023, before AppAccessContext, AppPoolName and RequestId (samples/SOURCES.md)
    expect(
      missingKeys(
        real.filter((r) => 'AppAccessContext' in r),
        ours,
        () => false,
      ),
    ).toEqual([]);
  });

  it('Graph activity, diagnostic settings: every field of the samples, same type and form', () => {
    const real = samples('graph-activity-diag.jsonl');
    const appOnly = recordsOf('graphActivity', (r) => props(r).C_Idtyp === 'app');
    const delegated = recordsOf('graphActivity', (r) => props(r).C_Idtyp === 'user');
    expect(appOnly.length).toBeGreaterThan(0);
    expect(delegated.length).toBeGreaterThan(0);
    // L1 is the older envelope: `Level: 4` and a numeric top-level durationMs where the live record
    // has `level: "Informational"` and a string (telemetry.md §1b); its app-only `userId: null` and
    // its `tokenIssuedAt` without a fraction are that generation too (the live record has no userId
    // key on an app-only call, and "2026-07-16T01:04:37.0000000Z")
    const older = (p: string) =>
      p === 'Level' || p === 'durationMs' || p === 'properties.userId' || p === 'properties.tokenIssuedAt';
    // L1 is an app-only call; L2 (UDI Required Fields) and L3 (UDI Beta) are other renderings,
    // trimmed by their publisher: their fields are compared for form, not required
    expect(formatDifferences([real[0]], appOnly, older)).toEqual([]);
    expect(missingKeys([real[0] as Record<string, unknown>], appOnly, older)).toEqual([]);
    const shared = (p: string) => older(p) || p === 'properties.__UDI_RequiredFields_UniqueId';
    expect(formatDifferences(real.slice(1), [...appOnly, ...delegated], shared)).toEqual([]);
  });

  it('Graph activity, Log Analytics rows: every column of the sample, same type and form', () => {
    const rows = recordsOf('graphActivity', () => true)
      .slice(0, 500)
      .map((r, i) => graphActivityLaRow(r, '9f8c5a43-6f0e-4f0c-9d5a-0b7a1b2c3d4e', i));
    // _ItemId is the workspace's, a placeholder in the sample
    expect(formatDifferences(samples('graph-activity-la.jsonl'), rows, (p) => p === '_ItemId')).toEqual([]);
  });

  it('interactive sign-ins: every field of the documented record, same type and form', () => {
    const real = samples('signin-interactive-diag.jsonl');
    const ours = recordsOf('signIns', (r) => r.category === 'SignInLogs');
    const failed = ours.filter((r) => r.resultType !== '0');
    expect(failed.length).toBeGreaterThan(0);
    // the documented record is from 2019: `alternateSignInName` and `signInIdentifier` are gone from
    // today's rows (samples/SOURCES.md, the newer fields); its coordinates are rounded to whole
    // degrees by the documentation, where the service writes doubles
    const gone = (p: string) =>
      p === 'properties.alternateSignInName' || p === 'properties.signInIdentifier' || p.includes('geoCoordinates.');
    expect(formatDifferences(real, ours, gone)).toEqual([]);
    // the sample is a failure (50140): its keys are a failed row's
    expect(missingKeys(real, failed, gone)).toEqual([]);
  });
});

describe('the format comparison', () => {
  it('notices a timestamp suffix, a GUID case, a number for a string, a missing field and a nested form', () => {
    const real = [
      {
        CreationTime: '2023-07-12T12:38:43',
        Id: 'f8a2e606-c46c-40b7-9663-a12b467d0300',
        ErrorNumber: '50126',
        UserType: 0,
        DeviceProperties: [{ Name: 'SessionId', Value: 'd44730a8-bafe-475d-abcd-e87c52a76417' }],
      },
    ];
    const ours = [
      {
        CreationTime: '2023-07-12T12:38:43Z',
        Id: 'F8A2E606-C46C-40B7-9663-A12B467D0300',
        ErrorNumber: 50126,
        DeviceProperties: [{ Name: 'SessionId', Value: 'abc' }],
      },
    ];
    expect(formatDifferences(real, ours)).toEqual([
      'CreationTime: string: time/0 digits/no offset in the samples, string: time/0 digits/Z in ours',
      'Id: string: guid/lower in the samples, string: guid/upper in ours',
      'ErrorNumber: string: integer text in the samples, number: integer in ours',
      'UserType: in the samples, never in ours',
      'DeviceProperties[SessionId].Value: string: guid/lower in the samples, string: text in ours',
    ]);
  });
});

describe('one schema generation per source', () => {
  it('every sign-in row of a category has the same keys, but for the ones only a failure has', () => {
    const failureOnly = /^properties\.status\.(failureReason|additionalDetails)$/;
    for (const category of ['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs']) {
      const sets = new Set(
        recordsOf('signIns', (r) => r.category === category).map((r) =>
          keyPaths(r)
            .filter((p) => !failureOnly.test(p))
            .join(','),
        ),
      );
      expect(sets.size, category).toBe(1);
    }
  });

  it('AAD Graph writes __UDI_RequiredFields_EventTime as the int64 of .NET ticks, the exact ticks of `time`', () => {
    const lines = d.records.filter((r) => r.source === 'aadGraphActivity').map((r) => r.line as string);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const m = /"__UDI_RequiredFields_EventTime":(\d+),/.exec(line);
      expect(m?.[1], line.slice(0, 200)).toMatch(/^\d{18}$/);
      const time = /"time":"([^"]+)\.(\d{7})Z"/.exec(line) as RegExpExecArray;
      const ms = BigInt(Date.parse(`${time[1]}Z`));
      const ticks = 621_355_968_000_000_000n + ms * 10_000n + BigInt(time[2] as string);
      expect(BigInt(m?.[1] as string)).toBe(ticks);
    }
  });
});

describe('direct serialisation', () => {
  it('graphActivityDiagLine is byte-identical to JSON.stringify(graphActivityDiag) (also with quotes and control characters)', async () => {
    const { graphActivityDiag, graphActivityDiagLine, graphTenant } = await import(
      '../../generators/records/graph-activity.js'
    );
    const t = graphTenant('4b8c1f2e-9c32-4a1b-8d3e-2f1a0b9c8d7e');
    for (const [ua, uri, userId] of [
      [
        'python-requests/2.32.3',
        "https://graph.microsoft.com/v1.0/users?$filter=startswith(userPrincipalName,'a')",
        '87d30957-1f2e-4d3c-9b8a-7f6e5d4c3b2a',
      ],
      ['Mozilla/5.0 "quoted" \\ back\u0001', 'https://graph.microsoft.com/v1.0/users?$search="displayName:a"', null],
    ] as const) {
      const q = {
        time: 1793611023409,
        apiVersion: 'v1.0' as const,
        method: 'GET',
        uri,
        status: 200,
        durationMs: 123456,
        responseSizeBytes: 999,
        ip: '2601:18c:1:2:3:4:5:6',
        userAgent: ua,
        appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
        userId,
        servicePrincipalId: userId ? null : '11111111-2222-4333-8444-555555555555',
        scopes: userId ? 'User.Read' : null,
        roles: userId ? null : 'User.Read.All',
        wids: null,
        tokenIssuedAt: 1793610023409,
        signInActivityId: 'OPD3UZnmTkud24wRw6ATAA',
        sessionId: null,
        deviceId: null,
        clientAuthMethod: 0 as const,
      };
      const args = [
        t,
        q,
        1234,
        'a1b2c3d4-0000-4000-8000-000000000001',
        'a1b2c3d4-0000-4000-8000-000000000002',
        'East US',
      ] as const;
      expect(graphActivityDiagLine(...args)).toBe(JSON.stringify(graphActivityDiag(...args)));
    }
  });
});
