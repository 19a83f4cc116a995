/**
 * Sigma correlation rules (event_count, value_count, temporal, temporal_ordered) over hand-built
 * Graph activity records: group-by, timespan windows of event time whatever the delivery order,
 * one alert per window, `generate`, `aliases`.
 */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock.js';
import { GRAPH, graph, signIn, T0 } from '../detectors/published/fixtures.js';
import { rules, run } from './helpers.js';

const BASE = `title: Graph user listing
name: users_list
logsource: {product: azure, service: graphactivitylogs}
detection:
  selection:
    RequestUri|contains: '/users'
    RequestMethod: GET
  condition: selection
`;

const list = (minute: number, user = 'u1', uri = `${GRAPH}/v1.0/users`) =>
  graph({ time: T0 + minute * MINUTE, uri, userId: user, requestId: `r-${user}-${minute}-${uri.length}` });

describe('event_count', () => {
  const rule = `${BASE}---
title: Many user listings
correlation:
  type: event_count
  rules: [users_list]
  group-by: [UserId]
  timespan: 10m
  condition: {gte: 3}
`;

  it('alerts once when a group reaches the count inside the timespan, citing the window', async () => {
    const alerts = await run(rules(rule), [
      { source: 'graphActivity', records: [list(0), list(4), list(9), list(9.5)] },
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.alert).toMatchObject({ rule: 'Many user listings', principal: 'u1' });
    expect(alerts[0]?.alert.evidence).toHaveLength(3);
    expect(alerts[0]?.alert.details).toMatchObject({ correlation: 'event_count', matches: 3 });
  });

  it('counts per group and only inside the timespan', async () => {
    const spread = await run(rules(rule), [{ source: 'graphActivity', records: [list(0), list(11), list(22)] }]);
    expect(spread).toHaveLength(0);
    const split = await run(rules(rule), [
      { source: 'graphActivity', records: [list(0, 'u1'), list(1, 'u2'), list(2, 'u1')] },
    ]);
    expect(split).toHaveLength(0);
  });

  it('windows are in event time: late and out-of-order records still count', async () => {
    const alerts = await run(rules(rule), [
      { source: 'graphActivity', records: [list(9)] },
      { source: 'graphActivity', records: [list(0)] },
      { source: 'graphActivity', records: [list(5)], at: T0 + 90 * MINUTE },
    ]);
    expect(alerts).toHaveLength(1);
  });

  it('base rules do not alert on their own unless generate: true', async () => {
    expect(await run(rules(rule), [{ source: 'graphActivity', records: [list(0)] }])).toHaveLength(0);
    const gen = rule.replace('  condition: {gte: 3}\n', '  condition: {gte: 3}\n  generate: true\n');
    expect(await run(rules(gen), [{ source: 'graphActivity', records: [list(0)] }])).toHaveLength(1);
  });

  it('gt is strict', async () => {
    const gt = rule.replace('{gte: 3}', '{gt: 3}');
    expect(await run(rules(gt), [{ source: 'graphActivity', records: [list(0), list(1), list(2)] }])).toHaveLength(0);
    expect(
      await run(rules(gt), [{ source: 'graphActivity', records: [list(0), list(1), list(2), list(3)] }]),
    ).toHaveLength(1);
  });
});

describe('value_count', () => {
  const rule = `${BASE}---
title: Many distinct listings
correlation:
  type: value_count
  rules: [users_list]
  group-by: [UserId]
  timespan: 1h
  condition: {field: RequestUri, gte: 3}
`;
  it('counts distinct values of the field', async () => {
    const same = await run(rules(rule), [{ source: 'graphActivity', records: [list(0), list(1), list(2), list(3)] }]);
    expect(same).toHaveLength(0);
    const distinct = await run(rules(rule), [
      {
        source: 'graphActivity',
        records: [list(0), list(1, 'u1', `${GRAPH}/v1.0/users?$top=999`), list(2, 'u1', `${GRAPH}/beta/users`)],
      },
    ]);
    expect(distinct).toHaveLength(1);
  });
});

describe('temporal', () => {
  const rule = `title: AzureHound sign-in
name: hound_signin
logsource: {product: azure, service: signinlogs}
detection:
  selection: {userAgent|contains: azurehound}
  condition: selection
---
${BASE}---
title: Sign-in then listing
correlation:
  type: temporal
  rules: [hound_signin, users_list]
  group-by: [user]
  aliases:
    user:
      hound_signin: UserId
      users_list: UserId
  timespan: 30m
`;
  const si = (minute: number) => signIn({ time: T0 + minute * MINUTE, id: `s-${minute}`, userId: 'u1' });

  it('alerts when every rule matched in the timespan, in any order', async () => {
    const both = await run(rules(rule), [
      { source: 'graphActivity', records: [list(0)] },
      { source: 'signIns', records: [si(5)] },
    ]);
    expect(both).toHaveLength(1);
    expect(both[0]?.alert.evidence?.sort()).toEqual(['r-u1-0-38', 's-5'].sort());
    const far = await run(rules(rule), [
      { source: 'graphActivity', records: [list(0)] },
      { source: 'signIns', records: [si(45)] },
    ]);
    expect(far).toHaveLength(0);
  });

  it('temporal_ordered needs the rules in their order', async () => {
    const ordered = rule.replace('type: temporal', 'type: temporal_ordered');
    const wrong = await run(rules(ordered), [
      { source: 'graphActivity', records: [list(0)] },
      { source: 'signIns', records: [si(5)] },
    ]);
    expect(wrong).toHaveLength(0);
    const right = await run(rules(ordered), [
      { source: 'signIns', records: [si(0)] },
      { source: 'graphActivity', records: [list(5)] },
    ]);
    expect(right).toHaveLength(1);
  });
});
