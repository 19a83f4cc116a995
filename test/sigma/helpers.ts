/** Writing Sigma rules to a temporary folder and running them over hand-built records. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sigmaDetector } from '../../harness/sigma/detector.js';
import { loadSigmaRules, type SigmaRule } from '../../harness/sigma/rule.js';
import type { TelemetryRecord } from '../../src/core/records.js';
import type { SourceId } from '../../src/core/sources.js';
import { batch, drive, type Emitted, T0 } from '../detectors/published/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

/** Write `text` as a rule file and load it. */
export function rules(text: string, name = 'rule.yml'): SigmaRule[] {
  const dir = tempDir('enumbench-sigma-');
  writeFileSync(join(dir, name), text);
  return loadSigmaRules(join(dir, name), dir);
}

/** The error message loading `text` gives ('' when it loads). */
export function refusal(text: string): string {
  try {
    rules(text);
    return '';
  } catch (e) {
    return `${(e as Error).message}\nhint: ${(e as { hint?: string }).hint ?? ''}`;
  }
}

/** A one-selection sign-in rule. */
export function signInRule(selection: string, condition = 'selection'): string {
  return `title: t
logsource:
  product: azure
  service: signinlogs
detection:
  selection:
${selection
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
  condition: ${condition}
`;
}

/** Run the rules over records delivered in one batch each, in order. */
export async function run(
  loaded: SigmaRule[],
  deliveries: { source: SourceId; records: TelemetryRecord[]; at?: number }[],
  sources?: SourceId[],
): Promise<Emitted[]> {
  const det = sigmaDetector(loaded, 'sigma:test');
  return drive(
    det,
    deliveries.map((d, i) => batch(d.at ?? T0 + (i + 1) * 60_000, d.source, d.records)),
    sources ? { sources } : {},
  );
}
