/**
 * `run` with a `process:` detector (CONTRACTS.md §4): the dataset is replayed through the mock
 * services exactly as `serve` replays it (startMockServices, the same code), the detector is a child
 * process configured by the ENUMBENCH_* environment that polls the mock (or follows the HTTP
 * lockstep), and its alerts arrive by HTTP POST to ENUMBENCH_ALERTS_URL or as JSON lines on its
 * stdout, each stamped with the mock's simulated clock at arrival.
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
import { wallNow } from '../../src/core/clock.js';
import type { SourceId } from '../../src/core/sources.js';
import type { Truth } from '../../src/core/truth.js';
import type { ScoringOptions } from '../../src/scoring/types.js';
import { ipNetworksFileFor } from '../dataset/ip-networks.js';
import type { FaultConfig, FaultReport } from '../mock/faults.js';
import type { LedgerSummary } from '../mock/ledger.js';
import { type StrayRequests, startMockServices } from '../mock/services.js';
import { resourceError } from '../output-files.js';
import { type SpeedMode, speedLabel } from '../replay/clock.js';
import { loadDataset } from '../replay/dataset.js';
import { AlertIntake } from './alert-intake.js';
import { DetectorChild } from './child.js';
import { type DatasetRun, openDatasetKey, scoreOnDataset } from './dataset-run.js';
import { DEFAULT_DRAIN_MS, drain, wakeableNap } from './drain.js';
import type { DetectorFailure, LockstepResult } from './lockstep.js';

export const DEFAULT_GRACE_MS = 5_000;
/** lockstep: a tick not acknowledged within this wall time means the detector hangs */
export const DEFAULT_ACK_TIMEOUT_MS = 30_000;

export interface ExternalProgress {
  /** records published / planned */
  published: number;
  planned: number;
  /** content blobs and storage reads the detector fetched */
  contentFetches: number;
  storageReads: number;
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
export function latencyScaling(speed: SpeedMode): string | null {
  if (speed.kind === 'factor' && speed.factor > 1)
    return `replayed at ${speed.factor}× while the detector polls on its own wall-clock schedule: each second it waits is ${speed.factor} simulated seconds`;
  if (speed.kind === 'max')
    return 'replayed at --speed max while the detector polls on its own wall-clock schedule: everything is published at once and arrivals are stamped at the end';
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
  const svc = await startMockServices({
    publication,
    speed: o.speed,
    deferStart: true,
    alerts: intake,
    ipNetworksFile: ipNetworksFileFor(o.dir),
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
    } else if (phase === 'run') {
      fail({
        phase,
        kind: 'exit',
        message: 'the detector exited (status 0) before the replay ended: a detector runs until it is stopped',
      });
    }
  };

  let stopped: { killed: boolean } = { killed: false };
  try {
    svc.start();
    // the replay
    let lastTick = -1;
    let tickSince = wallNow();
    while (!svc.replay.clock.done && !svc.replay.failure && child.running && !failure) {
      await nap(250);
      if (o.speed.kind === 'lockstep') {
        const st = svc.lockstepState?.();
        if (st && st.tick !== lastTick) {
          lastTick = st.tick;
          tickSince = wallNow();
        } else if (wallNow() - tickSince > (o.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS)) {
          fail({
            phase: 'run',
            kind: 'timeout',
            message: `the detector did not acknowledge lockstep tick ${lastTick} within ${Math.round((o.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS) / 1000)} s (POST {"tick": ${lastTick}} to ENUMBENCH_LOCKSTEP_URL once everything available is collected)`,
          });
        }
      }
    }
    if (svc.replay.failure)
      throw resourceError(svc.replay.failure, svc.spillDir, 'a TMPDIR with space') ?? svc.replay.failure;
    if (!child.running) exitFailure('run');
    // the drain
    await drain({ drainMs, over: () => !child.running || failure !== null, nap });
    if (!child.running) exitFailure('drain');
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

  const missing = new Set<string>();
  for (const m of svc.ledger.neverCollected()) missing.add(`${m.source}\u0000${m.id}`);
  const ledger = svc.ledgerSummary();
  const faults = o.faults ? svc.faultReport() : null;
  const strays = svc.strays();
  await svc.close();

  const warnings: string[] = [];
  const scaled = o.acceptScaledLatency ? null : latencyScaling(o.speed);
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
      collected: (id, source) => served.has(source) && !missing.has(`${source}\u0000${id}`),
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

/** where a dataset's detector stderr is kept: <out>/detector/<dataset folder name>.stderr.log */
export function stderrFileFor(outDir: string, datasetDir: string): string {
  mkdirSync(join(outDir, 'detector'), { recursive: true });
  return join(outDir, 'detector', `${basename(dirname(datasetDir))}-${basename(datasetDir)}.stderr.log`);
}
