// A detector as a separate program, in Node with nothing but `fetch` (Node 20+): it polls the Office 365 Management
// Activity API and the Graph activity logs that Entra diagnostic settings archive to a storage account, as a production
// collector does, and alerts on bulk directory listings. Configuration: the environment enumbench gives a `process:`
// detector (docs/detectors.md); pointed at the real services, it runs unchanged. webhook.mjs reuses its parts.
//   npx enumbench run scenarios/quickstart.yaml --detector process:"node examples/detectors/poller.mjs"
// Options: POLL_SECONDS (5), MIN_OBJECTS (500 objects listed by one session in WINDOW_MINUTES (15)), ALERT_ON=all.
const env = process.env;
function need(k) {
  if (env[k]) return env[k];
  console.error(`${k} is not set: run me with enumbench run --detector process:"node poller.mjs"`);
  process.exit(64);
}
const [tenant, loginUrl, apiUrl] = ['ENUMBENCH_TENANT_ID', 'ENUMBENCH_LOGIN_URL', 'ENUMBENCH_MANAGEMENT_URL'].map(need);
const pollMs = Number(env.POLL_SECONDS ?? 5) * 1000;
const minObjects = Number(env.MIN_OBJECTS ?? 500);
const windowMs = Number(env.WINDOW_MINUTES ?? 15) * 60_000;
const CONTENT_TYPES = ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function http(url, init = {}, tries = 6) {
  for (let i = 1; ; i++) {
    try {
      const res = await fetch(url, init);
      if ((res.status === 429 || res.status >= 500) && i < tries) throw new Error(`HTTP ${res.status}`);
      return res;
    } catch (e) {
      if (i >= tries) throw e;
      await sleep(200 * 2 ** i); // throttled, a server error or a reset connection: back off and retry
    }
  }
}
// OAuth 2.0 client credentials (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow)
let token = { value: '', until: 0 };
async function bearer() {
  if (Date.now() < token.until) return token.value;
  const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'https://manage.office.com/.default' });
  body.set('client_id', need('ENUMBENCH_CLIENT_ID'));
  body.set('client_secret', need('ENUMBENCH_CLIENT_SECRET'));
  const j = await (await http(`${loginUrl}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body })).json();
  token = { value: j.access_token, until: Date.now() + (j.expires_in - 300) * 1000 };
  return token.value;
}
const api = async (url, method = 'GET', body = undefined) => {
  const headers = { Authorization: `Bearer ${await bearer()}`, 'Content-Type': 'application/json' };
  return http(url, { method, body, headers });
};
// Management Activity API: start subscriptions (`body`: a webhook), list available content, fetch each blob once
const feed = `${apiUrl}/api/v1.0/${tenant}/activity/feed`;
export async function subscribe(body = undefined) {
  for (const ct of CONTENT_TYPES) {
    const res = await api(`${feed}/subscriptions/start?contentType=${ct}`, 'POST', body);
    if (!res.ok) console.error(`start ${ct}: HTTP ${res.status} ${await res.text()}`); // AF20024: already started
  }
}
const seenBlobs = new Set();
export async function fetchBlob(blob) {
  if (seenBlobs.has(blob.contentId)) return true;
  const content = await api(blob.contentUri);
  if (!content.ok) return false; // expired or failing: listed (or notified) again
  seenBlobs.add(blob.contentId);
  for (const r of await content.json()) onRecord('ual', r.Id, r);
  return true;
}
export async function pollAudit() {
  for (const ct of CONTENT_TYPES) {
    let next = `${feed}/subscriptions/content?contentType=${ct}`;
    while (next) {
      const res = await api(next);
      if (!res.ok) break;
      for (const blob of await res.json()) await fetchBlob(blob);
      next = res.headers.get('NextPageUri');
    }
  }
}
// Diagnostic-settings storage (Blob REST API): hourly PT1H.json append blobs, read from the last offset
const storage = new URL(need('ENUMBENCH_DIAGNOSTICS_URL'));
const sas = storage.search.slice(1);
const base = `${storage.origin}${storage.pathname.replace(/\/$/, '')}`;
const offsets = new Map();
const names = (xml, tag) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);
export async function pollGraph() {
  const containers = names(await (await http(`${base}/?comp=list&${sas}`)).text(), 'Name');
  for (const c of containers.filter((n) => n.startsWith('insights-logs-'))) {
    const xml = await (await http(`${base}/${c}?restype=container&comp=list&${sas}`)).text();
    for (const blob of xml.split('<Blob>').slice(1)) {
      const key = `${c}/${names(blob, 'Name')[0]}`;
      const length = Number(names(blob, 'Content-Length')[0]);
      const from = offsets.get(key) ?? 0;
      if (from >= length) continue;
      const res = await http(`${base}/${key}?${sas}`, { headers: { 'x-ms-range': `bytes=${from}-` } });
      if (!res.ok) continue;
      const text = await res.text();
      const complete = text.slice(0, text.lastIndexOf('\n') + 1); // a line still being written waits
      offsets.set(key, from + Buffer.byteLength(complete));
      for (const line of complete.split('\n').filter(Boolean)) {
        const r = JSON.parse(line);
        onRecord(r.category, r.properties?.requestId ?? r.properties?.id, r);
      }
    }
  }
}
// The rule: one session listing many directory objects over Microsoft Graph in a short window
const LISTING = /^\/(v1\.0|beta)\/(users|groups|servicePrincipals|devices|applications|directoryRoles|contacts)\/?$/i;
const sessions = new Map();
const seenIds = new Set();
const alerts = [];
export function onRecord(source, id, r) {
  if (!id || seenIds.has(id)) return; // the services deliver some records twice: dedupe on the id
  seenIds.add(id);
  if (env.ALERT_ON === 'all') alerts.push({ rule: 'every-record', evidence: [id] });
  if (source !== 'MicrosoftGraphActivityLogs') return;
  const p = r.properties ?? {};
  const uri = new URL(p.requestUri ?? 'https://x/');
  if (p.requestMethod !== 'GET' || !LISTING.test(uri.pathname)) return;
  const principal = p.UserPrincipalObjectID || p.servicePrincipalId || p.appId;
  const session = p.c_Sid || p.signInActivityId || '';
  const key = `${principal}|${session}`;
  const t = Date.parse(p.timeGenerated ?? r.time);
  const objects = Number(uri.searchParams.get('$top') ?? 100);
  const s = sessions.get(key) ?? { hits: [], alerted: false };
  s.hits = s.hits.filter((h) => t - h.t <= windowMs);
  s.hits.push({ t, objects, id, ip: p.ipAddress });
  sessions.set(key, s);
  if (!s.alerted && s.hits.reduce((n, h) => n + h.objects, 0) >= minObjects) {
    s.alerted = true;
    const evidence = s.hits.map((h) => h.id);
    alerts.push({ rule: 'graph-bulk-listing', principal, sessionId: session, ip: p.ipAddress, evidence });
  }
}
export async function sendAlerts() {
  if (alerts.length === 0) return;
  const res = await http(need('ENUMBENCH_ALERTS_URL'), { method: 'POST', body: JSON.stringify(alerts.splice(0)) });
  if (!res.ok) console.error(`alerts refused: HTTP ${res.status} ${await res.text()}`);
}
// enumbench's clock says when the replay is over; in lockstep, each tick is acknowledged once collected
export async function untilDone(pass) {
  const [clockUrl, lockstep] = [env.ENUMBENCH_CLOCK_URL, env.ENUMBENCH_LOCKSTEP_URL];
  for (;;) {
    const state = clockUrl ? await (await http(lockstep ?? clockUrl)).json() : { done: false };
    await pass();
    await sendAlerts();
    if (state.done) break; // everything was published before this pass: nothing more will come
    if (lockstep) await http(lockstep, { method: 'POST', body: JSON.stringify({ tick: state.tick }) });
    else await sleep(pollMs);
  }
}
if (new URL(import.meta.url).pathname === process.argv[1]) {
  await subscribe();
  await untilDone(async () => [await pollAudit(), await pollGraph()]);
}
