/**
 * The HTML report's charts: Vega-Lite specifications rendered to SVG when the report is written
 * (no script in the page, nothing fetched when it is opened). Vega is loaded on first use only, so
 * commands that write no HTML never pay for it. Every scale of time is UTC: the same bytes on every
 * machine whatever its time zone.
 */
import { SOURCES, type SourceId } from '../core/sources.js';
import type { Scorecard } from '../scoring/types.js';
import type { Activity } from './activity.js';

type Spec = Record<string, unknown>;

interface VegaModules {
  vega: typeof import('vega');
  vl: typeof import('vega-lite');
}
let loaded: Promise<VegaModules> | undefined;
function modules(): Promise<VegaModules> {
  loaded ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, vl }));
  return loaded;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const CONFIG = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'top' },
  title: { fontSize: 13, anchor: 'start', fontWeight: 600 },
};
export const CHART_WIDTH = 860;

const WARNINGS: string[] = [];
/** What Vega-Lite warned about the charts rendered in this process (the tests expect none). */
export function chartWarnings(): readonly string[] {
  return WARNINGS;
}

/** Render one Vega-Lite spec to an SVG string (the text in it is escaped by Vega's SVG renderer). */
export async function renderSvg(spec: Spec): Promise<string> {
  const { vega, vl } = await modules();
  // the specs are ours: a warning is a defect to fix here (the tests expect none), never text on the CLI's stderr
  const keep = (...a: unknown[]) => {
    WARNINGS.push(a.join(' '));
    return logger;
  };
  const logger: Record<string, (...a: unknown[]) => unknown> = {
    level: () => logger,
    error: keep,
    warn: keep,
    info: () => logger,
    debug: () => logger,
  };
  const compiled = vl.compile({ config: CONFIG, ...spec } as never, { logger: logger as never });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logLevel: vega.None });
  try {
    const svg = await view.toSVG();
    // a chart scales down with the page (no horizontal overflow) and never up
    return svg.replace(/^<svg /, '<svg role="img" style="max-width:100%;height:auto" ');
  } finally {
    view.finalize();
  }
}

export const VERDICT_COLOURS = { tp: '#1a7f37', weak: '#bf8700', fp: '#cf222e' } as const;
const SERIES = ['records', 'attacker', 'available'] as const;
const SERIES_COLOURS = ['#0969da', '#cf222e', '#8c959f'];

function bucketLabel(ms: number): string {
  const m = ms / 60_000;
  return m < 60 ? `${m} min` : m < 1440 ? `${m / 60} h` : `${m / 1440} d`;
}

/**
 * The timeline: one panel per collected source with records per bucket by event time, the
 * attacker's share, and records by availability (the delivery delay is the shift between the two);
 * campaign windows shaded in every panel; alerts per bucket by verdict in a strip beneath.
 */
export function timelineSpec(activity: Activity, card: Scorecard, seed: number): Spec {
  const { start, bucketMs, buckets } = activity;
  const end = start + buckets * bucketMs;
  const domain = [start, end];
  const windows = card.campaigns
    .filter((c) => c.seed === seed)
    .map((c) => ({
      start: c.start,
      end: Math.max(c.end, c.start + bucketMs / 4),
      campaign: c.id,
      technique: c.technique,
    }));
  const per = bucketLabel(bucketMs);
  const x = (title: string | null) => ({
    field: 't',
    type: 'temporal',
    scale: { type: 'utc', domain },
    axis: { labelOverlap: true, format: end - start <= 36 * 3_600_000 ? '%H:%M' : '%b %d' },
    title,
  });
  const shade = {
    data: { values: windows },
    mark: { type: 'rect', color: '#cf222e', opacity: 0.1 },
    encoding: {
      x: { field: 'start', type: 'temporal' },
      x2: { field: 'end' },
    },
  };
  const panels: Spec[] = activity.sources.map((s, index) => {
    const rows: { t: number; series: string; n: number }[] = [];
    for (let i = 0; i < buckets; i++) {
      const t = start + i * bucketMs;
      rows.push({ t, series: 'records', n: s.records[i] ?? 0 });
      rows.push({ t, series: 'attacker', n: s.malicious[i] ?? 0 });
      rows.push({ t, series: 'available', n: s.available[i] ?? 0 });
    }
    const outside = s.outside.records + s.outside.available;
    const title = SOURCES[s.source as SourceId]?.title ?? s.source;
    return {
      title: outside
        ? {
            text: title,
            subtitle: `outside the time axis, not drawn: ${[
              s.outside.records ? `${s.outside.records} record(s) (history)` : '',
              s.outside.available ? `${s.outside.available} first deliveries (history, late delivery)` : '',
            ]
              .filter(Boolean)
              .join(', ')}`,
          }
        : title,
      width: CHART_WIDTH,
      height: 90,
      layer: [
        ...(windows.length ? [shade] : []),
        {
          data: { values: rows },
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.2 },
          encoding: {
            x: x(null),
            y: { field: 'n', type: 'quantitative', scale: { type: 'symlog' }, title: `per ${per}` },
            color: {
              field: 'series',
              type: 'nominal',
              scale: { domain: [...SERIES], range: SERIES_COLOURS },
              legend: index === 0 ? { title: null } : null,
            },
          },
        },
      ],
    };
  });
  const alertRows: { t: number; verdict: string; n: number }[] = [];
  const counts = new Map<string, number>();
  for (const a of card.alerts) {
    if (a.seed !== seed || a.verdict === 'history') continue;
    const i = Math.min(buckets - 1, Math.max(0, Math.floor((a.arrivedAt - start) / bucketMs)));
    const k = `${i}\u0000${a.verdict}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const [k, n] of [...counts.entries()].sort()) {
    const [i, verdict] = k.split('\u0000') as [string, string];
    const t = start + Number(i) * bucketMs;
    alertRows.push({ t, verdict, n });
  }
  const alerts: Spec = {
    title: 'Alerts (by arrival)',
    width: CHART_WIDTH,
    height: 60,
    layer: [
      ...(windows.length ? [shade] : []),
      {
        data: { values: alertRows },
        // a bar per bucket, as wide as the bucket (x2 would fight the fixed domain)
        mark: { type: 'bar', size: Math.max(2, Math.floor(CHART_WIDTH / buckets)), align: 'left' },
        encoding: {
          x: x('time (UTC)'),
          y: { field: 'n', type: 'quantitative', stack: true, title: `per ${per}` },
          color: {
            field: 'verdict',
            type: 'nominal',
            scale: {
              domain: ['tp', 'weak', 'fp'],
              range: [VERDICT_COLOURS.tp, VERDICT_COLOURS.weak, VERDICT_COLOURS.fp],
            },
            legend: { title: null },
          },
        },
      },
    ],
  };
  return {
    vconcat: [...panels, alerts],
    spacing: 12,
    resolve: { scale: { color: 'independent' } },
  };
}

/** Recall by technique with its 95% Wilson interval. */
export function recallSpec(
  rows: { technique: string; recall: number; lower: number; upper: number; n: number }[],
): Spec {
  return {
    width: CHART_WIDTH - 200,
    height: { step: 26 },
    data: { values: rows },
    encoding: {
      y: { field: 'technique', type: 'nominal', title: null, sort: null },
    },
    layer: [
      {
        mark: { type: 'bar', color: '#0969da', height: { band: 0.6 } },
        encoding: {
          x: { field: 'recall', type: 'quantitative', scale: { domain: [0, 1] }, title: 'recall (95% interval)' },
        },
      },
      {
        mark: { type: 'rule', color: '#24292f', strokeWidth: 1.5 },
        encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } },
      },
    ],
  };
}

/** Time to detect: each strictly detected campaign's latency, by technique. */
export function latencySpec(rows: { technique: string; minutes: number; from: string }[]): Spec {
  return {
    width: CHART_WIDTH - 200,
    height: { step: 30 },
    data: { values: rows },
    mark: { type: 'tick', thickness: 2, size: 14 },
    encoding: {
      x: { field: 'minutes', type: 'quantitative', title: 'minutes from the campaign start / first availability' },
      y: { field: 'technique', type: 'nominal', title: null },
      yOffset: { field: 'from', type: 'nominal' },
      color: {
        field: 'from',
        type: 'nominal',
        scale: { domain: ['campaign start', 'first availability'], range: ['#0969da', '#8c959f'] },
        legend: { title: null },
      },
    },
  };
}

/** False-positive incidents per benign profile. */
export function falsePositiveSpec(rows: { profile: string; incidents: number }[]): Spec {
  return {
    width: CHART_WIDTH - 200,
    height: { step: 24 },
    data: { values: rows },
    mark: { type: 'bar', color: VERDICT_COLOURS.fp },
    encoding: {
      y: { field: 'profile', type: 'nominal', title: null, sort: '-x' },
      x: { field: 'incidents', type: 'quantitative', title: 'false-positive incidents', axis: { tickMinStep: 1 } },
    },
  };
}
