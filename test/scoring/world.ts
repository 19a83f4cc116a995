/**
 * A small hand-built world for scoring tests: two campaigns, three benign actors, labels and a
 * delivery schedule. Times are in minutes from T0 (2026-11-02T00:00:00Z).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Alert, ReceivedAlert } from '../../src/core/alerts.js';
import type { DeliveryEntry } from '../../src/core/dataset.js';
import type { RecordLabel, Truth } from '../../src/core/truth.js';

export const T0 = Date.parse('2026-11-02T00:00:00Z');
export const MIN = 60_000;
export const at = (minutes: number) => T0 + minutes * MIN;

export const HELPDESK = 'hd.alice@contoso.onmicrosoft.com';
export const SYNC = 'sync_srv01_1a2b@contoso.onmicrosoft.com';
export const VICTIM = 'bob@contoso.onmicrosoft.com';
export const ATTACKER_IP = '203.0.113.7';

export function makeTruth(): Truth {
  return {
    formatVersion: 2,
    scenario: { name: 'unit', hash: 'sha256:unit' },
    seed: 1089,
    window: { start: T0, end: T0 + 2 * 24 * 60 * MIN, historyStart: T0 - 24 * 60 * MIN },
    sources: ['ual', 'signIns', 'graphActivity', 'aadGraphActivity'],
    hypotheses: [],
    campaigns: [
      {
        id: 'hound',
        technique: 'azurehound',
        attack: ['T1087.004'],
        principals: [HELPDESK, 'oid-helpdesk'],
        sessions: ['sess-hound'],
        tokens: ['uti-hound'],
        ips: [ATTACKER_IP],
        appIds: ['1950a258-227b-4e31-a9cf-717495945fc2'],
        start: at(600),
        end: at(660),
        recordsBySource: { graphActivity: 4 },
        firstAvailable: at(630),
        lastAvailable: at(700),
        context: { recordsBySource: { signIns: 1 }, firstAvailable: at(631), lastAvailable: at(631) },
        options: {},
      },
      {
        id: 'road',
        technique: 'roadrecon',
        attack: ['T1087.004'],
        principals: [VICTIM],
        sessions: ['sess-road'],
        tokens: [],
        ips: ['198.51.100.9'],
        appIds: ['rogue-app-id'],
        start: at(1500),
        end: at(1530),
        recordsBySource: { aadGraphActivity: 2 },
        firstAvailable: at(1540),
        lastAvailable: at(1560),
        context: { recordsBySource: {}, firstAvailable: null, lastAvailable: null },
        options: {},
      },
    ],
    benign: [
      { actor: 'helpdesk#0', profile: 'helpdesk', principals: [HELPDESK, 'oid-helpdesk'] },
      { actor: 'directory-sync', profile: 'directory-sync', principals: [SYNC] },
      { actor: 'workforce', profile: 'workforce', principals: [VICTIM] },
    ],
  };
}

/** record id, source, actor, campaign, availability (minutes); `hs` is the attacker's sign-in: context */
const RECORDS: [string, RecordLabel['source'], string, string | undefined, number][] = [
  ['h1', 'graphActivity', 'attack:hound', 'hound', 630],
  ['h2', 'graphActivity', 'attack:hound', 'hound', 640],
  ['h3', 'graphActivity', 'attack:hound', 'hound', 650],
  ['h4', 'graphActivity', 'attack:hound', 'hound', 700],
  ['hs', 'signIns', 'attack:hound', 'hound', 631],
  ['r1', 'aadGraphActivity', 'attack:road', 'road', 1540],
  ['r2', 'aadGraphActivity', 'attack:road', 'road', 1560],
  ['b1', 'graphActivity', 'helpdesk#0', undefined, 620],
  ['b2', 'graphActivity', 'helpdesk#0', undefined, 660],
  ['b3', 'graphActivity', 'helpdesk#0', undefined, 665],
  ['s1', 'graphActivity', 'directory-sync', undefined, 30],
  ['s2', 'graphActivity', 'directory-sync', undefined, 60],
  ['s3', 'graphActivity', 'directory-sync', undefined, 90],
  ['w1', 'graphActivity', 'workforce', undefined, 100],
];

const PROFILES: Record<string, string> = {
  'helpdesk#0': 'helpdesk',
  'directory-sync': 'directory-sync',
  workforce: 'workforce',
};

export function makeLabels(): RecordLabel[] {
  return RECORDS.map(([id, source, actor, campaign, minutes]) => ({
    id,
    source,
    time: at(minutes - 5),
    actor,
    ...(campaign
      ? { class: id === 'hs' ? ('context' as const) : ('evidence' as const), campaign }
      : { class: 'benign' as const, profile: PROFILES[actor] as string }),
  }));
}

export function makeDelivery(): DeliveryEntry[] {
  return RECORDS.map(([id, source, , , avail]) => ({ id, source, at: at(avail), blob: `blob-${avail}` }));
}

/** evidence of a campaign's technique (the attacker's sign-in `hs` is context, not here) */
export const MALICIOUS_IDS = RECORDS.filter((r) => r[3] && r[0] !== 'hs').map((r) => r[0]);
export const CONTEXT_IDS = ['hs'];
export const BENIGN_IDS = RECORDS.filter((r) => !r[3]).map((r) => r[0]);

let seq = 0;
export function received(alert: Alert, minutes: number): ReceivedAlert {
  return { alert, arrivedAt: at(minutes), seq: seq++ };
}

/** Write the world as a dataset directory holds it: truth.json, labels.jsonl, delivery.jsonl. */
export function writeWorld(dir: string, truth: Truth = makeTruth()): void {
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth));
  writeFileSync(
    join(dir, 'labels.jsonl'),
    makeLabels()
      .map((l) => JSON.stringify(l))
      .join('\n'),
  );
  writeFileSync(
    join(dir, 'delivery.jsonl'),
    makeDelivery()
      .map((d) => JSON.stringify(d))
      .join('\n'),
  );
}
