import { describe, expect, it } from 'vitest';
import { scoreRun } from '../../src/scoring/index.js';
import { ATTACKER_IP, at, HELPDESK, makeDelivery, makeLabels, makeTruth, received, SYNC, VICTIM } from './world.js';

const score = (alerts: ReturnType<typeof received>[], extra: Partial<Parameters<typeof scoreRun>[0]> = {}) =>
  scoreRun({ truth: makeTruth(), alerts, labels: makeLabels(), delivery: makeDelivery(), ...extra });

describe('matching rules, strongest first', () => {
  it('evidence: one cited record of the campaign and a malicious majority match', () => {
    const card = score([received({ rule: 'r', evidence: ['h1', 'h2', 'b1'] }, 710)]);
    const c = card.campaigns.find((x) => x.id === 'hound');
    expect(c?.detected).toBe(true);
    expect(c?.matchedBy).toBe('evidence');
    expect(card.alerts[0]?.evidence).toMatchObject({ considered: 3, malicious: 2, benign: 1 });
    expect(card.metrics.evidence_precision?.value).toBeCloseTo(2 / 3);
  });

  it('evidence: a benign majority does not match (citing everything is no detection)', () => {
    const card = score([received({ rule: 'r', evidence: ['h1', 'b1', 'b2', 's1'] }, 710)]);
    expect(card.campaigns.every((c) => !c.detected)).toBe(true);
    expect(card.alerts[0]?.verdict).toBe('fp');
  });

  it('evidence beyond the cap is not considered', () => {
    const card = score([received({ rule: 'r', evidence: ['b1', 'b2', 'h1', 'h2', 'h3'] }, 710)], {
      options: { evidenceCap: 3 },
    });
    expect(card.alerts[0]?.evidence).toMatchObject({ cited: 5, considered: 3, truncated: true, malicious: 1 });
    expect(card.alerts[0]?.verdict).toBe('fp');
  });

  it('session: the attacker session or token id matches inside the window', () => {
    const card = score([received({ rule: 'r', sessionId: 'UTI-HOUND' }, 640)]);
    expect(card.campaigns.find((x) => x.id === 'hound')?.matchedBy).toBe('session');
    expect(card.metrics.recall?.value).toBe(0.5);
  });

  it('session: outside [first availability, last availability + tolerance] it does not', () => {
    const before = score([received({ rule: 'r', sessionId: 'sess-hound' }, 629)]);
    expect(before.alerts[0]?.verdict).toBe('fp');
    const late = score([received({ rule: 'r', sessionId: 'sess-hound' }, 700 + 6 * 60 + 1)]);
    expect(late.alerts[0]?.verdict).toBe('fp');
    const edge = score([received({ rule: 'r', sessionId: 'sess-hound' }, 700 + 6 * 60)]);
    expect(edge.alerts[0]?.verdict).toBe('tp');
  });

  it('principal + IP matches strictly', () => {
    const card = score([received({ rule: 'r', principal: HELPDESK.toUpperCase(), ip: ATTACKER_IP }, 660)]);
    expect(card.campaigns.find((x) => x.id === 'hound')?.matchedBy).toBe('principal_ip');
    expect(card.metrics.recall?.value).toBe(0.5);
  });

  it('principal alone is a weak match: weak recall, not strict recall, neither true nor false', () => {
    const card = score([received({ rule: 'r', principal: HELPDESK }, 660)]);
    expect(card.metrics.recall?.value).toBe(0);
    expect(card.metrics.weak_recall?.value).toBe(0.5);
    expect(card.alerts[0]?.verdict).toBe('weak');
    // precision = tp / (tp + fp): a weak incident is in neither, so precision and false positives agree
    expect(card.metrics.precision?.value).toBeNull();
    expect(card.metrics.false_positives?.value).toBe(0);
    expect(card.metrics.weak_incidents?.value).toBe(1);
    const withFp = score([
      received({ rule: 'r', principal: HELPDESK }, 660),
      received({ rule: 'r', evidence: ['s1'] }, 100),
    ]);
    expect(withFp.metrics.precision).toMatchObject({ value: 0, k: 0, n: 1 });
    expect(withFp.metrics.false_positives?.value).toBe(1);
  });

  it('attacker context: citing only the attacker sign-in is a weak match, never strict, never false', () => {
    const card = score([received({ rule: 'r', sessionId: 'sess-hound', evidence: ['hs'] }, 640)]);
    expect(card.alerts[0]).toMatchObject({ verdict: 'weak', matchedBy: 'context', profile: null });
    expect(card.alerts[0]?.evidence).toMatchObject({ malicious: 0, context: 1, benign: 0 });
    expect(card.campaigns.find((x) => x.id === 'hound')).toMatchObject({ detected: false, matchedBy: 'context' });
    expect(card.metrics.false_positives?.value).toBe(0);
  });

  it('attacker context: entities named while only the context was available are a weak match', () => {
    // the sign-in became available at 631; the Graph evidence at 630..700 — shift the evidence away
    const truth = makeTruth();
    const hound = truth.campaigns[0] as (typeof truth.campaigns)[number];
    hound.firstAvailable = at(640);
    hound.context = { ...hound.context, firstAvailable: at(500) };
    const card = score([received({ rule: 'r', principal: HELPDESK, ip: ATTACKER_IP }, 520)], { truth });
    expect(card.alerts[0]).toMatchObject({ verdict: 'weak', matchedBy: 'context' });
  });

  it('attacker context counts with evidence toward the majority: evidence plus the sign-in is strict', () => {
    const card = score([received({ rule: 'r', evidence: ['h1', 'hs', 'b1'] }, 710)]);
    expect(card.alerts[0]).toMatchObject({ verdict: 'tp', matchedBy: 'evidence' });
    expect(card.alerts[0]?.evidence).toMatchObject({ malicious: 1, context: 1, benign: 1 });
    // evidence precision counts evidence of the technique only
    expect(card.metrics.evidence_precision?.value).toBeCloseTo(1 / 3);
  });

  it('a non-first-party app id of the attacker matches as a principal; a first-party one never does', () => {
    const rogue = score([received({ rule: 'r', principal: 'rogue-app-id', ip: '198.51.100.9' }, 1545)]);
    expect(rogue.campaigns.find((x) => x.id === 'road')?.detected).toBe(true);
    const fp = score([
      received({ rule: 'r', principal: '1950a258-227b-4e31-a9cf-717495945fc2', ip: ATTACKER_IP }, 640),
    ]);
    expect(fp.metrics.weak_recall?.value).toBe(0);
    expect(fp.alerts[0]?.verdict).toBe('fp');
  });

  it("the owner keeps working: an alert citing the owner's own records is a false positive on his profile", () => {
    const card = score([received({ rule: 'r', principal: HELPDESK, evidence: ['b2', 'b3'] }, 670)]);
    expect(card.alerts[0]?.verdict).toBe('fp');
    expect(card.metrics.weak_recall?.value).toBe(0);
    expect(card.incidents).toEqual([expect.objectContaining({ kind: 'fp', profile: 'helpdesk' })]);
    expect(card.metrics['false_positives{profile:helpdesk}']?.value).toBe(1);
  });

  it('false positives are attributed to the profile behind the evidence, else behind the principal', () => {
    const card = score([
      received({ rule: 'bulk', principal: VICTIM, evidence: ['s1', 's2', 'w1'] }, 120),
      received({ rule: 'bulk', principal: SYNC }, 130),
      received({ rule: 'bulk', principal: 'nobody@contoso.onmicrosoft.com' }, 140),
    ]);
    const profiles = card.incidents.map((i) => i.profile);
    expect(profiles.sort()).toEqual(['directory-sync', 'directory-sync', null]);
    expect(card.alerts.map((a) => a.attributedBy)).toEqual(['evidence', 'principal', null]);
  });

  it('a leak: citing a record before it was available is reported', () => {
    const card = score([received({ rule: 'r', evidence: ['h1', 'h4'] }, 650)]);
    expect(card.leaks).toEqual([expect.objectContaining({ record: 'h4', availableAt: expect.any(Number) })]);
    expect(card.metrics.leaks?.value).toBe(1);
  });

  it('processing delay is arrival minus the availability of the newest cited record', () => {
    const card = score([received({ rule: 'r', evidence: ['h1', 'h2'] }, 650)]);
    expect(card.alerts[0]?.processingDelay).toBe(10 * 60_000);
  });

  it('incidents: alerts on one campaign are one true positive; false positives group by rule, principal, day', () => {
    const card = score([
      received({ rule: 'a', sessionId: 'sess-hound' }, 640),
      received({ rule: 'b', sessionId: 'sess-hound' }, 650),
      received({ rule: 'x', principal: SYNC, time: '2026-11-02T00:30:00Z' }, 30),
      received({ rule: 'x', principal: SYNC, time: '2026-11-02T01:00:00Z' }, 60),
      received({ rule: 'x', principal: SYNC, time: '2026-11-03T01:00:00Z' }, 60 + 24 * 60),
      // the same alert delivered twice (same content, `time` included) is one alert
      received({ rule: 'x', principal: SYNC, time: '2026-11-03T01:00:00Z' }, 61 + 24 * 60),
    ]);
    expect(card.runs[0]?.alerts.duplicates).toBe(1);
    expect(card.incidents.filter((i) => i.kind === 'tp')).toHaveLength(1);
    expect(card.incidents.filter((i) => i.kind === 'fp')).toHaveLength(2);
    expect(card.metrics.false_positives_per_day?.value).toBe(1);
    expect(card.metrics.alerts_per_day?.value).toBe(2.5);
    expect(card.metrics.precision?.value).toBeCloseTo(1 / 3);
    expect(card.metrics['precision{rule:a}']?.value).toBe(1);
    expect(card.metrics['precision{rule:x}']?.value).toBe(0);
  });

  it('latency from campaign start and from first availability; misses split', () => {
    const card = score([received({ rule: 'a', sessionId: 'sess-hound' }, 640)]);
    const hound = card.campaigns.find((c) => c.id === 'hound');
    expect(hound?.latency).toBe(40 * 60_000);
    expect(hound?.latencyFromAvailable).toBe(10 * 60_000);
    expect(card.metrics['latency.p95']?.value).toBe(40 * 60_000);
    expect(card.metrics['latency.p95{technique:azurehound}']?.value).toBe(40 * 60_000);
    expect(card.metrics['latency.p95{technique:roadrecon}']?.value).toBeNull();
    expect(card.metrics.missed_not_detected?.value).toBe(1);
    expect(card.metrics.missed_never_collected?.value).toBe(0);
  });

  it('an unobservable campaign is a miss of its own kind and lowers max recall', () => {
    const truth = makeTruth();
    const road = truth.campaigns[1];
    if (road) {
      road.firstAvailable = null;
      road.lastAvailable = null;
    }
    const card = scoreRun({ truth, alerts: [] });
    expect(card.metrics.missed_unobservable?.value).toBe(1);
    expect(card.metrics.max_recall?.value).toBe(0.5);
  });

  it('alerts during history are not scored', () => {
    const card = score([received({ rule: 'x', principal: SYNC }, -30)]);
    expect(card.alerts[0]?.verdict).toBe('history');
    expect(card.runs[0]?.alerts.history).toBe(1);
    expect(card.metrics.false_positives?.value).toBe(0);
    expect(card.metrics.precision?.value).toBeNull();
  });

  it('the collection ledger splits never-collected misses', () => {
    const card = score([], { collected: new Set(['h1']) });
    expect(card.campaigns.find((c) => c.id === 'road')?.miss).toBe('never_collected');
    expect(card.campaigns.find((c) => c.id === 'hound')?.miss).toBe('not_detected');
  });
});

describe('one alert, several campaigns', () => {
  it('records the rule that matched each campaign', () => {
    const card = score([received({ rule: 'r', sessionId: 'sess-road', evidence: ['h1', 'h2'] }, 1545)]);
    expect(card.alerts[0]?.campaigns).toEqual(['hound', 'road']);
    expect(card.campaigns.map((c) => [c.id, c.matchedBy])).toEqual([
      ['hound', 'evidence'],
      ['road', 'session'],
    ]);
    expect(card.incidents.filter((i) => i.kind === 'tp')).toHaveLength(2);
  });
});
