/**
 * The world plan: properties over tenant sizes and durations (fast-check), and scenarios the tenant
 * cannot satisfy refused before generating, with the path and a hint.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compose, mergeActors } from '../../generators/compose/index.js';
import { APP } from '../../generators/world/apps.js';
import { buildWorld } from '../../generators/world/plan.js';
import { DIRECTORY_ROLES } from '../../src/core/directory-roles.js';
import { EnumbenchError } from '../../src/core/errors.js';
import { attack, makeScenario } from './helpers/scenario.js';

const H = 3_600_000;

describe('world plan properties', () => {
  it('unique ids and UPNs, role holders as declared with real template ids, devices within budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 400 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        (users, ga, seed) => {
          const s = makeScenario({
            users,
            seed,
            roles: { 'Global Administrator': Math.min(ga, users), 'Directory Synchronization Accounts': 1 },
            attacks: [],
          });
          const w = buildWorld(s);
          const ids = new Set(w.users.map((u) => u.id));
          expect(ids.size).toBe(w.users.length);
          expect(new Set(w.users.map((u) => u.upn.toLowerCase())).size).toBe(w.users.length);
          expect(w.people.length).toBe(users);
          expect(w.roleHolders.get('Global Administrator')?.length).toBe(Math.min(ga, users));
          const templates = new Set(DIRECTORY_ROLES.map((r) => r.templateId));
          for (const u of w.users)
            for (const wid of u.wids.split(' '))
              expect(templates.has(wid) || wid === 'b79fbf4d-3ef9-4689-8143-76b194e85509').toBe(true);
          const devices = w.users.reduce((n, u) => n + u.devices.length, 0);
          expect(devices).toBeLessThanOrEqual(s.tenant.devices);
          expect(w.servicePrincipals.length).toBe(s.tenant.servicePrincipals);
          const sync = w.roleHolders.get('Directory Synchronization Accounts')?.[0];
          expect(sync?.upn).toMatch(/^Sync_[A-Z]+\d\d_[0-9a-f]{12}@/);
          for (const u of w.people) {
            for (const a of [...u.home.v4, ...u.mobile.v4])
              expect(a).not.toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\./);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('first-party service principals keep their Microsoft app ids', () => {
    const w = buildWorld(makeScenario({ servicePrincipals: 40, attacks: [] }));
    const ids = new Set(w.servicePrincipals.map((p) => p.appId));
    for (const a of [
      APP.azurePowerShell,
      APP.azureCli,
      APP.office,
      APP.graphPowerShell,
      APP.exchangeRestPowerShell,
      APP.azurePortal,
      APP.teams,
    ]) {
      expect(ids.has(a.appId)).toBe(true);
    }
  });

  it('streams stay time-ordered and within the window over tenant sizes and durations', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        (users, hours, history, seed) => {
          const s = makeScenario({
            users,
            seed,
            durationMs: hours * H,
            historyMs: history * H,
            roles: { 'Exchange Administrator': 1 },
            attacks: [attack({ id: 'x', options: { pageSize: 3 } })],
          });
          const c = compose(s);
          let prev = Number.NEGATIVE_INFINITY;
          let mal = 0;
          for (const r of mergeActors(c.actors)) {
            expect(r.time).toBeGreaterThanOrEqual(prev);
            expect(r.time).toBeGreaterThanOrEqual(s.time.historyStart);
            prev = r.time;
            if (r.label.malicious) {
              mal++;
              expect(r.time).toBeGreaterThanOrEqual(s.time.start);
            }
          }
          expect(mal).toBeGreaterThan(0);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('scenarios the tenant cannot satisfy are refused before generating', () => {
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(EnumbenchError);
      return (e as EnumbenchError).diagnostics;
    }
    throw new Error('not refused');
  };

  it('more role holders than users', () => {
    const d = refusal(() =>
      buildWorld(
        makeScenario({ users: 5, roles: { 'Global Administrator': 4, 'Helpdesk Administrator': 3 }, attacks: [] }),
      ),
    );
    expect(d[0]?.path).toEqual(['tenant', 'roles']);
    expect(d[0]?.hint).toMatch(/at least 7/);
  });

  it('a selector that matches nobody', () => {
    const d = refusal(() =>
      buildWorld(
        makeScenario({
          roles: { 'Global Administrator': 1 },
          attacks: [
            attack({ id: 'x', actor: { kind: 'account', selector: { kind: 'role', role: 'Helpdesk Administrator' } } }),
          ],
        }),
      ),
    );
    expect(d[0]?.path).toEqual(['attacks', 0, 'actor']);
    const d2 = refusal(() =>
      buildWorld(
        makeScenario({
          attacks: [
            attack({
              id: 'x',
              actor: { kind: 'account', selector: { kind: 'upn', upn: 'nobody@contoso.onmicrosoft.com' } },
            }),
          ],
        }),
      ),
    );
    expect(d2[0]?.path).toEqual(['attacks', 0, 'actor']);
  });

  it('an attack outside the window', () => {
    const s = makeScenario({ durationMs: 6 * H });
    const d = refusal(() =>
      buildWorld(makeScenario({ durationMs: 6 * H, attacks: [attack({ id: 'late', at: s.time.end + H })] })),
    );
    expect(d[0]?.path).toEqual(['attacks', 0, 'at']);
    expect(d[0]?.hint).toMatch(/inside/);
  });
});
