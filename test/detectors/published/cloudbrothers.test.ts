import { describe, expect, it } from 'vitest';
import { AZUREHOUND_SUFFIXES, cloudbrothersAzurehound } from '../../../detectors/published/cloudbrothers-azurehound.js';
import { cloudbrothersAzurehoundUa } from '../../../detectors/published/cloudbrothers-azurehound-ua.js';
import {
  cloudbrothersGraphrunner,
  GRAPHRUNNER_SUFFIXES,
} from '../../../detectors/published/cloudbrothers-graphrunner.js';
import {
  NORMALISE_STEPS,
  normaliseRequestUri,
  normaliseSteps,
} from '../../../detectors/published/cloudbrothers-normalise.js';
import { matchedSignature, minimumMatches, round1 } from '../../../detectors/published/cloudbrothers-path-signature.js';
import {
  cloudbrothersPurpleknight,
  PURPLE_KNIGHT_SUFFIXES,
} from '../../../detectors/published/cloudbrothers-purpleknight.js';
import { kqlHas } from '../../../detectors/published/kql.js';
import { MINUTE } from '../../../src/core/clock.js';
import { ALICE, batch, drive, GRAPH, graph, graphLa, guid, SP, T0 } from './fixtures.js';

const iso = (t: number) => new Date(t).toISOString();
const G1 = '0f1e2d3c-aaaa-4bbb-8ccc-111122223333';

/** A concrete request URI that normalises to `prefix + suffix`. */
function concrete(suffix: string, i = 0): string {
  const version = i % 2 === 0 ? 'v1.0' : 'beta';
  const path = suffix.replaceAll('<UUID>', G1).replace(/\/$/, '/'); // a trailing slash is kept by the normaliser
  const query = path.endsWith('/') || path.includes('(') ? '' : '?$top=999';
  return `${GRAPH}/${version}${path}${query}`;
}

describe('Cloudbrothers URI normaliser, step by step', () => {
  it('has the eight published steps in order', () => {
    expect(NORMALISE_STEPS.map((s) => s.replacement)).toEqual([
      '<UUID>',
      '<UUID>',
      '/',
      '/version/',
      '',
      '/<UUID>/',
      '',
      '',
    ]);
  });

  it('a group members page: GUID, then https:/ artefact, then /version/, then query stripped', () => {
    const steps = normaliseSteps(`${GRAPH}/beta/groups/${G1}/members?$select=id,displayName&$top=99`);
    expect(steps[1]).toBe(`${GRAPH}/beta/groups/<UUID>/members?$select=id,displayName&$top=99`);
    // step 2: trailing digits, before the query string goes
    expect(steps[2]).toBe(`${GRAPH}/beta/groups/<UUID>/members?$select=id,displayName&$top=<UUID>`);
    // step 3: `https://` becomes `https:/`
    expect(steps[3]).toBe('https:/graph.microsoft.com/beta/groups/<UUID>/members?$select=id,displayName&$top=<UUID>');
    expect(steps[4]).toBe(
      'https:/graph.microsoft.com/version/groups/<UUID>/members?$select=id,displayName&$top=<UUID>',
    );
    expect(steps[8]).toBe('https:/graph.microsoft.com/version/groups/<UUID>/members');
  });

  it('a guest UPN path segment: %23EXT%23 removed, then the UPN becomes <UUID> (only with a following slash)', () => {
    const steps = normaliseSteps(`${GRAPH}/v1.0/users/bob_fabrikam.com%23EXT%23@contoso.onmicrosoft.com/memberOf`);
    expect(steps[5]).toBe('https:/graph.microsoft.com/version/users/bob_fabrikam.com@contoso.onmicrosoft.com/memberOf');
    expect(steps[6]).toBe('https:/graph.microsoft.com/version/users/<UUID>/memberOf');
    // without a following slash the UPN stays
    expect(normaliseRequestUri(`${GRAPH}/v1.0/users/alice@contoso.com`)).toBe(
      'https:/graph.microsoft.com/version/users/alice@contoso.com',
    );
  });

  it('trailing digits become <UUID>; a leading /<UUID> is removed from relative URIs; // collapses', () => {
    expect(normaliseRequestUri(`${GRAPH}/v1.0/users/12345`)).toBe('https:/graph.microsoft.com/version/users/<UUID>');
    expect(normaliseRequestUri(`/${G1}/users`)).toBe('/users');
    expect(normaliseRequestUri(`${GRAPH}/beta//users?$top=5`)).toBe('https:/graph.microsoft.com/version/users');
  });

  it("GraphRunner's servicePrincipals(appId='…') form", () => {
    expect(normaliseRequestUri(`${GRAPH}/v1.0/servicePrincipals(appId='${G1}')/appRoleAssignedTo`)).toBe(
      "https:/graph.microsoft.com/version/servicePrincipals(appId='<UUID>')/appRoleAssignedTo",
    );
  });

  it('every signature entry is reachable from a concrete URI', () => {
    for (const s of [...AZUREHOUND_SUFFIXES, ...GRAPHRUNNER_SUFFIXES]) {
      if (s === '/users/') continue;
      expect(normaliseRequestUri(concrete(s))).toBe(`https:/graph.microsoft.com/version${s}`);
    }
  });
});

describe('round(x, 1) > 0.7', () => {
  it('needs 11/14, 18/23 and 9/12', () => {
    expect(round1(10 / 14)).toBe(0.7);
    expect(round1(11 / 14)).toBe(0.8);
    expect(minimumMatches(14)).toBe(11);
    expect(minimumMatches(23)).toBe(18);
    expect(minimumMatches(12)).toBe(9);
  });

  it('uses the f-bader list: the m4nbat mirror typo ("version groups") is not reproduced', () => {
    for (const s of [...AZUREHOUND_SUFFIXES, ...PURPLE_KNIGHT_SUFFIXES, ...GRAPHRUNNER_SUFFIXES]) {
      expect(s.startsWith('/')).toBe(true);
      expect(s).not.toContain(' ');
    }
    expect(AZUREHOUND_SUFFIXES).toHaveLength(14);
    expect(PURPLE_KNIGHT_SUFFIXES).toHaveLength(23);
    expect(GRAPHRUNNER_SUFFIXES).toHaveLength(12);
  });
});

function callsFor(
  suffixes: readonly string[],
  n: number,
  at = T0 + 2 * MINUTE,
  extra: Partial<Parameters<typeof graph>[0]> = {},
) {
  return suffixes.slice(0, n).map((s, i) => graph({ time: at + i * 1000, uri: concrete(s, i), ...extra }));
}

describe('cloudbrothers-azurehound', () => {
  const create = () => cloudbrothersAzurehound.create({});

  it('fires at 11 of 14 paths, at the next 30-minute run', async () => {
    const records = callsFor(AZUREHOUND_SUFFIXES, 11);
    const alerts = await drive(await create(), [batch(T0 + 10 * MINUTE, 'graphActivity', records)], {
      end: T0 + 60 * MINUTE,
    });
    expect(alerts).toHaveLength(1);
    const a = alerts[0]!;
    expect(a.alert.time).toBe(iso(T0 + 30 * MINUTE));
    expect(a.alert).toMatchObject({
      rule: 'cloudbrothers-azurehound',
      principal: ALICE,
      severity: 'medium',
      technique: 'T1087.004',
      details: { confidenceScore: 0.8, matched: 11, objectType: 'UserId' },
    });
    expect(new Set(a.alert.evidence)).toEqual(
      new Set(records.map((r) => (r.properties as { requestId: string }).requestId)),
    );
  });

  it('does not fire at 10 of 14 (rounds to 0.7)', async () => {
    const alerts = await drive(
      await create(),
      [batch(T0 + 10 * MINUTE, 'graphActivity', callsFor(AZUREHOUND_SUFFIXES, 10))],
      {
        end: T0 + 2 * 60 * MINUTE,
      },
    );
    expect(alerts).toHaveLength(0);
  });

  it('ignores microsoft.graph.delta calls (case-insensitively)', async () => {
    const records = callsFor(AZUREHOUND_SUFFIXES, 11).map((r, i) =>
      i === 0 ? graph({ time: T0, uri: `${GRAPH}/v1.0/servicePrincipals/Microsoft.Graph.Delta()` }) : r,
    );
    // the first path is gone; 10 remain
    const alerts = await drive(await create(), [batch(T0 + 10 * MINUTE, 'graphActivity', records)], {
      end: T0 + 60 * MINUTE,
    });
    expect(alerts).toHaveLength(0);
  });

  it('keys on ServicePrincipalId when UserId is empty, and reads Log Analytics rows', async () => {
    const records = AZUREHOUND_SUFFIXES.slice(0, 12).map((s, i) =>
      graphLa({ time: T0 + i * 1000, uri: concrete(s, i), userId: null, servicePrincipalId: SP }),
    );
    const alerts = await drive(await create(), [batch(T0 + 5 * MINUTE, 'graphActivity', records)], {
      end: T0 + 31 * MINUTE,
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert).toMatchObject({
      principal: SP,
      details: { objectType: 'ServicePrincipalId', matched: 12 },
    });
  });

  it('sees only what was ingested in the last 35 minutes: a run split across windows misses', async () => {
    const records = callsFor(AZUREHOUND_SUFFIXES, 11, T0 + 20 * MINUTE);
    // 6 paths ingested at 14:21, 5 at 14:57: the 14:30 run sees 6, the 15:00 run sees 5 (14:21 is > 35 min before 15:00)
    const alerts = await drive(
      await create(),
      [
        batch(T0 + 21 * MINUTE, 'graphActivity', records.slice(0, 6)),
        batch(T0 + 57 * MINUTE, 'graphActivity', records.slice(6)),
      ],
      { end: T0 + 120 * MINUTE },
    );
    expect(alerts).toHaveLength(0);
  });

  it('counts both halves when they are ingested within 35 minutes of one run (the 5-minute overlap)', async () => {
    const records = callsFor(AZUREHOUND_SUFFIXES, 11, T0 + 25 * MINUTE);
    const alerts = await drive(
      await create(),
      [
        batch(T0 + 26 * MINUTE, 'graphActivity', records.slice(0, 6)),
        batch(T0 + 40 * MINUTE, 'graphActivity', records.slice(6)),
      ],
      { end: T0 + 120 * MINUTE },
    );
    // 14:30 sees 6; 15:00 sees all 11 (ingested after 14:25, generated after 14:20)
    expect(alerts.map((a) => a.alert.time)).toEqual([iso(T0 + 60 * MINUTE)]);
  });

  it('drops rows whose TimeGenerated is outside the 40-minute query period, however recently ingested', async () => {
    const records = callsFor(AZUREHOUND_SUFFIXES, 11, T0 - 90 * MINUTE);
    const alerts = await drive(await create(), [batch(T0 + 5 * MINUTE, 'graphActivity', records)], {
      end: T0 + 120 * MINUTE,
    });
    expect(alerts).toHaveLength(0);
  });

  it('alerts again on the next run when the rows are still in its window (AlertPerResult, no suppression)', async () => {
    const records = callsFor(AZUREHOUND_SUFFIXES, 11, T0 + 27 * MINUTE);
    const alerts = await drive(await create(), [batch(T0 + 29 * MINUTE, 'graphActivity', records)], {
      end: T0 + 120 * MINUTE,
    });
    expect(alerts.map((a) => a.alert.time)).toEqual([iso(T0 + 30 * MINUTE), iso(T0 + 60 * MINUTE)]);
  });

  it('make_set keeps at most 1,000 distinct URIs: 1,000 earlier distinct ones crowd the signature out', async () => {
    const noise = Array.from({ length: 1000 }, (_, i) =>
      graph({ time: T0 + 2 * MINUTE + i, uri: `${GRAPH}/v1.0/users/user${i}@contoso.com` }),
    );
    const calls = callsFor(AZUREHOUND_SUFFIXES, 14, T0 + 3 * MINUTE);
    const crowded = await drive(await create(), [batch(T0 + 10 * MINUTE, 'graphActivity', [...calls, ...noise])], {
      end: T0 + 31 * MINUTE,
    });
    expect(crowded).toHaveLength(0);
    const roomy = await drive(
      await create(),
      [batch(T0 + 10 * MINUTE, 'graphActivity', [...calls, ...noise.slice(0, 989)])],
      {
        end: T0 + 31 * MINUTE,
      },
    );
    // 989 + 11 of the signature fit under the cap
    expect(roomy).toHaveLength(1);
    expect(roomy[0]!.alert.details).toMatchObject({ matched: 11 });
  });

  it('flushes on stop: the next scheduled run happens', async () => {
    const alerts = await drive(
      await create(),
      [batch(T0 + 5 * MINUTE, 'graphActivity', callsFor(AZUREHOUND_SUFFIXES, 14))],
      {
        end: T0 + 6 * MINUTE,
      },
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert.time).toBe(iso(T0 + 30 * MINUTE));
  });

  it('counts a record ingested exactly at a run instant in the next run, whichever call comes first', async () => {
    const records = callsFor(AZUREHOUND_SUFFIXES, 11, T0 + 25 * MINUTE);
    const runOrder = async (tickFirst: boolean) => {
      let now = T0;
      const out: string[] = [];
      const ctx = { now: () => now, emit: (a: { time?: string }) => out.push(a.time ?? ''), sources: [] };
      const d = await create();
      await d.start(ctx);
      now = T0 + 30 * MINUTE;
      if (tickFirst) await d.tick?.(now, ctx);
      await d.ingest(
        records.map((record) => ({ source: 'graphActivity' as const, record })),
        ctx,
      );
      now = T0 + 61 * MINUTE;
      await d.tick?.(now, ctx);
      await d.stop(ctx);
      return out;
    };
    expect(await runOrder(true)).toEqual([iso(T0 + 60 * MINUTE)]);
    expect(await runOrder(false)).toEqual([iso(T0 + 60 * MINUTE)]);
  });

  it('matchedSignature (for calibration) agrees with the rule', () => {
    const uris = AZUREHOUND_SUFFIXES.map((s, i) => concrete(s, i));
    expect(matchedSignature(AZUREHOUND_SUFFIXES, uris)).toEqual([...AZUREHOUND_SUFFIXES]);
    expect(matchedSignature(AZUREHOUND_SUFFIXES, [`${GRAPH}/v1.0/users/delta()?$deltatoken=x`])).toEqual([]);
  });

  it('gives the same alerts with a coarse or a fine tick', async () => {
    const deliveries = [batch(T0 + 10 * MINUTE, 'graphActivity', callsFor(AZUREHOUND_SUFFIXES, 12))];
    const coarse = await drive(await create(), deliveries, { end: T0 + 5 * 60 * MINUTE });
    const fine = await drive(await create(), deliveries, { end: T0 + 5 * 60 * MINUTE, tickEvery: MINUTE });
    expect(fine.map((a) => a.alert)).toEqual(coarse.map((a) => a.alert));
  });
});

describe('cloudbrothers-purpleknight and cloudbrothers-graphrunner', () => {
  it('Purple Knight fires at 18 of 23, not at 17', async () => {
    const fire = await drive(
      await cloudbrothersPurpleknight.create({}),
      [batch(T0 + 5 * MINUTE, 'graphActivity', callsFor(PURPLE_KNIGHT_SUFFIXES, 18))],
      { end: T0 + 31 * MINUTE },
    );
    expect(fire).toHaveLength(1);
    const quiet = await drive(
      await cloudbrothersPurpleknight.create({}),
      [batch(T0 + 5 * MINUTE, 'graphActivity', callsFor(PURPLE_KNIGHT_SUFFIXES, 17))],
      { end: T0 + 31 * MINUTE },
    );
    expect(quiet).toHaveLength(0);
  });

  it('GraphRunner fires at 9 of 12, not at 8', async () => {
    const fire = await drive(
      await cloudbrothersGraphrunner.create({}),
      [batch(T0 + 5 * MINUTE, 'graphActivity', callsFor(GRAPHRUNNER_SUFFIXES, 9))],
      { end: T0 + 31 * MINUTE },
    );
    expect(fire).toHaveLength(1);
    expect(fire[0]!.alert.details).toMatchObject({ matched: 9, of: 12, confidenceScore: 0.8 });
    const quiet = await drive(
      await cloudbrothersGraphrunner.create({}),
      [batch(T0 + 5 * MINUTE, 'graphActivity', callsFor(GRAPHRUNNER_SUFFIXES, 8))],
      { end: T0 + 31 * MINUTE },
    );
    expect(quiet).toHaveLength(0);
  });
});

describe('cloudbrothers-azurehound-ua (NRT)', () => {
  it('UserAgent has "azurehound": a whole term, any case', () => {
    expect(kqlHas('azurehound/v2.9.2', 'azurehound')).toBe(true);
    expect(kqlHas('AzureHound/v3.1.0', 'azurehound')).toBe(true);
    expect(kqlHas('Mozilla/5.0 (azurehound)', 'azurehound')).toBe(true);
    expect(kqlHas('myazurehound/1.0', 'azurehound')).toBe(false);
    expect(kqlHas('azurehounds', 'azurehound')).toBe(false);
  });

  it('any single row fires, within the minute', async () => {
    const r = graph({ time: T0, uri: `${GRAPH}/v1.0/organization`, requestId: guid('01'), sessionId: 'sid-1' });
    const alerts = await drive(
      await cloudbrothersAzurehoundUa.create({}),
      [batch(T0 + 5 * MINUTE + 1, 'graphActivity', [r])],
      {
        end: T0 + 10 * MINUTE,
      },
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert.time).toBe(iso(T0 + 6 * MINUTE));
    expect(alerts[0]!.alert).toMatchObject({
      rule: 'cloudbrothers-azurehound-ua',
      principal: ALICE,
      sessionId: 'sid-1',
      severity: 'medium',
      evidence: [(r.properties as { requestId: string }).requestId],
    });
  });

  it('a user agent that merely contains the letters does not fire', async () => {
    const r = graph({ time: T0, uri: `${GRAPH}/v1.0/organization`, userAgent: 'notazurehound/1' });
    const alerts = await drive(await cloudbrothersAzurehoundUa.create({}), [batch(T0 + MINUTE, 'graphActivity', [r])], {
      end: T0 + 10 * MINUTE,
    });
    expect(alerts).toHaveLength(0);
  });
});
