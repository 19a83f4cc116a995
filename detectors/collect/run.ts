/**
 * A stand-alone collector, configured only by the environment a `process:` detector receives
 * (CONTRACTS.md §4): it subscribes to every content type, polls the Management Activity API and
 * the diagnostic-settings feeds until the replay's clock says it is done, and writes each record
 * once (deduplicated) as a JSON line on stdout, with its source — `{"source": "graphActivity",
 * "record": {…}}`, the line of the `stdio:` protocol — or, with --count, one summary line.
 *
 *   eval "$(enumbench serve DIR --json | …)"; node --import tsx detectors/collect/run.ts [--count]
 */
import { CONTENT_TYPES } from '../../src/core/dataset.js';
import { type SourceId, sourceOfCategory } from '../../src/core/sources.js';
import { ActivityClient, type AuditRecord, PollingCollector } from './activity-client.js';
import { type DiagnosticRecord, DiagnosticsClient } from './diagnostics-client.js';
import { sleep } from './http.js';

export interface RunOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** called for every new record, with its source (a diagnostic record's from its `category`) */
  emit(source: SourceId | 'unknown', record: AuditRecord | DiagnosticRecord): void;
  /**
   * called after each pass over both feeds, before a lockstep tick is acknowledged: what a detector
   * does with what it collected (send alerts); `done` when the pass was the last
   */
  afterPass?(done: boolean): void | Promise<void>;
  pollMs?: number;
  /** the Management Activity API client (default: one configured by the environment) */
  client?: ActivityClient;
}

function need(env: RunOptions['env'], name: string): string {
  const v = env[name];
  if (!v) throw new Error(`${name} is not set (start the mock with \`enumbench serve\` and pass its variables)`);
  return v;
}

/** A Management Activity API client configured by the CONTRACTS.md §4 variables (each required). */
export function activityClientFromEnv(env: RunOptions['env']): ActivityClient {
  return new ActivityClient({
    tenantId: need(env, 'ENUMBENCH_TENANT_ID'),
    clientId: need(env, 'ENUMBENCH_CLIENT_ID'),
    clientSecret: need(env, 'ENUMBENCH_CLIENT_SECRET'),
    loginUrl: need(env, 'ENUMBENCH_LOGIN_URL'),
    managementUrl: need(env, 'ENUMBENCH_MANAGEMENT_URL'),
  });
}

/** Collect until the replay is done; returns the number of unique records. */
export async function collectUntilDone(
  o: RunOptions,
): Promise<{ ual: number; diagnostics: number; duplicates: number }> {
  const client = o.client ?? activityClientFromEnv(o.env);
  const ual = new PollingCollector(client, CONTENT_TYPES, { retain: false, onRecord: (r) => o.emit('ual', r) });
  const diagUrl = o.env.ENUMBENCH_DIAGNOSTICS_URL;
  const diag = diagUrl ? new DiagnosticsClient({ url: diagUrl }) : undefined;
  const clockUrl = o.env.ENUMBENCH_CLOCK_URL;
  // in lockstep the replay waits for each tick to be acknowledged once what it published is collected
  const lockstepUrl = o.env.ENUMBENCH_LOCKSTEP_URL;
  await ual.startAll();
  const pass = async () => {
    await ual.poll();
    if (diag)
      for (const r of await diag.pollRecords()) o.emit(sourceOfCategory(String(r.category ?? '')) ?? 'unknown', r);
  };
  for (;;) {
    const stateUrl = lockstepUrl ?? clockUrl;
    const state = stateUrl ? ((await (await fetch(stateUrl)).json()) as { done?: boolean; tick?: number }) : {};
    const done = stateUrl ? state.done === true : true;
    await pass();
    await o.afterPass?.(done);
    if (done) break;
    if (lockstepUrl) await fetch(lockstepUrl, { method: 'POST', body: JSON.stringify({ tick: state.tick }) });
    else await sleep(o.pollMs ?? 1000);
  }
  await pass();
  await o.afterPass?.(true);
  return {
    ual: ual.ids.size,
    diagnostics: diag?.records.size ?? 0,
    duplicates: ual.duplicates + (diag?.duplicates ?? 0),
  };
}

const isMain = process.argv[1] !== undefined && import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const count = process.argv.includes('--count');
  collectUntilDone({
    env: process.env,
    emit: (source, record) => {
      if (!count) process.stdout.write(`${JSON.stringify({ source, record })}\n`);
    },
  }).then(
    (n) => {
      if (count) process.stdout.write(`${JSON.stringify(n)}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`collector: ${(e as Error).message ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
