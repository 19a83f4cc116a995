// @module-tag slow
/**
 * `run` and `score` stream the dataset (DESIGN.md "Scale"): labels.jsonl and delivery.jsonl pass
 * line by line into a ScoringSubset, and the replay reads delivery.jsonl in availability order and
 * each record by offset. Checked here against the whole-dataset pipeline they replaced (kept below
 * as the reference), on generated datasets over seeds, detectors and random alert sets, and for
 * the errors a bad line gives: its file:line, never a stack trace.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../harness/catalog.js';
import { generateDataset } from '../../harness/dataset/generate.js';
import {
  availabilityOrder,
  feedScoringSubset,
  joinDelivery,
  resolveDetector,
  runLockstep,
  runOnDataset,
} from '../../harness/run/index.js';
import type { Alert, ReceivedAlert } from '../../src/core/alerts.js';
import type { Detector } from '../../src/core/detector.js';
import { EnumbenchError } from '../../src/core/errors.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import { recordIdOf, SOURCES, type SourceId } from '../../src/core/sources.js';
import { loadScenario } from '../../src/scenario/index.js';
import {
  formatAlertsJsonl,
  parseDeliveryText,
  parseLabelsText,
  parseTruthText,
  ScoringSubset,
  scoreRun,
  scoreWithLookups,
} from '../../src/scoring/index.js';
import { runBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Small, but with every source (endpoint events too), history before the window and an unobservable campaign. */
const scenarioText = (seed: number) => `
name: streaming
seed: ${seed}
tenant: {users: 60, countries: [US], roles: {Exchange Administrator: 2, Helpdesk Administrator: 2}}
time: {start: 2026-11-03T12:00:00Z, duration: 4h, history: 1h}
telemetry: {collection: e5-endpoint}
activity: [{profile: workforce}]
attacks:
  - id: listing
    technique: graph-user-listing
    actor: {account: random-user}
    session: {network: vps, country: NL, signIn: password}
    at: "+1h"
    options: {pageSize: 10}
  - id: replay
    technique: token-replay
    actor: {account: random-user}
    session: {network: vps, country: DE}
    at: "+2h"
  - id: exo
    technique: exo-powershell-recon
    actor: {account: "role:Exchange Administrator"}
    session: {network: corporate}
    at: "+3h"
  - id: gal
    technique: gal-dump
    at: "+2h30m"
`;

const SEEDS = [11, 12, 13];
const datasets = new Map<number, string>();

beforeAll(() => {
  const catalog = buildCatalog();
  for (const seed of SEEDS) {
    const r = loadScenario(scenarioText(seed), 'streaming.yaml', catalog);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const dir = tempDir('enumbench-streaming-');
    generateDataset(r.scenario, { out: dir, scenarioHash: r.hash, toolVersion: 'test' });
    datasets.set(seed, dir);
  }
});

const dirOf = (seed: number) => datasets.get(seed) as string;

/** The whole-dataset pipeline `run DIR` used before it streamed: every file read and parsed whole. */
async function runWhole(dir: string, detector: Detector) {
  const truth = parseTruthText(readFileSync(join(`${dir}.truth`, 'truth.json'), 'utf8'));
  const labels = parseLabelsText(readFileSync(join(`${dir}.truth`, 'labels.jsonl'), 'utf8')).items;
  const delivery = parseDeliveryText(readFileSync(join(dir, 'delivery.jsonl'), 'utf8')).items;
  const records = new Map<string, TelemetryRecord>();
  for (const source of truth.sources as SourceId[]) {
    for (const line of readFileSync(join(dir, SOURCES[source].file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const rec = JSON.parse(line) as TelemetryRecord;
      records.set(`${source}\u0000${recordIdOf(source, rec)}`, rec);
    }
  }
  const entries = availabilityOrder(delivery);
  const lockstep = await runLockstep({
    detector,
    items: joinDelivery(entries, (id, source) => records.get(`${source}\u0000${id}`)),
    sources: truth.sources,
    start: Math.min(truth.window.historyStart, entries[0]?.at ?? truth.window.historyStart),
    end: truth.window.end + 6 * 60 * 60_000,
  });
  const card = scoreRun({
    truth,
    alerts: lockstep.alerts,
    labels,
    delivery,
    collected: new Set(delivery.map((d) => d.id)),
    malformed: lockstep.malformed.length,
  });
  const stamp = { scenario: truth.scenario.name, hash: truth.scenario.hash, seed: truth.seed };
  return { lockstep, card, alertsJsonl: formatAlertsJsonl(lockstep.alerts, stamp) };
}

/**
 * A detector that sees everything and says so: every `every`-th record it is handed becomes an
 * alert citing it and the records of the same batch (endpoint events included), so alerts cite
 * every source, malicious and benign records, and whole batches delivered at one instant.
 */
function echoDetector(every: number): Detector {
  let n = 0;
  return {
    name: 'echo',
    start() {},
    ingest(batch, ctx) {
      for (const d of batch) {
        if (n++ % every !== 0) continue;
        const evidence = batch.map((b) => recordIdOf(b.source, b.record) ?? '?').slice(0, 7);
        const alert: Alert = { rule: `echo-${d.source}`, evidence };
        const upn = (d.record as { properties?: { userPrincipalName?: unknown } }).properties?.userPrincipalName;
        if (typeof upn === 'string') alert.principal = upn;
        ctx.emit(alert);
      }
    },
    stop() {},
  };
}

describe('run DIR streams the dataset and scores exactly as the whole-dataset pipeline did', () => {
  it('the same deliveries, batches, alerts file and scorecard, over seeds and detectors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEEDS),
        fc.oneof(
          fc.record({ kind: fc.constant('echo' as const), every: fc.integer({ min: 1, max: 400 }) }),
          fc.record({ kind: fc.constant('volume' as const), minRequests: fc.integer({ min: 3, max: 60 }) }),
        ),
        async (seed, spec) => {
          const make = async () =>
            spec.kind === 'echo'
              ? echoDetector(spec.every)
              : await resolveDetector('builtin:volume', { minRequests: spec.minRequests, minObjects: 100_000 });
          const dir = dirOf(seed);
          const whole = await runWhole(dir, await make());
          const streamed = await runOnDataset({ dir, detector: await make() });
          expect(streamed.lockstep.failure).toBeNull();
          expect({ ...streamed.lockstep }).toEqual({ ...whole.lockstep });
          expect(streamed.alertsJsonl).toBe(whole.alertsJsonl);
          expect(JSON.stringify(streamed.card)).toBe(JSON.stringify(whole.card));
        },
      ),
      { numRuns: 8, seed: 1089 },
    );
  });

  it('the generated datasets exercise what the streaming must keep: endpoint events, history, campaigns cited', async () => {
    const dir = dirOf(SEEDS[0] as number);
    const delivery = parseDeliveryText(readFileSync(join(dir, 'delivery.jsonl'), 'utf8')).items;
    const truth = parseTruthText(readFileSync(join(`${dir}.truth`, 'truth.json'), 'utf8'));
    expect(delivery.some((d) => d.source === 'endpointPowerShell')).toBe(true);
    expect(delivery.some((d) => d.duplicate === true)).toBe(true);
    expect(delivery.some((d) => d.at < truth.window.start)).toBe(true);
    const run = await runOnDataset({ dir, detector: echoDetector(1) });
    expect(run.card.alerts.some((a) => a.verdict === 'tp')).toBe(true);
    expect(run.card.alerts.some((a) => a.verdict === 'fp')).toBe(true);
    expect(run.card.campaigns.some((c) => c.miss === 'unobservable')).toBe(true);
  });
});

describe('the streaming scorer equals the in-memory one', () => {
  /** alerts over a generated dataset: cited ids from its files (case and blanks varied), unknown ids, entities */
  function alertsArb(dir: string): fc.Arbitrary<ReceivedAlert[]> {
    const truth = parseTruthText(readFileSync(join(`${dir}.truth`, 'truth.json'), 'utf8'));
    const labels = parseLabelsText(readFileSync(join(`${dir}.truth`, 'labels.jsonl'), 'utf8')).items;
    const malicious = labels.filter((l) => l.campaign !== undefined).map((l) => l.id);
    const benign = labels.filter((_, i) => i % 97 === 0 && labels[i]?.campaign === undefined).map((l) => l.id);
    const id = fc.oneof(
      fc.constantFrom(...malicious),
      fc.constantFrom(...benign),
      fc.constantFrom(...malicious, ...benign).map((s) => ` ${s.toUpperCase()} `),
      fc.constantFrom('no-such-record', ''),
    );
    const principals = [
      ...truth.campaigns.flatMap((c) => c.principals),
      ...truth.benign.slice(0, 20).flatMap((b) => b.principals),
    ];
    const sessions = truth.campaigns.flatMap((c) => [...c.sessions, ...c.tokens]);
    const alert: fc.Arbitrary<Alert> = fc
      .record(
        {
          rule: fc.constantFrom('a', 'b'),
          principal: fc.constantFrom(...principals),
          sessionId: sessions.length ? fc.constantFrom(...sessions) : fc.constant('none'),
          ip: fc.constantFrom(...truth.campaigns.flatMap((c) => c.ips), '192.0.2.1'),
          evidence: fc.array(id, { minLength: 1, maxLength: 8 }),
        },
        { requiredKeys: ['rule'] },
      )
      .filter((a) => a.principal !== undefined || a.sessionId !== undefined || a.evidence !== undefined);
    const lo = truth.window.historyStart - 60 * 60_000;
    const hi = truth.window.end + 8 * 60 * 60_000;
    return fc
      .array(fc.tuple(alert, fc.integer({ min: lo, max: hi })), { maxLength: 25 })
      .map((list) => list.map(([a, arrivedAt], seq) => ({ alert: a, arrivedAt, seq, stamp: 'bench' as const })));
  }

  it('from the files, with and without labels, schedule and ledger, over random alert sets', () => {
    for (const seed of SEEDS.slice(0, 2)) {
      const dir = dirOf(seed);
      const truth = parseTruthText(readFileSync(join(`${dir}.truth`, 'truth.json'), 'utf8'));
      const labels = parseLabelsText(readFileSync(join(`${dir}.truth`, 'labels.jsonl'), 'utf8')).items;
      const delivery = parseDeliveryText(readFileSync(join(dir, 'delivery.jsonl'), 'utf8')).items;
      fc.assert(
        fc.property(
          alertsArb(dir),
          fc.record({ labels: fc.boolean(), delivery: fc.boolean(), scheduleIsLedger: fc.boolean() }),
          (alerts, given) => {
            const whole = scoreRun({
              truth,
              alerts,
              labels: given.labels ? labels : null,
              delivery: given.delivery ? delivery : null,
              collected: given.scheduleIsLedger ? new Set(given.delivery ? delivery.map((d) => d.id) : []) : null,
            });
            const subset = new ScoringSubset(alerts, given);
            feedScoringSubset(subset, {
              labels: given.labels ? join(`${dir}.truth`, 'labels.jsonl') : null,
              delivery: given.delivery ? join(dir, 'delivery.jsonl') : null,
              onProblem: (d) => {
                throw new Error(d.message);
              },
              readError: (e) => e,
            });
            expect(scoreWithLookups({ truth, alerts }, subset.lookups())).toEqual(whole);
          },
        ),
        { numRuns: 25, seed },
      );
    }
  });
});

describe('a bad line still stops run and score with its file:line', () => {
  /** a copy of a generated dataset with one line of one file replaced */
  function broken(file: string, lineNo: number, text: string): string {
    const src = dirOf(SEEDS[0] as number);
    const dir = tempDir('enumbench-broken-');
    for (const f of [
      'truth.json',
      'labels.jsonl',
      'delivery.jsonl',
      'manifest.json',
      ...Object.values(SOURCES).map((s) => s.file),
    ]) {
      // the answer key beside the dataset, as generate writes it
      const key = f === 'truth.json' || f === 'labels.jsonl';
      let body: string;
      try {
        body = readFileSync(join(key ? `${src}.truth` : src, f), 'utf8');
      } catch {
        continue;
      }
      if (f === file) {
        const lines = body.split('\n');
        lines[lineNo - 1] = text;
        body = lines.join('\n');
      }
      if (key) mkdirSync(`${dir}.truth`, { recursive: true });
      writeFileSync(join(key ? `${dir}.truth` : dir, f), body);
    }
    return dir;
  }

  const volume = () => resolveDetector('builtin:volume');

  it('labels.jsonl and delivery.jsonl: checked before the replay starts', async () => {
    await expect(runOnDataset({ dir: broken('labels.jsonl', 3, '{"id": '), detector: await volume() })).rejects.toThrow(
      /labels\.jsonl:3: not valid JSON/,
    );
    await expect(
      runOnDataset({ dir: broken('labels.jsonl', 5, '{"id":"x","source":"ual","time":1}'), detector: await volume() }),
    ).rejects.toThrow(/labels\.jsonl:5: actor: /);
    await expect(
      runOnDataset({
        dir: broken('delivery.jsonl', 7, '{"id":"x","source":"nope","at":1,"blob":""}'),
        detector: await volume(),
      }),
    ).rejects.toThrow(/delivery\.jsonl:7: source: /);
    let ingested = 0;
    const counting: Detector = {
      name: 'counting',
      start() {},
      ingest(b) {
        ingested += b.length;
      },
      stop() {},
    };
    await expect(runOnDataset({ dir: broken('delivery.jsonl', 2000, 'not json'), detector: counting })).rejects.toThrow(
      /delivery\.jsonl:2000: not valid JSON/,
    );
    expect(ingested).toBe(0);
  });

  it('a record line: when the replay reaches it, as a dataset error, not a detector failure', async () => {
    const err = await runOnDataset({
      dir: broken('graph-activity.jsonl', 40, '{"time": oops'),
      detector: await volume(),
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EnumbenchError);
    expect((err as EnumbenchError).kind).toBe('user');
    expect((err as EnumbenchError).message).toMatch(/graph-activity\.jsonl:40: not valid JSON/);
    await expect(
      runOnDataset({ dir: broken('signins.jsonl', 3, '{"properties":{}}'), detector: await volume() }),
    ).rejects.toThrow(/signins\.jsonl:3: the record has no properties\.id/);
  });

  it('through the CLI: exit 4 and file:line, no stack trace; score lists every bad line', async () => {
    const dir = broken('delivery.jsonl', 11, '{"id":"x"');
    const r = await runBin(['run', dir, '--out', join(dir, 'out'), '--no-progress']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/delivery\.jsonl:11: not valid JSON/);
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const ok = dirOf(SEEDS[0] as number);
    const run = await runOnDataset({ dir: ok, detector: echoDetector(50) });
    const bad = broken('labels.jsonl', 4, '{"id":"y","source":"ual","time":"soon","actor":"a"}');
    writeFileSync(join(bad, 'alerts.jsonl'), run.alertsJsonl);
    const s = await runBin(['score', '--truth', bad, '--alerts', join(bad, 'alerts.jsonl')]);
    expect(s.code).toBe(4);
    expect(s.stdout + s.stderr).toMatch(/labels\.jsonl:4:1: time: /);
    expect(s.stderr).not.toMatch(/\n\s+at /);
  });
});
