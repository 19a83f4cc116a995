/**
 * Prints the adversarial baselines' figures on every library scenario the suite runs (docs/adversarial.md):
 *
 *   npx tsx test/adversarial/measure-baselines.ts [--ts] [scenario-name…]
 *
 * One Markdown table row per baseline × scenario: campaigns detected, recall, precision, false-positive
 * incidents, the advantage the suite asserts on (run-baselines.ts) and whether the baseline wins
 * (recall ≥ 0.9 and precision ≥ 0.9; silent all day where there is no attack). With `--ts`, then
 * the MEASURED table of measured.ts.
 */
import { advantage, type BaselineFigures, measureBaselines, wins } from './run-baselines.js';
import { adversarialScenarios } from './scenarios.js';

const args = process.argv.slice(2);
const ts = args.includes('--ts');
const only = new Set(args.filter((a) => a !== '--ts'));
const fmt = (v: number | null) => (v === null ? '–' : v.toFixed(2));
const all: BaselineFigures[] = [];
console.log('| scenario | baseline | detected | recall | precision | FP incidents | FP/day | advantage | wins |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const s of adversarialScenarios()) {
  if (only.size > 0 && !only.has(s.name)) continue;
  for (const f of await measureBaselines(s.scenario)) {
    all.push(f);
    console.log(
      `| ${f.scenario} | ${f.baseline} | ${f.detected}/${f.campaigns} | ${fmt(f.recall)} | ${fmt(f.precision)} | ${f.falsePositives} | ${fmt(f.falsePositivesPerDay)} | ${fmt(advantage(f))} | ${wins(f) ? '**yes**' : 'no'} |`,
    );
  }
}
if (ts) {
  console.log('\nexport const MEASURED: Readonly<Record<string, Readonly<Record<string, number>>>> = {');
  for (const name of [...new Set(all.map((f) => f.scenario))]) {
    const row = all.filter((f) => f.scenario === name).map((f) => `'${f.baseline}': ${advantage(f).toFixed(2)}`);
    console.log(`  '${name}': { ${row.join(', ')} },`);
  }
  console.log('};');
}
