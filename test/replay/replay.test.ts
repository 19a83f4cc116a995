import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeOfRecordType } from '../../harness/replay/blobs.js';
import { parseSpeed, ReplayClock, speedLabel } from '../../harness/replay/clock.js';
import { loadDataset } from '../../harness/replay/dataset.js';
import { planBlobs } from '../../harness/replay/plan.js';
import { type DeliveryStream, sortDeliveries } from '../../harness/replay/publication.js';
import { rebaseJson } from '../../harness/replay/rebase.js';
import { type ContentBlobEvent, type DiagnosticAppendEvent, Replay } from '../../harness/replay/replay.js';
import { HOUR, MINUTE } from '../../src/core/clock.js';
import type { DeliveryEntry } from '../../src/core/dataset.js';
import { buildFixture, writeDataset } from '../helpers/dataset.js';
import { tempDir } from '../helpers/tmp.js';

describe('speed', () => {
  it('parses realtime, factors, max and lockstep; rejects the rest', () => {
    expect(parseSpeed('realtime')).toEqual({ kind: 'realtime' });
    expect(parseSpeed('1')).toEqual({ kind: 'realtime' });
    expect(parseSpeed('60')).toEqual({ kind: 'factor', factor: 60 });
    expect(parseSpeed('60x')).toEqual({ kind: 'factor', factor: 60 });
    expect(parseSpeed('max')).toEqual({ kind: 'max' });
    expect(parseSpeed('lockstep')).toEqual({ kind: 'lockstep' });
    expect(() => parseSpeed('fast')).toThrow(/invalid speed/);
    expect(() => parseSpeed('0')).toThrow(/invalid speed/);
    expect(speedLabel(parseSpeed('60'))).toBe('60');
  });
});

describe('end-anchored clock', () => {
  it('maps the last simulated instant onto the wall end and never dates a record after now', () => {
    const simStart = Date.UTC(2026, 10, 2);
    const simEnd = simStart + 7 * 24 * HOUR;
    const wallStart = Date.UTC(2026, 10, 27, 7, 0, 0, 123);
    const c = new ReplayClock(parseSpeed('60'), simStart, simEnd, wallStart);
    expect(c.wallEnd).toBe(wallStart + (7 * 24 * HOUR) / 60);
    expect(c.shift % 1000).toBe(0);
    expect(simEnd + c.shift).toBeLessThanOrEqual(c.wallEnd);
    expect(c.wallEnd - (simEnd + c.shift)).toBeLessThan(1000);
    // any simulated instant is dated no later than the wall time at which it is reached
    for (const s of [simStart, simStart + HOUR, simEnd - MINUTE, simEnd])
      expect(s + c.shift).toBeLessThanOrEqual(c.wallAt(s));
    const m = new ReplayClock(parseSpeed('max'), simStart, simEnd, wallStart);
    expect(simEnd + m.shift).toBeLessThanOrEqual(wallStart);
  });
});

describe('rebase', () => {
  it('moves every date-time string by whole seconds, keeping its format', () => {
    const j =
      '{"CreationTime":"2026-11-02T10:00:00","time":"2026-11-02T10:00:00.5522137Z","p":{"c":"2026-11-02T23:59:59.1+00:00","d":"2026-11-02","u":"x 2026-11-02T10:00:00 y"}}';
    expect(rebaseJson(j, 90_500)).toBe(
      '{"CreationTime":"2026-11-02T10:01:30","time":"2026-11-02T10:01:30.5522137Z","p":{"c":"2026-11-03T00:01:29.1+00:00","d":"2026-11-02","u":"x 2026-11-02T10:00:00 y"}}',
    );
  });
});

describe('blobs', () => {
  it('maps record types to content types', () => {
    expect(contentTypeOfRecordType(15)).toBe('Audit.AzureActiveDirectory');
    expect(contentTypeOfRecordType(1)).toBe('Audit.Exchange');
    expect(contentTypeOfRecordType(6)).toBe('Audit.SharePoint');
    expect(contentTypeOfRecordType(13)).toBe('DLP.All');
    expect(contentTypeOfRecordType(25)).toBe('Audit.General');
  });
  it('cuts by maxRecords and maxSpan, per content type, and keeps named blobs together', () => {
    const e = (i: number, at: number, blob = ''): DeliveryEntry => ({ id: `r${i}`, source: 'ual', at, blob });
    const entries = Array.from({ length: 10 }, (_, i) => e(i, i * MINUTE));
    const blobs = planBlobs(entries, () => 'Audit.General', { maxRecords: 3, maxSpanMs: 10 * MINUTE });
    expect(blobs.map((b) => b.entries.length)).toEqual([3, 3, 3, 1]);
    const span = planBlobs(entries, () => 'Audit.General', { maxRecords: 100, maxSpanMs: 4 * MINUTE });
    expect(span.map((b) => b.entries.length)).toEqual([5, 5]);
    expect(span[0]?.at).toBe(4 * MINUTE);
    const named = planBlobs([e(1, 0, 'a'), e(2, 5, 'b'), e(3, 9, 'a')], () => 'Audit.General');
    expect(named.map((b) => [b.key, b.entries.length, b.at])).toEqual([
      ['Audit.General|a', 2, 9],
      ['Audit.General|b', 1, 5],
    ]);
  });
});

function drain(stream: DeliveryStream) {
  const out: { entry: DeliveryEntry; text: string }[] = [];
  for (let d = stream.next(); d; d = stream.next()) out.push({ entry: d.entry, text: d.text() });
  stream.close();
  return out;
}

function collect(replay: Replay) {
  const content: ContentBlobEvent[] = [];
  const diag: DiagnosticAppendEvent[] = [];
  replay.on({ onContent: (b) => content.push(b), onDiagnostic: (d) => diag.push(d) });
  return { content, diag };
}

describe('replay', () => {
  it('lockstep publishes exactly what is available, in availability order, shuffled inside blobs, deterministically', () => {
    const f = buildFixture({ seed: 4, ual: 500, signIns: 50, duplicateRate: 0.05 });
    const runOnce = () => {
      const r = new Replay(f.publication, { speed: parseSpeed('lockstep'), wallStart: Date.UTC(2026, 10, 27) });
      const out = collect(r);
      r.start();
      const mid = r.clock.simStart + (r.clock.simEnd - r.clock.simStart) / 2;
      r.advanceTo(mid);
      for (const b of out.content) expect(b.simAt).toBeLessThanOrEqual(mid);
      const before = out.content.length;
      r.advanceTo(r.clock.simEnd);
      expect(out.content.length).toBeGreaterThan(before);
      expect(r.clock.done).toBe(true);
      return out;
    };
    const a = runOnce();
    const b = runOnce();
    expect(a.content.map((x) => x.records.map((r) => r.id))).toEqual(b.content.map((x) => x.records.map((r) => r.id)));
    const ids = a.content.flatMap((x) => x.records.map((r) => r.id));
    expect(new Set(ids)).toEqual(new Set(f.ids.ual));
    expect(ids.length).toBe(f.deliveries.filter((d) => d.source === 'ual').length);
    // out of order inside at least one blob
    const outOfOrder = a.content.some((x) => {
      const times = x.records.map((r) => JSON.parse(r.json).CreationTime as string);
      return times.some((t, i) => i > 0 && t < (times[i - 1] as string));
    });
    expect(outOfOrder).toBe(true);
    expect(
      a.diag.every((d) => /^tenantId=.*\/PT1H\.json$/.test(d.blobName) && d.container.startsWith('insights-logs-')),
    ).toBe(true);
  });

  it('a fast speed factor publishes over wall time and finishes', async () => {
    const f = buildFixture({ seed: 6, ual: 50, spacingMs: 1000, delayMs: [0, 1000] });
    // ~50 s of simulated time at 200x: ~0.25 s of wall time
    const r = new Replay(f.publication, { speed: parseSpeed('200') });
    const out = collect(r);
    r.start();
    expect(out.content.length).toBeLessThan(50);
    await r.done;
    expect(out.content.flatMap((b) => b.records).length).toBe(50);
    for (const b of out.content) {
      const dated = Math.max(...b.records.map((x) => Date.parse(`${JSON.parse(x.json).CreationTime}Z`)));
      expect(dated).toBeLessThanOrEqual(b.createdWall);
    }
  });

  it('reads a dataset directory without opening truth.json', () => {
    const dir = tempDir('enumbench-ds-');
    const f = buildFixture({ seed: 8, ual: 40, signIns: 10, graph: 10 });
    writeDataset(dir, f, 8);
    // a key inside (the format 1 layout, which run and serve refuse): the replay itself never opens it either
    writeFileSync(join(dir, 'truth.json'), '{"campaigns": "THE REPLAY MUST NEVER READ THIS"');
    writeFileSync(join(dir, 'labels.jsonl'), '{"id": "THE REPLAY MUST NEVER READ THIS"');
    const ds = loadDataset(dir);
    expect(ds.deliveryCount).toBe(f.deliveries.length);
    expect(ds.tenantId).toBe('41463f53-8812-40f4-890f-865bf6e35190');
    const first = drain(ds.open()).find((d) => d.entry.id === f.ids.ual[0]);
    expect(first?.text).toBe(f.records.get(`ual\u0000${f.ids.ual[0]}`));
    expect(() => loadDataset(join(dir, 'nope'))).toThrow(/not a dataset directory/);
  });

  it('streams a dataset in availability order, each delivery with its record, as the whole schedule sorted would', () => {
    const dir = tempDir('enumbench-ds-');
    const f = buildFixture({ seed: 9, ual: 3000, signIns: 700, graph: 500, duplicateRate: 0.05, spacingMs: 200 });
    writeDataset(dir, f, 9);
    const ds = loadDataset(dir);
    const want = sortDeliveries(f.deliveries.slice());
    const got = drain(ds.open());
    expect(got.map((d) => d.entry)).toEqual(want);
    for (const d of got) expect(d.text).toBe(f.records.get(`${d.entry.source}\u0000${d.entry.id}`));
    expect(ds.simStart).toBe(want[0]?.at);
    expect(ds.simEnd).toBe(want[want.length - 1]?.at);
    expect(ds.counts).toEqual({ ual: 3000, signIns: 700, graphActivity: 500 });
  });

  it('holds the open availability window, not the replay: read-ahead stays flat as the dataset grows', () => {
    // 10 s between events, 60-90 min latency: about 540 deliveries are in flight at any time (UAL
    // only: the fixture writes each source's deliveries in a block, generate interleaves them by time)
    const maxHeld = (n: number) => {
      const dir = tempDir('enumbench-ds-');
      writeDataset(dir, buildFixture({ seed: 12, ual: n, spacingMs: 10_000, duplicateRate: 0.01 }), 12);
      const r = new Replay(loadDataset(dir), { speed: parseSpeed('lockstep'), wallStart: Date.UTC(2026, 10, 27) });
      r.start();
      let max = 0;
      for (let t = r.clock.simStart; !r.clock.done; t += 10 * MINUTE) {
        r.advanceTo(t);
        const h = r.status().held;
        max = Math.max(max, h.deliveries + h.events);
      }
      expect(r.status().records.published).toBe(r.status().records.planned);
      return max;
    };
    const short = maxHeld(6_000);
    const long = maxHeld(30_000);
    // a block of delivery lines (1,024) is read at a time on top of the window
    expect(long).toBeLessThan(2_500);
    expect(Math.abs(long - short)).toBeLessThan(1_100);
  });

  it('a dataset whose delivery names a missing record stops the replay with E_DATASET', async () => {
    const dir = tempDir('enumbench-ds-');
    const f = buildFixture({ seed: 11, ual: 50 });
    writeDataset(dir, f, 11);
    const lines = readFileSync(join(dir, 'ual.jsonl'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(dir, 'ual.jsonl'), `${lines.slice(0, 25).join('\n')}\n`);
    const r = new Replay(loadDataset(dir), { speed: parseSpeed('max') });
    r.start();
    await r.done;
    expect(r.failure).toMatchObject({ code: 'E_DATASET' });
    expect(r.failure?.message).toMatch(/delivery\.jsonl:\d+: no ual record with id/);
    expect(r.status().records.published).toBeLessThan(50);
  });

  it('reads ahead when records are not in delivery order, and names a delivery whose record is missing', () => {
    const dir = tempDir('enumbench-ds-');
    const f = buildFixture({ seed: 10, ual: 300, duplicateRate: 0.1 });
    writeDataset(dir, f, 10);
    const lines = readFileSync(join(dir, 'ual.jsonl'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(dir, 'ual.jsonl'), `${lines.reverse().join('\n')}\n`);
    const got = drain(loadDataset(dir).open());
    expect(got.map((d) => d.entry)).toEqual(sortDeliveries(f.deliveries.slice()));
    for (const d of got) expect(d.text).toBe(f.records.get(`ual\u0000${d.entry.id}`));
    writeFileSync(join(dir, 'ual.jsonl'), `${lines.slice(1).join('\n')}\n`);
    expect(() => drain(loadDataset(dir).open())).toThrow(/delivery\.jsonl:\d+: no ual record with id/);
  });
});
