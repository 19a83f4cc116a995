/**
 * What every renderer receives: the scored scenarios with their verdicts, the problems found in the
 * inputs, and how to reproduce the run. Renderers are pure: they return strings; harness/ writes files.
 */
import type { Scorecard } from '../scoring/types.js';
import type { Verdict } from '../thresholds/types.js';

export interface ScenarioReport {
  /** scenario name */
  name: string;
  /** the scorecard (combined over seeds when the scenario ran with several) */
  card: Scorecard;
  verdicts: Verdict[];
  /** one command line that reproduces this scenario's result */
  replay: string;
}

export interface Report {
  tool: { name: string; version: string };
  /** the command that produced the report: 'run' or 'score' */
  command: string;
  scenarios: ScenarioReport[];
  /** problems in the inputs (malformed alerts, …): each makes the outcome `invalid` */
  problems: string[];
}

export type Outcome = 'passed' | 'failed' | 'invalid';

/**
 * The outcome a report describes: `invalid` when an input was bad or a threshold could not be
 * evaluated, else `failed` when a gate failed, else `passed`. The CLI maps it to an exit code.
 */
export function reportOutcome(r: Report): Outcome {
  const verdicts = r.scenarios.flatMap((s) => s.verdicts);
  if (r.problems.length || verdicts.some((v) => v.status === 'error')) return 'invalid';
  if (verdicts.some((v) => v.status === 'fail')) return 'failed';
  return 'passed';
}
