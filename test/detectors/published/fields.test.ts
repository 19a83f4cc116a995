import { describe, expect, it } from 'vitest';
import { pick, readGraph, readSignIn, readUal, urlPath } from '../../../detectors/published/fields.js';
import { ALICE, GRAPH, graph, graphLa, signIn, T0, ualLogon } from './fixtures.js';

describe('record accessor', () => {
  it('reads the diagnostic-settings shape and the Log Analytics row alike', () => {
    const o = { time: T0, uri: `${GRAPH}/v1.0/users`, sessionId: 'sid', requestId: 'r-1', bytes: 77 };
    const diag = readGraph(graph(o))!;
    const la = readGraph(graphLa(o))!;
    for (const r of [diag, la]) {
      expect(r).toMatchObject({
        requestId: 'r-1',
        time: T0,
        requestUri: `${GRAPH}/v1.0/users`,
        requestMethod: 'GET',
        status: 200,
        userId: ALICE,
        responseSizeBytes: 77,
        sessionId: 'sid',
        idtyp: 'user',
        clientAuthMethod: 0,
      });
    }
    // AadTenantId, not the workspace TenantId, in a Log Analytics row
    expect(la.tenantId).toBe(diag.tenantId);
  });

  it('is case-insensitive where Microsoft casing drifts', () => {
    expect(pick({ properties: { C_Sid: 'x' } }, ['c_Sid'])).toBe('x');
    expect(pick({ properties: { userprincipalobjectid: 'y' } }, ['UserPrincipalObjectID'])).toBe('y');
    expect(pick({ properties: { a: null }, a: 'top' }, ['a'])).toBe('top');
  });

  it('reads the samples quirks: string clientAuthMethod, 7-digit fractions, null userId', () => {
    const rec = {
      time: '2024-02-24T02:36:04.9540786Z',
      properties: {
        timeGenerated: '2024-02-24T02:36:04.9540786Z',
        requestId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        requestMethod: 'GET',
        responseStatusCode: 200,
        requestUri: 'https://graph.microsoft.com/v1.0/subscribedSkus',
        userId: null,
        servicePrincipalId: '11111111-2222-3333-4444-555555555555',
        clientAuthMethod: '2',
      },
    };
    expect(readGraph(rec)).toMatchObject({
      time: Date.parse('2024-02-24T02:36:04.954Z'),
      userId: undefined,
      servicePrincipalId: '11111111-2222-3333-4444-555555555555',
      idtyp: 'app',
      clientAuthMethod: 2,
    });
  });

  it('reads sign-ins (resultType at the top level) and UAL user agents', () => {
    expect(readSignIn(signIn({ time: T0, resultType: '50126' }))).toMatchObject({
      resultType: '50126',
      time: T0,
      userId: ALICE,
    });
    expect(readUal(ualLogon({ time: T0, userAgent: 'azurehound/v2.0.4' }))).toMatchObject({
      userAgent: 'azurehound/v2.0.4',
      time: T0,
    });
  });

  it('takes the path of a URL as parse_url does', () => {
    expect(urlPath('https://graph.microsoft.com/v1.0/users?$top=1#x')).toBe('/v1.0/users');
    expect(urlPath('/v2/tid/users?api-version=1.61-internal')).toBe('/v2/tid/users');
  });
});
