/**
 * An in-process detector (`builtin:`, `module:`) on its own worker thread, seen from the runner as
 * an ordinary Detector whose every call returns a promise. So the lockstep runner's per-call
 * watchdog (in-process-lockstep.ts `callTimeoutMs`) fires even when the detector blocks its event loop
 * (`for (;;) {}`): the runner's thread stays free, reports the hang exactly like a hung async
 * call (exit 2, the alerts emitted before, reports written), and `close()` terminates the thread.
 *
 * Alerts cross back as they are emitted, each handed to the runner's `emit` on arrival: a call's
 * alerts arrive before its `done` (one port, in order), so they are stamped with the same simulated
 * time as in the runner's own thread. Records cross by structured clone (the cost is in the bench).
 */
import { Worker } from 'node:worker_threads';
import type { Alert } from '../../src/core/alerts.js';
import type { DeliveredRecord, Detector, DetectorContext } from '../../src/core/detector.js';
import { EnumbenchError } from '../../src/core/errors.js';
import type { SourceNeed } from '../source-needs.js';
import { builtWorkerFile } from '../worker-file.js';
import type { DetectorCall, DetectorWorkerInput, DetectorWorkerMessage } from './detector-worker.js';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_MAX_ALERTS } from './in-process-lockstep.js';

export interface ThreadedDetector extends Detector {
  /** what the detector's rules read (kql:, sigma:), for the check against what a scenario collects */
  readonly needs: readonly SourceNeed[];
  /**
   * A fresh detector from the same spec on the same thread (the next dataset): what the thread
   * loaded (a rule compiled, the Kusto language service) is not loaded again. Only for the bench's
   * own detectors (kql:, sigma:, builtin:), whose state lives in the detector object; a module:
   * keeps module-level state, so it gets a new thread.
   */
  renew(): Promise<void>;
  /** whether the thread still runs (a detector that hung is stopped with its thread) */
  readonly alive: boolean;
  /** terminate the thread (a detector stuck in a loop included); safe to call twice */
  close(): Promise<void>;
}

export interface DetectorThreadOptions {
  spec: string;
  options?: Record<string, unknown>;
  cwd: string;
  maxAlerts?: number;
  /** how long building the detector (loading the module, its factory) may take (default 30 s) */
  loadTimeoutMs?: number;
}

/** renew emits nothing: no runner context yet */
const NO_CONTEXT: DetectorContext = {
  now: () => 0,
  emit: () => {
    throw new Error('a detector emitted while it was being built');
  },
  sources: [],
};

export async function startDetectorThread(o: DetectorThreadOptions): Promise<ThreadedDetector> {
  const input: DetectorWorkerInput = {
    spec: o.spec,
    options: o.options ?? {},
    cwd: o.cwd,
    maxAlerts: o.maxAlerts ?? DEFAULT_MAX_ALERTS,
  };
  const worker = new Worker(builtWorkerFile(import.meta.url, 'run', 'detector-worker.js'), { workerData: input });
  let ctx: DetectorContext | null = null;
  let pending: { resolve(): void; reject(e: Error): void } | null = null;
  let stopped: string | null = null;
  let closed = false;
  const fail = (why: string) => {
    stopped ??= why;
    const p = pending;
    pending = null;
    p?.reject(new Error(`the detector's thread stopped: ${why}`));
  };

  const ready = new Promise<{ name: string; hasTick: boolean; needs: SourceNeed[] }>((resolve, reject) => {
    const timeoutMs = o.loadTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    // counted from when the thread starts loading the detector (the bench's own modules are loaded)
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      timer = setTimeout(() => {
        reject(
          new EnumbenchError(
            'E_DETECTOR_LOAD',
            `${o.spec}: building the detector did not finish within ${timeoutMs} ms`,
            {
              hint: 'the module or its factory blocks: do the work in start(), and never loop at import',
            },
          ),
        );
      }, timeoutMs);
    };
    worker.on('message', (m: DetectorWorkerMessage) => {
      switch (m.type) {
        case 'loading':
          arm();
          return;
        case 'ready':
          clearTimeout(timer);
          resolve(m);
          return;
        case 'failed':
          clearTimeout(timer);
          reject(
            new EnumbenchError(m.code, m.message, {
              ...(m.hint ? { hint: m.hint } : {}),
              ...(m.diagnostics ? { diagnostics: m.diagnostics } : {}),
            }),
          );
          return;
        case 'emit':
          // the runner's emit throws once the detector floods: the runner has recorded it
          try {
            ctx?.emit(m.alert as Alert);
          } catch {}
          return;
        case 'done': {
          const p = pending;
          pending = null;
          p?.resolve();
          return;
        }
        case 'error': {
          const p = pending;
          pending = null;
          p?.reject(
            m.code !== undefined
              ? new EnumbenchError(m.code, m.message, m.hint ? { hint: m.hint } : {})
              : new Error(m.message),
          );
          return;
        }
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(new EnumbenchError('E_DETECTOR_FAILED', `${o.spec}: ${e.message}`));
      fail(e.message);
    });
    worker.on('exit', (code) => {
      clearTimeout(timer);
      if (!closed) {
        reject(new EnumbenchError('E_DETECTOR_FAILED', `${o.spec}: its thread exited (code ${code})`));
        fail(`exit code ${code}`);
      }
    });
  });

  const close = async () => {
    if (closed) return;
    closed = true;
    await worker.terminate();
  };
  let info: { name: string; hasTick: boolean; needs: SourceNeed[] };
  try {
    info = await ready;
  } catch (e) {
    await close();
    throw e;
  }

  const call = (c: DetectorCall, context: DetectorContext): Promise<void> => {
    ctx = context;
    if (stopped) return Promise.reject(new Error(`the detector's thread stopped: ${stopped}`));
    return new Promise<void>((resolve, reject) => {
      pending = { resolve, reject };
      worker.postMessage(c);
    });
  };
  const det: ThreadedDetector = {
    name: info.name,
    needs: info.needs,
    get alive() {
      return !closed && stopped === null;
    },
    renew: () => call({ op: 'renew', now: 0 }, NO_CONTEXT),
    start: (c) =>
      call({ op: 'start', now: c.now(), sources: c.sources, ...(c.networks ? { networks: c.networks.rows } : {}) }, c),
    ingest: (batch: readonly DeliveredRecord[], c) => call({ op: 'ingest', now: c.now(), batch }, c),
    stop: (c) => call({ op: 'stop', now: c.now() }, c),
    close,
  };
  if (info.hasTick) det.tick = (now, c) => call({ op: 'tick', now }, c);
  return det;
}
