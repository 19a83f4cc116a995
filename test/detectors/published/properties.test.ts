import { fc, it as fcit } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { AZUREHOUND_SUFFIXES } from '../../../detectors/published/cloudbrothers-azurehound.js';
import { GRAPHRUNNER_SUFFIXES } from '../../../detectors/published/cloudbrothers-graphrunner.js';
import { PURPLE_KNIGHT_SUFFIXES } from '../../../detectors/published/cloudbrothers-purpleknight.js';
import { DETECTORS } from '../../../detectors/registry.js';
import { HOUR, MINUTE, SECOND } from '../../../src/core/clock.js';
import type { DeliveredRecord } from '../../../src/core/detector.js';
import { aadGraph, drive, GRAPH, graph, guid, HOME_IP, signIn, T0, ualLogon } from './fixtures.js';

const PUBLISHED = DETECTORS.filter((d) => !d.info.id.startsWith('volume'));
const G1 = '0f1e2d3c-aaaa-4bbb-8ccc-111122223333';
const at = T0 + 5 * MINUTE;

/** One batch that makes every published rule fire at least once, plus noise. */
function kitchenSink(): DeliveredRecord[] {
  const out: DeliveredRecord[] = [];
  const g = (o: Parameters<typeof graph>[0]) => out.push({ source: 'graphActivity', record: graph(o) });
  // AzureHound: 14 paths, then a 1000-request listing over 4 resources (the volume rule)
  AZUREHOUND_SUFFIXES.forEach((s, i) => {
    g({ time: at + i * SECOND, uri: `${GRAPH}/v1.0${s.replaceAll('<UUID>', G1)}`, sessionId: 'sid-h' });
  });
  for (let i = 0; i < 1000; i++) {
    const res = ['users', 'groups', 'devices', 'applications'][i % 4];
    g({ time: at + i * 100, uri: `${GRAPH}/v1.0/${res}?$skiptoken=${i}`, bytes: 1500, sessionId: 'sid-h' });
  }
  // Purple Knight, app-only
  PURPLE_KNIGHT_SUFFIXES.forEach((s, i) => {
    const path = s.replaceAll('<UUID>', G1);
    g({ time: at + i * SECOND, uri: `${GRAPH}/beta${path}`, userId: null, servicePrincipalId: 'pk-sp', userAgent: '' });
  });
  // Splunk: 10 service principals
  for (let i = 0; i < 10; i++)
    g({ time: at + i, uri: `${GRAPH}/beta/servicePrincipals/${guid('5b')}/owners`, sessionId: 'sid-h' });
  // GraphRunner (Cloudbrothers + Chronicle)
  const gr = { userId: 'gr-user', userAgent: 'Mozilla/5.0', sessionId: 'sid-g', ip: '192.0.2.77' };
  GRAPHRUNNER_SUFFIXES.forEach((s, i) => {
    g({ time: at + i * SECOND, uri: `${GRAPH}/v1.0${s.replaceAll('<UUID>', G1)}`, ...gr });
  });
  g({ time: at + 20 * SECOND, uri: `${GRAPH}/v1.0/me`, ...gr });
  g({ time: at + 21 * SECOND, uri: `${GRAPH}/beta/policies/authorizationPolicy`, ...gr });
  g({ time: at + 22 * SECOND, method: 'POST', uri: `${GRAPH}/beta/roleManagement/directory/estimateAccess`, ...gr });
  g({ time: at + 23 * SECOND, uri: `${GRAPH}/v1.0/groups/${G1}/members`, ...gr });
  // Elastic multi-category burst
  const cats = [
    '/v1.0/roleManagement/directory/roleAssignments',
    '/v1.0/me/mailFolders',
    '/v1.0/me/contacts',
    '/v1.0/subscribedSkus',
  ];
  for (let i = 0; i < 20; i++)
    g({ time: at + i * SECOND, uri: `${GRAPH}${cats[i % 4]}`, userId: 'mc-user', sessionId: 'sid-m' });
  // Elastic session from two ASNs
  out.push({
    source: 'signIns',
    record: signIn({ time: at - 5 * MINUTE, ip: HOME_IP, asn: 64501, sessionId: 'sid-h' }),
  });
  // ROADrecon
  for (const p of ['/users', '/groups', '/servicePrincipals', '/applications', '/devices']) {
    out.push({ source: 'aadGraphActivity', record: aadGraph({ time: at + SECOND, path: p }) });
  }
  out.push({ source: 'ual', record: ualLogon({ time: at, userAgent: 'azurehound/v2.0.4' }) });
  // noise
  for (let i = 0; i < 30; i++)
    g({ time: at + i * SECOND, uri: `${GRAPH}/v1.0/users/${guid('00')}/photo/$value`, userId: `u${i}`, userAgent: '' });
  return out;
}

const RECORDS = kitchenSink();

async function alertsOf(id: string, records: readonly DeliveredRecord[]) {
  const mod = PUBLISHED.find((d) => d.info.id === id)!;
  const out = await drive(await mod.create({}), [{ at: at + 10 * MINUTE, records: [...records] }], {
    end: at + 4 * HOUR,
  });
  return out.map((e) => ({ ...e.alert, at: e.at }));
}

describe('every published rule fires on the kitchen-sink batch', () => {
  for (const d of PUBLISHED) {
    it(d.info.id, async () => {
      expect((await alertsOf(d.info.id, RECORDS)).length).toBeGreaterThan(0);
    });
  }
});

describe('properties', () => {
  const expected = new Map<string, unknown>();
  const baseline = async (id: string) => {
    if (!expected.has(id)) expected.set(id, await alertsOf(id, RECORDS));
    return expected.get(id);
  };

  fcit.prop(
    [fc.constantFrom(...PUBLISHED.map((d) => d.info.id)), fc.shuffledSubarray(RECORDS, { minLength: RECORDS.length })],
    {
      numRuns: 40,
    },
  )('record order within one ingestion batch does not change the alerts', async (id, shuffled) => {
    expect(await alertsOf(id, shuffled)).toEqual(await baseline(id));
  });

  fcit.prop(
    [
      fc.constantFrom(...PUBLISHED.map((d) => d.info.id)),
      fc.array(fc.nat(RECORDS.length - 1), { minLength: 1, maxLength: 50 }),
      fc.nat(),
    ],
    { numRuns: 40 },
  )('a record delivered twice (same id) changes nothing', async (id, picks, where) => {
    const dups = picks.map((i) => RECORDS[i]!);
    const cut = where % (RECORDS.length + 1);
    const withDups = [...RECORDS.slice(0, cut), ...dups, ...RECORDS.slice(cut)];
    expect(await alertsOf(id, withDups)).toEqual(await baseline(id));
  });

  it('a duplicate delivered in a later batch does not raise a distinct count either', async () => {
    const mod = PUBLISHED.find((d) => d.info.id === 'bertjanp-azurehound-volume')!;
    const listing = RECORDS.filter((r) => r.source === 'graphActivity').slice(14, 14 + 999);
    const out = await drive(
      await mod.create({}),
      [
        { at: at + 10 * MINUTE, records: listing },
        { at: at + 20 * MINUTE, records: listing.slice(0, 5) },
      ],
      { end: at + 4 * HOUR },
    );
    expect(out).toHaveLength(0);
  });
});
