/**
 * The worker thread an in-process detector (`builtin:`, `module:`) runs on (detector-thread.ts).
 * It builds the detector from its spec, then runs each call the runner asks for — start, ingest,
 * tick, stop — with the simulated time the runner gives, and posts every alert the detector emits
 * as it is emitted, then `done` or the error. A detector stuck in synchronous code blocks this
 * thread only: the runner's watchdog sees the call overrun and terminates the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Alert } from '../../src/core/alerts.js';
import type { DeliveredRecord, Detector, DetectorContext } from '../../src/core/detector.js';
import { type Diagnostic, EnumbenchError, type ErrorCode } from '../../src/core/errors.js';
import { type IpNetwork, IpNetworkTable } from '../../src/core/ip-networks.js';
import type { SourceId } from '../../src/core/sources.js';
import type { SourceNeed } from '../source-needs.js';
import { detectorNeeds, resolveDetector } from './detector-spec.js';

export interface DetectorWorkerInput {
  spec: string;
  options: Record<string, unknown>;
  cwd: string;
  /** emits past this many are thrown back into the detector (the runner reports the flood) */
  maxAlerts: number;
}

export type DetectorCall =
  | { op: 'start'; now: number; sources: readonly SourceId[]; networks?: readonly IpNetwork[] }
  | { op: 'stop'; now: number }
  | { op: 'tick'; now: number }
  | { op: 'ingest'; now: number; batch: readonly DeliveredRecord[] }
  /** a fresh detector from the same spec, on this thread (the next dataset): what was loaded stays loaded */
  | { op: 'renew'; now: number };

export type DetectorWorkerMessage =
  | { type: 'loading' }
  | { type: 'ready'; name: string; hasTick: boolean; needs: SourceNeed[] }
  | {
      type: 'failed';
      code: ErrorCode;
      message: string;
      hint?: string;
      diagnostics?: readonly Diagnostic[];
    }
  | { type: 'emit'; alert: unknown }
  | { type: 'done' }
  | { type: 'error'; message: string; code?: ErrorCode; hint?: string };

const port = parentPort;
if (!port) throw new Error('detector-worker.ts runs as a worker thread');
const input = workerData as DetectorWorkerInput;
let now = 0;
let emitted = 0;

function post(m: DetectorWorkerMessage): void {
  (port as NonNullable<typeof port>).postMessage(m);
}

const ctx: DetectorContext & { sources: readonly SourceId[] } = {
  now: () => now,
  emit: (alert: Alert) => {
    if (++emitted > input.maxAlerts + 1) throw new Error(`emitted more than ${input.maxAlerts} alerts`);
    try {
      post({ type: 'emit', alert });
    } catch (e) {
      // not structured-cloneable (a function, a symbol): the runner counts it as malformed
      post({ type: 'emit', alert: `not an alert object: ${(e as Error).message}` });
    }
  },
  sources: [],
};

async function main(): Promise<void> {
  // the bench's own modules are loaded: from here the detector's time is counted
  post({ type: 'loading' });
  let det: Detector;
  let needs: SourceNeed[];
  try {
    det = await resolveDetector(input.spec, input.options, input.cwd);
    needs = detectorNeeds(input.spec, input.options, input.cwd);
  } catch (e) {
    if (e instanceof EnumbenchError) {
      post({
        type: 'failed',
        code: e.code,
        message: e.message,
        ...(e.hint !== undefined ? { hint: e.hint } : {}),
        ...(e.diagnostics.length ? { diagnostics: e.diagnostics } : {}),
      });
    } else post({ type: 'failed', code: 'E_DETECTOR_FAILED', message: String(e) });
    return;
  }
  (port as NonNullable<typeof port>).on('message', async (call: DetectorCall) => {
    now = call.now;
    try {
      if (call.op === 'renew') {
        det = await resolveDetector(input.spec, input.options, input.cwd);
        emitted = 0;
        ctx.sources = [];
      } else if (call.op === 'start') {
        ctx.sources = call.sources;
        if (call.networks) ctx.networks = new IpNetworkTable(call.networks);
        else delete ctx.networks;
        await det.start(ctx);
      } else if (call.op === 'ingest') await det.ingest(call.batch, ctx);
      else if (call.op === 'tick') await det.tick?.(call.now, ctx);
      else await det.stop(ctx);
      post({ type: 'done' });
    } catch (e) {
      // an EnumbenchError keeps its code (hence its kind) across the thread: a user error in start() (a rule
      // for a source the scenario does not collect) is the user's, not a detector crash
      if (e instanceof EnumbenchError)
        post({
          type: 'error',
          message: e.message,
          code: e.code,
          ...(e.hint !== undefined ? { hint: e.hint } : {}),
        });
      else post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
  post({
    type: 'ready',
    name: det.name,
    hasTick: typeof det.tick === 'function',
    needs,
  });
}

void main();
