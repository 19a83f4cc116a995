/**
 * From scorecards to a scenario's verdicts: combine the seeds, evaluate the scenario's `expect:`
 * thresholds, the command line's `--threshold`s, the built-in gates and the baseline's regression
 * gates. Shared by `score` and `run`; the CLI maps the report's outcome to an exit code.
 */
import type { ScenarioReport } from '../../src/report/model.js';
import type { Threshold } from '../../src/scenario/thresholds.js';
import { combineScorecards } from '../../src/scoring/combine.js';
import type { Scorecard } from '../../src/scoring/types.js';
import {
  type BaselineSummary,
  builtinVerdicts,
  evaluateThresholds,
  type RegressionAllowance,
  regressionVerdicts,
} from '../../src/thresholds/index.js';

export interface GateInput {
  name: string;
  /** one scorecard per seed */
  cards: readonly Scorecard[];
  /** the scenario's `expect:` block */
  expect?: readonly Threshold[];
  /** `--threshold` flags */
  cli?: readonly Threshold[];
  baseline?: { summary: BaselineSummary; allowances: readonly RegressionAllowance[] } | null;
  replay: string;
}

export function gateScenario(g: GateInput): ScenarioReport {
  const card = g.cards.length === 1 ? (g.cards[0] as Scorecard) : combineScorecards(g.cards);
  const verdicts = [
    ...evaluateThresholds(card, g.expect ?? [], 'expect'),
    ...evaluateThresholds(card, g.cli ?? [], 'cli'),
    ...builtinVerdicts(card),
    ...(g.baseline ? regressionVerdicts(card, g.name, g.baseline.summary, g.baseline.allowances) : []),
  ];
  return { name: g.name, card, verdicts, replay: g.replay };
}
