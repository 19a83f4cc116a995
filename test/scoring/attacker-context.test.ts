/**
 * Attacker context: an alert on the attacker's own sign-in is neither a false positive nor a
 * detection of the technique — a weak match of the campaign, never blamed on a benign profile
 * (docs/scoring.md "Labels: evidence, context, benign"). Checked on the library's gal-dump.yaml,
 * whose campaigns leave nothing but their sign-ins, with a rule that alerts on exactly those rows
 * (the best a "risky sign-in" rule can do), and against the control: the same rule on a benign
 * sign-in is a false positive of the workforce.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../harness/catalog.js';
import type { ReceivedAlert } from '../../src/core/alerts.js';
import type { DeliveryEntry } from '../../src/core/dataset.js';
import type { LabelledRecord } from '../../src/core/records.js';
import { loadScenario } from '../../src/scenario/index.js';
import { parseLabelsText, scoreRun } from '../../src/scoring/index.js';
import { generateInMemory } from '../generators/helpers/run.js';
import { ROOT } from '../helpers/cli.js';

const file = join(ROOT, 'scenarios', 'gal-dump.yaml');
const loaded = loadScenario(readFileSync(file, 'utf8'), file, buildCatalog());
if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
const d = generateInMemory(loaded.scenario);
const labels = parseLabelsText(d.labels.join('\n'));
const delivery = d.delivery.map((l) => JSON.parse(l) as DeliveryEntry);
const availableAt = new Map(delivery.filter((e) => !e.duplicate).map((e) => [`${e.source}/${e.id}`, e.at]));

type SignIn = { userPrincipalName: string; ipAddress: string; sessionId: string | null };
const signIn = (r: LabelledRecord) => (r.record as { properties: SignIn }).properties;

/** The rule "alert on this sign-in", 5 minutes after the row became available. */
function alertOn(r: LabelledRecord, cite: boolean, seq: number): ReceivedAlert {
  const p = signIn(r);
  return {
    alert: {
      rule: 'risky-signin',
      principal: p.userPrincipalName,
      ip: p.ipAddress,
      ...(p.sessionId ? { sessionId: p.sessionId } : {}),
      ...(cite ? { evidence: [r.id] } : {}),
    },
    arrivedAt: (availableAt.get(`${r.source}/${r.id}`) as number) + 5 * 60_000,
    seq,
  };
}

const attackerSignIns = d.records.filter((r) => r.source === 'signIns' && r.label.campaign !== undefined);

describe('an alert on attacker context', () => {
  it('the dataset labels the attackers’ sign-ins as context of their campaigns, with no evidence', () => {
    expect(labels.problems).toEqual([]);
    expect(attackerSignIns.length).toBeGreaterThanOrEqual(2);
    const byId = new Map(labels.items.map((l) => [l.id, l]));
    for (const r of attackerSignIns) {
      expect(byId.get(r.id)).toMatchObject({ class: 'context', campaign: r.label.campaign });
    }
    expect(labels.items.filter((l) => l.class === 'evidence')).toEqual([]);
    for (const c of d.truth.campaigns) {
      expect(c.firstAvailable).toBeNull();
      expect(c.context.firstAvailable).not.toBeNull();
    }
    // a benign label says its profile
    expect(labels.items.find((l) => l.class === 'benign')).toMatchObject({ profile: 'workforce' });
  });

  it.each([
    ['citing the sign-in', true],
    ['naming the session, principal and IP only', false],
  ])('%s is a weak match of the campaign: no false positive, no detection, no profile', (_name, cite) => {
    const alerts = attackerSignIns.map((r, i) => alertOn(r, cite, i));
    const card = scoreRun({ truth: d.truth, alerts, labels: labels.items, delivery });
    expect(card.alerts.map((a) => a.verdict)).toEqual(alerts.map(() => 'weak'));
    expect(card.alerts.every((a) => a.profile === null)).toBe(true);
    expect(card.metrics.false_positives?.value).toBe(0);
    expect(card.metrics['false_positives{profile:workforce}']?.value).toBe(0);
    // precision is true / (true + false): with neither it is undefined, not 0
    expect(card.metrics.precision?.value).toBeNull();
    expect(card.metrics.recall?.value).toBe(0);
    expect(card.metrics.weak_recall?.value).toBe(1);
    expect(card.metrics.weak_incidents?.value).toBe(d.truth.campaigns.length);
    for (const c of card.campaigns) {
      expect(c).toMatchObject({ detected: false, weaklyDetected: true, matchedBy: 'context', miss: 'unobservable' });
    }
  });

  it('the same rule on a benign sign-in is a false positive of the workforce, and precision counts it', () => {
    const benign = d.records.find((r) => r.source === 'signIns' && r.label.campaign === undefined);
    if (!benign) throw new Error('no benign sign-in');
    const alerts = [alertOn(benign, true, 0), ...attackerSignIns.map((r, i) => alertOn(r, true, i + 1))];
    const card = scoreRun({ truth: d.truth, alerts, labels: labels.items, delivery });
    expect(card.alerts.find((a) => a.verdict === 'fp')).toMatchObject({ profile: 'workforce' });
    expect(card.metrics.false_positives?.value).toBe(1);
    expect(card.metrics.precision).toMatchObject({ value: 0, k: 0, n: 1 });
  });
});
