/**
 * The HTML report (`--report html`): one self-contained page per scenario — inline CSS, charts
 * rendered to inline SVG when written, no script, no font or file fetched — readable offline and
 * attachable to a ticket. A run of several scenarios or seeds also gets an index page with the
 * seed spread. Every figure comes from the scorecard and verdicts the other reports print (nothing
 * is scored again); every text from outside (scenario and rule names, principals) is escaped.
 */
import { SOURCE_IDS, SOURCES, type SourceId } from '../core/sources.js';
import type { MetricValue, Scorecard } from '../scoring/types.js';
import type { Verdict } from '../thresholds/types.js';
import { falsePositiveSpec, latencySpec, recallSpec, renderSvg, timelineSpec } from './charts.js';
import { fmt, fmtDist, fmtObserved, fmtRate, isoOrNull, trustedArrivalMark } from './format.js';
import {
  gateSourceLine,
  type Outcome,
  type Report,
  reportOutcome,
  type ScenarioReport,
  type SeedDetail,
  verdictText,
} from './model.js';

/** Escape text for HTML element content and double-quoted attributes. */
export function esc(s: string | number | null | undefined): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface HtmlFile {
  /** path relative to the output folder */
  path: string;
  html: string;
}

/** The file name of a scenario's page: its name made safe, numbered when two would collide. */
function pageNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    const base =
      n
        .replace(/[^A-Za-z0-9._-]+/g, '_')
        .replace(/^[._]+/, '')
        .slice(0, 80) || 'scenario';
    let name = base;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}-${i}`;
    used.add(name.toLowerCase());
    return `report/${name}.html`;
  });
}

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--bg2:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff}
main{max-width:960px;margin:0 auto;padding:24px 16px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:14px;margin:16px 0 6px}
.muted{color:var(--muted)}.small{font-size:12px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;font-size:13px;vertical-align:middle}
.passed{background:var(--pass)}.failed{background:var(--fail)}.invalid,.ungated{background:var(--warn)}
.verdict{font-size:16px;margin:8px 0 12px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
.wrap{overflow-wrap:anywhere}
th{background:var(--bg2);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.pass{color:var(--pass);font-weight:700}.fail{color:var(--fail);font-weight:700}.error{color:var(--warn);font-weight:700}
.warn{border-left:4px solid var(--warn);background:#fff8c5;padding:6px 10px;margin:8px 0}
figure{margin:8px 0 16px}figure svg{display:block}
figcaption{color:var(--muted);font-size:12px;margin-top:4px}
.empty{color:var(--muted);font-style:italic;padding:8px 0}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--bg2);padding:8px 10px;white-space:pre-wrap;overflow-wrap:anywhere;border-radius:6px}
.cell-yes{background:#dafbe1}.cell-no{background:#ffebe9}.cell-off{background:var(--bg2);color:var(--muted)}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:8px;margin:8px 0}
.fig{border:1px solid var(--line);border-radius:6px;padding:6px 10px}.fig b{display:block;font-size:18px}
a{color:#0969da}
@media print{main{max-width:none;padding:0}h2{break-after:avoid}figure,table{break-inside:avoid}}
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

const mark = (v: Verdict) =>
  v.status === 'pass'
    ? '<span class="pass" title="held">✓</span>'
    : v.status === 'fail'
      ? '<span class="fail" title="crossed">✗</span>'
      : '<span class="error" title="could not be evaluated">!</span>';

function num(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined ? '' : Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

/** A figure with its raw value in data attributes (the browser tests compare them with summary.json). */
function figure(key: string, label: string, text: string, m: MetricValue | undefined): string {
  const raw = m?.value ?? null;
  return `<div class="fig" data-metric="${esc(key)}" data-value="${raw === null ? 'null' : esc(raw)}"><span class="muted small">${esc(label)}</span><b>${esc(text)}</b></div>`;
}

async function chart(
  name: string,
  caption: string,
  spec: Record<string, unknown> | null,
  empty: string,
): Promise<string> {
  const inner = spec ? await renderSvg(spec) : `<p class="empty">${esc(empty)}</p>`;
  return `<figure data-chart="${esc(name)}">${inner}<figcaption>${esc(caption)}</figcaption></figure>`;
}

function thresholdsTable(s: ScenarioReport): string {
  if (!s.verdicts.length) return '<p class="empty">No thresholds.</p>';
  let t =
    '<table data-table="thresholds"><thead><tr><th></th><th>gate</th><th>observed</th><th>from</th><th>note</th></tr></thead><tbody>';
  for (const v of s.verdicts) {
    const note = v.status === 'pass' ? '' : [v.message, v.hint ? `hint: ${v.hint}` : ''].filter(Boolean).join(' — ');
    t += `<tr data-status="${esc(v.status)}"><td>${mark(v)}</td><td><code>${esc(`${v.key} ${v.condition}`)}</code></td><td>${esc(fmtObserved(v).replace(/^observed=/, ''))}</td><td>${esc(v.origin)}</td><td>${esc(note)}</td></tr>`;
  }
  return `${t}</tbody></table>`;
}

function headline(c: Scorecard, days: number): string {
  const m = c.metrics;
  const fpIncidents = m.false_positives?.value ?? 0;
  const figs = [
    figure('recall', 'recall', fmtRate(m.recall, m['recall.lower'], m['recall.upper']), m.recall),
    figure('weak_recall', 'weak recall', fmtRate(m.weak_recall), m.weak_recall),
    figure('max_recall', 'max achievable recall', fmt('ratio', m.max_recall?.value), m.max_recall),
    figure(
      'precision',
      'precision (incidents)',
      m.precision?.n ? fmtRate(m.precision) : 'undefined (no incidents)',
      m.precision,
    ),
    figure(
      'false_positives_per_day',
      'false positives / day',
      `${fmt('per_day', m.false_positives_per_day?.value)} (${fpIncidents})`,
      m.false_positives_per_day,
    ),
    figure('alerts_per_day', 'alerts / day', fmt('per_day', m.alerts_per_day?.value), m.alerts_per_day),
    figure('latency.p50', 'latency p50', fmt('duration', m['latency.p50']?.value), m['latency.p50']),
    figure('latency.p95', 'latency p95', fmt('duration', m['latency.p95']?.value), m['latency.p95']),
    figure('leaks', 'leaks', String(m.leaks?.value ?? 0), m.leaks),
    figure(
      'missed_unobservable',
      'missed: unobservable',
      String(m.missed_unobservable?.value ?? 0),
      m.missed_unobservable,
    ),
    figure(
      'missed_not_detected',
      'missed: not detected',
      String(m.missed_not_detected?.value ?? 0),
      m.missed_not_detected,
    ),
  ];
  return `<div class="grid">${figs.join('')}</div><p class="muted small">${esc(
    `${days % 1 === 0 ? days : days.toFixed(2)} day(s) scored · latency ${fmtDist(m, 'latency')} · from availability ${fmtDist(m, 'latency_from_available')}`,
  )}</p>`;
}

function techniques(c: Scorecard): string[] {
  return [...new Set(c.campaigns.map((x) => x.technique))].sort();
}

async function techniqueSection(c: Scorecard): Promise<string> {
  const m = c.metrics;
  const ts = techniques(c);
  if (!ts.length) return '<p class="empty">No campaigns in this run: no recall to measure.</p>';
  let t =
    '<table data-table="techniques"><thead><tr><th>technique</th><th>ATT&amp;CK</th><th class="num">campaigns</th><th>recall (95% interval)</th><th class="num">time to detect p50</th><th class="num">p95</th><th class="num">max recall</th></tr></thead><tbody>';
  const rows: { technique: string; recall: number; lower: number; upper: number; n: number }[] = [];
  for (const tech of ts) {
    const k = (name: string) => m[`${name}{technique:${tech}}`];
    const attack = [...new Set(c.campaigns.filter((x) => x.technique === tech).flatMap((x) => x.attack))].sort();
    const r = k('recall');
    t += `<tr data-technique="${esc(tech)}" data-recall="${r?.value ?? 'null'}"><td>${esc(tech)}</td><td>${esc(attack.join(', '))}</td><td class="num">${r?.n ?? 0}</td><td>${esc(fmtRate(r, k('recall.lower'), k('recall.upper')))}</td><td class="num">${esc(fmt('duration', k('latency.p50')?.value))}</td><td class="num">${esc(fmt('duration', k('latency.p95')?.value))}</td><td class="num">${esc(fmt('ratio', k('max_recall')?.value))}</td></tr>`;
    if (r?.value !== null && r?.value !== undefined)
      rows.push({
        technique: tech,
        recall: r.value,
        lower: k('recall.lower')?.value ?? r.value,
        upper: k('recall.upper')?.value ?? r.value,
        n: r.n ?? 0,
      });
  }
  t += '</tbody></table>';
  return `${t}${await chart('recall', 'Recall by technique; the black rule is the 95% Wilson interval.', rows.length ? recallSpec(rows) : null, 'No recall to draw.')}`;
}

async function latencySection(c: Scorecard): Promise<string> {
  const rows: { technique: string; minutes: number; from: string }[] = [];
  for (const x of c.campaigns) {
    if (x.latency !== null) rows.push({ technique: x.technique, minutes: x.latency / 60_000, from: 'campaign start' });
    if (x.latencyFromAvailable !== null)
      rows.push({ technique: x.technique, minutes: x.latencyFromAvailable / 60_000, from: 'first availability' });
  }
  rows.sort((a, b) => (a.technique < b.technique ? -1 : a.technique > b.technique ? 1 : a.minutes - b.minutes));
  return chart(
    'latency',
    'One tick per strictly detected campaign: minutes from its first record (blue) and from the first moment a collector could have had its evidence (grey).',
    rows.length ? latencySpec(rows) : null,
    'No campaign was strictly detected: there is no latency to draw.',
  );
}

const FP_ALERT_ROWS = 50;
/** rows of the incident and campaign tables: the page stays small whatever the detector or the seed count */
const TABLE_ROWS = 200;

async function falsePositiveSection(c: Scorecard): Promise<string> {
  const m = c.metrics;
  const profiles = [...new Set(c.runs.flatMap((r) => r.profiles))].sort();
  const fps = c.incidents.filter((i) => i.kind === 'fp');
  for (const p of fps) if (p.profile && !profiles.includes(p.profile)) profiles.push(p.profile);
  const rows = profiles.map((p) => ({ profile: p, incidents: m[`false_positives{profile:${p}}`]?.value ?? 0 }));
  const unattributed = fps.filter((i) => i.profile === null).length;
  if (unattributed) rows.push({ profile: '(no benign profile)', incidents: unattributed });
  let out = await chart(
    'false-positives',
    'False-positive incidents (alerts grouped by rule, principal and day) by the benign profile behind their evidence.',
    rows.length ? falsePositiveSpec(rows) : null,
    'This scenario has no benign profile.',
  );
  if (!fps.length) return `${out}<p class="empty">No false positives.</p>`;
  out +=
    '<table data-table="false-positives"><thead><tr><th>profile</th><th>rule</th><th>principal</th><th>day</th><th class="num">alerts</th><th class="num">seed</th></tr></thead><tbody>';
  const sorted = [...fps].sort(
    (a, b) =>
      (a.profile ?? '').localeCompare(b.profile ?? '') || b.alerts - a.alerts || a.firstArrival - b.firstArrival,
  );
  for (const i of sorted.slice(0, TABLE_ROWS))
    out += `<tr><td>${esc(i.profile ?? '—')}</td><td class="wrap"><code>${esc(i.rules.join(', '))}</code></td><td class="wrap">${esc(i.principal ?? '—')}</td><td>${esc(i.day ?? '')}</td><td class="num">${i.alerts}</td><td class="num">${i.seed}</td></tr>`;
  out += '</tbody></table>';
  if (sorted.length > TABLE_ROWS)
    out += `<p class="muted small">The ${TABLE_ROWS} first of ${sorted.length} incidents (by profile, then most alerts); summary.json lists them all.</p>`;
  const alerts = c.alerts.filter((a) => a.verdict === 'fp');
  out += `<details><summary>The ${Math.min(FP_ALERT_ROWS, alerts.length)} first of ${alerts.length} false-positive alert(s)</summary><table data-table="fp-alerts"><thead><tr><th>arrived (UTC)</th><th>rule</th><th>subject</th><th>profile</th><th class="num">evidence benign / unknown / cited</th></tr></thead><tbody>`;
  for (const a of alerts.slice(0, FP_ALERT_ROWS))
    out += `<tr><td>${esc(isoOrNull(a.arrivedAt))}</td><td><code>${esc(a.rule)}</code></td><td class="wrap">${esc(a.subject)}</td><td>${esc(a.profile ?? '—')}</td><td class="num">${a.evidence.benign} / ${a.evidence.unknown} / ${a.evidence.cited}</td></tr>`;
  return `${out}</tbody></table></details>`;
}

function observabilitySection(c: Scorecard, seeds: readonly SeedDetail[]): string {
  const ts = techniques(c);
  if (!ts.length) return '<p class="empty">No campaigns: nothing to observe.</p>';
  const collected = new Set<SourceId>(seeds[0]?.collected ?? c.runs[0]?.sources ?? []);
  const evidence = new Map<string, number>();
  for (const x of c.campaigns)
    for (const s of x.sources) evidence.set(`${x.technique}|${s}`, (evidence.get(`${x.technique}|${s}`) ?? 0) + 1);
  let t = '<table data-table="observability"><thead><tr><th>technique</th>';
  for (const s of SOURCE_IDS)
    t += `<th>${esc(SOURCES[s].title)}${collected.has(s) ? '' : ' <span class="muted small">(not collected)</span>'}</th>`;
  t += '<th class="num">unobservable</th><th class="num">max recall</th></tr></thead><tbody>';
  for (const tech of ts) {
    const cs = c.campaigns.filter((x) => x.technique === tech);
    t += `<tr data-technique="${esc(tech)}"><td>${esc(tech)}</td>`;
    for (const s of SOURCE_IDS) {
      const n = evidence.get(`${tech}|${s}`) ?? 0;
      const cls = !collected.has(s) ? 'cell-off' : n > 0 ? 'cell-yes' : 'cell-no';
      const text = !collected.has(s) ? '—' : n > 0 ? `${n}/${cs.length}` : '0';
      t += `<td class="${cls} num" title="campaigns whose evidence this source holds">${esc(text)}</td>`;
    }
    const unobs = cs.filter((x) => !x.observable).length;
    t += `<td class="num">${unobs}/${cs.length}</td><td class="num">${esc(fmt('ratio', c.metrics[`max_recall{technique:${tech}}`]?.value))}</td></tr>`;
  }
  return `${t}</tbody></table><p class="muted small">A cell counts the campaigns of the technique with evidence in a collected source; "—": this tenant does not collect the source. Unobservable campaigns cap the achievable recall.</p>`;
}

function campaignSection(c: Scorecard, seeds: readonly SeedDetail[]): string {
  if (!c.campaigns.length) return '<p class="empty">No campaigns in this run.</p>';
  const who = new Map<string, SeedDetail['campaigns'][number]>();
  for (const s of seeds) for (const x of s.campaigns) who.set(`${s.seed}|${x.id}`, x);
  const weak = new Map<string, string[]>();
  const leaks = new Map<number, number>();
  for (const a of c.alerts) {
    for (const id of a.weakCampaigns) {
      const k = `${a.seed}|${id}`;
      const list = weak.get(k) ?? [];
      if (!list.includes(a.rule)) list.push(a.rule);
      weak.set(k, list);
    }
  }
  for (const l of c.leaks) leaks.set(l.seed, (leaks.get(l.seed) ?? 0) + 1);
  const list = (xs: readonly string[] | undefined, max = 3) =>
    !xs?.length
      ? '—'
      : `${xs.slice(0, max).map(esc).join('<br>')}${xs.length > max ? `<br><span class="muted">+${xs.length - max} more</span>` : ''}`;
  let t =
    '<table data-table="campaigns"><thead><tr><th>campaign</th><th>technique</th><th>principal</th><th>session</th><th>networks</th><th>first / last malicious record (UTC)</th><th>outcome</th><th>matching rules</th><th>weak-only rules</th></tr></thead><tbody>';
  const sorted = [...c.campaigns].sort((a, b) => a.seed - b.seed || a.start - b.start || a.id.localeCompare(b.id));
  for (const x of sorted.slice(0, TABLE_ROWS)) {
    const w = who.get(`${x.seed}|${x.id}`);
    const outcome = x.detected
      ? `<span class="pass">detected</span> by ${esc(x.matchedBy)} after ${esc(fmt('duration', x.latency))}`
      : x.weaklyDetected
        ? `<span class="error">weak only</span> (${esc(x.matchedBy)})`
        : `<span class="fail">missed</span>: ${esc((x.miss ?? '').replace(/_/g, ' '))}`;
    t += `<tr data-campaign="${esc(x.id)}" data-detected="${x.detected}"><td><code>${esc(x.id)}</code>${c.runs.length > 1 ? `<br><span class="muted small">seed ${x.seed}</span>` : ''}</td><td>${esc(x.technique)}</td><td class="wrap">${list(w?.principals, 2)}</td><td class="wrap">${list(w?.sessions, 2)}</td><td class="wrap">${list(w?.ips)}</td><td class="small">${esc(isoOrNull(x.start))}<br>${esc(isoOrNull(x.end))}</td><td>${outcome}</td><td class="wrap">${list(x.rules)}</td><td class="wrap">${list(x.detected ? [] : weak.get(`${x.seed}|${x.id}`))}</td></tr>`;
  }
  t += '</tbody></table>';
  if (sorted.length > TABLE_ROWS)
    t += `<p class="muted small">The ${TABLE_ROWS} first of ${sorted.length} campaigns; summary.json lists them all.</p>`;
  const leakCount = c.leaks.length;
  t += `<p class="small ${leakCount ? 'fail' : 'muted'}">${leakCount ? `${leakCount} leak(s): alerts citing a record before it was available to any collector (${[...leaks.entries()].map(([s, n]) => `seed ${s}: ${n}`).join(', ')}).` : 'No leaks: no alert cited a record before it was available.'}</p>`;
  return t;
}

function seedTable(seeds: readonly SeedDetail[]): string {
  if (seeds.length < 2) return '';
  let t =
    '<h2 id="seeds">Seeds</h2><table data-table="seeds"><thead><tr><th class="num">seed</th><th>recall</th><th class="num">false positives / day</th><th class="num">latency p95</th><th class="num">leaks</th></tr></thead><tbody>';
  for (const s of seeds) {
    const m = s.metrics;
    t += `<tr data-seed="${s.seed}"><td class="num">${s.seed}</td><td>${esc(fmtRate(m.recall, m['recall.lower'], m['recall.upper']))}</td><td class="num">${esc(fmt('per_day', m.false_positives_per_day?.value))}</td><td class="num">${esc(fmt('duration', m['latency.p95']?.value))}</td><td class="num">${m.leaks?.value ?? 0}</td></tr>`;
  }
  return `${t}</tbody></table>`;
}

function badge(o: Outcome): string {
  return `<span class="badge ${o}" data-outcome="${o}">${o}</span>`;
}

/** One scenario's page. */
export async function renderScenarioHtml(r: Report, s: ScenarioReport, index?: string): Promise<string> {
  const c = s.card;
  const seeds = s.details?.seeds ?? [];
  const scenarioReport: Report = { ...r, scenarios: [s] };
  const outcome = reportOutcome(scenarioReport);
  const days = c.runs.reduce((t, x) => t + x.days, 0);
  const seedList = c.runs.map((x) => x.seed);
  let b = '';
  if (index) b += `<p class="small"><a href="${esc(index)}">← all scenarios</a></p>`;
  b += `<h1>${esc(s.name)} ${badge(outcome)}</h1>`;
  b += `<p class="muted">enumbench ${esc(r.tool.version)} · ${esc(r.command)} · detector <code>${esc(s.details?.detector ?? 'alerts file')}</code> · ${esc(seedList.length === 1 ? `seed ${seedList[0]}` : `${seedList.length} seeds`)} · sources ${esc((c.runs[0]?.sources ?? []).join(', '))}</p>`;
  b += `<p class="verdict" data-verdict>${esc(verdictText(scenarioReport))}</p>`;
  const hyps = [...new Set(c.runs.flatMap((x) => x.hypotheses))];
  if (hyps.length)
    b += `<p class="warn">Hypotheses on: ${esc(hyps.join(', '))} — telemetry Microsoft does not emit.</p>`;
  const trusted = trustedArrivalMark(c.runs);
  if (trusted) b += `<p class="warn">${esc(trusted)}</p>`;
  for (const x of c.runs) if (x.latencyScaled) b += `<p class="warn">seed ${x.seed}: ${esc(x.latencyScaled)}</p>`;
  if (r.problems.length)
    b += `<div class="warn"><b>Problems in the inputs</b><ul>${r.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></div>`;
  b += '<h2 id="thresholds">Verdict and thresholds</h2>';
  b += thresholdsTable(s);
  if (s.gates.length)
    b += `<p class="muted small">Gates from: ${s.gates.map((g) => esc(gateSourceLine(g))).join('; ')}</p>`;
  b += headline(c, days);

  b += '<h2 id="timeline">Timeline</h2>';
  const first = seeds.find((x) => x.activity !== null);
  if (first?.activity) {
    b += await chart(
      'timeline',
      `Seed ${first.seed}${seeds.length > 1 ? ' (the first; every seed is in the table below)' : ''}: records per source by event time (blue), the attacker's among them (red), and by availability to a collector (grey: the delivery delay is its shift to the right); campaign windows shaded; alerts by arrival, coloured by verdict (green: true positive, amber: weak, red: false positive).`,
      timelineSpec(first.activity, c, first.seed),
      '',
    );
  } else b += '<p class="empty">No timeline: this report was written from scores alone (no dataset counts).</p>';

  b += '<h2 id="techniques">Recall and time to detect by technique</h2>';
  b += await techniqueSection(c);
  b += '<h2 id="latency">Latency distribution</h2>';
  b += await latencySection(c);
  b += '<h2 id="false-positives">False positives by benign profile</h2>';
  b += await falsePositiveSection(c);
  b += '<h2 id="observability">Observability under this collection</h2>';
  b += observabilitySection(c, seeds);
  b += '<h2 id="campaigns">Campaigns</h2>';
  b += campaignSection(c, seeds);
  b += seedTable(seeds);
  if (c.notes.length) b += `<h2 id="notes">Notes</h2><ul>${c.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`;
  b += '<h2 id="replay">Reproduce</h2>';
  b += `<table data-table="run"><tbody><tr><th>scenario</th><td>${esc(s.name)} <span class="muted small">${esc(c.runs[0]?.scenarioHash.slice(0, 12) ?? '')}</span></td></tr><tr><th>seeds</th><td>${esc(seedList.join(', '))}</td></tr><tr><th>detector</th><td><code>${esc(s.details?.detector ?? '—')}</code></td></tr><tr><th>window</th><td>${esc(isoOrNull(c.runs[0]?.window.start ?? null))} – ${esc(isoOrNull(c.runs[0]?.window.end ?? null))}</td></tr></tbody></table>`;
  b += `<pre data-replay>${esc(s.replay)}</pre>`;
  return page(`enumbench · ${s.name} · ${outcome}`, b);
}

function spread(values: readonly number[]): { min: number; median: number; max: number } | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
  return { min: v[0] as number, median, max: v[v.length - 1] as number };
}

/** A strip of dots, one per seed, on [0, 1]: the seed spread of a ratio, drawn by hand (tiny). */
function dots(values: readonly number[]): string {
  const W = 160;
  const H = 16;
  const xs = values.map((v) => (4 + Math.max(0, Math.min(1, v)) * (W - 8)).toFixed(1));
  return `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="recall per seed"><line x1="4" y1="8" x2="${W - 4}" y2="8" stroke="#d1d9e0"/>${xs.map((x) => `<circle cx="${x}" cy="8" r="3" fill="#0969da" fill-opacity="0.5"/>`).join('')}</svg>`;
}

/** The index of a run of several scenarios or seeds: one row per scenario with the seed spread. */
export function renderIndexHtml(r: Report, links: readonly string[]): string {
  const outcome = reportOutcome(r);
  let b = `<h1>enumbench ${esc(r.command)} ${badge(outcome)}</h1>`;
  b += `<p class="verdict" data-verdict>${esc(verdictText(r))}</p>`;
  if (r.problems.length)
    b += `<div class="warn"><b>Problems in the inputs</b><ul>${r.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></div>`;
  b +=
    '<table data-table="scenarios"><thead><tr><th>scenario</th><th>outcome</th><th class="num">seeds</th><th>recall (all seeds)</th><th>recall per seed: min / median / max</th><th></th><th class="num">false positives / day: min / median / max</th><th class="num">gates crossed</th></tr></thead><tbody>';
  r.scenarios.forEach((s, i) => {
    const one: Report = { ...r, scenarios: [s] };
    const seeds = s.details?.seeds ?? [];
    const recalls = seeds.map((x) => x.metrics.recall?.value).filter((v): v is number => typeof v === 'number');
    const fps = seeds
      .map((x) => x.metrics.false_positives_per_day?.value)
      .filter((v): v is number => typeof v === 'number');
    const rs = spread(recalls);
    const fs = spread(fps);
    const m = s.card.metrics;
    const crossed = s.verdicts.filter((v) => v.status !== 'pass').length;
    b += `<tr data-scenario="${esc(s.name)}"><td><a href="${esc(links[i] ?? '')}">${esc(s.name)}</a></td><td>${badge(reportOutcome(one))}</td><td class="num">${s.card.runs.length}</td><td>${esc(fmtRate(m.recall, m['recall.lower'], m['recall.upper']))}</td><td>${rs ? `${num(rs.min)} / ${num(rs.median)} / ${num(rs.max)}` : '—'}</td><td>${recalls.length ? dots(recalls) : ''}</td><td class="num">${fs ? `${num(fs.min)} / ${num(fs.median)} / ${num(fs.max)}` : '—'}</td><td class="num">${crossed} of ${s.verdicts.length}</td></tr>`;
  });
  b += '</tbody></table>';
  b += `<p class="muted small">Each scenario's page has its timeline, techniques, false positives, observability, campaigns and the command that reproduces it.</p>`;
  return page(`enumbench · ${r.command} · ${outcome}`, b);
}

/**
 * The HTML files of a report: `report.html` alone for one scenario of one seed; otherwise
 * `report.html` is the index and each scenario has `report/<name>.html`.
 */
export async function renderHtmlReport(r: Report): Promise<HtmlFile[]> {
  const single = r.scenarios.length === 1 && (r.scenarios[0]?.card.runs.length ?? 0) <= 1;
  if (single || r.scenarios.length === 0) {
    const s = r.scenarios[0];
    if (!s) return [{ path: 'report.html', html: renderIndexHtml(r, []) }];
    return [{ path: 'report.html', html: await renderScenarioHtml(r, s) }];
  }
  const names = pageNames(r.scenarios.map((s) => s.name));
  const files: HtmlFile[] = [{ path: 'report.html', html: renderIndexHtml(r, names) }];
  for (const [i, s] of r.scenarios.entries())
    files.push({ path: names[i] as string, html: await renderScenarioHtml(r, s, '../report.html') });
  return files;
}
