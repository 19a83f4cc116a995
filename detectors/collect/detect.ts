/**
 * An in-process detector (a reference detector, `builtin:NAME`, or any `Detector`) run as an outside
 * program: it collects with the documented clients (collectUntilDone: the Management Activity API
 * and the diagnostic-settings feeds, configured only by the CONTRACTS.md §4 environment), hands
 * each pass's new records to the detector as one batch, ticks it to the replay's simulated now, and
 * POSTs what it emitted to ENUMBENCH_ALERTS_URL before the pass is acknowledged (in lockstep), or
 * writes each alert as a JSON line on stdout when no alert URL is given (`enumbench serve`).
 * `enumbench detect NAME` is this loop; docs/detectors.md "enumbench detect".
 */
import { readFileSync } from 'node:fs';
import type { Alert } from '../../src/core/alerts.js';
import type { DeliveredRecord, Detector, DetectorContext } from '../../src/core/detector.js';
import { IP_NETWORKS_ENV, IpNetworkTable, parseIpNetworksCsv } from '../../src/core/ip-networks.js';
import { SOURCE_IDS, type SourceId } from '../../src/core/sources.js';
import { collectUntilDone, type RunOptions } from './run.js';

export const SOURCES_ENV = 'ENUMBENCH_SOURCES';

export interface OutsideOptions {
  detector: Detector;
  env: RunOptions['env'];
  /** where alerts go when ENUMBENCH_ALERTS_URL is not set: one JSON line each */
  writeLine(line: string): void;
  pollMs?: number;
}

/** The sources the tenant collects, from ENUMBENCH_SOURCES (every source when unset). */
export function sourcesFromEnv(env: RunOptions['env']): SourceId[] {
  const v = env[SOURCES_ENV];
  if (v === undefined || v.trim() === '') return [...SOURCE_IDS];
  const out: SourceId[] = [];
  for (const s of v.split(',').map((x) => x.trim())) {
    if (!(SOURCE_IDS as readonly string[]).includes(s)) {
      throw new Error(`${SOURCES_ENV}: unknown source "${s}" (sources: ${SOURCE_IDS.join(', ')})`);
    }
    out.push(s as SourceId);
  }
  return out;
}

async function clockNow(env: RunOptions['env'], fallback: number): Promise<number> {
  const url = env.ENUMBENCH_CLOCK_URL;
  if (!url) return fallback;
  const s = (await (await fetch(url)).json()) as { nowMs?: unknown };
  return typeof s.nowMs === 'number' ? s.nowMs : fallback;
}

/** Collect until the replay is done, detecting as records arrive; returns the alerts sent. */
export async function detectOutside(o: OutsideOptions): Promise<{ records: number; alerts: number }> {
  const { env, detector } = o;
  const networksFile = env[IP_NETWORKS_ENV];
  const networks = networksFile
    ? new IpNetworkTable(parseIpNetworksCsv(readFileSync(networksFile, 'utf8'), networksFile))
    : undefined;
  const collected = sourcesFromEnv(env);
  let now = 0;
  let outbox: Alert[] = [];
  const ctx: DetectorContext = {
    now: () => now,
    emit: (a) => {
      outbox.push(a);
    },
    sources: collected,
    ...(networks ? { networks } : {}),
  };
  const send = async () => {
    const alerts = outbox;
    outbox = [];
    if (alerts.length === 0) return;
    const url = env.ENUMBENCH_ALERTS_URL;
    if (!url) {
      for (const a of alerts) o.writeLine(JSON.stringify(a));
      return;
    }
    const res = await fetch(url, { method: 'POST', body: JSON.stringify(alerts) });
    if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status} ${await res.text()}`);
  };
  now = await clockNow(env, 0);
  await detector.start(ctx);
  let batch: DeliveredRecord[] = [];
  let records = 0;
  let sent = 0;
  const keep = new Set<SourceId>(collected);
  /** the records collected since the last call, then a tick to the replay's now */
  const detect = async () => {
    now = await clockNow(env, now);
    const b = batch;
    batch = [];
    records += b.length;
    if (b.length) await detector.ingest(b, ctx);
    await detector.tick?.(now, ctx);
  };
  const flush = async () => {
    sent += outbox.length;
    await send();
  };
  await collectUntilDone({
    env,
    ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}),
    emit: (source, record) => {
      if (source === 'unknown' || !keep.has(source)) return;
      batch.push({ source, record: record as DeliveredRecord['record'] });
    },
    // before a lockstep tick is acknowledged: what the pass collected is detected and its alerts sent
    afterPass: async () => {
      await detect();
      await flush();
    },
  });
  await detect();
  await detector.stop(ctx);
  await flush();
  return { records, alerts: sent };
}
