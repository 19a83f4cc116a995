import { describe, expect, it } from 'vitest';
import { parseThresholdLine, type Threshold } from '../../src/scenario/thresholds.js';
import { combineScorecards, scoreRun, wilson } from '../../src/scoring/index.js';
import {
  builtinVerdicts,
  checkBaseline,
  evaluateThresholds,
  parseMaxRegression,
  regressionVerdicts,
} from '../../src/thresholds/index.js';
import { makeDelivery, makeLabels, makeTruth, received, SYNC } from '../scoring/world.js';

function th(line: string): Threshold {
  const r = parseThresholdLine(line);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

const truth = makeTruth();
const card = scoreRun({
  truth,
  labels: makeLabels(),
  delivery: makeDelivery(),
  alerts: [
    received({ rule: 'bulk', sessionId: 'sess-hound' }, 640),
    received({ rule: 'bulk', principal: SYNC, time: '2026-11-02T01:00:00Z' }, 60),
  ],
});

describe('evaluateThresholds', () => {
  it('passes, fails and reports the observed value with n and the Wilson lower bound', () => {
    const v = evaluateThresholds(
      card,
      [th('recall{technique:azurehound}>=1'), th('recall>=0.9'), th('latency.p95<=1h')],
      'cli',
    );
    expect(v.map((x) => x.status)).toEqual(['pass', 'fail', 'pass']);
    expect(v[0]).toMatchObject({ observed: 1, n: 1, lower: wilson(1, 1).lower });
    expect(v[1]?.condition).toBe('>= 0.9');
  });

  it('gates on the lower bound with recall.lower', () => {
    const v = evaluateThresholds(card, [th('recall.lower>=0.5')], 'expect');
    expect(v[0]?.status).toBe('fail');
    expect(v[0]?.observed).toBeCloseTo(wilson(1, 2).lower as number);
  });

  it('a slice the scorecard cannot provide is an error with a hint, the rest still evaluated', () => {
    const v = evaluateThresholds(card, [th('recall{technique:graphrunner}==1'), th('precision>=0.1')], 'cli');
    expect(v[0]).toMatchObject({
      status: 'error',
      message: expect.stringContaining('no campaign of technique "graphrunner"'),
    });
    expect(v[0]?.hint).toContain('azurehound, roadrecon');
    expect(v[1]?.status).toBe('pass');
  });

  it('a quiet profile has zero false positives; a rule that never fired has figures too', () => {
    const v = evaluateThresholds(
      card,
      [
        th('false_positives{profile:helpdesk}==0'),
        th('false_positives{rule:never-fired}==0'),
        th('precision{rule:never-fired}>=0.5'),
      ],
      'cli',
    );
    expect(v.map((x) => [x.status, x.observed])).toEqual([
      ['pass', 0],
      ['pass', 0],
      ['fail', null],
    ]);
    expect(v[2]?.message).toBe('undefined: the detector raised no incident');
  });

  it('two tags at once are refused clearly', () => {
    const v = evaluateThresholds(card, [th('recall{technique:azurehound,scenario:unit}>=1')], 'cli');
    expect(v[0]?.status).toBe('error');
    expect(v[0]?.message).toContain('one tag at a time');
  });

  it('undefined precision fails with the reason, never NaN', () => {
    const silent = scoreRun({ truth, alerts: [] });
    const v = evaluateThresholds(silent, [th('precision>=0.8')], 'expect');
    expect(v[0]).toMatchObject({
      status: 'fail',
      observed: null,
      message: 'undefined: the detector raised no incident',
    });
  });

  it('latency never gates on self-reported arrival times', () => {
    const offline = scoreRun({
      truth,
      alerts: [
        {
          alert: { rule: 'r', sessionId: 'sess-hound', time: '2026-11-02T10:40:00Z' },
          arrivedAt: truth.window.start + 640 * 60_000,
          seq: 0,
          stamp: 'self-reported',
        },
      ],
    });
    const v = evaluateThresholds(offline, [th('latency.p95<=2h'), th('recall>=0.5')], 'cli');
    expect(v[0]?.status).toBe('error');
    expect(v[1]?.status).toBe('pass');
  });

  it('the built-in leak gate fails the run', () => {
    const leaky = scoreRun({
      truth,
      labels: makeLabels(),
      delivery: makeDelivery(),
      alerts: [received({ rule: 'r', evidence: ['h4'] }, 640)],
    });
    expect(builtinVerdicts(leaky)[0]).toMatchObject({ status: 'fail', observed: 1 });
    expect(builtinVerdicts(card)[0]?.status).toBe('pass');
  });
});

describe('repetition', () => {
  it('combines seeds by pooling campaigns; rates get Wilson intervals', () => {
    const t2 = { ...makeTruth(), seed: 7 };
    const card2 = scoreRun({ truth: t2, alerts: [received({ rule: 'bulk', sessionId: 'sess-road' }, 1545)] });
    const both = combineScorecards([card, card2]);
    expect(both.runs.map((r) => r.seed)).toEqual([1089, 7]);
    expect(both.metrics.recall).toMatchObject({ value: 0.5, n: 4, k: 2 });
    expect(both.metrics['recall.lower']?.value).toBeCloseTo(wilson(2, 4).lower as number);
    expect(both.metrics['recall{technique:roadrecon}']).toMatchObject({ value: 0.5, n: 2 });
    expect(() => combineScorecards([card, card])).toThrow(/given twice/);
  });

  it('wilson matches known values', () => {
    // 20/20: lower bound ~0.839 (the example: "n=20, 95% ≥ 0.84")
    expect(wilson(20, 20).lower).toBeCloseTo(0.8389, 3);
    expect(wilson(0, 0)).toEqual({ lower: null, upper: null });
    const w = wilson(5, 10);
    expect(w.lower).toBeCloseTo(0.2366, 3);
    expect(w.upper).toBeCloseTo(0.7634, 3);
  });
});

describe('baseline regression gates', () => {
  const baseline = {
    schemaVersion: 1,
    datasetFormatVersion: 1,
    scenarios: [{ name: 'unit', metrics: { recall: { value: 1 }, 'latency.p95': { value: 30 * 60_000 } } }],
  };

  it('parses allowances in the metric unit', () => {
    const r = parseMaxRegression('recall=0.02,latency.p95=10m,recall{technique:azurehound}=5%');
    expect(r).toEqual({
      ok: true,
      value: [
        { key: 'recall', metric: 'recall', allowed: 0.02, text: '0.02' },
        { key: 'latency.p95', metric: 'latency', allowed: 600_000, text: '10m' },
        {
          key: 'recall{technique:azurehound}',
          metric: 'recall',
          tags: { technique: 'azurehound' },
          allowed: 0.05,
          text: '5%',
        },
      ],
    });
    const bad = parseMaxRegression('recal=0.1,latency.p95=10');
    expect(bad.ok).toBe(false);
  });

  it('fails a regression beyond the allowance, in the direction the catalogue calls worse', () => {
    const r = parseMaxRegression('recall=0.02,latency.p95=10m');
    if (!r.ok) throw new Error('parse');
    const v = regressionVerdicts(
      card,
      'unit',
      checkBaseline(baseline, { schemaVersion: 1, datasetFormatVersion: 1 }),
      r.value,
    );
    expect(v.map((x) => x.status)).toEqual(['fail', 'pass']);
    expect(v[0]?.condition).toBe('>= 0.98 (baseline 1 - 0.02)');
    expect(v[0]?.message).toBe('regressed from 1 to 0.5');
    expect(v[1]?.condition).toBe('<= 40m (baseline 30m + 10m)');
  });

  it('refuses a baseline from another format version', () => {
    expect(() =>
      checkBaseline({ ...baseline, datasetFormatVersion: 2 }, { schemaVersion: 1, datasetFormatVersion: 1 }),
    ).toThrow(/dataset format 2/);
    expect(() => checkBaseline({ nope: 1 }, { schemaVersion: 1, datasetFormatVersion: 1 })).toThrow(
      /not an enumbench summary/,
    );
  });

  it('without --max-regression, the headline figures may not regress at all', () => {
    const v = regressionVerdicts(card, 'unit', baseline, []);
    expect(v.map((x) => x.key)).toEqual(['recall', 'precision', 'latency.p95', 'false_positives_per_day']);
    expect(v[0]?.status).toBe('fail');
    expect(v[1]?.status).toBe('error');
  });
});
