/**
 * What a rule-based detector (`kql:`, `sigma:`) needs collected, checked against what a scenario
 * collects before anything is generated (`run`), and again when the detector starts (a dataset
 * directory replayed by other means). A rule none of whose sources is collected could never see a
 * row: it is refused, with what the scenario does collect. A rule that reads several tables of which
 * some are not collected runs, with a warning naming the tables that stay empty.
 */
import { EnumbenchError } from '../src/core/errors.js';
import type { SourceId } from '../src/core/sources.js';

export interface SourceNeed {
  /** the error code when nothing the rule reads is collected (E_SIGMA_LOGSOURCE, E_KQL_SOURCE) */
  code: 'E_SIGMA_LOGSOURCE' | 'E_KQL_SOURCE';
  /** where the rule is written: `file:line` or `file` */
  where: string;
  /** the rule, as a person names it: `rule "title"` */
  rule: string;
  /** what it reads, as the rule says it (a logsource, tables) */
  reads: string;
  /** each table the rule reads and the source that fills it */
  tables: { table: string; source: SourceId }[];
}

/**
 * Throws when a rule can see nothing `scenario` collects (what it collects in the hint); returns a
 * warning for each rule that reads some tables no collected source fills.
 */
export function refuseUnmetNeeds(
  needs: readonly SourceNeed[],
  collected: readonly SourceId[],
  scenario = 'this scenario',
  howToCollect = 'collect the source (telemetry.collection or telemetry.sources in the scenario)',
): string[] {
  const have = new Set(collected);
  const refused: SourceNeed[] = [];
  const lines: string[] = [];
  const warnings: string[] = [];
  for (const n of needs) {
    const missing = n.tables.filter((t) => !have.has(t.source));
    if (missing.length === 0) continue;
    const sources = [...new Set(missing.map((t) => t.source))].join(', ');
    if (missing.length === n.tables.length) {
      refused.push(n);
      lines.push(`${n.where}: ${n.rule} reads ${n.reads} (${sources}), which ${scenario} does not collect`);
    } else {
      warnings.push(
        `${n.where}: ${n.rule} reads ${missing.map((t) => t.table).join(', ')} (${sources}), which ${scenario} does not collect: those tables stay empty`,
      );
    }
  }
  const first = refused[0];
  if (first) {
    throw new EnumbenchError(first.code, lines.join('\n'), {
      hint: `${scenario} collects ${collected.join(', ') || 'nothing'}: ${howToCollect}, or pick a rule for what is collected`,
    });
  }
  return warnings;
}
