/**
 * ScoringSubset keeps, from labels and schedule streamed one line at a time, only what the scorer
 * looks up — and scores exactly as the whole inputs do, including the corners generated datasets
 * rarely have: an id labelled twice (the last label wins), a record delivered several times (the
 * first availability counts), ids cited in another case or with blanks, ids nobody knows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert, ReceivedAlert } from '../../src/core/alerts.js';
import type { DeliveryEntry } from '../../src/core/dataset.js';
import type { RecordLabel } from '../../src/core/truth.js';
import { ScoringSubset, scoreRun, scoreWithLookups } from '../../src/scoring/index.js';
import {
  ATTACKER_IP,
  at,
  BENIGN_IDS,
  CONTEXT_IDS,
  HELPDESK,
  MALICIOUS_IDS,
  makeDelivery,
  makeLabels,
  makeTruth,
  SYNC,
  VICTIM,
} from './world.js';

const truth = makeTruth();
const baseLabels = makeLabels();
const baseDelivery = makeDelivery();
const IDS = [...MALICIOUS_IDS, ...CONTEXT_IDS, ...BENIGN_IDS];

const alertArb: fc.Arbitrary<Alert> = fc
  .record(
    {
      rule: fc.constantFrom('bulk', 'ua'),
      principal: fc.constantFrom(HELPDESK, SYNC, VICTIM, 'rogue-app-id'),
      sessionId: fc.constantFrom('sess-hound', 'uti-hound', 'sess-road', 'sess-benign'),
      ip: fc.constantFrom(ATTACKER_IP, '192.0.2.1'),
      evidence: fc.array(
        fc.oneof(
          fc.constantFrom(...IDS, 'unknown-1', ''),
          fc.constantFrom(...IDS).map((s) => ` ${s.toUpperCase()}`),
        ),
        { maxLength: 6 },
      ),
    },
    { requiredKeys: ['rule'] },
  )
  .filter((a) => a.principal !== undefined || a.sessionId !== undefined || a.evidence !== undefined);

const alertsArb: fc.Arbitrary<ReceivedAlert[]> = fc
  .array(fc.tuple(alertArb, fc.integer({ min: -60, max: 2880 })), { maxLength: 12 })
  .map((list) => list.map(([alert, m], seq) => ({ alert, arrivedAt: at(m), seq })));

/** labels in any order, some dropped, some ids labelled again by another actor or campaign */
const labelsArb: fc.Arbitrary<RecordLabel[]> = fc
  .tuple(
    fc.shuffledSubarray(baseLabels),
    fc.array(
      fc.record({
        id: fc.constantFrom(...IDS).map((s) => (s.length % 2 ? s.toUpperCase() : s)),
        actor: fc.constantFrom('workforce', 'backup-app', 'attack:hound'),
        campaign: fc.option(fc.constantFrom(...truth.campaigns.map((c) => c.id), 'not-a-campaign'), {
          nil: undefined,
        }),
        context: fc.boolean(),
      }),
      { maxLength: 5 },
    ),
  )
  .map(([kept, again]) => [
    ...kept,
    ...again.map(
      ({ id, actor, campaign, context }): RecordLabel => ({
        id,
        source: 'graphActivity' as const,
        time: at(1),
        actor,
        ...(campaign !== undefined
          ? { class: context ? 'context' : 'evidence', campaign }
          : { class: 'benign', profile: actor }),
      }),
    ),
  ]);

/** the schedule in any order, some deliveries dropped, some records delivered again later or earlier */
const deliveryArb: fc.Arbitrary<DeliveryEntry[]> = fc
  .tuple(
    fc.shuffledSubarray(baseDelivery),
    fc.array(fc.tuple(fc.constantFrom(...baseDelivery), fc.integer({ min: -120, max: 120 })), { maxLength: 5 }),
  )
  .map(([kept, again]) => [
    ...kept,
    ...again.map(([d, shift]) => ({ ...d, at: d.at + shift * 60_000, duplicate: true })),
  ]);

describe('ScoringSubset', () => {
  it('scores exactly as the whole labels, schedule and ledger (the schedule) do', () => {
    fc.assert(
      fc.property(
        alertsArb,
        labelsArb,
        deliveryArb,
        fc.record({ labels: fc.boolean(), delivery: fc.boolean(), scheduleIsLedger: fc.boolean() }),
        (alerts, labels, delivery, given) => {
          const whole = scoreRun({
            truth,
            alerts,
            labels: given.labels ? labels : null,
            delivery: given.delivery ? delivery : null,
            collected: given.scheduleIsLedger ? new Set(given.delivery ? delivery.map((d) => d.id) : []) : null,
          });
          const subset = new ScoringSubset(alerts, given);
          if (given.labels) for (const l of labels) subset.addLabel(l);
          if (given.delivery) for (const d of delivery) subset.addDelivery(d);
          expect(scoreWithLookups({ truth, alerts }, subset.lookups())).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps only cited records and campaign records', () => {
    const alerts: ReceivedAlert[] = [
      { alert: { rule: 'r', evidence: [BENIGN_IDS[0] as string] }, arrivedAt: at(0), seq: 0 },
    ];
    const subset = new ScoringSubset(alerts, { labels: true, delivery: true, scheduleIsLedger: false });
    for (const l of baseLabels) subset.addLabel(l);
    for (const d of baseDelivery) subset.addDelivery(d);
    const l = subset.lookups();
    expect([...(l.labels?.keys() ?? [])]).toEqual([BENIGN_IDS[0]]);
    expect([...(l.availability?.keys() ?? [])]).toEqual([BENIGN_IDS[0]]);
    expect(l.campaignCollected).toBeNull();
    expect(subset.isKnown(BENIGN_IDS[0] as string)).toBe(true);
    expect(subset.isKnown('unknown-1')).toBe(false);
  });
});
