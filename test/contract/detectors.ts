/**
 * The contract's seven test detectors (adapter-contract.ts `Behaviour`), written for each adapter
 * as a user would write them: a `module:` file, a `stdio:` script, a `process:` program built on
 * the collector client (detectors/collect, written from Microsoft's documentation) that polls on
 * its own schedule or follows the HTTP lockstep.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import type { Behaviour } from './adapter-contract.js';

const ID = 'const idOf = (r) => r.Id ?? r.properties?.requestId ?? r.properties?.id;';
const OK = `{ rule: 'ok', principal: 'a@contoso.onmicrosoft.com' }`;
const SOMEONE = `principal: 'nobody@contoso.onmicrosoft.com'`;
const FLOOD = `Array.from({ length: 200_000 }, () => ({ rule: 'flood', ${SOMEONE} }))`;

function write(dir: string, file: string, text: string): string {
  writeFileSync(join(dir, file), text);
  return join(dir, file);
}

const MODULE: Record<Behaviour, string> = {
  always: 'ingest(batch, ctx) { for (const d of batch) ctx.emit({ rule: "all", evidence: [idOf(d.record)] }); },',
  never: 'ingest() {},',
  late: 'ids: [], ingest(batch) { for (const d of batch) this.ids.push(idOf(d.record)); }, stop(ctx) { for (const id of this.ids) ctx.emit({ rule: "late", evidence: [id] }); },',
  crash: `n: 0, ingest(batch, ctx) { if (this.n++ === 0) ctx.emit({ rule: 'before-crash', ${SOMEONE} }); if (this.n === 20) throw new Error('fatal: rule engine exploded'); },`,
  hang: `ingest(batch, ctx) { ctx.emit({ rule: 'before-hang', ${SOMEONE} }); return new Promise(() => {}); },`,
  flood: `done: false, ingest(batch, ctx) { if (!this.done) { this.done = true; for (const a of ${FLOOD}) ctx.emit(a); } },`,
  garbage: `once: true, ingest(batch, ctx) { if (this.once) { this.once = false; ctx.emit({ rule: 7, principal: 'x' }); ctx.emit({ rule: 'r', evidence: 'not-a-list' }); ctx.emit(${OK}); } },`,
};

/** what the programs (process:, webhook:) share: POST alerts, wait forever, flood (a million alerts on stdout as fast as the pipe takes them), and each behaviour after a pass */
const PROGRAM = `const post = async (alerts) => {
  if (alerts.length) await fetch(process.env.ENUMBENCH_ALERTS_URL, { method: 'POST', body: JSON.stringify(alerts) });
};
const forever = () => new Promise(() => setInterval(() => {}, 1000));
const flood = async () => {
  const chunk = (JSON.stringify({ rule: 'flood', ${SOMEONE} }) + '\\n').repeat(10_000);
  for (let n = 0; n < 100; n++) if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
};
// what the behaviour does after each pass over the feeds (the first is 1)
const afterPass = async (passes) => {
  if (B === 'always') await post(pending.splice(0));
  if (B === 'crash' && passes === 1) await post([{ rule: 'before-crash', ${SOMEONE} }]);
  if (B === 'crash' && passes === 2) { console.error('fatal: rule engine exploded'); process.exit(3); }
  if (B === 'hang') { await post([{ rule: 'before-hang', ${SOMEONE} }]); await forever(); }
  if (B === 'flood' && passes === 1) await flood();
  if (B === 'garbage' && passes === 1) { console.log('not json'); await post([{ rule: 'r', evidence: 'not-a-list' }, ${OK}]); }
};`;

/** module: — an in-process detector on its own thread */
export function moduleDetector(b: Behaviour, dir: string): string {
  const body = MODULE[b];
  const stop = body.includes('stop(') ? '' : ' stop() {},';
  write(dir, `module-${b}.mjs`, `${ID}\nexport default () => ({ name: '${b}', start() {}, ${body}${stop} });\n`);
  return `module:./module-${b}.mjs`;
}

/** the stdio: protocol loop: `onRecord` and `onTick` write lines; `onEnd` at the end of input */
const loop = (body: string) => `
import { createInterface } from 'node:readline';
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
${ID}
${body}
for await (const line of createInterface({ input: process.stdin })) {
  const m = JSON.parse(line);
  if ('tick' in m) onTick(m); else onRecord(m);
}
if (typeof onEnd === 'function') onEnd();
`;
const ACK = 'function onTick(m) { out({ ack: m.tick }); }';
const STDIO: Record<Behaviour, string> = {
  always: `${ACK}\nfunction onRecord(m) { out({ rule: 'all', evidence: [idOf(m.record)] }); }`,
  never: `${ACK}\nfunction onRecord() {}`,
  late: `${ACK}\nconst ids = [];\nfunction onRecord(m) { ids.push(idOf(m.record)); }\nfunction onEnd() { for (const id of ids) out({ rule: 'late', evidence: [id] }); }`,
  crash: `let n = 0;\nfunction onTick(m) { if (n === 0) out({ rule: 'before-crash', ${SOMEONE} }); out({ ack: m.tick }); if (++n === 20) { console.error('fatal: rule engine exploded'); process.exit(3); } }\nfunction onRecord() {}`,
  hang: `let once = true;\nfunction onTick() { if (once) { once = false; out({ rule: 'before-hang', ${SOMEONE} }); } }\nfunction onRecord() {}`,
  flood: `let done = false;\nfunction onTick(m) { if (!done) { done = true; const l = JSON.stringify({ rule: 'flood', ${SOMEONE} }) + '\\n'; for (let i = 0; i < 20; i++) process.stdout.write(l.repeat(10_000)); } out({ ack: m.tick }); }\nfunction onRecord() {}`,
  garbage: `let once = true;\nfunction onTick(m) { if (once) { once = false; console.log('not json'); out({ rule: 7, principal: 'x' }); out(${OK}); } out({ ack: m.tick }); }\nfunction onRecord() {}`,
};

/** stdio: — records on stdin, alerts and acknowledgements on stdout */
export function stdioDetector(b: Behaviour, dir: string): string {
  return `stdio:${process.execPath} ${write(dir, `stdio-${b}.mjs`, loop(STDIO[b]))}`;
}

/**
 * process: — a program that collects with the collector client (polling on its own schedule, or
 * acknowledging lockstep ticks when ENUMBENCH_LOCKSTEP_URL is set) and POSTs its alerts
 */
export function processDetector(b: Behaviour, dir: string): string {
  const client = join(ROOT, 'dist', 'detectors', 'collect', 'run.js');
  const text = `import { collectUntilDone } from ${JSON.stringify(client)};
${ID}
const B = ${JSON.stringify(b)};
${PROGRAM}
let pending = [];
const ids = [];
let passes = 0;
if (B === 'hang') process.on('SIGTERM', () => console.error('ignoring SIGTERM'));
await collectUntilDone({
  env: process.env,
  pollMs: 200,
  emit: (_source, r) => {
    if (B === 'always') pending.push({ rule: 'all', evidence: [idOf(r)] });
    if (B === 'late') ids.push(idOf(r));
  },
  afterPass: () => afterPass(++passes),
});
if (B === 'late') await post(ids.map((id) => ({ rule: 'late', evidence: [id] })));
if (B === 'flood') await forever(); // until stopped
`;
  return `process:${process.execPath} ${write(dir, `process-${b}.mjs`, text)}`;
}

/**
 * webhook: — a program that subscribes every content type with a webhook (its own receiver on
 * loopback, answering the validation and fetching each notified blob before answering 200), polls
 * the diagnostic-settings feeds (they have no webhook) and follows the lockstep or the clock
 */
export function webhookDetector(b: Behaviour, dir: string): string {
  const collect = join(ROOT, 'dist', 'detectors', 'collect', 'index.js');
  const text = `import { createServer } from 'node:http';
import { activityClientFromEnv, DiagnosticsClient } from ${JSON.stringify(collect)};
${ID}
const B = ${JSON.stringify(b)};
const env = process.env;
${PROGRAM}
const pending = [];
const ids = [];
const onRecord = (r) => {
  if (B === 'always') pending.push({ rule: 'all', evidence: [idOf(r)] });
  if (B === 'late') ids.push(idOf(r));
};
const client = activityClientFromEnv(env);
const seen = new Set();
const server = createServer(async (req, res) => {
  let text = '';
  for await (const c of req) text += c;
  if (req.headers['webhook-validationcode'] === undefined) {
    if (req.headers['webhook-authid'] !== 'contract') return res.writeHead(401).end();
    for (const item of JSON.parse(text)) {
      if (seen.has(item.contentId)) continue;
      seen.add(item.contentId);
      for (const r of await client.fetchContent(item.contentUri)) onRecord(r);
    }
  }
  res.writeHead(200).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const address = 'http://127.0.0.1:' + server.address().port + '/';
for (const ct of ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All'])
  await client.start(ct, { address, authId: 'contract' });
const diag = new DiagnosticsClient({ url: env.ENUMBENCH_DIAGNOSTICS_URL });
if (B === 'hang') process.on('SIGTERM', () => console.error('ignoring SIGTERM'));
const stateUrl = env.ENUMBENCH_LOCKSTEP_URL ?? env.ENUMBENCH_CLOCK_URL;
for (let passes = 1; ; passes++) {
  const state = await (await fetch(stateUrl)).json();
  for (const r of await diag.pollRecords()) onRecord(r);
  await afterPass(passes);
  if (state.done) break;
  if (env.ENUMBENCH_LOCKSTEP_URL) await fetch(stateUrl, { method: 'POST', body: JSON.stringify({ tick: state.tick }) });
  else await new Promise((r) => setTimeout(r, 200));
}
if (B === 'late') await post(ids.map((id) => ({ rule: 'late', evidence: [id] })));
if (B === 'flood') await forever(); // until stopped
server.close();
server.closeAllConnections();
`;
  return `webhook:${process.execPath} ${write(dir, `webhook-${b}.mjs`, text)}`;
}
