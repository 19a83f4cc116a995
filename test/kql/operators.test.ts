/**
 * The supported KQL subset, operator by operator, on hand-built rows against written expectations.
 * One parser load for the file (the library takes seconds to load; the per-test time limit is not
 * what these tests are about).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../harness/kql/index.js';
import { kustoLibrary } from '../../harness/kql/kusto.js';
import type { Row } from '../../harness/kql/tables.js';
import { setIngestion } from '../../harness/kql/values.js';

const T0 = Date.parse('2026-11-03T12:00:00Z');
const MIN = 60_000;

function graph(id: number, minute: number, over: Partial<Row>): Row {
  const r: Row = {
    TimeGenerated: T0 + minute * MIN,
    RequestId: `r${id}`,
    RequestUri: 'https://graph.microsoft.com/v1.0/users',
    RequestMethod: 'GET',
    ResponseStatusCode: 200,
    ResponseSizeBytes: 100,
    UserId: 'u1',
    ServicePrincipalId: '',
    IPAddress: '10.0.0.1',
    UserAgent: 'azurehound/v2.9.2',
    ...over,
  };
  setIngestion(r, (r.TimeGenerated as number) + 10 * MIN);
  return r;
}

const GRAPH: Row[] = [
  graph(0, 0, {}),
  graph(1, 1, {
    RequestUri: 'https://graph.microsoft.com/v1.0/groups/0b4a2c8e-1111-2222-3333-444455556666/members?$top=999',
    IPAddress: '10.0.0.2',
  }),
  graph(2, 2, {
    UserId: 'u2',
    UserAgent: 'Mozilla/5.0',
    ResponseSizeBytes: 50,
    RequestUri: 'https://graph.microsoft.com/beta/users/delta',
  }),
  graph(3, 70, {
    UserId: '',
    ServicePrincipalId: 'sp1',
    UserAgent: '',
    ResponseStatusCode: 403,
    IPAddress: '20.0.0.1',
  }),
];
const SIGNINS: Row[] = [
  {
    TimeGenerated: T0,
    Id: 's1',
    UserId: 'u1',
    UserPrincipalName: 'alice@contoso.com',
    IPAddress: '10.0.0.1',
    ResultType: '0',
  },
  {
    TimeGenerated: T0 + MIN,
    Id: 's2',
    UserId: 'u3',
    UserPrincipalName: 'carol@contoso.com',
    IPAddress: '30.0.0.1',
    ResultType: '50126',
  },
];

function run(q: string, now = T0 + 2 * 3_600_000): Row[] {
  const c = compileQuery({ text: q, file: 'test.kql' });
  return c.run({
    now,
    tables: new Map([
      ['MicrosoftGraphActivityLogs', GRAPH],
      ['SigninLogs', SIGNINS],
    ]),
  });
}
const G = 'MicrosoftGraphActivityLogs';

beforeAll(() => {
  kustoLibrary();
  compileQuery({ text: `${G} | take 1`, file: 'warm.kql' });
}, 120_000);

describe('kql: tabular operators', () => {
  it('where, project, take', () => {
    expect(run(`${G} | where UserId == "u1" | project RequestId`)).toEqual([{ RequestId: 'r0' }, { RequestId: 'r1' }]);
    expect(run(`${G} | take 1 | project RequestId`)).toEqual([{ RequestId: 'r0' }]);
  });
  it('extend, then extend over the new column; project renames', () => {
    expect(
      run(
        `${G} | where RequestId == "r0" | extend a = 2 | extend b = a * 3, c = ResponseSizeBytes + 1 | project Id = RequestId, b, c`,
      ),
    ).toEqual([{ Id: 'r0', b: 6, c: 101 }]);
  });
  it('summarize count/dcount/sum/min/max/make_set by a bin of time', () => {
    const rows = run(
      `${G} | summarize n = count(), ips = dcount(IPAddress), bytes = sum(ResponseSizeBytes), earliest = min(TimeGenerated), latest = max(TimeGenerated), ids = make_set(RequestId) by bin(TimeGenerated, 1h)`,
    );
    expect(rows).toEqual([
      { TimeGenerated: T0, n: 3, ips: 2, bytes: 250, earliest: T0, latest: T0 + 2 * MIN, ids: ['r0', 'r1', 'r2'] },
      {
        TimeGenerated: T0 + 3_600_000,
        n: 1,
        ips: 1,
        bytes: 100,
        earliest: T0 + 70 * MIN,
        latest: T0 + 70 * MIN,
        ids: ['r3'],
      },
    ]);
  });
  it('summarize default names and arg_max(*, …)', () => {
    const rows = run(`${G} | summarize count(), arg_max(TimeGenerated, RequestId) by UserId`);
    expect(rows.map((r) => [r.UserId, r.count_, r.RequestId])).toEqual([
      ['u1', 2, 'r1'],
      ['u2', 1, 'r2'],
      ['', 1, 'r3'],
    ]);
    const star = run(`${G} | summarize arg_min(TimeGenerated, *) by UserId | project UserId, RequestId, IPAddress`);
    expect(star[0]).toEqual({ UserId: 'u1', RequestId: 'r0', IPAddress: '10.0.0.1' });
  });
  it('summarize with no rows and no by gives one row', () => {
    expect(run(`${G} | where UserId == "nobody" | summarize count()`)).toEqual([{ count_: 0 }]);
    expect(run(`${G} | where UserId == "nobody" | summarize count() by UserId`)).toEqual([]);
  });
  it('join inner, leftouter, leftanti, and the default innerunique', () => {
    const q = (kind: string) =>
      `${G} | join kind=${kind} (SigninLogs | project UserId, UserPrincipalName) on UserId | project RequestId, UserPrincipalName`;
    expect(run(q('inner'))).toEqual([
      { RequestId: 'r0', UserPrincipalName: 'alice@contoso.com' },
      { RequestId: 'r1', UserPrincipalName: 'alice@contoso.com' },
    ]);
    expect(run(q('leftouter')).map((r) => r.UserPrincipalName)).toEqual([
      'alice@contoso.com',
      'alice@contoso.com',
      null,
      null,
    ]);
    expect(run(`${G} | join kind=leftanti (SigninLogs) on UserId | project RequestId`)).toEqual([
      { RequestId: 'r2' },
      { RequestId: 'r3' },
    ]);
    expect(run(`${G} | join (SigninLogs) on UserId | project RequestId`)).toEqual([{ RequestId: 'r0' }]);
    expect(
      run(`${G} | join kind=inner (SigninLogs) on $left.IPAddress == $right.IPAddress | project RequestId, Id`),
    ).toEqual([
      { RequestId: 'r0', Id: 's1' },
      { RequestId: 'r2', Id: 's1' },
    ]);
  });
  it('union', () => {
    const rows = run(`union (${G} | project Who = UserId), (SigninLogs | project Who = UserPrincipalName)`);
    expect(rows.map((r) => r.Who)).toEqual(['u1', 'u1', 'u2', '', 'alice@contoso.com', 'carol@contoso.com']);
    expect(run(`SigninLogs | union (SigninLogs) | count`)).toEqual([{ Count: 4 }]);
  });
  it('mv-expand a dynamic array', () => {
    const rows = run(
      `${G} | summarize ips = make_set(IPAddress) by UserId | mv-expand ip = ips to typeof(string) | project UserId, ip`,
    );
    expect(rows).toEqual([
      { UserId: 'u1', ip: '10.0.0.1' },
      { UserId: 'u1', ip: '10.0.0.2' },
      { UserId: 'u2', ip: '10.0.0.1' },
      { UserId: '', ip: '20.0.0.1' },
    ]);
  });
  it('sort (desc by default), top, distinct', () => {
    expect(run(`${G} | sort by TimeGenerated | project RequestId`).map((r) => r.RequestId)).toEqual([
      'r3',
      'r2',
      'r1',
      'r0',
    ]);
    expect(run(`${G} | sort by RequestId asc | project RequestId`).map((r) => r.RequestId)).toEqual([
      'r0',
      'r1',
      'r2',
      'r3',
    ]);
    expect(run(`${G} | top 2 by ResponseSizeBytes asc | project RequestId`).map((r) => r.RequestId)).toEqual([
      'r2',
      'r0',
    ]);
    expect(run(`${G} | distinct UserAgent`)).toEqual([
      { UserAgent: 'azurehound/v2.9.2' },
      { UserAgent: 'Mozilla/5.0' },
      { UserAgent: '' },
    ]);
  });
});

describe('kql: let, scalars and functions', () => {
  it('let with scalars and dynamic arrays; in, !in, has_any', () => {
    expect(run(`let ids = dynamic(["r1", "r3"]); ${G} | where RequestId in (ids) | project RequestId`)).toEqual([
      { RequestId: 'r1' },
      { RequestId: 'r3' },
    ]);
    expect(run(`let ids = dynamic(["r1", "r3"]); ${G} | where RequestId !in (ids) | project RequestId`)).toEqual([
      { RequestId: 'r0' },
      { RequestId: 'r2' },
    ]);
    expect(run(`${G} | where UserAgent has_any ("azurehound", "roadrecon") | count`)).toEqual([{ Count: 2 }]);
    expect(run(`${G} | where UserAgent has_any ("hound", "roadrecon") | count`)).toEqual([{ Count: 0 }]);
    expect(run(`let n = 2; ${G} | where ResponseSizeBytes > 50 * n | count`)).toEqual([{ Count: 0 }]);
    expect(run(`${G} | where RequestId in~ ("R0") | count`)).toEqual([{ Count: 1 }]);
  });
  it('a tabular let and in (subquery)', () => {
    expect(
      run(
        `let failed = SigninLogs | where ResultType != "0" | project UserId; SigninLogs | where UserId in (failed) | project Id`,
      ),
    ).toEqual([{ Id: 's2' }]);
  });
  it('string operators: has / !has / contains / startswith / matches regex / =~', () => {
    const count = (pred: string) => (run(`${G} | where ${pred} | count`)[0] as { Count: number }).Count;
    expect(count('UserAgent has "azurehound"')).toBe(2);
    expect(count('UserAgent has "AzureHound"')).toBe(2);
    expect(count('UserAgent has "hound"')).toBe(0);
    expect(count('UserAgent !has "azurehound"')).toBe(2);
    expect(count('UserAgent contains "HOUND"')).toBe(2);
    expect(count('RequestUri startswith "https://graph.microsoft.com/beta"')).toBe(1);
    expect(count('RequestUri matches regex @"/groups/[0-9a-f-]+/members"')).toBe(1);
    expect(count('UserAgent =~ "AZUREHOUND/v2.9.2"')).toBe(2);
    expect(count('UserAgent startswith "azure"')).toBe(2);
    expect(count('RequestUri !contains "delta"')).toBe(3);
  });
  it('parse_url, parse_json, tostring, toint, tolower, split, replace_string, replace_regex, coalesce', () => {
    const [r] = run(
      `${G} | where RequestId == "r1" | project p = tostring(parse_url(RequestUri).Path), q = tostring(parse_url(RequestUri)["Query Parameters"]["$top"]), n = toint("42"), l = tolower("AbC"), s = split(RequestUri, "/")[3], rs = replace_string("a-b-c", "-", "+"), rr = replace_regex("v1.0/users", @"(v1\\.0|beta)/", @"version/"), c = coalesce("", UserId), j = tostring(parse_json('{"a":[1,2]}').a[1])`,
    );
    expect(r).toEqual({
      p: '/v1.0/groups/0b4a2c8e-1111-2222-3333-444455556666/members',
      q: '999',
      n: 42,
      l: 'abc',
      s: 'v1.0',
      rs: 'a+b+c',
      rr: 'version/users',
      c: 'u1',
      j: '2',
    });
  });
  it('ago, between, datetime arithmetic, ingestion_time()', () => {
    const now = T0 + 2 * 3_600_000;
    expect(run(`${G} | where TimeGenerated > ago(1h) | project RequestId`, now)).toEqual([{ RequestId: 'r3' }]);
    expect(run(`${G} | where TimeGenerated between (datetime(2026-11-03 12:00) .. 2m) | count`, now)).toEqual([
      { Count: 3 },
    ]);
    expect(run(`${G} | where ingestion_time() - TimeGenerated == 10m | count`, now)).toEqual([{ Count: 4 }]);
    expect(
      run(
        `${G} | where RequestId == "r0" | project d = (ingestion_time() - TimeGenerated) / 1m, t = tostring(TimeGenerated + 1h)`,
        now,
      ),
    ).toEqual([{ d: 10, t: '2026-11-03T13:00:00.0000000Z' }]);
  });
  it('iff, isempty, round, set_intersect, array_length', () => {
    expect(
      run(
        `${G} | summarize paths = make_set(tostring(parse_url(RequestUri).Path)) by O = iff(isempty(UserId), ServicePrincipalId, UserId) | extend m = set_intersect(dynamic(["/v1.0/users", "/x"]), paths) | project O, k = array_length(m), score = round(1.0 * array_length(m) / 3, 1)`,
      ),
    ).toEqual([
      { O: 'u1', k: 1, score: 0.3 },
      { O: 'u2', k: 0, score: 0 },
      { O: 'sp1', k: 1, score: 0.3 },
    ]);
  });
});

describe('kql: bad input', () => {
  const err = (q: string) => {
    try {
      compileQuery({ text: q, file: 'rule.kql' });
    } catch (e) {
      return e as Error & { code: string; hint?: string };
    }
    throw new Error('expected an error');
  };
  it('a syntax error gives its position and a hint', () => {
    const e = err(`${G}\n| where UserId == `);
    expect(e.code).toBe('E_KQL_SYNTAX');
    expect(e.message).toMatch(/^rule\.kql:2:\d+: /);
    expect(e.hint).toMatch(/Microsoft's own KQL parser \(KS\d+\); docs\/kql\.md shows the supported subset/);
  });
  it('a query whose rows multiply without bound stops at the run limit, saying what to do', () => {
    const tables = new Map([[G, GRAPH]]);
    const limited = (q: string, maxRows: number) => () =>
      compileQuery({ text: q, file: 'rule.kql' }).run({ now: T0 + 3_600_000, tables, maxRows });
    // every row shares the key: the join yields rows² rows
    const join = `${G} | extend k = 1 | join kind=inner (${G} | extend k = 1) on k`;
    expect(limited(join, GRAPH.length ** 2)()).toHaveLength(GRAPH.length ** 2);
    expect(limited(join, GRAPH.length ** 2 - 1)).toThrow(
      new RegExp(`a join produced more than ${GRAPH.length ** 2 - 1} rows in one run: .*filter both sides first`),
    );
    const expand = `${G} | extend a = dynamic([1, 2, 3]) | mv-expand a`;
    expect(limited(expand, 3 * GRAPH.length)()).toHaveLength(3 * GRAPH.length);
    expect(limited(expand, 3 * GRAPH.length - 1)).toThrow(/mv-expand produced more than \d+ rows in one run: filter/);
  });
  it('an unknown column gets a did-you-mean over the real columns', () => {
    const e = err(`${G} | where RequestUir has "x"`);
    expect(e.code).toBe('E_KQL_NAME');
    expect(e.message).toContain('rule.kql:1:36');
    expect(e.message).toContain('did you mean RequestUri?');
  });
  it('an unknown table is named', () => {
    const e = err('MicrosoftGraphActivityLog | take 1');
    expect(e.message).toContain('did you mean MicrosoftGraphActivityLogs?');
  });
  it('constructs outside the subset are refused with their position', () => {
    const e = err(`${G} | evaluate bag_unpack(RequestUri)`);
    expect(e.code).toBe('E_KQL_UNSUPPORTED');
    expect(e.message).toMatch(/rule\.kql:1:3\d: the evaluate operator is outside the subset/);
    expect(err(`${G} | extend x = hash_sha256(RequestUri)`).message).toMatch(/hash_sha256\(\) is outside the subset/);
    expect(err(`${G} | summarize percentile(ResponseSizeBytes, 95)`).message).toMatch(
      /percentile\(\) is outside the subset/,
    );
    expect(err(`let f = (x:string) { x }; ${G} | take 1`).message).toMatch(/user-defined functions/);
  });
});
