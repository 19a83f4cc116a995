/**
 * Prints the leak classifier's figures (docs/adversarial.md): balanced accuracy on held-out attack
 * tools, per source and feature family, and per held-out technique.
 *
 *   npx tsx test/adversarial/measure-leaks.ts [--folds]
 */
import { PROFILES, TECHNIQUES } from '../../generators/registry.js';
import { SOURCE_IDS } from '../../src/core/sources.js';
import { FAMILIES, leakScenario, leaveOneTechniqueOut, sampleOf } from '../generators/helpers/leak.js';
import { generateInMemory } from '../generators/helpers/run.js';

const folds = process.argv.includes('--folds');
const d = generateInMemory(
  leakScenario(
    PROFILES.map((p) => p.info.id),
    TECHNIQUES.map((t) => t.info.id),
  ),
);
const samples = d.records.map(sampleOf);
const fmt = (v: number | null) => (v === null ? '–' : v.toFixed(2));
console.log('| source | features | balanced accuracy | attack records | benign records | held-out tools |');
console.log('|---|---|---|---|---|---|');
for (const source of SOURCE_IDS) {
  for (const family of FAMILIES) {
    const r = leaveOneTechniqueOut(samples, source, family);
    console.log(
      `| ${source} | ${family} | ${fmt(r.balancedAccuracy)} | ${r.attackRecords} | ${r.benignRecords} | ${r.folds.length} |`,
    );
    if (folds) {
      for (const f of r.folds) {
        const ba = (f.tp / (f.tp + f.fn) + f.tn / (f.tn + f.fp)) / 2;
        console.log(`|  | ↳ ${f.technique} | ${ba.toFixed(2)} | ${f.tp}/${f.tp + f.fn} | ${f.tn}/${f.tn + f.fp} | |`);
      }
    }
  }
}
