import { describe, expect, it } from 'vitest';
import { createVolumeDetector } from '../../detectors/volume/index.js';
import {
  availabilityOrder,
  joinDelivery,
  type ReplayItem,
  runLockstep,
} from '../../harness/run/in-process-lockstep.js';
import type { EpochMs } from '../../src/core/clock.js';
import type { DeliveredRecord, Detector, DetectorContext } from '../../src/core/detector.js';
import { renderSummaryJson } from '../../src/report/index.js';
import { formatAlertsJsonl, parseAlertsText, scoreRun } from '../../src/scoring/index.js';
import { builtinVerdicts } from '../../src/thresholds/index.js';
import { buildSynthetic, T0 } from './synthetic.js';

const MIN = 60_000;
const item = (id: string, at: number): ReplayItem => ({
  entry: { id, source: 'graphActivity', at: T0 + at * MIN, blob: 'b' },
  record: { id },
});

/** Records what it sees and when; alerts on every record named "alert*"; emits one bad alert on "bad". */
class Recorder implements Detector {
  readonly name = 'recorder';
  seen: { at: EpochMs; ids: string[] }[] = [];
  ticks: EpochMs[] = [];
  start(): void {}
  ingest(batch: readonly DeliveredRecord[], ctx: DetectorContext): void {
    const ids = batch.map((b) => String(b.record.id));
    this.seen.push({ at: ctx.now(), ids });
    for (const id of ids) {
      if (id.startsWith('alert')) ctx.emit({ rule: 'r', evidence: [id] });
      if (id === 'bad') ctx.emit({ rule: '', principal: 7 } as never);
    }
  }
  tick(now: EpochMs): void {
    this.ticks.push(now);
  }
  stop(ctx: DetectorContext): void {
    ctx.emit({ rule: 'final', principal: 'x', time: new Date(ctx.now()).toISOString() });
  }
}

describe('runLockstep', () => {
  it('delivers each record at its availability time, batched by instant, ticks between, stamps arrival in simulated time', async () => {
    const det = new Recorder();
    const r = await runLockstep({
      detector: det,
      items: [item('a', 1.5), item('alert-1', 1.5), item('b', 3), item('bad', 3)],
      sources: ['graphActivity'],
      start: T0,
      end: T0 + 5 * MIN,
    });
    expect(det.seen).toEqual([
      { at: T0 + 1.5 * MIN, ids: ['a', 'alert-1'] },
      { at: T0 + 3 * MIN, ids: ['b', 'bad'] },
    ]);
    expect(det.ticks).toEqual([1, 2, 3, 4, 5].map((m) => T0 + m * MIN));
    expect(r.alerts.map((a) => [a.alert.rule, a.arrivedAt - T0, a.stamp])).toEqual([
      ['r', 1.5 * MIN, 'bench'],
      ['final', 5 * MIN, 'bench'],
    ]);
    expect(r.malformed).toEqual([
      { ordinal: 1, at: T0 + 3 * MIN, problems: expect.arrayContaining(['"rule" must not be empty']) },
    ]);
    expect(r).toMatchObject({ delivered: 4, batches: 2, ticks: 5, failure: null });
  });

  it('refuses deliveries out of availability order', async () => {
    await expect(
      runLockstep({ detector: new Recorder(), items: [item('a', 2), item('b', 1)], sources: [], start: T0, end: T0 }),
    ).rejects.toThrow(/availability order/);
  });

  it('reports a detector that throws, with what it emitted before', async () => {
    const det = new Recorder();
    det.tick = (now: EpochMs) => {
      if (now >= T0 + 2 * MIN) throw new Error('boom');
    };
    const r = await runLockstep({
      detector: det,
      items: [item('alert-1', 1)],
      sources: [],
      start: T0,
      end: T0 + 10 * MIN,
    });
    expect(r.failure).toEqual({ phase: 'tick', at: T0 + 2 * MIN, kind: 'crash', message: 'boom' });
    expect(r.alerts).toHaveLength(1);
  });

  it('stops a detector that hangs or floods, keeping what it emitted', async () => {
    const hang = new Recorder();
    hang.ingest = () => new Promise<void>(() => {});
    const h = await runLockstep({
      detector: hang,
      items: [item('a', 1)],
      sources: [],
      start: T0,
      end: T0 + 5 * MIN,
      callTimeoutMs: 50,
    });
    expect(h.failure).toMatchObject({ phase: 'ingest', kind: 'timeout' });
    const flood = new Recorder();
    flood.tick = (_now: EpochMs, ctx?: DetectorContext) => {
      for (let i = 0; i < 10; i++) {
        try {
          ctx?.emit({ rule: 'spam', principal: `p${i}` });
        } catch {
          // a detector that swallows the bench's flood error is still stopped
        }
      }
    };
    const f = await runLockstep({
      detector: flood,
      items: [],
      sources: [],
      start: T0,
      end: T0 + 5 * MIN,
      maxAlerts: 25,
    });
    expect(f.failure).toMatchObject({ phase: 'tick', kind: 'flood' });
    expect(f.alerts).toHaveLength(25);
  });

  it('joins a schedule with its records and sorts schedules into availability order', () => {
    const entries = availabilityOrder([item('b', 2).entry, item('a', 2).entry, item('c', 1).entry]);
    expect(entries.map((e) => e.id)).toEqual(['c', 'a', 'b']);
    const joined = [...joinDelivery(entries, (id) => ({ id }))];
    expect(joined.map((j) => j.record.id)).toEqual(['c', 'a', 'b']);
    expect(() => [...joinDelivery(entries, () => undefined)]).toThrow(/not in the dataset/);
  });
});

describe('builtin:volume in lockstep, scored', () => {
  async function runOnce() {
    const ds = buildSynthetic();
    const r = await runLockstep({
      detector: await createVolumeDetector({}),
      items: ds.items,
      sources: ds.truth.sources,
      start: ds.truth.window.historyStart,
      end: ds.truth.window.end + 60 * MIN,
    });
    const card = scoreRun({ truth: ds.truth, alerts: r.alerts, labels: ds.labels, delivery: ds.delivery });
    const report = {
      tool: { name: 'enumbench', version: '0.0.0-test' },
      command: 'run',
      scenarios: [
        {
          name: ds.truth.scenario.name,
          card,
          verdicts: builtinVerdicts(card),
          gates: [],
          replay: `enumbench run synthetic.yaml --seed ${ds.truth.seed} --detector builtin:volume`,
        },
      ],
      problems: [],
    };
    return { ds, r, card, json: renderSummaryJson(report) };
  }

  it('catches the burst, is caught out by the backup app, and never leaks', async () => {
    const { r, card } = await runOnce();
    expect(r.failure).toBeNull();
    expect(card.metrics.recall?.value).toBe(1);
    expect(card.campaigns[0]?.matchedBy).toBe('evidence');
    expect(card.metrics.leaks?.value).toBe(0);
    expect(card.metrics['false_positives{profile:backup-app}']?.value).toBe(1);
    expect(card.metrics.precision?.value).toBe(0.5);
    expect(card.alerts.find((a) => a.verdict === 'tp')?.principal).toBe('hd.alice@contoso.onmicrosoft.com');
    // detection happens after the evidence became available, in simulated time
    expect(card.campaigns[0]?.latencyFromAvailable).toBeGreaterThanOrEqual(0);
  });

  it('two lockstep runs give byte-identical summary.json, and scoring the alerts file reproduces it', async () => {
    const a = await runOnce();
    const b = await runOnce();
    expect(a.json).toBe(b.json);
    const stamp = { scenario: a.ds.truth.scenario.name, hash: a.ds.truth.scenario.hash, seed: a.ds.truth.seed };
    const file = parseAlertsText(formatAlertsJsonl(a.r.alerts, stamp));
    expect(file.malformed).toEqual([]);
    const again = scoreRun({ truth: a.ds.truth, alerts: file.alerts, labels: a.ds.labels, delivery: a.ds.delivery });
    expect(again.metrics).toEqual(a.card.metrics);
    expect(again.campaigns).toEqual(a.card.campaigns);
  });
});
