// @module-tag slow
/**
 * The library's fidelity pair and collection presets say what they claim: fidelity-real and
 * fidelity-an1089 differ only in the hypothesis and in the Get-* RecordType 1 records it adds; the
 * collection presets run the same campaigns and differ in what is observable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../harness/catalog.js';
import { loadScenario } from '../../../src/scenario/index.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { ROOT } from '../../helpers/cli.js';
import { generateInMemory } from '../helpers/run.js';

const catalog = buildCatalog();
function load(name: string): Scenario {
  const f = `scenarios/${name}.yaml`;
  const r = loadScenario(readFileSync(join(ROOT, f), 'utf8'), f, catalog);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.scenario;
}

describe('fidelity-real vs fidelity-an1089', () => {
  const real = load('fidelity-real');
  const an = load('fidelity-an1089');

  it('differ only in telemetry.hypotheses (and their names and briefs)', () => {
    const strip = (s: Scenario) => ({ ...s, name: '', description: '', telemetry: { ...s.telemetry, hypotheses: [] } });
    expect(strip(an)).toEqual(strip(real));
    expect(real.telemetry.hypotheses).toEqual([]);
    expect(an.telemetry.hypotheses).toEqual(['exo-get-cmdlets-audited']);
  });

  it('only the AN1089 side has Get-* ExchangeAdmin records, all of them the campaign’s cmdlets', () => {
    const getRecords = (s: Scenario) =>
      generateInMemory(s).records.filter(
        (r) =>
          r.source === 'ual' &&
          (r.record as { RecordType: number }).RecordType === 1 &&
          String((r.record as { Operation: string }).Operation).startsWith('Get-'),
      );
    expect(getRecords(real)).toEqual([]);
    const withHyp = getRecords(an);
    expect(
      withHyp.filter((r) => r.label.campaign === 'exo-recon').map((r) => (r.record as { Operation: string }).Operation),
    ).toEqual(['Get-Recipient', 'Get-Mailbox', 'Get-User']);
  });
});

describe('collection presets', () => {
  const observable = (name: string) => {
    const d = generateInMemory(load(name));
    const seen = Object.fromEntries(d.truth.campaigns.map((c) => [c.id, c.firstAvailable !== null]));
    const ualKinds = (campaign: string) =>
      new Set(
        d.records
          .filter((r) => r.label.campaign === campaign && r.source === 'ual')
          .map((r) => (r.record as { RecordType: number }).RecordType),
      );
    return { seen, ualKinds };
  };

  it('a UAL-only tenant loses the Graph-only campaigns; the GAL dump is unobservable everywhere', () => {
    const ual = observable('collection-ual-only');
    const e5 = observable('collection-e5-diagnostics');
    // observable = its evidence is collected: Exchange's Get-* cmdlets are not audited by default, so
    // the EXO dump shows only its sign-in (attacker context), never the technique itself
    expect(e5.seen).toEqual({ 'app-secret': true, 'exo-dump': false, gal: false, 'graph-listing': true, replay: true });
    expect(ual.seen.gal).toBe(false);
    // a replayed token's refreshes are non-interactive sign-ins, of which only a small share reaches
    // the UAL (env.ts UAL_SHARE_NON_INTERACTIVE): at most those RecordType 15 mirrors, never its Graph calls
    expect([...ual.ualKinds('replay')].filter((k) => k !== 15)).toEqual([]);
    expect(ual.seen['app-secret']).toBe(true); // the RecordType 8 credential event
  });
});
