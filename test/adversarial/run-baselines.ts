/**
 * Running every adversarial baseline over one library scenario the way `enumbench run DIR` does:
 * the scenario is generated once into a temporary dataset directory (harness/dataset), replayed
 * once in lockstep (harness/run/dataset-run.ts) into all baselines side by side — each baseline
 * sees every delivery at its availability time, exactly as if it ran alone, and its alerts carry its
 * own rule name — and each baseline's alerts are scored alone by the real scorer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCatalog } from '../../harness/catalog.js';
import { generateDataset } from '../../harness/dataset/generate.js';
import { openDatasetKey, runOnDataset, scoreOnDataset } from '../../harness/run/dataset-run.js';
import type { Detector } from '../../src/core/detector.js';
import { loadScenario } from '../../src/scenario/index.js';
import type { Scenario } from '../../src/scenario/types.js';
import type { Scorecard } from '../../src/scoring/index.js';
import { BASELINES, type Baseline, baselineDetector } from './baselines.js';

/** Every baseline over one replay: deliveries, ticks and the context go to each in turn. */
function sideBySide(detectors: readonly Detector[]): Detector {
  return {
    name: 'adversarial baselines',
    async start(ctx) {
      for (const d of detectors) await d.start(ctx);
    },
    async ingest(batch, ctx) {
      for (const d of detectors) await d.ingest(batch, ctx);
    },
    async tick(now, ctx) {
      for (const d of detectors) await d.tick?.(now, ctx);
    },
    async stop(ctx) {
      for (const d of detectors) await d.stop(ctx);
    },
  };
}

export interface BaselineFigures {
  baseline: string;
  scenario: string;
  campaigns: number;
  detected: number;
  recall: number | null;
  precision: number | null;
  falsePositives: number;
  falsePositivesPerDay: number | null;
  alerts: number;
}

/**
 * How close a baseline comes to winning: min(recall, precision) on a scenario with attacks (no alert
 * at all counts as 0); on a scenario without one, 1 when it raised no false positive (a rule silent
 * on a whole benign day is a free signal) and 0 otherwise.
 */
export function advantage(f: BaselineFigures): number {
  if (f.campaigns === 0) return f.falsePositives === 0 ? 1 : 0;
  return Math.min(f.recall ?? 0, f.precision ?? 0);
}

/** A baseline wins with precision ≥ 0.9 and recall ≥ 0.9 (or silence where there is no attack). */
export function wins(f: BaselineFigures): boolean {
  return advantage(f) >= 0.9;
}

function figures(b: Baseline, scenario: string, card: Scorecard, alerts: number): BaselineFigures {
  const m = (k: string) => card.metrics[k]?.value ?? null;
  return {
    baseline: b.id,
    scenario,
    campaigns: card.campaigns.length,
    detected: card.campaigns.filter((c) => c.detected).length,
    recall: m('recall'),
    precision: m('precision'),
    falsePositives: m('false_positives') ?? 0,
    falsePositivesPerDay: m('false_positives_per_day'),
    alerts,
  };
}

/** A library scenario, normalised, with the size the adversarial suite runs it at (SIZE_OVERRIDES). */
export function loadLibraryScenario(file: string): Scenario {
  const r = loadScenario(readFileSync(file, 'utf8'), file, buildCatalog());
  if (!r.ok) throw new Error(`${file}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.scenario;
}

export async function measureBaselines(scenario: Scenario): Promise<BaselineFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'enumbench-adversarial-'));
  try {
    generateDataset(scenario, { out: dir, scenarioHash: 'adversarial', toolVersion: 'test' });
    const options = { timezone: scenario.tenant.timezone };
    // nine per-record rules side by side over a history window (compromised-app: 7 days) pass the
    // default 100,000 alerts of one detector
    const run = await runOnDataset({
      dir,
      detector: sideBySide(BASELINES.map((b) => baselineDetector(b, options))),
      maxAlerts: 2_000_000,
    });
    if (run.lockstep.failure) throw new Error(`baselines failed: ${run.lockstep.failure.message}`);
    const key = openDatasetKey(dir);
    return BASELINES.map((b) => {
      const alerts = run.lockstep.alerts.filter((a) => a.alert.rule === `adversarial-${b.id}`);
      const { card } = scoreOnDataset(key, { alerts, malformed: 0 });
      return figures(b, scenario.name, card, alerts.length);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.truth`, { recursive: true, force: true }); // its answer key, beside it
  }
}
