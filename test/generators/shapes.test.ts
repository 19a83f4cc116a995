/**
 * Shape tests against the real records in ../shared/reference/samples/: every key a real record of
 * that kind has, ours has too (minus the documented exceptions), with the same JSON type.
 */
import { describe, expect, it } from 'vitest';
import { graphActivityLaRow } from '../../generators/records/graph-activity.js';
import { generateInMemory } from './helpers/run.js';
import { SAMPLES, samples } from './helpers/samples.js';
import { attack, makeScenario } from './helpers/scenario.js';

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** keys of `real` missing from `ours`, and keys whose JSON type differs (null matches anything). */
function compare(real: Record<string, unknown>, ours: Record<string, unknown>, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(real)) {
    if (skip.includes(k)) continue;
    if (!(k in ours)) {
      out.push(`missing ${k}`);
      continue;
    }
    const a = kind(v);
    const b = kind(ours[k]);
    if (a !== b && a !== 'null' && b !== 'null') out.push(`${k}: ${a} in the sample, ${b} here`);
  }
  return out;
}

const s = makeScenario({
  users: 80,
  durationMs: 30 * 3_600_000,
  start: '2026-11-03T00:00:00Z',
  roles: { 'Global Administrator': 2, 'Exchange Administrator': 3, 'Helpdesk Administrator': 3 },
  hypotheses: [],
  attacks: [attack({ id: 'a', at: Date.parse('2026-11-03T15:00:00Z') })],
});
const d = generateInMemory(s);
const ours = (pred: (r: Record<string, unknown>) => boolean, source: string) =>
  d.records.filter((r) => r.source === source && pred(r.record)).map((r) => r.record);

describe.skipIf(!SAMPLES)('record shapes match the reference samples', () => {
  it('UAL RecordType 15 has every field of the real UserLoggedIn records', () => {
    const mine = ours((r) => r.RecordType === 15, 'ual');
    expect(mine.length).toBeGreaterThan(0);
    for (const real of samples('ual-15.jsonl').filter((r) => r.Operation === 'UserLoggedIn')) {
      expect(compare(real, mine[0] as Record<string, unknown>, ['LogonError'])).toEqual([]);
    }
    expect(String(mine[0]?.CreationTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  it('UAL RecordType 8 has every field of the real directory-change records', () => {
    const mine = ours((r) => r.RecordType === 8, 'ual');
    expect(mine.length).toBeGreaterThan(0);
    for (const real of samples('ual-8.jsonl')) expect(compare(real, mine[0] as Record<string, unknown>)).toEqual([]);
  });

  it('UAL RecordType 1 has every field of the 2024 Exchange admin records', () => {
    const mine = ours((r) => r.RecordType === 1, 'ual');
    expect(mine.length).toBeGreaterThan(0);
    for (const real of samples('ual-1.jsonl').filter((r) => 'AppAccessContext' in r)) {
      expect(compare(real, mine[0] as Record<string, unknown>)).toEqual([]);
    }
  });

  it('Graph activity (diagnostic settings) has every field of the complete sample, top level and properties', () => {
    const mine = ours(() => true, 'graphActivity')[0] as Record<string, unknown>;
    const real = samples('graph-activity-diag.jsonl')[0] as Record<string, unknown>;
    // the sample's Level:4 is the older envelope; ours is the live record's level:"Informational";
    // top-level durationMs is a number in the docs sample and a string in the live record (telemetry.md §1b)
    expect(compare(real, mine, ['Level', 'durationMs'])).toEqual([]);
    expect(compare(real.properties as Record<string, unknown>, mine.properties as Record<string, unknown>)).toEqual([]);
  });

  it('Graph activity (Log Analytics row) has every column of the LA sample', () => {
    const diag = ours(() => true, 'graphActivity')[0] as Record<string, unknown>;
    const row = graphActivityLaRow(diag, '9f8c5a43-6f0e-4f0c-9d5a-0b7a1b2c3d4e', 1850);
    const real = samples('graph-activity-la.jsonl')[0] as Record<string, unknown>;
    expect(compare(real, row, ['_ItemId'])).toEqual([]);
    expect(typeof row.ClientAuthMethod).toBe('number');
  });

  it('interactive sign-ins have every field of the documented SignInLogs record', () => {
    const mine = ours((r) => r.category === 'SignInLogs', 'signIns')[0] as Record<string, unknown>;
    const real = samples('signin-interactive-diag.jsonl')[0] as Record<string, unknown>;
    expect(compare(real, mine)).toEqual([]);
    const skip = ['alternateSignInName', 'signInIdentifier'];
    expect(
      compare(real.properties as Record<string, unknown>, mine.properties as Record<string, unknown>, skip),
    ).toEqual([]);
  });

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
