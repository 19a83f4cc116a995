/**
 * Prints the leak classifier's figures (docs/adversarial.md): balanced accuracy on held-out attack
 * tools, per source and feature family, and per held-out technique.
 *
 *   npx tsx test/adversarial/measure-leaks.ts [--folds] [--features SOURCE FAMILY]
 *
 * `--folds` adds a row per held-out technique; `--features graphActivity formatting` prints, for one
 * source and family, each feature's balanced accuracy alone (which feature gives the leak away);
 * `--explain graphActivity formatting` prints, per held-out technique, the feature values that pushed
 * its records towards "attack" most (mean log-likelihood ratio per record, attack records and benign
 * test records side by side): the formatting or population marks to fix at their mechanism.
 */
import { PROFILES, TECHNIQUES } from '../../generators/registry.js';
import { SOURCE_IDS, type SourceId } from '../../src/core/sources.js';
import { FAMILIES, type Family, leakScenario, leaveOneTechniqueOut, sampleOf } from '../generators/helpers/leak.js';
import { generateInMemory } from '../generators/helpers/run.js';

const folds = process.argv.includes('--folds');
const fi = process.argv.indexOf('--features');
const solo = fi >= 0 ? { source: process.argv[fi + 1] as SourceId, family: process.argv[fi + 2] as Family } : null;
const ei = process.argv.indexOf('--explain');
const why = ei >= 0 ? { source: process.argv[ei + 1] as SourceId, family: process.argv[ei + 2] as Family } : null;
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

if (solo) {
  const mine = samples.filter((s) => s.source === solo.source);
  const names = [...new Set(mine.flatMap((s) => Object.keys(s.features[solo.family])))].sort();
  console.log(`\n| ${solo.source} ${solo.family} feature | balanced accuracy alone |\n|---|---|`);
  const rows = names.map((name) => {
    const only = mine.map((s) => {
      const v = s.features[solo.family][name];
      const kept = v === undefined ? {} : { [name]: v };
      return { ...s, features: { ...s.features, [solo.family]: kept } };
    });
    return [name, leaveOneTechniqueOut(only, solo.source, solo.family).balancedAccuracy] as const;
  });
  for (const [name, ba] of rows.sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))) console.log(`| ${name} | ${fmt(ba)} |`);
}

if (why) {
  const r = leaveOneTechniqueOut(samples, why.source, why.family, true);
  const clip = (s: string) => (s.length > 160 ? `${s.slice(0, 157)}…` : s);
  for (const f of r.folds) {
    const nA = f.tp + f.fn;
    const nB = f.tn + f.fp;
    const ev = f.evidence as NonNullable<typeof f.evidence>;
    console.log(
      `\n### ${why.source} ${why.family}: held out ${f.technique} (TPR ${fmt(f.tp / nA)}, TNR ${fmt(f.tn / nB)})`,
    );
    console.log('| feature = value | mean LLR per attack record | mean LLR per benign record |\n|---|---|---|');
    const top = [...ev.attack.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    for (const [k, v] of top)
      console.log(`| ${clip(k)} | ${(v / nA).toFixed(2)} | ${((ev.benign.get(k) ?? 0) / nB).toFixed(2)} |`);
  }
}
