/**
 * `run` with a `process:` or `webhook:` detector (CONTRACTS.md §4): the dataset is replayed through the mock
 * services exactly as `serve` replays it (startMockServices, the same code), the detector is a child
 * process configured by the ENUMBENCH_* environment that polls the mock (or follows the HTTP
 * lockstep), and its alerts arrive by HTTP POST to ENUMBENCH_ALERTS_URL or as JSON lines on its
 * stdout, each stamped with the mock's simulated clock at arrival.
 *
 * A `webhook:` detector is the same program, but it subscribes with a webhook: the replay does not
 * publish until every content type the dataset publishes has a subscription whose webhook answered
 * the validation request with 200 (the subscribed barrier; past `subscribeTimeoutMs` the run fails
 * naming what never subscribed, and nothing is published). Then the mock pushes a notification for
 * each blob as it is published, as `serve` does (the same code, harness/mock/subscriptions.ts).
 *
 * Sequence: start the mock (publication deferred), start the detector, publish; when everything is
 * published, drain — keep the detector running `drainMs` of wall time so a poller on its own
 * schedule fetches the last blob (a detector that exits by itself with status 0 after the replay
 * ends the drain early); then stop it (SIGTERM to its process group, SIGKILL after `graceMs`) and
 * score, with the mock's ledger deciding which misses were never collected.
 *
 * Failures (exit code 2 in `run`, the other results still reported): the program cannot start,
 * exits before the replay ended, exits with a failure status, crashes mid-run, ignores SIGTERM,
 * floods, or (lockstep) stops acknowledging ticks.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ReceivedAlert } from '../../src/core/alerts.js';
import { wallNow } from '../../src/core/clock.js';
import type { SourceId } from '../../src/core/sources.js';
import type { Truth } from '../../src/core/truth.js';
import { alertContentKey } from '../../src/scoring/score.js';
import type { ScoringOptions } from '../../src/scoring/types.js';
import { ipNetworksFileFor } from '../dataset/ip-networks.js';
import type { FaultConfig, FaultReport } from '../mock/faults.js';
import type { LedgerSummary } from '../mock/ledger.js';
import { type StrayRequests, startMockServices } from '../mock/services.js';
import { unsubscribed, webhookContentTypes } from '../mock/subscriptions.js';
import { resourceError } from '../output-files.js';
import { type SpeedMode, speedLabel } from '../replay/clock.js';
import { loadDataset } from '../replay/dataset.js';
import { AlertIntake } from './alert-intake.js';
import { DetectorChild } from './child.js';
import { type DatasetRun, openDatasetKey, scoreOnDataset } from './dataset-run.js';
import { DEFAULT_DRAIN_MS, drain, wakeableNap } from './drain.js';
import type { DetectorFailure, LockstepResult } from './in-process-lockstep.js';

export const DEFAULT_GRACE_MS = 5_000;
/** lockstep: a tick not acknowledged within this wall time means the detector hangs */
export const DEFAULT_ACK_TIMEOUT_MS = 30_000;
/** lockstep: wall time a program has to start and read the first tick, whatever --ack-timeout says */
export const STARTUP_MS = 30_000;
/** webhook: how long the detector has to subscribe every content type with a validated webhook */
export const DEFAULT_SUBSCRIBE_TIMEOUT_MS = 30_000;

export interface ExternalProgress {
  /** records published / planned */
  published: number;
  planned: number;
  /** content blobs and storage reads the detector fetched */
  contentFetches: number;
  storageReads: number;
  /** content blobs named in webhook notifications the detector answered with 200 */
  notifiedBlobs: number;
  alerts: number;
  /** the simulated now, as the records are dated (ISO) */
  simNow: string;
  /** simulated ms per wall ms achieved so far, and what was asked */
  achievedSpeed: number;
  requestedSpeed: string;
  phase: 'replay' | 'drain';
}

export interface ExternalRunOptions {
  dir: string;
  /** the dataset's answer-key folder (default: found beside it) */
  truthDir?: string;
  /** the shell command line of the detector */
  command: string;
  /** `process:` (default) polls; `webhook:` subscribes with a webhook, and the replay waits for it */
  kind?: 'process' | 'webhook';
  /** webhook: wall time the detector has to subscribe with validated webhooks before the run fails */
  subscribeTimeoutMs?: number;
  /** its working directory */
  cwd: string;
  /** the environment it inherits (ENUMBENCH_* are replaced by the mock's) */
  env: Readonly<Record<string, string | undefined>>;
  /** where its stderr is kept */
  stderrFile: string;
  speed: SpeedMode;
  /** wall time the detector keeps running after the last publication */
  drainMs?: number;
  /** wall time between SIGTERM and SIGKILL */
  graceMs?: number;
  /** lockstep: simulated time per acknowledged tick */
  tickMs?: number;
  ackTimeoutMs?: number;
  faults?: Partial<FaultConfig>;
  maxAlerts?: number;
  scoring?: Partial<ScoringOptions>;
  /** gate on latency measured at a speed above 1× for a wall-clock poller anyway */
  acceptScaledLatency?: boolean;
  onProgress?: (p: ExternalProgress) => void;
  progressEveryMs?: number;
}

export interface ExternalRun extends DatasetRun {
  ledger: LedgerSummary;
  faults: FaultReport | null;
  strays: StrayRequests;
  /** malformed alerts, all of them (the first ones are kept in lockstep.malformed) */
  malformedCount: number;
  /** alerts past the flood limit: counted, not kept */
  droppedAlerts: number;
  exit: { code: number | null; signal: string | null; killed: boolean } | null;
  stderrFile: string;
  stderrTail: string[];
  /** what the run wants the user to know (scaled latency, stray requests) */
  warnings: string[];
  wallMs: number;
}

/** Why latency is scaled for this speed, or null when it is honest as measured. */
export function latencyScaling(speed: SpeedMode, kind: 'process' | 'webhook' = 'process'): string | null {
  const own =
    kind === 'webhook'
      ? 'the detector handles notifications in its own wall-clock time'
      : 'the detector polls on its own wall-clock schedule';
  if (speed.kind === 'factor' && speed.factor > 1)
    return `replayed at ${speed.factor}× while ${own}: each second it takes is ${speed.factor} simulated seconds`;
  if (speed.kind === 'max')
    return `replayed at --speed max while ${own}: everything is published at once and arrivals are stamped at the end`;
  return null;
}

export async function runExternalOnDataset(o: ExternalRunOptions): Promise<ExternalRun> {
  const t0 = wallNow();
  const key = openDatasetKey(o.dir, o.truthDir);
  const publication = loadDataset(o.dir);
  const graceMs = o.graceMs ?? DEFAULT_GRACE_MS;
  const drainMs = o.drainMs ?? DEFAULT_DRAIN_MS;
  let failure: DetectorFailure | null = null;
  const fail = (f: Omit<DetectorFailure, 'at'>) => {
    if (!failure) failure = { ...f, at: svc.replay.clock.simNow() };
  };
  /** wait until woken (child exit, replay done, flood) or `ms` */
  const { nap, wake } = wakeableNap();
  const intake = new AlertIntake({
    now: () => svc.replay.clock.simNow(),
    ...(o.maxAlerts !== undefined ? { maxAlerts: o.maxAlerts } : {}),
    onFlood: () => {
      fail({
        phase: svc.replay.clock.done ? 'drain' : 'run',
        kind: 'flood',
        message: `sent more than ${o.maxAlerts ?? intake.alerts.length} alerts; the rest were counted, not kept`,
      });
      wake();
    },
  });
  const kind = o.kind ?? 'process';
  const svc = await startMockServices({
    publication,
    speed: o.speed,
    deferStart: true,
    alerts: intake,
    ipNetworksFile: ipNetworksFileFor(o.dir),
    // every receiver of a run is on this machine: plain http:// webhook addresses are accepted
    webhooks: { allowHttp: true },
    ...(o.faults ? { faults: o.faults } : {}),
    ...(o.tickMs !== undefined ? { lockstepTickMs: o.tickMs } : {}),
  });
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(o.env)) if (!k.startsWith('ENUMBENCH_')) env[k] = v;
  Object.assign(env, svc.env());

  const child = new DetectorChild({
    command: o.command,
    cwd: o.cwd,
    env,
    stderrFile: o.stderrFile,
    graceMs,
    onLine: (line, n) => {
      intake.line(line, `stdout line ${n}`);
    },
  });
  void child.exited.then(() => wake());
  void svc.replay.done.then(() => wake());

  const progress = () => {
    if (!o.onProgress) return;
    const st = svc.replay.status();
    const led = svc.ledger;
    const clock = svc.replay.clock;
    const wall = Math.max(1, wallNow() - t0);
    const summary = led.counters();
    o.onProgress({
      published: st.records.published,
      planned: st.records.planned,
      contentFetches: summary.contentFetches,
      storageReads: summary.storageReads,
      notifiedBlobs: summary.notifiedBlobs,
      alerts: intake.received,
      simNow: new Date(clock.simNow() + clock.shift).toISOString(),
      achievedSpeed: (clock.simNow() - clock.simStart) / wall,
      requestedSpeed: speedLabel(o.speed),
      phase: clock.done ? 'drain' : 'replay',
    });
  };
  const progressTimer = o.onProgress ? setInterval(progress, o.progressEveryMs ?? 10_000) : undefined;
  progressTimer?.unref();

  const describeExit = () => {
    const e = child.exit;
    if (!e) return 'is running';
    if (child.spawnError) return `could not be started: ${child.spawnError.message}`;
    if (e.code === 127) return 'could not be started: command not found (exit status 127)';
    if (e.code === 126) return 'could not be started: not executable (exit status 126)';
    return e.signal ? `was killed by ${e.signal}` : `exited with status ${e.code}`;
  };
  const exitFailure = (phase: DetectorFailure['phase']) => {
    const e = child.exit;
    if (!e) return;
    if (child.spawnError || e.code === 127 || e.code === 126) {
      fail({ phase, kind: 'spawn', message: `the detector ${describeExit()}` });
    } else if (e.code !== 0) {
      fail({ phase, kind: 'crash', message: `the detector ${describeExit()}` });
    } else if (phase === 'run' || phase === 'start') {
      fail({
        phase,
        kind: 'exit',
        message: 'the detector exited (status 0) before the replay ended: a detector runs until it is stopped',
      });
    }
  };

  let stopped: { killed: boolean } = { killed: false };
  const warnings: string[] = [];
  /** webhook: false when the detector never subscribed, so nothing was published */
  let published = true;
  try {
    if (kind === 'webhook') {
      const need = webhookContentTypes(publication);
      if (need.length === 0)
        warnings.push('the dataset publishes no Management Activity API content: the webhook received no notification');
      const limit = o.subscribeTimeoutMs ?? DEFAULT_SUBSCRIBE_TIMEOUT_MS;
      const until = wallNow() + limit;
      while (
        unsubscribed(svc.subscriptions, svc.webhooks, need).length > 0 &&
        child.running &&
        !failure &&
        wallNow() < until
      )
        await nap(50);
      const missing = unsubscribed(svc.subscriptions, svc.webhooks, need);
      if (missing.length > 0) {
        published = false;
        const e = child.exit;
        const how = ' with a validated webhook to every content type the dataset publishes';
        const fix =
          'A webhook: detector POSTs subscriptions/start?contentType=… with {"webhook": {"address": …}} for each and answers the validation request with HTTP 200 (docs/detectors.md "webhook:")';
        fail({
          phase: 'start',
          kind: !e
            ? 'timeout'
            : child.spawnError || e.code === 127 || e.code === 126
              ? 'spawn'
              : e.code === 0
                ? 'exit'
                : 'crash',
          message: `the detector ${e ? `${describeExit()} before it subscribed${how}` : `did not subscribe${how} within ${Math.round(limit / 1000)} s`}, so nothing was published: ${missing.join(', ')}. ${fix}`,
        });
      } else if (!child.running) exitFailure('start');
    }
    if (published && !failure) svc.start();
    else published = false;
    // the replay
    // a tick's acknowledgement timer starts when the detector first reads that tick's state; the
    // first tick's, before that, also gives the program time to start (a JVM, a pipeline)
    const ackTimeoutMs = o.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    let lastTick = -1;
    let tickSince = wallNow();
    while (published && !svc.replay.clock.done && !svc.replay.failure && child.running && !failure) {
      await nap(250);
      if (o.speed.kind === 'lockstep') {
        const st = svc.lockstepState?.();
        const readAt = svc.lockstepReadAt?.();
        const limit = readAt === undefined && lastTick <= 0 ? Math.max(ackTimeoutMs, STARTUP_MS) : ackTimeoutMs;
        if (st && st.tick !== lastTick) {
          lastTick = st.tick;
          tickSince = readAt ?? wallNow();
        } else if (readAt !== undefined && readAt > tickSince) {
          tickSince = readAt;
        } else if (wallNow() - tickSince > limit) {
          fail({
            phase: 'run',
            kind: 'timeout',
            message:
              readAt === undefined && lastTick <= 0
                ? `the detector did not read lockstep tick 0 within ${Math.round(limit / 1000)} s of starting (GET ENUMBENCH_LOCKSTEP_URL, collect, then POST {"tick": 0})`
                : `the detector did not acknowledge lockstep tick ${lastTick} within ${Math.round(ackTimeoutMs / 1000)} s (POST {"tick": ${lastTick}} to ENUMBENCH_LOCKSTEP_URL once everything available is collected)`,
          });
        }
      }
    }
    if (svc.replay.failure)
      throw resourceError(svc.replay.failure, svc.spillDir, 'a TMPDIR with space') ?? svc.replay.failure;
    if (published) {
      if (!child.running) exitFailure('run');
      // the drain
      await drain({ drainMs, over: () => !child.running || failure !== null, nap });
      if (!child.running) exitFailure('drain');
    }
  } catch (e) {
    if (progressTimer) clearInterval(progressTimer);
    await child.stop(graceMs);
    await svc.close();
    throw e;
  }
  if (progressTimer) clearInterval(progressTimer);
  stopped = await child.stop(graceMs);
  if (stopped.killed)
    fail({
      phase: 'drain',
      kind: 'timeout',
      message: `the detector ignored SIGTERM for ${graceMs} ms and was killed (SIGKILL)`,
    });
  progress();

  // in lockstep, alerts stamped with one tick have no order between them (stdout lines and POSTs,
  // concurrent POSTs, records fetched concurrently): they are listed in a canonical order, so
  // alerts.jsonl is the same bytes run after run
  if (o.speed.kind === 'lockstep') canonicalOrder(intake.alerts);

  // a replay that ran to its end: collected unless the ledger says it was never fetched; one that
  // stopped early (the detector failed): collected only if fetched — what was never published was
  // never collected either
  const complete = svc.replay.clock.done;
  const missing = new Set<string>();
  if (complete) for (const m of svc.ledger.neverCollected()) missing.add(`${m.source}\u0000${m.id}`);
  const fetched = complete ? null : svc.ledger.collectedKeys();
  const ledger = svc.ledgerSummary();
  const faults = o.faults ? svc.faultReport() : null;
  const strays = svc.strays();
  await svc.close();

  const scaled = o.acceptScaledLatency ? null : latencyScaling(o.speed, kind);
  if (scaled) warnings.push(`latency gates are refused: ${scaled} (pass --accept-scaled-latency to gate anyway)`);
  if (strays.wrongUrl.count > 0)
    warnings.push(
      `the detector made ${strays.wrongUrl.count} request(s) to URLs the mock does not serve (${strays.wrongUrl.sample.join(', ')}); alerts go to ENUMBENCH_ALERTS_URL`,
    );
  if (strays.benchRefused > 0)
    warnings.push(`the detector called the bench-only port ${strays.benchRefused} time(s) and was refused`);

  // the sources the mock serves are in its ledger; endpoint PowerShell has no feed: never collected
  const served = new Set<SourceId>(['ual', 'graphActivity', 'signIns', 'aadGraphActivity']);
  const scored = scoreOnDataset(
    key,
    { alerts: intake.alerts, malformed: intake.malformedCount },
    {
      collected: (id, source) => {
        if (!published || !served.has(source)) return false;
        const k = `${source}\u0000${id}`;
        return fetched ? fetched.has(k) : !missing.has(k);
      },
      ...(o.scoring ? { scoring: o.scoring } : {}),
      ...(scaled ? { latencyScaled: scaled } : {}),
    },
  );
  const lockstep: LockstepResult = {
    alerts: intake.alerts,
    malformed: intake.malformed,
    delivered: ledger.published.records,
    batches: ledger.published.contentBlobs + ledger.published.appends,
    ticks: 0,
    failure,
  };
  const truth: Truth = key.truth;
  return {
    truth,
    lockstep,
    ...scored,
    activity: key.activity,
    ledger,
    faults,
    strays,
    malformedCount: intake.malformedCount,
    droppedAlerts: intake.dropped,
    exit: child.exit ? { code: child.exit.code, signal: child.exit.signal, killed: stopped.killed } : null,
    stderrFile: o.stderrFile,
    stderrTail: child.stderrTail(),
    warnings,
    wallMs: wallNow() - t0,
  };
}

/** Sort received alerts by arrival, then content (alertContentKey), and number them in that order. */
export function canonicalOrder(alerts: ReceivedAlert[]): void {
  const keyed = alerts.map((a) => ({ a, k: alertContentKey(a.alert) }));
  keyed.sort((x, y) => x.a.arrivedAt - y.a.arrivedAt || (x.k < y.k ? -1 : x.k > y.k ? 1 : x.a.seq - y.a.seq));
  keyed.forEach(({ a }, i) => {
    alerts[i] = a;
    a.seq = i;
  });
}

/** where a dataset's detector stderr is kept: <out>/detector/<dataset folder name>.stderr.log */
export function stderrFileFor(outDir: string, datasetDir: string): string {
  mkdirSync(join(outDir, 'detector'), { recursive: true });
  return join(outDir, 'detector', `${basename(dirname(datasetDir))}-${basename(datasetDir)}.stderr.log`);
}
