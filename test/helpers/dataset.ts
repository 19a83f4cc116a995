/**
 * Hand-built publications and dataset directories in the layout of CONTRACTS.md §3, standing in
 * for the generators (branch gen) in replay and mock tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryPublication, type Publication, recordKey } from '../../harness/replay/publication.js';
import { MINUTE } from '../../src/core/clock.js';
import { DATASET_FORMAT_VERSION, type DatasetManifest, type DeliveryEntry } from '../../src/core/dataset.js';
import { rngStream } from '../../src/core/rng.js';

export const TENANT = '41463f53-8812-40f4-890f-865bf6e35190';

export interface FixtureOptions {
  seed: number;
  ual: number;
  signIns?: number;
  graph?: number;
  /** simulated start (ms) */
  start?: number;
  /** event spacing (ms) */
  spacingMs?: number;
  /** availability delay range (ms) */
  delayMs?: [number, number];
  duplicateRate?: number;
  /** records per named blob (0: let the replay cut) */
  blobSize?: number;
  /** add about this many bytes of ExtendedProperties to each UAL record (realistic sizes) */
  padBytes?: number;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

export interface Fixture {
  publication: Publication;
  records: Map<string, string>;
  deliveries: DeliveryEntry[];
  /** ids of every record, by source */
  ids: { ual: string[]; signIns: string[]; graphActivity: string[] };
}

export function buildFixture(o: FixtureOptions): Fixture {
  const r = rngStream(o.seed, 'fixture');
  const start = o.start ?? Date.UTC(2026, 10, 2, 0, 0, 0);
  const spacing = o.spacingMs ?? 1000;
  const [dMin, dMax] = o.delayMs ?? [60 * MINUTE, 90 * MINUTE];
  const records = new Map<string, string>();
  const deliveries: DeliveryEntry[] = [];
  const ids = { ual: [] as string[], signIns: [] as string[], graphActivity: [] as string[] };
  const types = [15, 8, 1, 25];
  let blobN = 0;
  let inBlob = 0;
  for (let i = 0; i < o.ual; i++) {
    const t = start + i * spacing;
    const id = r.uuid();
    const rt = types[i % types.length] as number;
    const rec = {
      CreationTime: iso(t).slice(0, 19),
      Id: id,
      Operation: rt === 15 ? 'UserLoggedIn' : rt === 8 ? 'Update user.' : rt === 1 ? 'Set-Mailbox' : 'MemberAdded',
      OrganizationId: TENANT,
      RecordType: rt,
      ResultStatus: 'Succeeded',
      UserKey: `1003200${r.hex(9).toUpperCase()}`,
      UserType: 0,
      Version: 1,
      Workload: rt === 1 ? 'Exchange' : rt === 25 ? 'MicrosoftTeams' : 'AzureActiveDirectory',
      ClientIP: `203.0.113.${r.int(1, 254)}`,
      ObjectId: `user${i}@contoso.onmicrosoft.com`,
      UserId: `user${i}@contoso.onmicrosoft.com`,
      ...(o.padBytes
        ? {
            ExtendedProperties: [
              { Name: 'UserAgent', Value: `Mozilla/5.0 ${'x'.repeat(Math.max(0, o.padBytes - 60))}` },
            ],
          }
        : {}),
    };
    records.set(recordKey('ual', id), JSON.stringify(rec));
    ids.ual.push(id);
    const at = t + r.int(dMin, dMax);
    let blob = '';
    if (o.blobSize) {
      if (inBlob >= o.blobSize) {
        blobN++;
        inBlob = 0;
      }
      inBlob++;
      blob = `b${blobN}`;
    }
    deliveries.push({ id, source: 'ual', at, blob });
    if (o.duplicateRate && r.bool(o.duplicateRate)) {
      deliveries.push({
        id,
        source: 'ual',
        at: at + r.int(1, 10) * MINUTE,
        blob: o.blobSize ? `dup${i}` : '',
        duplicate: true,
      });
    }
  }
  for (let i = 0; i < (o.signIns ?? 0); i++) {
    const t = start + i * spacing * 3;
    const id = r.uuid();
    const rec = {
      time: iso(t).replace('Z', '0000Z'),
      resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
      operationName: 'Sign-in activity',
      operationVersion: '1.0',
      category: i % 2 ? 'NonInteractiveUserSignInLogs' : 'SignInLogs',
      tenantId: TENANT,
      resultType: '0',
      properties: {
        id,
        createdDateTime: iso(t).replace('Z', '0000+00:00'),
        userPrincipalName: `user${i}@contoso.onmicrosoft.com`,
      },
    };
    records.set(recordKey('signIns', id), JSON.stringify(rec));
    ids.signIns.push(id);
    const at = t + r.int(5 * MINUTE, 20 * MINUTE);
    deliveries.push({ id, source: 'signIns', at, blob: '' });
    if (o.duplicateRate && r.bool(o.duplicateRate))
      deliveries.push({ id, source: 'signIns', at: at + MINUTE, blob: '', duplicate: true });
  }
  for (let i = 0; i < (o.graph ?? 0); i++) {
    const t = start + i * spacing * 2;
    const id = r.uuid();
    const rec = {
      time: iso(t),
      resourceId: `/TENANTS/${TENANT.toUpperCase()}/PROVIDERS/MICROSOFT.AADIAM`,
      operationName: 'Microsoft Graph Activity',
      operationVersion: 'v1.0',
      category: 'MicrosoftGraphActivityLogs',
      tenantId: TENANT,
      resultSignature: '200',
      properties: {
        timeGenerated: iso(t),
        requestId: id,
        requestMethod: 'GET',
        requestUri: 'https://graph.microsoft.com/v1.0/users?$top=999',
      },
    };
    records.set(recordKey('graphActivity', id), JSON.stringify(rec));
    ids.graphActivity.push(id);
    deliveries.push({ id, source: 'graphActivity', at: t + r.int(10 * MINUTE, 30 * MINUTE), blob: '' });
  }
  return {
    publication: memoryPublication({ tenantId: TENANT, seed: o.seed, deliveries, records }),
    records,
    deliveries,
    ids,
  };
}

/** Write a fixture as a dataset directory (manifest, sources, delivery; plus a truth file the mock must not read). */
export function writeDataset(dir: string, f: Fixture, seed: number): void {
  mkdirSync(dir, { recursive: true });
  const bySource: Record<string, string[]> = { ual: [], signIns: [], graphActivity: [] };
  for (const [k, v] of f.records) {
    const source = k.split('\u0000')[0] as string;
    bySource[source]?.push(v);
  }
  writeFileSync(join(dir, 'ual.jsonl'), bySource.ual?.map((l) => `${l}\n`).join('') ?? '');
  writeFileSync(join(dir, 'signins.jsonl'), bySource.signIns?.map((l) => `${l}\n`).join('') ?? '');
  writeFileSync(join(dir, 'graph-activity.jsonl'), bySource.graphActivity?.map((l) => `${l}\n`).join('') ?? '');
  writeFileSync(join(dir, 'delivery.jsonl'), f.deliveries.map((d) => `${JSON.stringify(d)}\n`).join(''));
  // the answer key beside the dataset (DIR.truth/), as generate writes it: deliberately broken JSON
  mkdirSync(`${dir}.truth`, { recursive: true });
  writeFileSync(join(`${dir}.truth`, 'truth.json'), '{"campaigns": "THE MOCK MUST NEVER READ THIS"');
  const manifest: DatasetManifest = {
    formatVersion: DATASET_FORMAT_VERSION,
    tool: { name: 'enumbench', version: '0.1.0' },
    scenario: { name: 'fixture', hash: 'x' },
    seed,
    window: { start: '2026-11-02T00:00:00Z', end: '2026-11-03T00:00:00Z', historyStart: '2026-11-02T00:00:00Z' },
    collection: { preset: null, sources: ['ual', 'signIns', 'graphActivity'] },
    hypotheses: [],
    counts: { ual: f.ids.ual.length, signIns: f.ids.signIns.length, graphActivity: f.ids.graphActivity.length },
    files: {},
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}
