/**
 * A small synthetic dataset built by hand (the generators land on another branch): Graph activity
 * records in the diagnostic-settings shape, a delivery schedule, labels and a truth. An AzureHound-
 * like burst from a compromised help-desk account, the owner's normal single lookups, a nightly
 * backup app that lists the directory (a false positive for a volume rule) and a sign-in.
 */

import type { ReplayItem } from '../../harness/run/in-process-lockstep.js';
import type { DeliveryEntry } from '../../src/core/dataset.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import type { RecordLabel, Truth } from '../../src/core/truth.js';

export const T0 = Date.parse('2026-11-02T00:00:00Z');
const MIN = 60_000;
export const OWNER_UPN = 'hd.alice@contoso.onmicrosoft.com';
export const OWNER_OID = '7f1d2c3b-0000-4000-8000-00000000a11c';
export const BACKUP_SP = '5e0c9a11-0000-4000-8000-0000000bac0b';
export const ATTACKER_IP = '203.0.113.7';

interface Row {
  id: string;
  source: 'graphActivity' | 'signIns';
  time: number;
  available: number;
  actor: string;
  campaign?: string;
  record: TelemetryRecord;
}

function graph(
  id: string,
  time: number,
  who: { userId?: string; servicePrincipalId?: string },
  uri: string,
  ip: string,
  session?: string,
): TelemetryRecord {
  return {
    time: new Date(time).toISOString(),
    resourceId: '/TENANTS/00000000-0000-0000-0000-000000000001/PROVIDERS/MICROSOFT.AADIAM',
    operationName: 'Microsoft Graph Activity',
    category: 'MicrosoftGraphActivityLogs',
    callerIpAddress: ip,
    correlationId: id,
    properties: {
      timeGenerated: new Date(time).toISOString(),
      requestId: id,
      requestMethod: 'GET',
      requestUri: uri,
      responseStatusCode: 200,
      ipAddress: ip,
      userId: who.userId ?? null,
      servicePrincipalId: who.servicePrincipalId ?? null,
      ...(session ? { c_Sid: session, signInActivityId: `uti-${session}` } : {}),
    },
  };
}

export interface SyntheticDataset {
  truth: Truth;
  labels: RecordLabel[];
  delivery: DeliveryEntry[];
  records: Map<string, TelemetryRecord>;
  items: ReplayItem[];
}

export function buildSynthetic(): SyntheticDataset {
  const rows: Row[] = [];
  // the owner signs in at 08:00 and looks up a few users through the day (benign)
  rows.push({
    id: 'si-owner',
    source: 'signIns',
    time: T0 + 8 * 60 * MIN,
    available: T0 + 8 * 60 * MIN + 5 * MIN,
    actor: 'helpdesk#0',
    record: {
      time: new Date(T0 + 8 * 60 * MIN).toISOString(),
      category: 'SignInLogs',
      properties: { id: 'si-owner', userId: OWNER_OID, userPrincipalName: OWNER_UPN, sessionId: 'sess-owner' },
    },
  });
  for (let i = 0; i < 30; i++) {
    const t = T0 + 9 * 60 * MIN + i * 17 * MIN;
    rows.push({
      id: `own-${i}`,
      source: 'graphActivity',
      time: t,
      available: t + 12 * MIN + (i % 5) * MIN,
      actor: 'helpdesk#0',
      record: graph(
        `own-${i}`,
        t,
        { userId: OWNER_OID },
        `https://graph.microsoft.com/v1.0/users/user${i}@contoso.onmicrosoft.com`,
        '192.0.2.10',
        'sess-owner',
      ),
    });
  }
  // the attacker: 360 requests in 9 minutes from 14:20, paging /users then fanning out over groups
  for (let i = 0; i < 360; i++) {
    const t = T0 + (14 * 60 + 20) * MIN + i * 1500;
    const uri =
      i < 60
        ? `https://graph.microsoft.com/v1.0/users?$top=999&$skiptoken=page${i}`
        : `https://graph.microsoft.com/v1.0/groups/g-${i}/members?$top=999`;
    rows.push({
      id: `atk-${i}`,
      source: 'graphActivity',
      time: t,
      available: t + 25 * MIN + (i % 7) * MIN,
      actor: 'attack:hound',
      campaign: 'hound',
      record: graph(`atk-${i}`, t, { userId: OWNER_OID }, uri, ATTACKER_IP, 'sess-hound'),
    });
  }
  // the nightly backup app lists the directory at 01:00 on day 2 (app-only, benign)
  for (let i = 0; i < 320; i++) {
    const t = T0 + (24 * 60 + 60) * MIN + i * 1000;
    rows.push({
      id: `bak-${i}`,
      source: 'graphActivity',
      time: t,
      available: t + 20 * MIN + (i % 3) * MIN,
      actor: 'backup-app',
      record: graph(
        `bak-${i}`,
        t,
        { servicePrincipalId: BACKUP_SP },
        `https://graph.microsoft.com/v1.0/users?$top=999&$skiptoken=b${i}`,
        '20.50.1.2',
      ),
    });
  }
  const attack = rows.filter((r) => r.campaign === 'hound');
  const truth: Truth = {
    formatVersion: 2,
    scenario: { name: 'synthetic', hash: 'sha256:synthetic' },
    seed: 42,
    window: { start: T0, end: T0 + 2 * 24 * 60 * MIN, historyStart: T0 },
    sources: ['ual', 'signIns', 'graphActivity', 'aadGraphActivity'],
    hypotheses: [],
    campaigns: [
      {
        id: 'hound',
        technique: 'azurehound',
        attack: ['T1087.004', 'T1069.003'],
        principals: [OWNER_UPN, OWNER_OID],
        sessions: ['sess-hound'],
        tokens: ['uti-sess-hound'],
        ips: [ATTACKER_IP],
        appIds: ['1950a258-227b-4e31-a9cf-717495945fc2'],
        start: attack[0]?.time ?? 0,
        end: attack[attack.length - 1]?.time ?? 0,
        recordsBySource: { graphActivity: attack.length },
        firstAvailable: Math.min(...attack.map((r) => r.available)),
        lastAvailable: Math.max(...attack.map((r) => r.available)),
        context: { recordsBySource: {}, firstAvailable: null, lastAvailable: null },
        options: { streams: 1 },
      },
    ],
    benign: [
      { actor: 'helpdesk#0', profile: 'helpdesk', principals: [OWNER_UPN, OWNER_OID] },
      { actor: 'backup-app', profile: 'backup-app', principals: [BACKUP_SP] },
    ],
  };
  const labels: RecordLabel[] = rows.map((r) => ({
    id: r.id,
    source: r.source,
    time: r.time,
    actor: r.actor,
    ...(r.campaign
      ? { class: 'evidence' as const, campaign: r.campaign }
      : { class: 'benign' as const, profile: r.actor.replace(/#\d+$/, '') }),
  }));
  const delivery: DeliveryEntry[] = rows
    .map((r) => ({
      id: r.id,
      source: r.source,
      at: r.available,
      blob: `${r.source}/${Math.floor(r.available / 3_600_000)}`,
    }))
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  const records = new Map(rows.map((r) => [r.id, r.record]));
  const items = delivery.map((entry) => ({ entry, record: records.get(entry.id) as TelemetryRecord }));
  return { truth, labels, delivery, records, items };
}
