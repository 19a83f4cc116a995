/**
 * Each supported Sigma modifier and value form on hand-built sign-in records, against a written
 * expectation: which of the records below a selection matches.
 */
import { describe, expect, it } from 'vitest';
import { base64Offsets, windashVariants } from '../../harness/sigma/values.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import { signIn, T0 } from '../detectors/published/fixtures.js';
import { rules, run, signInRule } from './helpers.js';

const ROWS: Record<string, TelemetryRecord> = {
  hound: signIn({ time: T0, id: 'hound', userAgent: 'azurehound/v2.9.2', ip: '203.0.113.10', resultType: '0' }),
  houndFail: signIn({
    time: T0,
    id: 'houndFail',
    userAgent: 'AzureHound/v2.9.2',
    ip: '203.0.113.11',
    resultType: '50126',
  }),
  browser: signIn({
    time: T0,
    id: 'browser',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0) Edge',
    ip: '10.1.2.3',
    resultType: '0',
  }),
  b64: signIn({ time: T0, id: 'b64', userAgent: 'cmd -enc ZW51bWVyYXRl', ip: '2001:db8::5', resultType: '0' }),
  dash: signIn({
    time: T0,
    id: 'dash',
    userAgent: 'tool /ResultSize Unlimited',
    ip: '198.51.100.7',
    resultType: '0',
    sessionId: 's-1',
  }),
};

async function matching(selection: string, condition?: string): Promise<string[]> {
  const alerts = await run(rules(signInRule(selection, condition)), [
    { source: 'signIns', records: Object.values(ROWS) },
  ]);
  return alerts.map((a) => a.alert.evidence?.[0] as string).sort();
}

describe('Sigma values and modifiers', () => {
  it.each([
    ["userAgent: 'azurehound/v2.9.2'", ['hound', 'houndFail']], // case-insensitive whole value
    ["userAgent: 'azurehound*'", ['hound', 'houndFail']],
    ["userAgent: 'azurehound/v?.9.2'", ['hound', 'houndFail']],
    ["userAgent: 'azurehound'", []], // whole value, no implicit contains
    ["userAgent|contains: 'hound'", ['hound', 'houndFail']],
    ["userAgent|startswith: 'mozilla'", ['browser']],
    ["userAgent|endswith: 'unlimited'", ['dash']],
    ["userAgent|contains|cased: 'AzureHound'", ['houndFail']],
    ["userAgent|contains|all:\n  - 'windows'\n  - 'edge'", ['browser']],
    ["userAgent|contains:\n  - 'windows'\n  - 'unlimited'", ['browser', 'dash']],
    ["userAgent|re: '^azure[Hh]ound/v\\d'", ['hound']],
    ["userAgent|re: '^[Aa]zure[Hh]ound/v\\d'", ['hound', 'houndFail']],
    ["userAgent|re: '^AZUREHOUND'", []], // re is case-sensitive …
    ["userAgent|re|i: '^AZUREHOUND'", ['hound', 'houndFail']], // … unless |i
    ["IPAddress|cidr: '203.0.113.0/24'", ['hound', 'houndFail']],
    ["IPAddress|cidr:\n  - '10.0.0.0/8'\n  - '2001:db8::/32'", ['b64', 'browser']],
    ["userAgent|base64|contains: 'enumerate'", ['b64']],
    ["userAgent|base64offset|contains: 'numerate'", ['b64']],
    ["userAgent|windash|contains: ' -ResultSize '", ['dash']],
    ['SessionId|exists: true', ['dash']],
    ['SessionId|exists: false', ['b64', 'browser', 'hound', 'houndFail']],
    ['SessionId: null', ['b64', 'browser', 'hound', 'houndFail']],
    ['ResultType: 0', ['b64', 'browser', 'dash', 'hound']], // a number compares as its text
    ['ResultType|gt: 100', ['houndFail']],
    ['ResultType|lte: 0', ['b64', 'browser', 'dash', 'hound']],
    ['Status.errorCode: 50126', ['houndFail']], // a path into a dynamic column
    ['properties.userAgent|contains: hound', ['hound', 'houndFail']], // diagnostic-settings prefix
    ["userAgent|fieldref: 'UserAgent'", ['b64', 'browser', 'dash', 'hound', 'houndFail']],
    ["UserPrincipalName|fieldref|contains: 'UserDisplayName'", []],
  ])('%s', async (selection, want) => {
    expect(await matching(selection)).toEqual(want);
  });

  it('keywords: a list of values matches any column', async () => {
    const alerts = await run(rules(signInRule('- Edge\n- Unlimited')), [
      { source: 'signIns', records: Object.values(ROWS) },
    ]);
    expect(alerts.map((a) => a.alert.evidence?.[0]).sort()).toEqual(['browser', 'dash']);
  });

  it('a list of maps is any of them; a map is all of its fields', async () => {
    const sel = "- userAgent|contains: hound\n  ResultType: 0\n- IPAddress: '10.1.2.3'";
    expect(await matching(sel)).toEqual(['browser', 'hound']);
  });

  it('base64offset gives the three shifted encodings; windash every dash form', () => {
    expect(base64Offsets('numerate')).toEqual(['bnVtZXJhdG', '51bWVyYXRl', 'udW1lcmF0Z']);
    expect(windashVariants('-ResultSize x /y')).toEqual(
      expect.arrayContaining(['-ResultSize x -y', '/ResultSize x /y', '\u2013ResultSize x \u2013y']),
    );
  });
});
