/**
 * The HTML report: every section present, figures equal to summary.json's, no script or fetched
 * resource anywhere, text from outside escaped, the bad inputs of issue 21 (no alerts, no
 * campaigns, unobservable only, several scenarios and seeds) rendered without a throw, and the
 * timeline's counts aggregated (never records).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReceivedAlert } from '../../src/core/alerts.js';
import type { Truth } from '../../src/core/truth.js';
import {
  ActivityCounter,
  bucketWidth,
  buildSummary,
  chartWarnings,
  commandLine,
  esc,
  MAX_BUCKETS,
  type Report,
  renderHtmlReport,
  type ScenarioReport,
} from '../../src/report/index.js';
import { parseThresholdLine } from '../../src/scenario/thresholds.js';
import { scoreRun } from '../../src/scoring/index.js';
import { builtinVerdicts, evaluateThresholds } from '../../src/thresholds/index.js';
import { HELPDESK, makeDelivery, makeLabels, makeTruth, received, SYNC, VICTIM } from '../scoring/world.js';

const EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>';

function scenario(
  o: { name?: string; truth?: Truth; alerts?: ReceivedAlert[]; detector?: string } = {},
): ScenarioReport {
  const truth = o.truth ?? makeTruth();
  const labels = makeLabels().filter((l) => !l.campaign || truth.campaigns.some((c) => c.id === l.campaign));
  const delivery = makeDelivery().filter((d) => labels.some((l) => l.id === d.id));
  const card = scoreRun({
    truth,
    labels,
    delivery,
    alerts: o.alerts ?? [
      received({ rule: 'graph-bulk-listing', principal: HELPDESK, evidence: ['h1', 'h2', 'h3'] }, 655),
      received({ rule: `bulk ${EVIL}`, principal: SYNC, evidence: ['s1', 's2', 's3'] }, 95),
      received({ rule: 'new-session-listing', principal: VICTIM }, 1550),
    ],
  });
  const counter = new ActivityCounter(truth.window.start, truth.window.end, truth.sources);
  for (const l of labels) counter.record(l.source, l.time, l.class !== 'benign');
  for (const d of delivery) counter.available(d.source, d.at, d.duplicate === true);
  const th = parseThresholdLine('recall>=0.5');
  if (!th.ok) throw new Error('threshold');
  const name = o.name ?? 'unit';
  return {
    name,
    card,
    verdicts: [...evaluateThresholds(card, [th.value], 'expect'), ...builtinVerdicts(card)],
    gates: [{ origin: 'expect', from: 'unit.yaml', count: 1 }],
    replay: commandLine([
      'enumbench',
      'run',
      `${name}.yaml`,
      '--seed',
      String(truth.seed),
      '--detector',
      o.detector ?? 'builtin:volume',
    ]),
    details: {
      detector: o.detector ?? 'builtin:volume',
      seeds: [
        {
          seed: truth.seed,
          metrics: card.metrics,
          activity: counter.result(),
          campaigns: truth.campaigns.map((c) => ({
            id: c.id,
            principals: c.principals,
            sessions: c.sessions,
            ips: c.ips,
          })),
          collected: truth.sources,
        },
      ],
    },
  };
}

const report = (...scenarios: ScenarioReport[]): Report => ({
  tool: { name: 'enumbench', version: '0.1.0' },
  command: 'run',
  scenarios,
  problems: [],
});

/** What a self-contained page never holds: a script, a fetched resource, an inline handler. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/<link/i);
  expect(html).not.toMatch(/<iframe/i);
  // an event-handler attribute in a tag (quoted attribute values, escaped, may say anything)
  expect(html).not.toMatch(/<[a-z][a-z0-9]*(\s+[a-z-]+(="[^"]*")?)*\s+on[a-z]+=/i);
  expect(html).not.toMatch(/@import|url\(/i);
  // the only URLs are the SVG namespaces
  const urls = html.match(/https?:\/\/[^\s"'<>]+/g) ?? [];
  for (const u of urls) expect(u).toMatch(/^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink)$/);
}

describe('the HTML report', () => {
  it('has every section and chart, with the figures summary.json holds', async () => {
    const r = report(scenario());
    const [file, ...more] = await renderHtmlReport(r);
    expect(more).toEqual([]);
    expect(file?.path).toBe('report.html');
    const html = file?.html ?? '';
    expectSelfContained(html);
    for (const chart of ['timeline', 'recall', 'latency', 'false-positives'])
      expect(html, chart).toMatch(new RegExp(`<figure data-chart="${chart}"><svg `));
    for (const table of [
      'thresholds',
      'techniques',
      'false-positives',
      'fp-alerts',
      'observability',
      'campaigns',
      'run',
    ])
      expect(html, table).toContain(`data-table="${table}"`);
    const summary = buildSummary(r);
    const metrics = summary.scenarios[0]?.metrics ?? {};
    const shown = [...html.matchAll(/data-metric="([^"]+)" data-value="([^"]+)"/g)];
    expect(shown.length).toBeGreaterThan(8);
    for (const [, key, value] of shown) {
      const expected = metrics[key as string]?.value ?? null;
      expect(value === 'null' ? null : Number(value), key).toBe(expected);
    }
    expect(html).toContain(esc(summary.verdict.replace(/^.*?: /, '')));
    expect(html).toContain('data-technique="azurehound"');
    expect(html).toContain('T1087.004');
    expect(html).toContain(esc(r.scenarios[0]?.replay ?? ''));
  });

  it('is the same bytes twice (deterministic, no time of writing)', async () => {
    const a = await renderHtmlReport(report(scenario()));
    const b = await renderHtmlReport(report(scenario()));
    expect(a).toEqual(b);
  });

  it('escapes what comes from outside: scenario, detector and rule names cannot inject', async () => {
    const s = scenario({ name: `x${EVIL}`, detector: `module:${EVIL}` });
    const pages = await renderHtmlReport(report(s, scenario({ name: 'second' })));
    for (const p of pages) {
      expectSelfContained(p.html);
      expect(p.path).toMatch(/^(report\.html|report\/[A-Za-z0-9._-]+\.html)$/);
    }
    const page = pages.find((p) => p.path !== 'report.html')?.html ?? '';
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('renders a run with no alerts: explains the empty charts instead of drawing nothing', async () => {
    const [file] = await renderHtmlReport(report(scenario({ alerts: [] })));
    const html = file?.html ?? '';
    expectSelfContained(html);
    expect(html).toMatch(/<figure data-chart="latency"><p class="empty">No campaign was strictly detected/);
    expect(html).toContain('No false positives.');
    expect(html).toMatch(/<figure data-chart="timeline"><svg /);
  });

  it('renders a run with no campaigns and one whose campaigns are all unobservable', async () => {
    const none = { ...makeTruth(), campaigns: [] };
    const [a] = await renderHtmlReport(report(scenario({ truth: none, alerts: [] })));
    expectSelfContained(a?.html ?? '');
    expect(a?.html).toContain('No campaigns in this run');
    const blind = makeTruth();
    blind.campaigns = blind.campaigns.map((c) => ({ ...c, firstAvailable: null, lastAvailable: null }));
    const [b] = await renderHtmlReport(report(scenario({ truth: blind, alerts: [] })));
    expect(b?.html).toContain('missed</span>: unobservable');
    expect(b?.html).toMatch(/data-metric="max_recall" data-value="0"/);
  });

  it('writes an index with the seed spread for several scenarios or seeds, and stays small for 10 × 20', async () => {
    const base = scenario();
    const seeds = Array.from({ length: 20 }, (_, i) => ({
      ...(base.details?.seeds[0] as NonNullable<ScenarioReport['details']>['seeds'][number]),
      seed: i + 1,
    }));
    const many = Array.from(
      { length: 10 },
      (_, i): ScenarioReport => ({
        ...base,
        name: `s${i}`,
        details: { detector: 'builtin:volume', seeds },
      }),
    );
    const files = await renderHtmlReport(report(...many));
    expect(files.map((f) => f.path)).toEqual(['report.html', ...many.map((s) => `report/${s.name}.html`)]);
    const index = files[0]?.html ?? '';
    expectSelfContained(index);
    expect(index.length).toBeLessThan(100_000);
    expect(index).toContain('href="report/s0.html"');
    expect((index.match(/<circle /g) ?? []).length).toBe(10 * 20);
    expect(files[1]?.html).toContain('href="../report.html"');
    expect(files[1]?.html).toContain('data-table="seeds"');
  });

  it('caps the incident table: a detector firing thousands of false positives keeps the page small', async () => {
    const noisy = Array.from({ length: 300 }, (_, i) =>
      received({ rule: `rule-${i}`, principal: SYNC, evidence: ['s1', 's2'] }, 95),
    );
    const [file] = await renderHtmlReport(report(scenario({ alerts: noisy })));
    const html = file?.html ?? '';
    const table = html.slice(html.indexOf('data-table="false-positives"'), html.indexOf('data-table="fp-alerts"'));
    expect((table.match(/<tr><td>/g) ?? []).length).toBe(200);
    expect(html).toContain('The 200 first of 300 incidents');
    expect(html.length).toBeLessThan(400_000);
  });

  it('names two scenarios whose safe names collide apart', async () => {
    const files = await renderHtmlReport(report(scenario({ name: 'a/b' }), scenario({ name: 'a:b' })));
    expect(files.map((f) => f.path)).toEqual(['report.html', 'report/a_b.html', 'report/a_b-2.html']);
  });

  it('draws every chart without a Vega-Lite warning', () => {
    expect(chartWarnings()).toEqual([]);
  });
});

describe('the timeline counts', () => {
  it('keeps at most MAX_BUCKETS buckets for any window, a minute wide for a few hours', () => {
    expect(bucketWidth(4 * 3_600_000)).toBe(60_000);
    fc.assert(
      fc.property(fc.integer({ min: 60_000, max: 400 * 86_400_000 }), (span) => {
        expect(Math.ceil(span / bucketWidth(span))).toBeLessThanOrEqual(MAX_BUCKETS);
      }),
    );
  });

  it('counts every record once, in a bucket or outside them, never more numbers than buckets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -10 * 86_400_000, max: 20 * 86_400_000 }), fc.boolean()), {
          maxLength: 200,
        }),
        (events) => {
          const c = new ActivityCounter(0, 7 * 86_400_000, ['ual']);
          for (const [t, bad] of events) {
            c.record('ual', t, bad);
            c.available('ual', t, false);
            c.available('ual', t, true);
          }
          const a = c.result();
          const s = a.sources[0];
          if (!s) throw new Error('no source');
          const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
          expect(sum(s.records) + s.outside.records).toBe(events.length);
          expect(sum(s.available) + s.outside.available).toBe(events.length);
          expect(sum(s.malicious)).toBeLessThanOrEqual(sum(s.records));
          expect(s.records.length).toBe(a.buckets);
          expect(a.buckets).toBeLessThanOrEqual(MAX_BUCKETS);
        },
      ),
    );
  });
});
