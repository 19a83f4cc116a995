// @module-tag slow
/**
 * The workforce's everyday imperfections, counted from the generated JSONL (the lines `generate`
 * writes): failed sign-ins by cause with a consistent UAL mirror, device-less delegated calls,
 * app-only reads with the app-only `wids`, hosting egress, night and weekend traffic, a heavy-tailed
 * per-user volume, admin-centre reads of the paths the published path rules list — and each rate
 * settable (0 turns it off). Bands are wide on purpose: they pin presence and order of magnitude,
 * the documented rates live in docs/profiles/workforce.md.
 */
import { describe, expect, it } from 'vitest';
import { HOSTING } from '../../../generators/world/networks.js';
import { APP_ONLY_WIDS } from '../../../src/core/directory-roles.js';
import type { OptionValue } from '../../../src/scenario/types.js';
import { generateInMemory } from '../helpers/run.js';
import { makeScenario } from '../helpers/scenario.js';

type Obj = Record<string, unknown>;
const HOSTING_ASNS = new Set(HOSTING.map((o) => o.asn));

function generate(options: Record<string, OptionValue> = {}, seed = 4242, users = 160, hours = 48) {
  const s = makeScenario({
    users,
    seed,
    // Friday and Saturday, New York
    start: '2026-11-06T05:00:00Z',
    durationMs: hours * 3_600_000,
    sources: ['signIns', 'graphActivity', 'ual'],
    roles: { 'Global Administrator': 2, 'Helpdesk Administrator': 3, 'Directory Synchronization Accounts': 1 },
    activity: [{ id: 'workforce', profile: 'workforce', actors: null, schedule: null, app: null, options }],
    attacks: [],
  });
  const d = generateInMemory(s);
  const rows = (src: string) => (d.lines[src] ?? []).map((l) => JSON.parse(l) as Obj);
  return { signIns: rows('signIns'), graph: rows('graphActivity'), ual: rows('ual') };
}

const props = (r: Obj) => r.properties as Obj;
/** a desktop browser's user agent (Windows or macOS), not a phone's, Teams' or PowerShell's */
const DESKTOP_BROWSER = /^Mozilla\/5\.0 \((Windows NT|Macintosh)(?!.*(Teams|PowerShell)\/)/;
const localHour = (iso: string) => (new Date(iso).getUTCHours() + 24 - 5) % 24;

describe('workforce imperfection (default rates)', () => {
  const d = generate();
  const userSignIns = d.signIns.filter((r) => r.category !== 'ServicePrincipalSignInLogs');

  it('fails a few percent of sign-ins, by several causes, and mirrors each failure in the UAL', () => {
    const codes = userSignIns.map((r) => (props(r).status as { errorCode: number }).errorCode);
    const failed = codes.filter((c) => c !== 0);
    const share = failed.length / codes.length;
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.12);
    const causes = new Set(failed);
    for (const c of [50126, 50074, 53003]) expect(causes.has(c), `cause ${c}`).toBe(true);
    expect(causes.size).toBeGreaterThanOrEqual(5);
    // the UAL RecordType 15 mirror says the same thing
    const byId = new Map(userSignIns.map((r) => [props(r).id as string, props(r)]));
    const mirrored = d.ual.filter((r) => r.RecordType === 15);
    let failures = 0;
    for (const u of mirrored) {
      const s = byId.get(u.Id as string);
      if (!s) continue;
      const code = (s.status as { errorCode: number }).errorCode;
      expect(u.ErrorNumber).toBe(String(code));
      expect(u.ResultStatus).toBe(code === 0 ? 'Success' : 'Failed');
      expect(u.Operation).toBe(code === 0 ? 'UserLoggedIn' : 'UserLoginFailed');
      if (code === 0) expect(u.LogonError).toBeUndefined();
      else {
        failures++;
        expect(typeof u.LogonError).toBe('string');
        expect(u.LogonError).not.toBe('');
      }
    }
    expect(failures).toBeGreaterThan(0);
  });

  it('has single-factor and "Previously satisfied" sign-ins and sign-ins from unregistered devices', () => {
    const single = userSignIns.filter((r) => props(r).authenticationRequirement === 'singleFactorAuthentication');
    expect(single.length).toBeGreaterThan(0);
    const prev = userSignIns.filter((r) =>
      JSON.stringify(props(r).authenticationDetails ?? []).includes('Previously satisfied'),
    );
    expect(prev.length).toBeGreaterThan(0);
    const noDevice = userSignIns.filter((r) => !(props(r).deviceDetail as Obj | undefined)?.deviceId);
    expect(noDevice.length / userSignIns.length).toBeGreaterThan(0.01);
  });

  it('makes delegated Graph calls with a user agent and no device id (browsers, scripts, phones)', () => {
    const delegated = d.graph.filter((r) => props(r).userId);
    const deviceless = delegated.filter((r) => props(r).userAgent && !props(r).C_DeviceId && !props(r).deviceId);
    expect(deviceless.length / delegated.length).toBeGreaterThan(0.002);
    const agents = new Set(deviceless.map((r) => String(props(r).userAgent).split('/')[0]));
    expect(agents.size).toBeGreaterThanOrEqual(2);
  });

  it('has admins and power users script Graph over raw HTTP: delegated, device-less, paged, repeating the request id', () => {
    // the lazy rule "a delegated Graph call that repeats its request id" must meet benign callers
    // (issue #13 item 1, docs/adversarial.md): their clients send no client-request-id
    const repeats = d.graph.filter(
      (r) => props(r).C_Idtyp === 'user' && props(r).clientRequestId === props(r).requestId,
    );
    expect(repeats.length).toBeGreaterThan(10);
    const delegated = d.graph.filter((r) => props(r).C_Idtyp === 'user').length;
    expect(repeats.length / delegated).toBeLessThan(0.02);
    for (const r of repeats) {
      expect(String(props(r).userAgent)).toMatch(/PowerShell|python-requests|PostmanRuntime|curl\//);
      expect(props(r).C_DeviceId ?? null).toBeNull();
    }
    const uris = repeats.map((r) => String(props(r).requestUri));
    expect(uris.some((u) => /\/v1\.0\/(users|groups)\?/.test(u))).toBe(true);
  });

  it('makes device-less browser calls from work computers all working day, while native apps there carry the device id', () => {
    // Chrome without the Microsoft Single Sign On extension: no device id in browser rows (bareBrowserShare)
    const working = (r: Obj) => {
      const h = localHour((props(r).timeGenerated ?? r.time) as string);
      return h >= 9 && h < 17;
    };
    const bare = d.graph.filter(
      (r) => props(r).userId && !props(r).C_DeviceId && DESKTOP_BROWSER.test(String(props(r).userAgent)) && working(r),
    );
    const users = new Set(bare.map((r) => props(r).userId as string));
    expect(users.size).toBeGreaterThanOrEqual(3);
    // the same users' Teams and Outlook on that computer still carry its id
    const native = d.graph.filter(
      (r) => users.has(props(r).userId as string) && /^Microsoft Office|Teams\//.test(String(props(r).userAgent)),
    );
    expect(native.length).toBeGreaterThan(0);
    expect(native.every((r) => typeof props(r).C_DeviceId === 'string' && props(r).C_DeviceId !== '')).toBe(true);
    // and their browser sign-ins say so: no device id, no trust type, but the computer's system
    const signIns = userSignIns.filter(
      (r) => users.has(props(r).userId as string) && props(r).clientAppUsed === 'Browser' && working(r),
    );
    const detail = (r: Obj) => props(r).deviceDetail as Obj;
    expect(signIns.some((r) => detail(r).deviceId === '' && detail(r).trustType === '')).toBe(true);
  });

  it('reads the directory app-only around the clock, with the app-only wids', () => {
    const appOnly = d.graph.filter((r) => !props(r).userId);
    const own = appOnly.filter((r) => props(r).wids === APP_ONLY_WIDS);
    expect(own.length).toBeGreaterThan(50);
    expect(appOnly.every((r) => props(r).wids === APP_ONLY_WIDS || props(r).appId !== undefined)).toBe(true);
    const hours = new Set(own.map((r) => localHour(props(r).timeGenerated as string)));
    expect(hours.size).toBeGreaterThanOrEqual(20);
    expect(d.signIns.filter((r) => r.category === 'ServicePrincipalSignInLogs').length).toBeGreaterThan(0);
  });

  it('egresses from hosting networks now and then (VPNs, jump boxes, integrations)', () => {
    const hosting = userSignIns.filter((r) => HOSTING_ASNS.has(props(r).autonomousSystemNumber as number));
    expect(hosting.length).toBeGreaterThan(0);
    expect(hosting.length / userSignIns.length).toBeLessThan(0.1);
  });

  it('never sleeps: every local hour has traffic, nights are a small share, Saturday lower but not zero', () => {
    const all = [...d.graph, ...userSignIns].map((r) => props(r).timeGenerated ?? r.time) as string[];
    const hours = new Set(all.map(localHour));
    expect(hours.size).toBe(24);
    const night = all.filter((t) => {
      const h = localHour(t);
      return h >= 22 || h < 5;
    }).length;
    expect(night / all.length).toBeGreaterThan(0.005);
    expect(night / all.length).toBeLessThan(0.2);
    const sat = all.filter((t) => new Date(new Date(t).getTime() - 5 * 3_600_000).getUTCDay() === 6).length;
    expect(sat).toBeGreaterThan(0);
    expect(sat).toBeLessThan(all.length - sat);
  });

  it('has a heavy-tailed per-user volume', () => {
    const per = new Map<string, number>();
    for (const r of d.graph) {
      const u = props(r).userId as string | null;
      if (u) per.set(u, (per.get(u) ?? 0) + 1);
    }
    const v = [...per.values()].sort((a, b) => a - b);
    const q = (p: number) => v[Math.floor(p * (v.length - 1))] as number;
    expect(q(0.9) / q(0.5)).toBeGreaterThan(2);
    expect(v[v.length - 1]! / q(0.5)).toBeGreaterThan(5);
  });

  it('has admins read the paths the published path-signature rules list', () => {
    const paths = d.graph.map((r) => String(props(r).requestUri));
    for (const p of ['/owners', '/registeredOwners', '/roleManagement/directory/roleAssignments', '/appRoleAssignedTo'])
      expect(
        paths.some((u) => u.includes(p)),
        p,
      ).toBe(true);
  });
});

describe('workforce imperfection is settable', () => {
  it('failures: 0, unmanagedShare: 0, bareBrowserShare: 0, appOnlyApps: 0, nightSync: false, volumeSigma: 0 and rawHttpShare: 0 turn them off', () => {
    const d = generate({
      failures: 0,
      unmanagedShare: 0,
      bareBrowserShare: 0,
      scriptShare: 0,
      appOnlyApps: 0,
      nightSync: false,
      volumeSigma: 0,
      vpnShare: 0,
      jumpBoxShare: 0,
      torShare: 0,
      travelShare: 0,
      legacyClientShare: 0,
      rawHttpShare: 0,
    });
    const user = d.signIns.filter((r) => r.category !== 'ServicePrincipalSignInLogs');
    expect(user.filter((r) => (props(r).status as { errorCode: number }).errorCode !== 0)).toHaveLength(0);
    expect(d.graph.filter((r) => !props(r).userId && props(r).wids === APP_ONLY_WIDS)).toHaveLength(0);
    expect(user.filter((r) => HOSTING_ASNS.has(props(r).autonomousSystemNumber as number))).toHaveLength(0);
    const deviceless = d.graph.filter(
      (r) => props(r).userId && !props(r).C_DeviceId && DESKTOP_BROWSER.test(String(props(r).userAgent)),
    );
    expect(deviceless).toHaveLength(0);
    const repeats = d.graph.filter(
      (r) => props(r).C_Idtyp === 'user' && props(r).clientRequestId === props(r).requestId,
    );
    expect(repeats).toHaveLength(0);
  });
});

/**
 * singleFactorShare: the share of users the tenant's MFA policy does not reach. Counted per user in
 * a tenant whose policy is "Require MFA for all users" (so a trusted network cannot make a sign-in
 * single-factor): a user is single-factor when every successful interactive sign-in is.
 */
describe('single-factor sign-ins (singleFactorShare)', () => {
  function perUser(options: Record<string, OptionValue>) {
    // one working day (Friday, New York)
    const d = generate(options, 1089, 240, 20);
    const interactive = d.signIns.filter(
      (r) => r.category === 'SignInLogs' && (props(r).status as { errorCode: number }).errorCode === 0,
    );
    const policies = new Set(
      interactive.flatMap((r) => (props(r).appliedConditionalAccessPolicies as Obj[]).map((p) => p.displayName)),
    );
    // the guard: in this tenant only an exclusion makes a sign-in single-factor
    expect(policies.has('Require MFA for all users'), [...policies].join(', ')).toBe(true);
    const single = new Map<string, boolean>();
    for (const r of interactive) {
      const p = props(r);
      const sf = p.authenticationRequirement === 'singleFactorAuthentication';
      const all = (p.appliedConditionalAccessPolicies as Obj[]).find(
        (x) => x.displayName === 'Require MFA for all users',
      );
      // an excluded user's sign-in shows the all-users policy not applied (an excluded administrator
      // still meets MFA through the administrators' policy); an included user's sign-in needs MFA
      if (sf) expect(all?.result, String(p.userPrincipalName)).toBe('notApplied');
      if (all?.result === 'success') expect(sf, String(p.userPrincipalName)).toBe(false);
      const id = p.userId as string;
      single.set(id, (single.get(id) ?? true) && sf);
    }
    const users = [...single.values()];
    return { users: users.length, share: users.filter(Boolean).length / users.length, interactive };
  }

  it('by default about 62 % of users sign in single-factor (38 % of Entra ID monthly active users use MFA)', () => {
    const { users, share, interactive } = perUser({});
    expect(users).toBeGreaterThan(150);
    // 240 users: the binomial standard deviation is about 0.03
    expect(share).toBeGreaterThan(0.5);
    expect(share).toBeLessThan(0.74);
    // the other users' sign-ins within a session carry the MFA claim: "Previously satisfied"
    const prev = interactive.filter((r) =>
      (props(r).authenticationDetails as Obj[]).some(
        (a) => a.authenticationStepRequirement === 'MFA' && a.authenticationMethod === 'Previously satisfied',
      ),
    );
    expect(prev.length).toBeGreaterThan(0);
  });

  it("0 makes every interactive sign-in multi-factor, 1 every one but the administrators'", () => {
    expect(perUser({ singleFactorShare: 0 }).share).toBe(0);
    const all = perUser({ singleFactorShare: 1 });
    // administrators (the administrators' policy) and risky sign-ins (the risk policy) still meet MFA
    expect(all.share).toBeGreaterThan(0.9);
    expect(all.share).toBeLessThan(1);
  });
});
