/**
 * What every renderer receives: the scored scenarios with their verdicts, the problems found in the
 * inputs, and how to reproduce the run. Renderers are pure: they return strings; harness/ writes files.
 */
import type { SourceId } from '../core/sources.js';
import type { MetricValue, Scorecard } from '../scoring/types.js';
import type { Verdict, VerdictOrigin } from '../thresholds/types.js';
import type { Activity } from './activity.js';

/**
 * Where a scenario's gates came from, one entry per source: the scenario file's `expect:`, the
 * dataset manifest's copy of it, `--threshold`, a baseline, the built-in checks. An entry with
 * `count: 0` records a source that was looked at and gave nothing (an `expect:` ignored with
 * `--no-expect`, a manifest without one), so every report says what gated the run.
 */
export interface GateSource {
  origin: VerdictOrigin;
  /** e.g. `scenarios/quickstart.yaml`, `out/datasets/q/seed-1/manifest.json`, `--threshold` */
  from: string;
  /** gates (threshold conditions) taken from it */
  count: number;
  /** e.g. `expect sha256 1a2b3c4d5e6f`, `ignored (--no-expect)` */
  note?: string;
}

export interface ScenarioReport {
  /** scenario name */
  name: string;
  /** the scorecard (combined over seeds when the scenario ran with several) */
  card: Scorecard;
  verdicts: Verdict[];
  /** where the verdicts' gates came from */
  gates: GateSource[];
  /** one command line that reproduces this scenario's result */
  replay: string;
  /** what the HTML report shows beyond the scorecard: set by `run` (absent from `score`) */
  details?: ScenarioDetails;
}

/** One seed's run as the HTML report draws it: its own figures and its timeline's counts. */
export interface SeedDetail {
  seed: number;
  /** this seed's own figures (the scorecard's, before seeds were combined) */
  metrics: Record<string, MetricValue>;
  activity: Activity | null;
  /** who each campaign acted as, from the answer key (the campaign table) */
  campaigns: { id: string; principals: string[]; sessions: string[]; ips: string[] }[];
  /** the sources this tenant collects */
  collected: SourceId[];
}

export interface ScenarioDetails {
  /** the detector as given (`builtin:volume`, `kql:rule.kql`, …) */
  detector: string;
  seeds: SeedDetail[];
}

export interface Report {
  tool: { name: string; version: string };
  /** the command that produced the report: 'run' or 'score' */
  command: string;
  scenarios: ScenarioReport[];
  /** problems in the inputs (malformed alerts, …): each makes the outcome `invalid` */
  problems: string[];
  /** `--allow-no-gates`: a scenario gated by nothing but the built-in checks may pass */
  allowNoGates?: boolean;
}

export type Outcome = 'passed' | 'failed' | 'invalid' | 'ungated';

/** Scenarios whose only gates are the built-in checks: nothing the user asked for was checked. */
export function ungatedScenarios(r: Report): string[] {
  return r.scenarios.filter((s) => !s.verdicts.some((v) => v.origin !== 'builtin')).map((s) => s.name);
}

/**
 * The outcome a report describes: `invalid` when an input was bad or a threshold could not be
 * evaluated, else `failed` when a gate failed, else `ungated` when a scenario had no gate but the
 * built-in checks (unless `allowNoGates`), else `passed`. The CLI maps it to an exit code.
 */
export function reportOutcome(r: Report): Outcome {
  const verdicts = r.scenarios.flatMap((s) => s.verdicts);
  if (r.problems.length || verdicts.some((v) => v.status === 'error')) return 'invalid';
  if (verdicts.some((v) => v.status === 'fail')) return 'failed';
  if (!r.allowNoGates && ungatedScenarios(r).length) return 'ungated';
  return 'passed';
}

/** One line per gate source: `expect: 3 gate(s) from scenarios/quickstart.yaml`. */
export function gateSourceLine(g: GateSource): string {
  const what = g.origin === 'builtin' ? 'built-in' : g.origin === 'cli' ? '--threshold' : g.origin;
  return `${what}: ${g.count} gate(s) from ${g.from}${g.note ? ` (${g.note})` : ''}`;
}

/**
 * The one-line verdict every renderer ends with, e.g. `passed: 4 gate(s) held`, `failed: 1 of 4
 * gate(s) crossed`, `no gates: scenario x is gated by nothing but the built-in leak check`.
 */
export function verdictText(r: Report): string {
  const outcome = reportOutcome(r);
  const verdicts = r.scenarios.flatMap((s) => s.verdicts);
  const failed = verdicts.filter((v) => v.status === 'fail').length;
  const errors = verdicts.filter((v) => v.status === 'error').length;
  const ungated = ungatedScenarios(r);
  const names = ungated.map((n) => `"${n}"`).join(', ');
  switch (outcome) {
    case 'passed':
      return ungated.length
        ? `passed without gates (--allow-no-gates): ${names} checked for leaks only; ${verdicts.length} gate(s) held`
        : `passed: ${verdicts.length} gate(s) held`;
    case 'failed':
      return `failed: ${failed} of ${verdicts.length} gate(s) crossed`;
    case 'ungated':
      return `no gates: ${names} ${ungated.length === 1 ? 'has' : 'have'} no gate but the built-in leak check, so nothing was judged — add \`expect:\` to the scenario, --threshold or --baseline, or pass --allow-no-gates`;
    default:
      return `invalid input: ${r.problems.length} problem(s), ${errors} gate(s) could not be evaluated, ${failed} crossed`;
  }
}
