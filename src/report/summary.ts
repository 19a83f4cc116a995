/**
 * summary.json: the machine summary (STYLE.md 9). Schema-versioned, deterministic (no wall-clock
 * time, sorted keys in figure maps), and the input of `--baseline`.
 */
import type { MetricValue } from '../scoring/types.js';
import { SCORECARD_SCHEMA_VERSION } from '../scoring/types.js';
import type { Verdict } from '../thresholds/types.js';
import { isoOrNull } from './format.js';
import { type GateSource, type Outcome, type Report, reportOutcome, verdictText } from './model.js';

/** Bump when summary.json changes shape; baselines across schema versions are refused. */
export const SUMMARY_SCHEMA_VERSION = SCORECARD_SCHEMA_VERSION;

export interface SummaryScenario {
  name: string;
  hash: string;
  seeds: number[];
  window: { start: string; end: string } | null;
  days: number;
  sources: string[];
  hypotheses: string[];
  arrival: string;
  options: { toleranceMs: number; evidenceCap: number };
  alerts: { received: number; duplicates: number; malformed: number; history: number; scored: number };
  metrics: Record<string, MetricValue>;
  thresholds: Verdict[];
  /** where the thresholds came from (scenario file, dataset manifest, --threshold, baseline, built-in) */
  gates: GateSource[];
  campaigns: {
    seed: number;
    id: string;
    technique: string;
    detected: boolean;
    weaklyDetected: boolean;
    matchedBy: string | null;
    start: string;
    firstAvailable: string | null;
    firstDetection: string | null;
    latencyMs: number | null;
    latencyFromAvailableMs: number | null;
    rules: string[];
    miss: string | null;
  }[];
  falsePositives: {
    seed: number;
    rule: string;
    principal: string | null;
    day: string | null;
    profile: string | null;
    alerts: number;
  }[];
  leaks: { seed: number; rule: string; record: string; arrivedAt: string; availableAt: string | null }[];
  notes: string[];
  replay: string;
}

export interface Summary {
  schemaVersion: number;
  tool: { name: string; version: string };
  command: string;
  datasetFormatVersion: number | null;
  outcome: Outcome;
  /** the verdict line, as the console prints it */
  verdict: string;
  /** --allow-no-gates was given */
  allowNoGates: boolean;
  scenarios: SummaryScenario[];
  problems: string[];
}

export function buildSummary(r: Report): Summary {
  const scenarios = r.scenarios.map((s): SummaryScenario => {
    const c = s.card;
    const first = c.runs[0];
    const sum = (f: (x: (typeof c.runs)[number]) => number) => c.runs.reduce((t, x) => t + f(x), 0);
    return {
      name: s.name,
      hash: first?.scenarioHash ?? '',
      seeds: c.runs.map((x) => x.seed),
      window: first
        ? { start: new Date(first.window.start).toISOString(), end: new Date(first.window.end).toISOString() }
        : null,
      days: sum((x) => x.days),
      sources: first?.sources ?? [],
      hypotheses: [...new Set(c.runs.flatMap((x) => x.hypotheses))].sort(),
      arrival: [...new Set(c.runs.map((x) => x.arrival))].join(','),
      options: { toleranceMs: c.options.toleranceMs, evidenceCap: c.options.evidenceCap },
      alerts: {
        received: sum((x) => x.alerts.received),
        duplicates: sum((x) => x.alerts.duplicates),
        malformed: sum((x) => x.alerts.malformed),
        history: sum((x) => x.alerts.history),
        scored: c.alerts.filter((a) => a.verdict !== 'history').length,
      },
      metrics: c.metrics,
      thresholds: s.verdicts,
      gates: s.gates,
      campaigns: c.campaigns.map((x) => ({
        seed: x.seed,
        id: x.id,
        technique: x.technique,
        detected: x.detected,
        weaklyDetected: x.weaklyDetected,
        matchedBy: x.matchedBy,
        start: new Date(x.start).toISOString(),
        firstAvailable: isoOrNull(x.firstAvailable),
        firstDetection: isoOrNull(x.firstDetection),
        latencyMs: x.latency,
        latencyFromAvailableMs: x.latencyFromAvailable,
        rules: x.rules,
        miss: x.miss,
      })),
      falsePositives: c.incidents
        .filter((i) => i.kind === 'fp')
        .map((i) => ({
          seed: i.seed,
          rule: i.rules[0] ?? '',
          principal: i.principal,
          day: i.day,
          profile: i.profile,
          alerts: i.alerts,
        })),
      leaks: c.leaks.map((l) => ({
        seed: l.seed,
        rule: l.rule,
        record: l.record,
        arrivedAt: new Date(l.arrivedAt).toISOString(),
        availableAt: isoOrNull(l.availableAt),
      })),
      notes: c.notes,
      replay: s.replay,
    };
  });
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    tool: r.tool,
    command: r.command,
    datasetFormatVersion: r.scenarios[0]?.card.datasetFormatVersion ?? null,
    outcome: reportOutcome(r),
    verdict: verdictText(r),
    allowNoGates: r.allowNoGates === true,
    scenarios,
    problems: r.problems,
  };
}

export function renderSummaryJson(r: Report): string {
  return `${JSON.stringify(buildSummary(r), null, 2)}\n`;
}
