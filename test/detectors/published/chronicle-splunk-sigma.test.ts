import { describe, expect, it } from 'vitest';
import { chronicleMsGraphGraphrunnerGraphreconEnumeration } from '../../../detectors/published/chronicle-ms-graph-graphrunner-graphrecon-enumeration.js';
import { chronicleMsGraphUserAndGroupEnumeration } from '../../../detectors/published/chronicle-ms-graph-user-and-group-enumeration.js';
import { sigmaAzureAdAzurehoundDiscovery } from '../../../detectors/published/sigma-azure-ad-azurehound-discovery.js';
import {
  splunkAzureAdServicePrincipalEnumeration,
  spnOf,
} from '../../../detectors/published/splunk-azure-ad-service-principal-enumeration.js';
import { MINUTE, SECOND } from '../../../src/core/clock.js';
import { ALICE, batch, drive, GRAPH, graph, guid, SP, signIn, T0, VPS_IP } from './fixtures.js';

const SID = 'sid-42';
const at = T0 + 2 * MINUTE;

describe('chronicle-ms-graph-user-and-group-enumeration', () => {
  const users = (uri = `${GRAPH}/v1.0/users`, t = at) =>
    graph({ time: t, uri, sessionId: SID, userAgent: 'PowerShell' });
  const members = (t: number, q = '') =>
    graph({ time: t, uri: `${GRAPH}/v1.0/groups/${guid('ab')}/members${q}`, sessionId: SID, userAgent: 'PowerShell' });
  const go = async (records: ReturnType<typeof users>[]) =>
    drive(await chronicleMsGraphUserAndGroupEnumeration.create({}), [
      batch(at + 20 * MINUTE, 'graphActivity', records),
    ]);

  it('fires on GET /v1.0/users then /v1.0/groups/{id}/members, same IP and session, within 15 min', async () => {
    const alerts = await go([users(), members(at + 14 * MINUTE), members(at + 15 * MINUTE, '?$top=999')]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert).toMatchObject({ sessionId: SID, ip: VPS_IP, principal: ALICE, severity: 'low' });
    expect(alerts[0]!.alert.evidence).toHaveLength(3);
    expect(alerts[0]!.alert.details).toMatchObject({ groupCount: 2 });
  });

  it('a query string on /v1.0/users breaks the exact URL match', async () => {
    expect(await go([users(`${GRAPH}/v1.0/users?$top=999`), members(at + MINUTE)])).toHaveLength(0);
    // equality is case-insensitive (nocase)
    expect(await go([users('HTTPS://GRAPH.MICROSOFT.COM/v1.0/USERS'), members(at + MINUTE)])).toHaveLength(1);
  });

  it('needs the users call strictly earlier (whole seconds) and within 15 min', async () => {
    expect(await go([users(undefined, at + 500), members(at + 900)])).toHaveLength(0);
    expect(await go([users(undefined, at + 500), members(at + 1000)])).toHaveLength(1);
    expect(await go([users(), members(at + 15 * MINUTE + SECOND)])).toHaveLength(0);
  });

  it('needs the same session and a session at all', async () => {
    const other = graph({ time: at + MINUTE, uri: `${GRAPH}/v1.0/groups/g/members`, sessionId: 'other' });
    expect(await go([users(), other])).toHaveLength(0);
    const none = [
      graph({ time: at, uri: `${GRAPH}/v1.0/users` }),
      graph({ time: at + MINUTE, uri: `${GRAPH}/v1.0/groups/g/members` }),
    ];
    expect(await go(none)).toHaveLength(0);
  });

  it('alerts once per window even when the events arrive in several batches', async () => {
    const alerts = await drive(await chronicleMsGraphUserAndGroupEnumeration.create({}), [
      batch(at + MINUTE, 'graphActivity', [users(), members(at + 10 * SECOND)]),
      batch(at + 2 * MINUTE, 'graphActivity', [members(at + 20 * SECOND)]),
    ]);
    expect(alerts).toHaveLength(1);
  });
});

describe('chronicle-ms-graph-graphrunner-graphrecon-enumeration', () => {
  const est = (t = at) =>
    graph({ time: t, method: 'POST', uri: `${GRAPH}/beta/roleManagement/directory/estimateAccess`, sessionId: SID });
  const me = (t = at, q = '') => graph({ time: t, uri: `${GRAPH}/v1.0/me${q}`, sessionId: SID });
  const auth = (t = at) => graph({ time: t, uri: `${GRAPH}/beta/policies/authorizationPolicy`, sessionId: SID });
  const go = async (records: ReturnType<typeof me>[]) =>
    drive(await chronicleMsGraphGraphrunnerGraphreconEnumeration.create({}), [
      batch(at + 10 * MINUTE, 'graphActivity', records),
    ]);

  it('fires on all three calls within 5 minutes', async () => {
    const alerts = await go([me(at), auth(at + MINUTE), est(at + 5 * MINUTE)]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert).toMatchObject({ severity: 'medium', sessionId: SID, details: { riskScore: 65 } });
  });

  it('a query string on /v1.0/me breaks the match; so does a 5-minute-and-one-second spread', async () => {
    expect(await go([me(at, '?$select=id'), auth(at), est(at)])).toHaveLength(0);
    expect(await go([me(at), auth(at), est(at + 5 * MINUTE + SECOND)])).toHaveLength(0);
  });

  it('estimateAccess must be a POST', async () => {
    const getEst = graph({ time: at, uri: `${GRAPH}/beta/roleManagement/directory/estimateAccess`, sessionId: SID });
    expect(await go([me(), auth(), getEst])).toHaveLength(0);
  });
});

describe('splunk-azure-ad-service-principal-enumeration', () => {
  it('extracts the id only with a following segment; unescaped dots match any character', () => {
    expect(spnOf(`${GRAPH}/beta/servicePrincipals/abc/owners?$top=999`)).toBe('abc');
    expect(spnOf(`${GRAPH}/v1.0/servicePrincipals/abc/appRoleAssignedTo`)).toBe('abc');
    expect(spnOf(`${GRAPH}/v1.0/servicePrincipals/abc`)).toBe('0');
    expect(spnOf(`${GRAPH}/v1.0/servicePrincipals?$top=999`)).toBe('0');
    expect(spnOf('https://graphXmicrosoftXcom/v1.0/servicePrincipals/abc/owners')).toBe('abc');
  });

  const spCalls = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      graph({ time: at + i * SECOND, uri: `${GRAPH}/beta/servicePrincipals/${guid('5b')}/owners?$top=999` }),
    );
  const go = async (records: ReturnType<typeof spCalls>) =>
    drive(
      await splunkAzureAdServicePrincipalEnumeration.create({}),
      [batch(at + 5 * MINUTE, 'graphActivity', records)],
      {
        end: T0 + 3 * 60 * MINUTE,
      },
    );

  it('fires at 10 distinct ids, at the first hourly run whose [-70m, -10m) window holds them', async () => {
    const alerts = await go(spCalls(10));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert).toMatchObject({
      principal: ALICE,
      ip: VPS_IP,
      severity: 'high',
      details: { spnCount: 10 },
    });
    expect(alerts[0]!.alert.time).toBe(new Date(T0 + 60 * MINUTE).toISOString());
  });

  it('does not fire at 9 distinct ids', async () => {
    expect(await go(spCalls(9))).toHaveLength(0);
  });

  it('fillnull: 9 distinct ids plus one servicePrincipals call without an id fire (dc counts "0")', async () => {
    const alerts = await go([...spCalls(9), graph({ time: at, uri: `${GRAPH}/v1.0/servicePrincipals?$top=999` })]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert.details).toMatchObject({ spnCount: 10, countsFillnullZero: true });
    expect(alerts[0]!.alert.evidence).toHaveLength(9);
  });

  it('groups by user and source: app-only calls key on the service principal', async () => {
    const records = spCalls(10).map((_, i) =>
      graph({
        time: at + i,
        uri: `${GRAPH}/v1.0/servicePrincipals/${guid('5c')}/owners`,
        userId: null,
        servicePrincipalId: SP,
      }),
    );
    const alerts = await go(records);
    expect(alerts[0]!.alert.principal).toBe(SP);
  });
});

describe('sigma-azure-ad-azurehound-discovery', () => {
  it('fires on a successful sign-in whose user agent contains azurehound, any case', async () => {
    const ok = signIn({ time: at, userAgent: 'AzureHound/v2.9.2', sessionId: 'sid-3' });
    const alerts = await drive(await sigmaAzureAdAzurehoundDiscovery.create({}), [batch(at + MINUTE, 'signIns', [ok])]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.alert).toMatchObject({
      rule: 'sigma-azure-ad-azurehound-discovery',
      principal: ALICE,
      sessionId: 'sid-3',
      severity: 'high',
      evidence: [(ok.properties as { id: string }).id],
    });
  });

  it('does not fire on a failed sign-in or another user agent', async () => {
    const failed = signIn({ time: at, resultType: '50126' });
    const other = signIn({ time: at, userAgent: 'Mozilla/5.0' });
    const alerts = await drive(await sigmaAzureAdAzurehoundDiscovery.create({}), [
      batch(at + MINUTE, 'signIns', [failed, other]),
    ]);
    expect(alerts).toHaveLength(0);
  });

  it('reads ResultType from a Log Analytics row too', async () => {
    const la = {
      TimeGenerated: new Date(at).toISOString(),
      Id: 'la-1',
      UserId: ALICE,
      UserAgent: 'azurehound/v2',
      ResultType: '0',
    };
    const alerts = await drive(await sigmaAzureAdAzurehoundDiscovery.create({}), [batch(at + MINUTE, 'signIns', [la])]);
    expect(alerts.map((a) => a.alert.evidence)).toEqual([['la-1']]);
  });
});
