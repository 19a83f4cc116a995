/**
 * TeamFiltration `--exfil` (issue 5; telemetry.md §3): `GET /v1.0/users` at 100 per page, then
 * `/v1.0/groups?$top=800&$select=mailNickname,id,displayName`, as the Teams FOCI client with its Edge
 * user agent; ROPC refused by MFA falls back to an imported refresh token.
 */
import { describe, expect, it } from 'vitest';
import { TEAMFILTRATION_UA } from '../../../generators/techniques/teamfiltration.js';
import { attack, makeScenario } from '../helpers/scenario.js';
import { generate, graphRows } from './helpers.js';

const START = '2026-11-03T00:00:00Z';
const AT = Date.parse(START) + 10 * 3_600_000;

function run(options = {}, signIn: 'password' | 'refreshToken' = 'password') {
  return generate(
    makeScenario({
      start: START,
      users: 450,
      groups: 1700,
      activity: [],
      attacks: [
        attack({
          id: 'tf',
          technique: 'teamfiltration',
          session: { network: 'vps', country: 'US', signIn, userAgent: null },
          at: AT,
          options,
        }),
      ],
    }),
  );
}

describe('teamfiltration', () => {
  const recs = run();
  const rows = graphRows(recs);

  it('lists users 100 per page, then groups 800 per page with three properties', () => {
    const uris = rows.map((p) => String(p.requestUri));
    expect(uris.filter((u) => /\/v1\.0\/users(\?\$skiptoken=.+)?$/.test(u)).length).toBe(5);
    expect(uris).toContain('https://graph.microsoft.com/v1.0/users');
    const groups = uris.filter((u) =>
      u.startsWith('https://graph.microsoft.com/v1.0/groups?$top=800&$select=mailNickname,id,displayName'),
    );
    expect(groups.length).toBe(3);
    expect(uris.length).toBe(8);
  });

  it('as the Teams FOCI client with the Edge 131 user agent', () => {
    expect(new Set(rows.map((p) => p.appId))).toEqual(new Set(['1fec8e78-bce4-4aaf-ab1b-5451cc387264']));
    expect(new Set(rows.map((p) => p.userAgent))).toEqual(new Set([TEAMFILTRATION_UA]));
  });

  it('signs in non-interactively (ROPC, or an imported refresh token when MFA refuses ROPC)', () => {
    const s = recs
      .filter((r) => r.source === 'signIns')
      .map((r) => (r.record as { properties: Record<string, unknown>; category: string }).properties);
    expect(s.length).toBeGreaterThan(0);
    expect(s.every((p) => p.appId === '1fec8e78-bce4-4aaf-ab1b-5451cc387264')).toBe(true);
    expect(s.at(-1)?.status).toMatchObject({ errorCode: 0 });
  });

  it('the Azure AD Graph fallback leaves no Microsoft Graph record', () => {
    const aad = run({ aadGraph: true }, 'refreshToken');
    expect(aad.some((r) => r.source === 'graphActivity')).toBe(false);
    const p = aad
      .filter((r) => r.source === 'aadGraphActivity')
      .map((r) => (r.record as { properties: Record<string, unknown> }).properties);
    expect(p.length).toBeGreaterThan(1700);
    expect(new Set(p.map((x) => x.apiVersion))).toEqual(new Set(['1.6']));
  });
});
