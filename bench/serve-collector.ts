/**
 * The collector side of bench/serve-memory.ts, in its own process as a detector's collector would
 * be: reads the CONTRACTS.md §4 variables, polls the Management Activity API (documented protocol,
 * de-duplicating on Id) and every diagnostic-settings append blob (range reads of at most 8 MiB
 * from the last offset read) until the simulated clock says the replay is done, then once more.
 * It keeps counts, not records, so its own memory stays small. Prints its figures as one JSON line.
 */
import { PollingCollector } from '../detectors/collect/activity-client.js';
import { DiagnosticsClient } from '../detectors/collect/diagnostics-client.js';
import { activityClientFromEnv } from '../detectors/collect/run.js';
import { wallNow } from '../src/core/clock.js';
import { CONTENT_TYPES } from '../src/core/dataset.js';

const RANGE = 8 * 2 ** 20;
const env = process.env;
const client = activityClientFromEnv(env);
const ual = new PollingCollector(client, CONTENT_TYPES, { concurrency: 4, retain: false });
const diagnosticsUrl = env.ENUMBENCH_DIAGNOSTICS_URL ?? '';
const diag = new DiagnosticsClient({ url: diagnosticsUrl });
const base = new URL(diagnosticsUrl);
const sas = base.search.replace(/^\?/, '');
base.search = '';
const offsets = new Map<string, number>();
let diagLines = 0;
let diagBytes = 0;

async function readBlob(container: string, name: string, length: number): Promise<void> {
  const key = `${container}/${name}`;
  let offset = offsets.get(key) ?? 0;
  const path = `${base.toString().replace(/\/+$/, '')}/${container}/${name.split('/').map(encodeURIComponent).join('/')}`;
  while (offset < length) {
    const end = Math.min(length, offset + RANGE) - 1;
    const res = await fetch(`${path}?${sas}`, { headers: { 'x-ms-range': `bytes=${offset}-${end}` } });
    if (res.status !== 206 && res.status !== 200) throw new Error(`${key}: HTTP ${res.status}`);
    const buf = Buffer.from(await res.arrayBuffer());
    const lastNl = buf.lastIndexOf(10);
    if (lastNl < 0) break; // a line longer than the range: not in these datasets
    for (let i = buf.indexOf(10); i >= 0 && i <= lastNl; i = buf.indexOf(10, i + 1)) diagLines++;
    diagBytes += lastNl + 1;
    offset += lastNl + 1;
  }
  offsets.set(key, offset);
}

async function pollDiagnostics(): Promise<void> {
  for (const c of await diag.listContainers()) {
    if (!c.startsWith('insights-logs-')) continue;
    for (const b of await diag.listBlobs(c)) {
      if ((offsets.get(`${c}/${b.name}`) ?? 0) < b.length) await readBlob(c, b.name, b.length);
    }
  }
}

async function done(): Promise<boolean> {
  const res = await fetch(env.ENUMBENCH_CLOCK_URL ?? '');
  return ((await res.json()) as { done: boolean }).done;
}

await ual.startAll();
const t0 = wallNow();
let polls = 0;
for (;;) {
  const finished = await done();
  await ual.poll();
  await pollDiagnostics();
  polls++;
  if (finished) break;
  await new Promise((r) => setTimeout(r, 250));
}
// as a `process:` detector its stdout is for alerts: BENCH_FIGURES_TO=stderr puts the figures there
(process.env.BENCH_FIGURES_TO === 'stderr' ? process.stderr : process.stdout).write(
  `${JSON.stringify({
    ms: wallNow() - t0,
    polls,
    ualRecords: ual.ids.size,
    ualDuplicates: ual.duplicates,
    contentBlobs: ual.seenContent.size,
    failedContent: ual.failedContent.length,
    diagnosticLines: diagLines,
    diagnosticBytes: diagBytes,
  })}\n`,
);
